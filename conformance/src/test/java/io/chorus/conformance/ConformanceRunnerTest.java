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
import java.util.TreeMap;
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

  @Test
  void vectorFoldersThatAreSymbolicLinksAreFollowed(@TempDir Path linked) throws Exception {
    Path real = vectorRoot().toAbsolutePath();
    Files.createSymbolicLink(linked.resolve("RLPTests"), real.resolve("RLPTests"));
    Files.createSymbolicLink(linked.resolve("TrieTests"), real.resolve("TrieTests"));
    List<VectorRunner> runners = List.of(new RlpVectors(), new TrieVectors());

    Map<String, ConformanceReport.Counts> throughLinks =
        new ConformanceRunner(runners).run(linked).byGroup();
    Map<String, ConformanceReport.Counts> direct = new TreeMap<>(
        new ConformanceRunner(runners).run(real).byGroup());
    direct.keySet().removeIf(group ->
        !group.startsWith("RLPTests") && !group.startsWith("TrieTests"));

    assertEquals(direct, throughLinks);
    assertEquals(new ConformanceReport.Counts(26, 0, 0), throughLinks.get("TrieTests"));
  }

  @Test
  void aSymbolicLinkLoopIsRefusedWithItsPath(@TempDir Path root) throws Exception {
    Path trie = Files.createDirectories(root.resolve("TrieTests"));
    Files.copy(vectorRoot().resolve("TrieTests/trietest.json"), trie.resolve("trietest.json"));
    Path loop = Files.createSymbolicLink(trie.resolve("again"), root);

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ConformanceRunner.standard().run(root));
    assertTrue(e.getMessage().contains("symbolic link loop"), e.getMessage());
    assertTrue(e.getMessage().contains(loop.toString()), e.getMessage());
  }

  static Path vectorRoot() {
    String configured = System.getProperty("chorus.vectors");
    return configured != null && !configured.isBlank()
        ? Path.of(configured) : Path.of("../../shared/conformance/ethereum-tests");
  }
}
