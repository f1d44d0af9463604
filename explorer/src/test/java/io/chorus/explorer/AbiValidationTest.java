package io.chorus.explorer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chorus.rpc.rest.Problem;
import io.chorus.state.system.SystemContracts;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An uploaded ABI's errors point at the field to fix. Method: each case breaks one field of an
 * otherwise valid ABI and checks the pointer and that the detail names the bad value; solc's
 * own output (the system contracts' ABIs) passes.
 */
class AbiValidationTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static List<Problem.FieldError> check(String abi) throws Exception {
    return AbiValidation.check(JSON.readTree(abi), "/abi");
  }

  private static void assertOneError(String abi, String field, String detailPart)
      throws Exception {
    List<Problem.FieldError> errors = check(abi);
    assertEquals(1, errors.size(), errors.toString());
    assertEquals(field, errors.get(0).field());
    assertTrue(errors.get(0).detail().contains(detailPart), errors.get(0).detail());
  }

  @Test
  void solcsAbisPass() throws Exception {
    for (SystemContracts.Described contract : SystemContracts.described()) {
      assertEquals(List.of(), check(contract.abiJson()), contract.name());
    }
  }

  @Test
  void eachErrorPointsAtItsField() throws Exception {
    String good = "{\"type\":\"function\",\"name\":\"f\",\"inputs\":[{\"name\":\"a\","
        + "\"type\":\"uint256\"}],\"outputs\":[]}";
    assertOneError("{\"abi\": []}", "/abi", "send the artifact's 'abi' member");
    assertOneError("[]", "/abi", "is empty");
    assertOneError("[" + good + ", 7]", "/abi/1", "must be an object");
    assertOneError("[" + good.replace("\"function\"", "\"method\"") + "]", "/abi/0/type",
        "\"method\"");
    assertOneError("[" + good.replace("\"name\":\"f\"", "\"name\":\"2f\"") + "]",
        "/abi/0/name", "\"2f\"");
    assertOneError("[" + good + "," + good.replace("uint256", "uint257") + "]",
        "/abi/1/inputs/0/type", "'uint257' is not an ABI type");
    assertOneError("[{\"type\":\"event\",\"name\":\"E\",\"inputs\":[{\"name\":\"s\","
        + "\"type\":\"tuple\"}]}]", "/abi/0/inputs/0/components", "required for a tuple");
    assertOneError("[{\"type\":\"error\",\"name\":\"E\",\"inputs\":[{\"name\":\"s\","
        + "\"type\":\"tuple[]\",\"components\":[{\"name\":\"a\",\"type\":\"address\"},"
        + "{\"name\":\"b\",\"type\":\"bytes33\"}]}]}]", "/abi/0/inputs/0/components/1/type",
        "bytes33");
    assertOneError("[{\"type\":\"event\",\"name\":\"E\",\"inputs\":[{\"name\":\"a\","
        + "\"type\":\"uint8\",\"indexed\":\"yes\"}]}]", "/abi/0/inputs/0/indexed", "\"yes\"");
  }

  @Test
  void everyErrorIsReportedAtOnce() throws Exception {
    JsonNode abi = JSON.readTree("[{\"type\":\"function\",\"inputs\":[{\"type\":\"uint7\"}]},"
        + "{\"type\":\"event\",\"name\":\"E\"}]");
    List<String> fields = AbiValidation.check(abi, "/abi").stream()
        .map(Problem.FieldError::field).toList();
    assertEquals(List.of("/abi/0/name", "/abi/0/inputs/0/type", "/abi/1/inputs"), fields);
  }
}
