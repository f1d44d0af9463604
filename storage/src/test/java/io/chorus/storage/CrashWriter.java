package io.chorus.storage;

import java.nio.file.Path;

/**
 * The child process of {@link ChainStoreCrashTest}: opens the store in the directory given as
 * its argument and commits blocks after the head until it is killed, printing {@code ready}
 * once the first block of this run is durable.
 */
public final class CrashWriter {
  /** Ready marker the parent waits for before it picks a moment to kill. */
  static final String READY = "ready";

  private CrashWriter() {}

  public static void main(String[] args) {
    try (ChainStore store = new ChainStore(Path.of(args[0]), TestChain.HASH)) {
      TestChain.commitNext(store, 3);
      System.out.println(READY);
      System.out.flush();
      while (true) {
        TestChain.commitNext(store, 3);
      }
    }
  }
}
