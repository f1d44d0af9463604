package io.chorus.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A node's data directory: {@code genesis.json}, {@code node.key} (the validator key),
 * {@code chain/} (RocksDB), {@code node.log} when started by {@code chorus up},
 * {@code node.json} (pid and RPC URL) while a node runs on it, and {@code tmp/} (the native
 * libraries the node unpacked).
 */
final class DataDir {
  /** Where {@code up}, {@code down}, {@code status} and {@code node} look without --dir. */
  static final String DEFAULT = ".chorus/dev";
  private static final ObjectMapper JSON = new ObjectMapper();

  final Path root;

  DataDir(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  Path genesis() {
    return root.resolve("genesis.json");
  }

  Path nodeKey() {
    return root.resolve("node.key");
  }

  Path log() {
    return root.resolve("node.log");
  }

  Path runtime() {
    return root.resolve("node.json");
  }

  /** Where the node unpacks native libraries, emptied at each start. */
  Path nativeLibraries() {
    return root.resolve("tmp");
  }

  boolean initialized() {
    return Files.isRegularFile(genesis());
  }

  /** What a running node wrote about itself. */
  record Running(long pid, String rpcUrl) {}

  /** The node running on this directory, if its process is alive. */
  Optional<Running> running() {
    if (!Files.isRegularFile(runtime())) {
      return Optional.empty();
    }
    try {
      JsonNode node = JSON.readTree(runtime().toFile());
      Running r = new Running(node.path("pid").asLong(), node.path("rpcUrl").asText());
      return ProcessHandle.of(r.pid()).filter(ProcessHandle::isAlive).map(p -> r);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + runtime() + ": " + e.getMessage(), e);
    }
  }

  void writeRunning(Running running) {
    try {
      Path tmp = root.resolve("node.json.tmp");
      JSON.writeValue(tmp.toFile(), JSON.createObjectNode().put("pid", running.pid())
          .put("rpcUrl", running.rpcUrl()));
      Files.move(tmp, runtime(), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + runtime() + ": " + e.getMessage(), e);
    }
  }

  void clearRunning() {
    try {
      Files.deleteIfExists(runtime());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + runtime() + ": " + e.getMessage(), e);
    }
  }

  /** Deletes {@code dir} and everything in it; nothing when it does not exist. */
  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + dir + ": " + e.getMessage(), e);
    }
  }
}
