package io.chorus.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ScanRulesTest {
  @Test
  void anOperatorWritesTheRulesAsScansAndPlacesPerWindow() {
    assertEquals(ScanRules.DEFAULTS, ScanRules.parse("20/24h,3/1h"));
    ScanRules strict = ScanRules.parse(" 5/1d,2/30m ");
    assertEquals(new ScanRules(5, Duration.ofDays(1), 2, Duration.ofMinutes(30), 64), strict);
    assertEquals(201, ScanRules.parse("200/7d,3/90s").recentMax(),
        "one scan more than the larger maximum is kept, so the rule can see it broken");
  }

  @Test
  void whatCannotBeRulesIsRefusedSayingWhatToWrite() {
    for (String bad : new String[] {"", "20/24h", "20/24,3/1h", "20/24h;3/1h", "-1/1h,3/1h",
        "20/24w,3/1h"}) {
      assertTrue(assertThrows(IllegalArgumentException.class, () -> ScanRules.parse(bad))
          .getMessage().contains("e.g. 20/24h,3/1h"), bad);
    }
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> ScanRules.parse("1024/1h,3/1h")).getMessage().contains("at most 1023"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> ScanRules.parse("0/1h,3/1h")).getMessage().contains("at least 1"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> ScanRules.parse("20/0h,3/1h")).getMessage().contains("positive"));
  }
}
