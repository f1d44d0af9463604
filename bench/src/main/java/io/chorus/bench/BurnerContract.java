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
 * The peers' Burner contract as compiled once with solc and committed in {@code Burner.json}, so
 * Chorus runs exactly the bytecode the hardhat side of the comparison deploys. Also computes what
 * each function returns, to check that the EVM got it right.
 *
 * @param source where Burner.sol lives, relative to the repository root
 * @param sourceSha256 SHA-256 of the Burner.sol the bytecode was compiled from
 * @param initcode the creation bytecode
 */
record BurnerContract(String source, String sourceSha256, String compiler, String evmVersion,
    byte[] initcode) {
  private static final BigInteger WORD_MASK =
      BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);
  private static final BigInteger ARITH_MUL = new BigInteger("6364136223846793005");
  private static final BigInteger ARITH_ADD = new BigInteger("1442695040888963407");
  private static final BigInteger ARITH_MOD =
      new BigInteger("ffffffffffffffffffffffffffffff61", 16);

  static BurnerContract load() {
    try (InputStream in = BurnerContract.class.getResourceAsStream("/Burner.json")) {
      JsonNode json = new ObjectMapper().readTree(in);
      return new BurnerContract(json.get("source").asText(), json.get("sourceSha256").asText(),
          json.get("compiler").asText(), json.get("evmVersion").asText(),
          Hex.decode(json.get("bytecode").asText()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read Burner.json from the benchmark jar", e);
    }
  }

  /**
   * Compares the committed source hash with Burner.sol when that file is at hand (relative to the
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
      System.out.printf("%nnote: %s not found; Burner.json (%s, %s) used unchecked%n", source,
          compiler, evmVersion);
      return;
    }
    String actual = sha256(found);
    if (actual.equals(sourceSha256)) {
      System.out.printf("%nBurner.json matches %s (sha256 %s; %s, %s)%n", found, actual, compiler,
          evmVersion);
    } else {
      System.err.printf("%nWARNING: %s has sha256 %s but Burner.json was compiled from %s: the"
          + " bytecode benchmarked is stale; recompile it and update"
          + " bench/src/main/resources/Burner.json%n", found, actual, sourceSha256);
    }
  }

  /** ABI calldata for {@code name(uint256 n)}: the signature's 4-byte selector, then n. */
  static byte[] calldata(String name, long n) {
    byte[] data = new byte[36];
    byte[] signature = (name + "(uint256)").getBytes(StandardCharsets.US_ASCII);
    byte[] selector = Keccak256.INSTANCE.hash(signature);
    System.arraycopy(selector, 0, data, 0, 4);
    for (int i = 35; n != 0; i--, n >>>= 8) {
      data[i] = (byte) n;
    }
    return data;
  }

  /** The 32-byte word {@code name(n)} returns, computed in Java from the Solidity source. */
  static byte[] expectedOutput(String name, long n) {
    return switch (name) {
      case "hashLoop" -> {
        byte[] h = new byte[32];
        byte[] buffer = new byte[64];
        for (long i = 0; i < n; i++) {
          System.arraycopy(h, 0, buffer, 0, 32);
          System.arraycopy(word(BigInteger.valueOf(i)), 0, buffer, 32, 32);
          h = Keccak256.INSTANCE.hash(buffer);
        }
        yield h;
      }
      case "arith" -> {
        BigInteger x = BigInteger.ONE;
        for (long i = 0; i < n; i++) { // unchecked: the mul and add wrap at 2^256
          x = x.multiply(ARITH_MUL).add(ARITH_ADD).and(WORD_MASK).mod(ARITH_MOD);
        }
        yield word(x);
      }
      case "sstoreLoop" -> word(BigInteger.valueOf(n).multiply(BigInteger.valueOf(n - 1))
          .shiftRight(1));
      default -> throw new IllegalArgumentException("Burner has no function " + name);
    };
  }

  private static byte[] word(BigInteger value) {
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
      Path location = Path.of(BurnerContract.class.getProtectionDomain().getCodeSource()
          .getLocation().toURI());
      return location.toAbsolutePath().getParent().getParent().getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
