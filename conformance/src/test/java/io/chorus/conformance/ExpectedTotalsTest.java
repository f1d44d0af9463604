package io.chorus.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: a run that covers less than the committed manifest fails, naming the group and the
 * shortfall. Method: a fixture folder of real RLP and trie vectors, its manifest written from a
 * run, then the folder damaged (a file removed, a folder removed, a file named absent) and run
 * again against the manifest.
 */
class ExpectedTotalsTest {
  private static final List<VectorRunner> RUNNERS = List.of(new RlpVectors(), new TrieVectors());

  @TempDir Path root;
  @TempDir Path scratch;
  Path manifest;

  @BeforeEach
  void fixture() throws Exception {
    Path vectors = ConformanceRunnerTest.vectorRoot();
    for (String file : List.of("RLPTests/rlptest.json", "RLPTests/invalidRLPTest.json",
        "TrieTests/trietest.json", "TrieTests/trieanyorder.json")) {
      Files.createDirectories(root.resolve(file).getParent());
      Files.copy(vectors.resolve(file), root.resolve(file));
    }
    manifest = scratch.resolve("expected.json");
    ExpectedTotals.of(run()).write(manifest);
  }

  private ConformanceReport run() {
    return new ConformanceRunner(RUNNERS).run(root);
  }

  private ExpectedTotals.Comparison compare() {
    return ExpectedTotals.read(manifest).compare(ExpectedTotals.of(run()));
  }

  @Test
  void anUnchangedFolderMatchesItsManifest() {
    ExpectedTotals written = ExpectedTotals.read(manifest);
    assertEquals(2, written.groups().get("TrieTests").files());
    assertTrue(written.groups().get("RLPTests").passed() > 0, written.toString());

    ExpectedTotals.Comparison comparison = compare();
    assertTrue(comparison.matches(), comparison.problems().toString());
    assertEquals(List.of(), comparison.notes());
    assertEquals("", ExpectedTotals.describe(comparison, manifest));
  }

  @Test
  void aRemovedFileIsNamedWithItsGroupAndTheCasesItTookAway() throws Exception {
    long passedBefore = ExpectedTotals.read(manifest).groups().get("TrieTests").passed();
    Files.delete(root.resolve("TrieTests/trieanyorder.json"));
    long passedAfter = run().byGroup().get("TrieTests").passed();

    ExpectedTotals.Comparison comparison = compare();
    assertFalse(comparison.matches());
    assertEquals(List.of("TrieTests: 1 files, expected 2 (1 fewer)",
        "TrieTests: " + passedAfter + " passed, expected " + passedBefore + " ("
            + (passedBefore - passedAfter) + " fewer)"), comparison.problems());
    String message = ExpectedTotals.describe(comparison, manifest);
    assertTrue(message.contains("--write-expected"), message);
  }

  @Test
  void aRemovedFolderIsAnAbsentGroup() throws Exception {
    for (Path file : List.of(root.resolve("RLPTests/rlptest.json"),
        root.resolve("RLPTests/invalidRLPTest.json"), root.resolve("RLPTests"))) {
      Files.delete(file);
    }
    ExpectedTotals.Comparison comparison = compare();
    assertEquals(1, comparison.problems().size(), comparison.problems().toString());
    assertTrue(comparison.problems().get(0).startsWith("RLPTests: the whole group is absent"),
        comparison.problems().get(0));
  }

  @Test
  void aNewSkipReasonFailsEvenWhenNothingElseChanged() throws Exception {
    // A trimmed copy that names a file it left out: the file becomes a skip in its group.
    Files.writeString(root.resolve("README.md"),
        "# Vectors\n\n## Files missing from this copy\n\n- `TrieTests/trietest_secureTrie.json`\n");
    ExpectedTotals.Comparison comparison = compare();
    assertEquals(List.of("TrieTests: 1 skipped for a reason the manifest does not list: "
        + "\"absent from this copy (named in its README)\""), comparison.problems());
    // The file is counted, so the file count went up: a note, not a second problem.
    assertEquals(List.of("TrieTests: 3 files, 2 expected"), comparison.notes());
  }

  @Test
  void moreSkipsForAListedReasonFail() throws Exception {
    Files.writeString(root.resolve("README.md"),
        "# Vectors\n\n## Files missing from this copy\n\n- `TrieTests/a.json`\n");
    ExpectedTotals.of(run()).write(manifest);
    Files.writeString(root.resolve("README.md"), "# Vectors\n\n## Files missing from this copy"
        + "\n\n- `TrieTests/a.json`\n- `TrieTests/b.json`\n");

    ExpectedTotals.Comparison comparison = compare();
    assertEquals(List.of("TrieTests: 2 skipped, expected 1 (1 more) for \"absent from this copy"
        + " (named in its README)\""), comparison.problems());
  }

  @Test
  void moreCoverageIsOnlyANote() throws Exception {
    Files.delete(root.resolve("TrieTests/trieanyorder.json"));
    ExpectedTotals.of(run()).write(manifest);
    Files.copy(ConformanceRunnerTest.vectorRoot().resolve("TrieTests/trieanyorder.json"),
        root.resolve("TrieTests/trieanyorder.json"));

    ExpectedTotals.Comparison comparison = compare();
    assertTrue(comparison.matches(), comparison.problems().toString());
    assertEquals(2, comparison.notes().size(), comparison.notes().toString());
  }

  @Test
  void aManifestWithoutGroupsIsRefusedWithHowToRegenerateIt() throws Exception {
    Files.writeString(manifest, "{\"TrieTests\": 26}");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ExpectedTotals.read(manifest));
    assertTrue(e.getMessage().contains("--write-expected"), e.getMessage());
  }
}
