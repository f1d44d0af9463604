package io.chorus.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.chorus.codec.Hex;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the envelope parser, which reads what another party sealed (a provider's delivery, a
 * sealed capture): any bytes, read by each scheme (sm, ethereum, P-256) and opened with a
 * recipient's key pair, either open or fail with {@link EnvelopeException}; nothing else
 * escapes. An input that opens must be one of the seeds (nothing forged opens). And a genuine
 * envelope with one bit flipped where the input says never opens. Seeds: a genuine envelope of
 * each scheme for the keys below, in {@code EnvelopeFuzzTestInputs/fuzz}.
 */
public class EnvelopeFuzzTest {
  static final byte[] ASSOCIATED_DATA = "chorus/fuzz/envelope".getBytes(StandardCharsets.UTF_8);
  static final byte[] PLAINTEXT = "a record for the fuzzer".getBytes(StandardCharsets.UTF_8);
  private static final List<Envelope> ENVELOPES = List.of(CryptoSuite.sm().envelope(),
      CryptoSuite.ethereum().envelope(), P256.envelope());
  private static final List<KeyPair> RECIPIENTS = List.of(
      CryptoSuite.sm().keyPair(privateKey(1)), CryptoSuite.ethereum().keyPair(privateKey(2)),
      P256.keyPair(privateKey(3)));
  /** One genuine envelope per scheme, sealed once: the inputs choose where to damage it. */
  private static final List<byte[]> GENUINE = List.of(seal(0), seal(1), seal(2));

  /** Entry point for long runs with the standalone driver: {@code ./chorus fuzz}. */
  public static void fuzzerTestOneInput(byte[] input) {
    for (int scheme = 0; scheme < ENVELOPES.size(); scheme++) {
      Envelope envelope = ENVELOPES.get(scheme);
      try {
        byte[] opened = envelope.open(input, ASSOCIATED_DATA, RECIPIENTS.get(scheme));
        if (!Arrays.equals(opened, PLAINTEXT)) {
          throw new AssertionError("forged bytes opened: " + Hex.encode(input));
        }
      } catch (EnvelopeException expected) {
        // Almost every input.
      }
      try {
        envelope.recipients(input);
      } catch (EnvelopeException expected) {
        // Most inputs.
      }
      flippedBitNeverOpens(scheme, input);
    }
  }

  @FuzzTest(maxDuration = "10s")
  void fuzz(byte[] input) {
    fuzzerTestOneInput(input);
  }

  /** The seeds stay on the accepting path: each opens with its scheme's recipient. */
  @Test
  void everySeedOpens() throws IOException {
    List<Path> seeds;
    try (Stream<Path> files = Files.list(
        Path.of("src/test/resources/io/chorus/crypto/EnvelopeFuzzTestInputs/fuzz"))) {
      seeds = files.sorted().toList();
    }
    assertFalse(seeds.isEmpty(), "no seed corpus under src/test/resources");
    for (Path seed : seeds) {
      byte[] sealed = Files.readAllBytes(seed);
      int scheme = ENVELOPES.indexOf(ENVELOPES.stream()
          .filter(e -> sealed.length > 1 && e.scheme().equals(schemeOf(sealed[1]))).findFirst()
          .orElseThrow(() -> new AssertionError(seed + " is of no scheme")));
      assertArrayEquals(PLAINTEXT, assertDoesNotThrow(() -> ENVELOPES.get(scheme).open(sealed,
          ASSOCIATED_DATA, RECIPIENTS.get(scheme))), seed.toString());
      fuzzerTestOneInput(sealed);
    }
  }

  private static void flippedBitNeverOpens(int scheme, byte[] input) {
    byte[] damaged = GENUINE.get(scheme).clone();
    int at = (int) ((input.length < 4 ? input.length
        : Integer.toUnsignedLong(ByteBuffer.wrap(input).getInt())) % damaged.length);
    damaged[at] ^= (byte) (1 << (input.length % 8));
    try {
      ENVELOPES.get(scheme).open(damaged, ASSOCIATED_DATA, RECIPIENTS.get(scheme));
    } catch (EnvelopeException expected) {
      return;
    }
    throw new AssertionError("an envelope with a bit of byte " + at + " flipped still opens");
  }

  private static String schemeOf(byte scheme) {
    return switch (scheme) {
      case 1 -> CryptoSuite.sm().envelope().scheme();
      case 2 -> CryptoSuite.ethereum().envelope().scheme();
      case 3 -> P256.envelope().scheme();
      default -> "";
    };
  }

  private static byte[] seal(int scheme) {
    return ENVELOPES.get(scheme).seal(PLAINTEXT, ASSOCIATED_DATA,
        List.of(RECIPIENTS.get(scheme).publicKey()), new SecureRandom());
  }

  private static byte[] privateKey(int n) {
    byte[] key = new byte[32];
    key[31] = (byte) n;
    key[0] = 0x1c;
    return key;
  }
}
