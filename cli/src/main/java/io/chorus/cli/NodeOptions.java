package io.chorus.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options every node verb shares, as picocli mixins. */
final class NodeOptions {
  private NodeOptions() {}

  /** {@code --dir}: the node's data directory. */
  static final class Dir {
    @Option(names = "--dir", paramLabel = "DIR", defaultValue = DataDir.DEFAULT,
        description = "Data directory (default: ${DEFAULT-VALUE}).")
    Path dir;

    DataDir dataDir() {
      return new DataDir(dir);
    }

    /** How to name this directory in a command the user may type next. */
    String flag() {
      return dir.toString().equals(DataDir.DEFAULT) ? "" : " --dir " + dir;
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
