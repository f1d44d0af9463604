package io.chorus.conformance;

import java.util.List;

/** Runs one kind of ethereum/tests vector. */
public interface VectorRunner {
  /** The top-level folder of an ethereum/tests checkout this runner reads, e.g. {@code TrieTests}. */
  String folder();

  /**
   * Runs every case in one file. A case that throws is the runner's bug, not a vector failure:
   * runners catch what the code under test throws and turn it into a pass or a failure.
   */
  List<CaseResult> run(VectorFile file);

  /**
   * Whether a file (path relative to the vector root) is known to take far longer than the rest;
   * such files start first so that one of them does not run alone at the end.
   */
  default boolean isSlow(String relativePath) {
    return false;
  }
}
