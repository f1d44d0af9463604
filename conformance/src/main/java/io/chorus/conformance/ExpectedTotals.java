package io.chorus.conformance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The counts a run over one vector copy is expected to reach, group by group: how many files,
 * how many cases passed, and how many were skipped for each reason. "0 failed" alone lets cases
 * turn into skips and files vanish unnoticed; comparing a run against these counts does not.
 * The manifest is written deliberately ({@code --write-expected}) and committed, so a change in
 * coverage shows up as a diff a reviewer sees.
 */
public record ExpectedTotals(Map<String, Group> groups) {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final String REGENERATE =
      "chorus conformance FOLDER --write-expected conformance/expected.json";

  /**
   * One group's expectations.
   *
   * @param files distinct vector files the run reported on, absent ones listed as skips included
   * @param passed cases that passed
   * @param skips skipped cases per reason, the reason exactly as the report prints it
   */
  public record Group(long files, long passed, Map<String, Long> skips) {
    public Group {
      skips = Map.copyOf(new TreeMap<>(skips));
    }
  }

  /** What a comparison found: problems fail the run, notes only say the manifest is stale. */
  public record Comparison(List<String> problems, List<String> notes) {
    public Comparison {
      problems = List.copyOf(problems);
      notes = List.copyOf(notes);
    }

    public boolean matches() {
      return problems.isEmpty();
    }
  }

  public ExpectedTotals {
    groups = Map.copyOf(groups);
  }

  /** The counts a report reached. */
  public static ExpectedTotals of(ConformanceReport report) {
    Map<String, Set<String>> files = new TreeMap<>();
    Map<String, Long> passed = new TreeMap<>();
    Map<String, Map<String, Long>> skips = new TreeMap<>();
    for (CaseResult result : report.results()) {
      files.computeIfAbsent(result.group(), g -> new HashSet<>()).add(result.file());
      passed.merge(result.group(), result.outcome() == Outcome.PASSED ? 1L : 0L, Long::sum);
      Map<String, Long> reasons = skips.computeIfAbsent(result.group(), g -> new TreeMap<>());
      if (result.outcome() == Outcome.SKIPPED) {
        reasons.merge(result.detail(), 1L, Long::sum);
      }
    }
    Map<String, Group> groups = new TreeMap<>();
    files.forEach((group, names) ->
        groups.put(group, new Group(names.size(), passed.get(group), skips.get(group))));
    return new ExpectedTotals(groups);
  }

  /**
   * Compares a run's counts ({@code actual}) with these. A problem: a group or file gone, fewer
   * passes, more skips for a reason, or a skip reason not listed here. A note: more files or
   * passes, fewer skips, a new group; the run is fine but the manifest could be regenerated.
   */
  public Comparison compare(ExpectedTotals actual) {
    List<String> problems = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    for (Map.Entry<String, Group> entry : new TreeMap<>(groups).entrySet()) {
      String name = entry.getKey();
      Group want = entry.getValue();
      Group got = actual.groups.get(name);
      if (got == null) {
        problems.add(name + ": the whole group is absent (expected " + want.files()
            + " files, " + want.passed() + " passed)");
        continue;
      }
      compareCount(name, "files", want.files(), got.files(), problems, notes);
      compareCount(name, "passed", want.passed(), got.passed(), problems, notes);
      for (Map.Entry<String, Long> skip : new TreeMap<>(got.skips()).entrySet()) {
        Long expected = want.skips().get(skip.getKey());
        if (expected == null) {
          problems.add(name + ": " + skip.getValue() + " skipped for a reason the manifest does"
              + " not list: \"" + skip.getKey() + "\"");
        } else if (skip.getValue() > expected) {
          problems.add(name + ": " + skip.getValue() + " skipped, expected " + expected
              + " (" + (skip.getValue() - expected) + " more) for \"" + skip.getKey() + "\"");
        } else if (skip.getValue() < expected) {
          notes.add(name + ": " + skip.getValue() + " skipped, " + expected + " expected, for \""
              + skip.getKey() + "\"");
        }
      }
      want.skips().keySet().stream().filter(reason -> !got.skips().containsKey(reason))
          .forEach(reason -> notes.add(name + ": no longer skipped: \"" + reason + "\""));
    }
    new TreeMap<>(actual.groups).forEach((name, got) -> {
      if (!groups.containsKey(name)) {
        notes.add(name + ": a group the manifest does not list (" + got.files() + " files, "
            + got.passed() + " passed)");
      }
    });
    return new Comparison(problems, notes);
  }

  private static void compareCount(String group, String what, long want, long got,
      List<String> problems, List<String> notes) {
    if (got < want) {
      problems.add(group + ": " + got + " " + what + ", expected " + want + " (" + (want - got)
          + " fewer)");
    } else if (got > want) {
      notes.add(group + ": " + got + " " + what + ", " + want + " expected");
    }
  }

  /** A comparison's problems and notes as text, ending with how to accept a change. */
  public static String describe(Comparison comparison, Path manifest) {
    StringBuilder text = new StringBuilder();
    if (!comparison.matches()) {
      text.append("conformance counts fell short of ").append(manifest).append(" in ")
          .append(comparison.problems().size()).append(" places:\n");
      comparison.problems().forEach(p -> text.append("  ").append(p).append('\n'));
    }
    if (!comparison.notes().isEmpty()) {
      text.append("conformance counts beyond ").append(manifest).append(" (not an error):\n");
      comparison.notes().forEach(n -> text.append("  ").append(n).append('\n'));
    }
    if (!comparison.problems().isEmpty() || !comparison.notes().isEmpty()) {
      text.append("If the change is intended, record it with '").append(REGENERATE)
          .append("' and commit the diff.\n");
    }
    return text.toString();
  }

  public static ExpectedTotals read(Path file) {
    JsonNode json;
    try {
      json = JSON.readTree(file.toFile());
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(file + " is not valid JSON (" + e.getOriginalMessage()
          + "); regenerate it with '" + REGENERATE + "'", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the expected counts at " + file, e);
    }
    JsonNode groups = json == null ? null : json.get("groups");
    if (groups == null || !groups.isObject()) {
      throw new IllegalArgumentException(file + " holds no \"groups\" object; regenerate it with '"
          + REGENERATE + "'");
    }
    Map<String, Group> read = new TreeMap<>();
    groups.properties().forEach(entry -> read.put(entry.getKey(), group(file, entry)));
    return new ExpectedTotals(read);
  }

  private static Group group(Path file, Map.Entry<String, JsonNode> entry) {
    JsonNode group = entry.getValue();
    JsonNode skips = group.path("skips");
    if (!group.path("files").isIntegralNumber() || !group.path("passed").isIntegralNumber()
        || !skips.isObject()) {
      throw new IllegalArgumentException(file + ": group " + entry.getKey() + " needs whole "
          + "numbers \"files\" and \"passed\" and a \"skips\" object of reason to count");
    }
    Map<String, Long> reasons = new TreeMap<>();
    skips.properties().forEach(skip -> reasons.put(skip.getKey(), skip.getValue().asLong()));
    return new Group(group.get("files").asLong(), group.get("passed").asLong(), reasons);
  }

  public void write(Path file) throws IOException {
    ObjectNode json = JSON.createObjectNode();
    json.put("about", "Counts './chorus test' expects from the conformance vectors, per group:"
        + " files, passed cases, skipped cases per reason. Regenerate deliberately with '"
        + REGENERATE + "' (docs/testing.md).");
    ObjectNode out = json.putObject("groups");
    new TreeMap<>(groups).forEach((name, group) -> {
      ObjectNode node = out.putObject(name);
      node.put("files", group.files());
      node.put("passed", group.passed());
      ObjectNode skips = node.putObject("skips");
      new TreeMap<>(group.skips()).forEach(skips::put);
    });
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    JSON.writeValue(file.toFile(), json);
  }
}
