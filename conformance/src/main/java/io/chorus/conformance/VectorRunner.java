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
   * How much longer than the rest a file (path relative to the vector root) is known to take: 0
   * for most, higher for slower. Slower files start first, so that none runs alone at the end.
   */
  default int slowness(String relativePath) {
    return 0;
  }
}
