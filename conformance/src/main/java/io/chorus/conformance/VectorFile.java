package io.chorus.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;

/** One parsed JSON vector file, with the helpers runners use to report its cases. */
public record VectorFile(Path path, String group, String relativePath, JsonNode json) {

  public CaseResult passed(String name) {
    return new CaseResult(group, relativePath, name, Outcome.PASSED, "");
  }

  public CaseResult failed(String name, String why) {
    return new CaseResult(group, relativePath, name, Outcome.FAILED, why);
  }

  public CaseResult skipped(String name, String why) {
    return new CaseResult(group, relativePath, name, Outcome.SKIPPED, why);
  }
}
