package io.chorus.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chorus.rpc.StaticSite;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The console's files as the node serves them: complete, small, in both languages. */
class ConsoleSiteTest {
  private static final StaticSite SITE = Console.site();
  private static final Pattern IMPORT = Pattern.compile("from '(\\.{1,2}/[^']+)'");
  private static final Pattern TEXT_KEY = Pattern.compile("\\bt\\('([a-zA-Z.-]+)'\\s*[,)]");
  private static final Pattern TEXT_PREFIX = Pattern.compile("\\bt\\('([a-zA-Z.-]+\\.)' \\+");
  private static final Pattern DEFINED = Pattern.compile("^\\s+'?([a-zA-Z.-]+)'?: \\[",
      Pattern.MULTILINE);
  // An entry with both texts on its line, or the English one continued on the next.
  private static final Pattern PAIR = Pattern.compile("^\\s+'?[a-zA-Z.-]+'?: \\['",
      Pattern.MULTILINE);

  @Test
  void theWholeBundleStaysUnderOneMegabyteCompressed() {
    long gzipped = SITE.assets().values().stream().mapToLong(a -> a.gzipped().length).sum();
    long raw = SITE.assets().values().stream().mapToLong(a -> a.bytes().length).sum();
    System.out.printf("console: %d files, %,d bytes, %,d gzipped%n", SITE.assets().size(), raw,
        gzipped);
    assertTrue(gzipped <= 1_000_000, gzipped + " bytes gzipped");
  }

  @Test
  void everyModuleImportNamesAFileOfTheSite() {
    List<String> broken = new ArrayList<>();
    for (Map.Entry<String, StaticSite.Asset> e : SITE.assets().entrySet()) {
      if (!e.getKey().endsWith(".js")) {
        continue;
      }
      Matcher m = IMPORT.matcher(text(e.getValue()));
      while (m.find()) {
        String target = resolve(e.getKey(), m.group(1));
        if (!SITE.assets().containsKey(target)) {
          broken.add(e.getKey() + " imports " + m.group(1));
        }
      }
    }
    assertEquals(List.of(), broken);
  }

  @Test
  void everyTextThePagesUseIsDefinedInBothLanguages() {
    String i18n = text(SITE.assets().get("i18n.js"));
    Set<String> defined = new TreeSet<>();
    Matcher d = DEFINED.matcher(i18n);
    while (d.find()) {
      defined.add(d.group(1));
    }
    Set<String> missing = new TreeSet<>();
    for (Map.Entry<String, StaticSite.Asset> e : SITE.assets().entrySet()) {
      if (!e.getKey().endsWith(".js")) {
        continue;
      }
      String source = text(e.getValue());
      Matcher m = TEXT_KEY.matcher(source);
      while (m.find()) {
        if (!defined.contains(m.group(1))) {
          missing.add(m.group(1) + " (" + e.getKey() + ")");
        }
      }
      Matcher p = TEXT_PREFIX.matcher(source);
      while (p.find()) {
        String prefix = p.group(1);
        if (defined.stream().noneMatch(k -> k.startsWith(prefix))) {
          missing.add(prefix + "* (" + e.getKey() + ")");
        }
      }
    }
    assertEquals(Set.of(), missing);
    assertTrue(defined.size() > 100, "found only " + defined.size() + " texts");
    // Each entry is an [English, Chinese] pair: its second text holds Chinese characters.
    Matcher pair = PAIR.matcher(i18n);
    int entries = 0;
    while (pair.find()) {
      entries++;
    }
    assertEquals(defined.size(), entries, "entries not written as ['English', '中文'] pairs");
  }

  @Test
  void thePageShellLoadsOnlyItsOwnFiles() {
    String index = text(SITE.assets().get("index.html"));
    Matcher m = Pattern.compile("(?:src|href)=\"([^\"#]+)\"").matcher(index);
    int found = 0;
    while (m.find()) {
      found++;
      String ref = m.group(1);
      assertTrue(!ref.contains("//") && SITE.assets().containsKey(ref), ref);
    }
    assertTrue(found >= 3);
  }

  private static String resolve(String from, String relative) {
    List<String> parts = new ArrayList<>(List.of(from.split("/")));
    parts.remove(parts.size() - 1);
    for (String segment : relative.split("/")) {
      if (segment.equals("..")) {
        parts.remove(parts.size() - 1);
      } else if (!segment.equals(".")) {
        parts.add(segment);
      }
    }
    return String.join("/", parts);
  }

  private static String text(StaticSite.Asset asset) {
    return new String(asset.bytes(), StandardCharsets.UTF_8);
  }
}
