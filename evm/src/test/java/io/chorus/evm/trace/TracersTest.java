package io.chorus.evm.trace;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Choosing a tracer from a Geth TraceConfig map, and refusing what it cannot honour. */
class TracersTest {
  @Test
  void noTracerIsTheStructLoggerAndCallTracerReadsItsConfig() {
    assertInstanceOf(StructLogger.class, Tracers.fromConfig(Map.of()));
    assertInstanceOf(StructLogger.class, Tracers.fromConfig(Map.of("tracer", "",
        "disableStack", true, "limit", 5L)));
    assertInstanceOf(CallTracer.class, Tracers.fromConfig(Map.of("tracer", "callTracer",
        "tracerConfig", Map.of("onlyTopCall", true, "withLog", false))));
  }

  @Test
  void unknownTracersAndMalformedOptionsAreRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Tracers.fromConfig(Map.of("tracer", "prestateTracer")));
    assertTrue(e.getMessage().contains("prestateTracer"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> Tracers.fromConfig(Map.of("disableStack", "yes")));
    assertThrows(IllegalArgumentException.class,
        () -> Tracers.fromConfig(Map.of("limit", -1)));
    assertThrows(IllegalArgumentException.class,
        () -> Tracers.fromConfig(Map.of("limit", StructLogger.LIMIT_MAX + 1)));
    assertThrows(IllegalArgumentException.class,
        () -> Tracers.fromConfig(Map.of("limit", 2.5)));
    assertThrows(IllegalArgumentException.class,
        () -> Tracers.fromConfig(Map.of("tracer", "callTracer", "tracerConfig", "onlyTopCall")));
    assertThrows(IllegalArgumentException.class, () -> Tracers.fromConfig(
        Map.of("tracer", "callTracer", "tracerConfig", Map.of("withLog", 1))));
  }

  @Test
  void resultsBeforeATransactionAreRefused() {
    assertThrows(IllegalStateException.class,
        () -> new StructLogger(StructLogger.Options.DEFAULT).result());
    assertThrows(IllegalStateException.class,
        () -> new CallTracer(CallTracer.Options.DEFAULT).result());
  }
}
