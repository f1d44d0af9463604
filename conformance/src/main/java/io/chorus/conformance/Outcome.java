package io.chorus.conformance;

/** What became of one test case. */
public enum Outcome {
  PASSED,
  FAILED,
  SKIPPED
}
