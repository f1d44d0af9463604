package io.chorus.cli;

import io.chorus.codec.Hex;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.KeyPair;
import io.chorus.node.Node;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * An organisation's data keys beside its CA: {@value #PRIVATE_FILE} holds every private data
 * key it has had, in hex, one a line, the current one last (owner-only, as the CA's key), and
 * {@value #PUBLIC_FILE} the current public key (what the genesis file lists and a rotation
 * proposes). Its nodes get a copy of the private file as their {@value
 * Node.Config#ORG_DATA_KEY_FILE}: they keep the older keys to open what was sealed for them.
 */
final class OrgDataKeys {
  static final String PRIVATE_FILE = "data.key";
  static final String PUBLIC_FILE = "data.pub";

  private OrgDataKeys() {}

  /** Makes a new data key pair, the current one, in {@code orgDir}; its public key. */
  static byte[] add(Path orgDir, CryptoSuite suite, SecureRandom random) {
    List<String> lines = new ArrayList<>(privateKeys(orgDir));
    KeyPair made = suite.generateKeyPair(random);
    lines.add(Hex.encode(made.privateKey()));
    InitCommand.writeSecret(orgDir.resolve(PRIVATE_FILE), String.join("\n", lines));
    write(orgDir.resolve(PUBLIC_FILE), Hex.encode0x(made.publicKey()) + "\n");
    return made.publicKey();
  }

  /** The current public data key in {@code orgDir}, or null when it has none. */
  static byte[] current(Path orgDir, CryptoSuite suite) {
    List<String> keys = privateKeys(orgDir);
    return keys.isEmpty() ? null : suite.keyPair(Hex.decode(keys.getLast())).publicKey();
  }

  /**
   * Gives a node the organisation's private data keys: {@code nodeDir}'s {@value
   * Node.Config#ORG_DATA_KEY_FILE}, owner-only. A running node reads it again when it changes.
   */
  static void install(Path orgDir, Path nodeDir) {
    List<String> keys = privateKeys(orgDir);
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("no data key in " + orgDir + ": make one with 'chorus"
          + " ca data-key --rotate'");
    }
    InitCommand.writeSecret(nodeDir.resolve(Node.Config.ORG_DATA_KEY_FILE),
        String.join("\n", keys));
  }

  private static List<String> privateKeys(Path orgDir) {
    Path file = orgDir.resolve(PRIVATE_FILE);
    if (!Files.isRegularFile(file)) {
      return List.of();
    }
    try {
      return Files.readAllLines(file).stream().map(String::strip).filter(l -> !l.isEmpty())
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static void write(Path file, String text) {
    try {
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
