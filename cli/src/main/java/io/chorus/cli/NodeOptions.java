package io.chorus.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options every node verb shares, as picocli mixins. */
final class NodeOptions {
  private NodeOptions() {}

  /**
   * {@code --dir}: a data directory, a dev node's or a network's. Without it each verb picks its
   * default: {@value DataDir#DEFAULT} for a dev node, {@value NetworkDir#DEFAULT} for a network.
   */
  static final class Dir {
    @Option(names = "--dir", paramLabel = "DIR", description = {"Data directory (default: "
        + NetworkDir.DEFAULT + ";", "a dev node's: " + DataDir.DEFAULT + ")."})
    Path dir;

    boolean given() {
      return dir != null;
    }

    /** The directory given, or {@code fallback} when --dir was not. */
    Path or(String fallback) {
      return (dir == null ? Path.of(fallback) : dir).toAbsolutePath().normalize();
    }

    DataDir dataDir() {
      return new DataDir(or(DataDir.DEFAULT));
    }

    /** How to name this directory in a command the user may type next. */
    String flag() {
      return dir == null ? "" : " --dir " + dir;
    }
  }

  /** {@code --rpc-host} and {@code --rpc-port}: where the JSON-RPC server listens. */
  static final class Rpc {
    @Option(names = "--rpc-host", defaultValue = "127.0.0.1",
        description = "Address the RPC server binds (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--rpc-port", defaultValue = "8545",
        description = "RPC port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;
  }
}
