package io.chorus.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The state-test runner on a few shared vector files: it passes their cases, and it fails a case
 * whose expected state root is altered, so a pass means the roots were really compared.
 */
class StateVectorsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String EXAMPLE = "GeneralStateTests/stExample/add11_yml.json";

  @Test
  void passesSharedExamples() throws IOException {
    for (String file : List.of(EXAMPLE, "GeneralStateTests/stExample/eip1559.json",
        "GeneralStateTests/Cancun/stEIP1153-transientStorage/10_revertUndoesStoreAfterReturn.json")) {
      List<CaseResult> results = run(file, read(file));
      assertTrue(!results.isEmpty(), file);
      for (CaseResult result : results) {
        assertEquals(Outcome.PASSED, result.outcome(), result.name() + ": " + result.detail());
      }
    }
  }

  @Test
  void aWrongExpectedRootFails() throws IOException {
    JsonNode json = read(EXAMPLE);
    for (JsonNode test : json) {
      for (JsonNode expected : test.get("post").get("Cancun")) {
        ((com.fasterxml.jackson.databind.node.ObjectNode) expected).put("hash", "0x" + "11".repeat(32));
      }
    }
    List<CaseResult> results = run(EXAMPLE, json);
    assertTrue(!results.isEmpty());
    for (CaseResult result : results) {
      assertEquals(Outcome.FAILED, result.outcome(), result.name());
      assertTrue(result.detail().startsWith("state root"), result.detail());
    }
  }

  private static List<CaseResult> run(String file, JsonNode json) {
    Path path = ConformanceRunnerTest.vectorRoot().resolve(file);
    return new StateVectors().run(new VectorFile(path, "g", file, json));
  }

  private static JsonNode read(String file) throws IOException {
    return JSON.readTree(Files.readString(ConformanceRunnerTest.vectorRoot().resolve(file)));
  }
}
