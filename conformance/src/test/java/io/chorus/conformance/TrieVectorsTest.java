package io.chorus.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Runs {@link TrieVectors} over the shared ethereum/tests TrieTests folder. */
class TrieVectorsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void everyTrieTestPasses() throws IOException {
    Path folder = vectorRoot().resolve("TrieTests");
    assertTrue(Files.isDirectory(folder), "no TrieTests under " + folder.toAbsolutePath());
    List<Path> files;
    try (Stream<Path> list = Files.list(folder)) {
      files = list.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    List<String> names = files.stream().map(p -> p.getFileName().toString()).toList();
    assertTrue(names.contains("trietestnextprev.json"), names.toString());
    assertTrue(names.contains("hex_encoded_securetrie_test.json"), names.toString());

    int cases = 0;
    List<CaseResult> results = new ArrayList<>();
    for (Path file : files) {
      JsonNode json = JSON.readTree(file.toFile());
      cases += json.size();
      results.addAll(new TrieVectors().run(vectorFile(file.getFileName().toString(), json)));
    }
    assertEquals(cases, results.size());
    assertEquals(List.of(),
        results.stream().filter(r -> r.outcome() != Outcome.PASSED).toList());
  }

  @Test
  void wrongRootIsAFailureShowingBothRoots() throws IOException {
    String root = "0x" + "11".repeat(32);
    JsonNode json = JSON.readTree(
        "{\"case\": {\"in\": [[\"do\", \"verb\"], [\"dog\", null]], \"root\": \"" + root + "\"}}");
    CaseResult result = new TrieVectors().run(vectorFile("trietest.json", json)).get(0);
    assertEquals(Outcome.FAILED, result.outcome());
    assertEquals("root 0x014f07ed95e2e028804d915e0dbd4ed451e394e1acfd29e463c11a060b2ddef7"
        + ", expected " + root, result.detail());
  }

  @Test
  void wrongNeighbourIsAFailureNamingTheQuery() throws IOException {
    JsonNode json = JSON.readTree(
        "{\"case\": {\"in\": [\"a\", \"c\"], \"tests\": [[\"b\", \"a\", \"d\"]]}}");
    CaseResult result = new TrieVectors().run(vectorFile("trietestnextprev.json", json)).get(0);
    assertEquals(Outcome.FAILED, result.outcome());
    assertEquals("[\"b\"]: prev \"a\", next \"c\", expected \"a\", \"d\"", result.detail());
  }

  @Test
  void malformedCaseIsAFailureNotACrash() throws IOException {
    JsonNode json = JSON.readTree("{\"case\": {\"in\": [[\"0x123\", \"x\"]], \"root\": \"0x00\"}}");
    CaseResult result = new TrieVectors().run(vectorFile("trietest.json", json)).get(0);
    assertEquals(Outcome.FAILED, result.outcome());
    assertTrue(result.detail().startsWith("threw java.lang.IllegalArgumentException: hex text has"
        + " an odd number of digits"), result.detail());
  }

  private static VectorFile vectorFile(String name, JsonNode json) {
    return new VectorFile(Path.of(name), "TrieTests", "TrieTests/" + name, json);
  }

  /** Surefire sets chorus.vectors; from an IDE, the shared folder beside the checkout. */
  private static Path vectorRoot() {
    String configured = System.getProperty("chorus.vectors");
    return configured != null && !configured.isBlank()
        ? Path.of(configured) : Path.of("../../shared/conformance/ethereum-tests");
  }
}
