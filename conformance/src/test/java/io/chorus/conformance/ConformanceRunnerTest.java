package io.chorus.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner over the shared vectors: every RLP, trie and transaction case passes. (The state
 * tests take longer; {@code ./chorus test} runs them all through the CLI, and
 * {@link StateVectorsTest} checks the state runner itself.)
 */
class ConformanceRunnerTest {

  @Test
  void sharedVectorsHaveNoFailures() {
    ConformanceReport report = new ConformanceRunner(
        List.of(new RlpVectors(), new TrieVectors(), new TransactionVectors())).run(vectorRoot());
    assertEquals(List.of(), report.with(Outcome.FAILED));
    Map<String, ConformanceReport.Counts> groups = report.byGroup();
    assertEquals(new ConformanceReport.Counts(54, 0, 0), groups.get("RLPTests"));
    assertEquals(new ConformanceReport.Counts(26, 0, 0), groups.get("TrieTests"));
    long transactions = groups.entrySet().stream()
        .filter(e -> e.getKey().startsWith("TransactionTests/"))
        .mapToLong(e -> e.getValue().passed()).sum();
    assertEquals(210, transactions);
    // The two 10 MB files the shared copy lacks are named as skips, not dropped.
    assertEquals(2, report.with(Outcome.SKIPPED).stream()
        .filter(r -> r.file().startsWith("TransactionTests/ttData/String10MbData")).count());

    StringWriter text = new StringWriter();
    report.print(new PrintWriter(text));
    assertTrue(text.toString().strip().endsWith(report.total().toString()));
  }

  @Test
  void aFolderWithoutVectorsIsAnErrorNotAnEmptyPass(@TempDir Path empty) throws Exception {
    Files.writeString(empty.resolve("note.json"), "{}");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ConformanceRunner.standard().run(empty));
    assertTrue(e.getMessage().contains("no vectors Chorus recognises"), e.getMessage());
  }

  static Path vectorRoot() {
    String configured = System.getProperty("chorus.vectors");
    return configured != null && !configured.isBlank()
        ? Path.of(configured) : Path.of("../../shared/conformance/ethereum-tests");
  }
}
