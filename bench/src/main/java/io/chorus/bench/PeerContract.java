package io.chorus.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chorus.codec.Hex;
import io.chorus.crypto.Keccak256;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * One of the peers' contracts ({@code ../shared/peers/contracts}) as compiled once with solc and
 * committed in {@code <name>.json} (Notary's in the client module, whose load generator deploys
 * it too), so Chorus runs exactly the bytecode the hardhat side of a
 * comparison deploys.
 *
 * @param source where the .sol file lives, relative to the repository root
 * @param sourceSha256 SHA-256 of the source the bytecode was compiled from
 * @param initcode the creation bytecode
 */
record PeerContract(String name, String source, String sourceSha256, String compiler,
    String evmVersion, byte[] initcode) {

  static PeerContract load(String name) {
    try (InputStream in = PeerContract.class.getResourceAsStream("/" + name + ".json")) {
      if (in == null) {
        throw new IllegalArgumentException("no " + name + ".json in the benchmark jar");
      }
      JsonNode json = new ObjectMapper().readTree(in);
      return new PeerContract(name, json.get("source").asText(),
          json.get("sourceSha256").asText(), json.get("compiler").asText(),
          json.get("evmVersion").asText(), Hex.decode(json.get("bytecode").asText()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + name + ".json from the benchmark jar", e);
    }
  }

  /**
   * Compares the committed source hash with the .sol file when it is at hand (relative to the
   * working directory, else to the repository this jar was built in), and says so either way: a
   * changed contract would make the comparison with hardhat run different code.
   */
  void checkSource() {
    Path found = null;
    for (Path candidate : new Path[] {Path.of(source), repositoryRoot().resolve(source)}) {
      if (Files.isRegularFile(candidate)) {
        found = candidate.toAbsolutePath().normalize();
        break;
      }
    }
    if (found == null) {
      System.out.printf("%nnote: %s not found; %s.json (%s, %s) used unchecked%n", source,
          name, compiler, evmVersion);
      return;
    }
    String actual = sha256(found);
    if (actual.equals(sourceSha256)) {
      System.out.printf("%n%s.json matches %s (sha256 %s; %s, %s)%n", name, found, actual,
          compiler, evmVersion);
    } else {
      System.err.printf("%nWARNING: %s has sha256 %s but %s.json was compiled from %s: the"
          + " bytecode benchmarked is stale; recompile it and update"
          + " %s.json under bench/ or client/src/main/resources%n", found, actual, name,
          sourceSha256, name);
    }
  }

  /** ABI calldata for a function of one 32-byte argument: its 4-byte selector, then the word. */
  static byte[] calldata(String signature, byte[] word) {
    if (word.length != 32) {
      throw new IllegalArgumentException("an ABI word is 32 bytes, got " + word.length);
    }
    byte[] data = new byte[36];
    byte[] selector = Keccak256.INSTANCE.hash(signature.getBytes(StandardCharsets.US_ASCII));
    System.arraycopy(selector, 0, data, 0, 4);
    System.arraycopy(word, 0, data, 4, 32);
    return data;
  }

  /** The 32-byte big-endian word of a non-negative value below 2^256. */
  static byte[] word(BigInteger value) {
    byte[] out = new byte[32];
    byte[] raw = value.toByteArray();
    int length = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - length, out, 32 - length, length);
    return out;
  }

  private static String sha256(Path file) {
    try {
      return Hex.encode(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** bench/target/{chorus-bench.jar,classes} → the repository root three levels up. */
  private static Path repositoryRoot() {
    try {
      Path location = Path.of(PeerContract.class.getProtectionDomain().getCodeSource()
          .getLocation().toURI());
      return location.toAbsolutePath().getParent().getParent().getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
