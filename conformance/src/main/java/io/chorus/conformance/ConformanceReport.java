package io.chorus.conformance;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Every case result of one run, with the text and JSON forms of the report. */
public record ConformanceReport(Path root, List<CaseResult> results) {

  /** Pass/fail/skip counts of one group of files. */
  public record Counts(long passed, long failed, long skipped) {
    Counts plus(Outcome outcome) {
      return new Counts(passed + (outcome == Outcome.PASSED ? 1 : 0),
          failed + (outcome == Outcome.FAILED ? 1 : 0),
          skipped + (outcome == Outcome.SKIPPED ? 1 : 0));
    }

    @Override
    public String toString() {
      return passed + " passed, " + failed + " failed, " + skipped + " skipped";
    }
  }

  public ConformanceReport {
    results = List.copyOf(results);
  }

  public Counts total() {
    Counts total = new Counts(0, 0, 0);
    for (CaseResult result : results) {
      total = total.plus(result.outcome());
    }
    return total;
  }

  public Map<String, Counts> byGroup() {
    Map<String, Counts> groups = new TreeMap<>();
    for (CaseResult result : results) {
      groups.merge(result.group(), new Counts(0, 0, 0).plus(result.outcome()),
          (a, b) -> new Counts(a.passed() + b.passed(), a.failed() + b.failed(),
              a.skipped() + b.skipped()));
    }
    return groups;
  }

  public List<CaseResult> with(Outcome outcome) {
    return results.stream().filter(r -> r.outcome() == outcome).toList();
  }

  /**
   * One line per group, then every failure, then every skip grouped by reason, then the closing
   * {@code N passed, N failed, N skipped} line.
   */
  public void print(PrintWriter out) {
    Map<String, Counts> groups = byGroup();
    int width = groups.keySet().stream().mapToInt(String::length).max().orElse(0);
    groups.forEach((group, counts) -> out.printf("%-" + width + "s  %s%n", group, counts));
    List<CaseResult> failures = with(Outcome.FAILED);
    if (!failures.isEmpty()) {
      out.println();
      out.println("Failures (" + failures.size() + "):");
      failures.forEach(f -> out.println("  FAIL " + f.file() + " :: " + f.name() + ": " + f.detail()));
    }
    Map<String, List<CaseResult>> skipsByReason = new LinkedHashMap<>();
    for (CaseResult skip : with(Outcome.SKIPPED)) {
      skipsByReason.computeIfAbsent(skip.detail(), k -> new ArrayList<>()).add(skip);
    }
    if (!skipsByReason.isEmpty()) {
      out.println();
      out.println("Skips (" + with(Outcome.SKIPPED).size() + "):");
      skipsByReason.forEach((reason, skips) -> {
        out.println("  " + skips.size() + " skipped: " + reason);
        printSkipped(out, skips);
      });
    }
    out.println();
    out.println(total());
    out.flush();
  }

  /** Names each skipped file, or each group with its count when there are many. */
  private static void printSkipped(PrintWriter out, List<CaseResult> skips) {
    if (skips.size() <= 10) {
      skips.forEach(s -> out.println("    " + s.file() + " :: " + s.name()));
      return;
    }
    Map<String, Long> perGroup = new TreeMap<>();
    skips.forEach(s -> perGroup.merge(s.group(), 1L, Long::sum));
    perGroup.forEach((group, count) -> out.println("    " + group + ": " + count));
  }

  public void writeJson(Path file) throws IOException {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("root", root.toString());
    Counts total = total();
    json.put("passed", total.passed());
    json.put("failed", total.failed());
    json.put("skipped", total.skipped());
    json.put("groups", byGroup());
    json.put("failures", with(Outcome.FAILED));
    json.put("skips", with(Outcome.SKIPPED));
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), json);
  }
}
