package io.chorus.consensus;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.chorus.codec.ByteKey;
import io.chorus.codec.Hex;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.KeyPair;
import io.chorus.crypto.Signature;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the consensus wire codec with what a peer may send: any bytes either decode to a
 * message whose encoding is the input itself (so decode(encode(m)) gives m back), or fail with
 * {@link MalformedMessageException} — nothing else. A decoded message's signature check answers
 * true or false without throwing, and an authentic message stops being authentic when a bit of
 * its signature flips. Seeds: messages of every kind signed by the validators below, in
 * {@code MessageCodecFuzzTestInputs/fuzz}.
 */
public class MessageCodecFuzzTest {
  static final CryptoSuite SUITE = CryptoSuite.ethereum();
  static final CryptoVerifier VERIFIER =
      CryptoVerifier.forChain(SUITE, BigInteger.ONE, new byte[32]);
  static final List<KeyPair> KEYS = List.of(key(1), key(2), key(3), key(4));
  static final ValidatorSet VALIDATORS = new ValidatorSet(KEYS.stream()
      .map(k -> new ValidatorSet.Validator(new ByteKey(SUITE.address(k.publicKey())),
          k.publicKey()))
      .toList());

  /** Entry point for long runs with the standalone driver: {@code ./chorus fuzz}. */
  public static void fuzzerTestOneInput(byte[] input) {
    decodeIsStrictAndTotal(input);
  }

  @FuzzTest(maxDuration = "10s")
  void fuzz(byte[] input) {
    decodeIsStrictAndTotal(input);
  }

  /** The seeds reach the signature check: each is an authentic message of a validator. */
  @Test
  void everySeedIsAnAuthenticMessage() throws IOException {
    List<Path> seeds;
    try (Stream<Path> files = Files.list(Path.of(
        "src/test/resources/io/chorus/consensus/MessageCodecFuzzTestInputs/fuzz"))) {
      seeds = files.sorted().toList();
    }
    assertFalse(seeds.isEmpty(), "no seed corpus under src/test/resources");
    for (Path seed : seeds) {
      byte[] input = Files.readAllBytes(seed);
      assertTrue(MessageCodec.decode(input).isAuthentic(VALIDATORS, VERIFIER), seed.toString());
      fuzzerTestOneInput(input);
    }
  }

  /** Messages of every kind signed by the first validator: what the seed files hold. */
  static List<SignedMessage> samples() {
    MessageSigner signer = new CryptoSigner(SUITE, KEYS.get(0));
    byte[] digest = VERIFIER.hash(new byte[] {1});
    SignedMessage prepare = SignedMessage.sign(new Prepare(5, 2, digest), signer, VERIFIER);
    SignedMessage roundChange = SignedMessage.sign(new RoundChange(5, 3,
        java.util.Optional.of(new Prepared(2, digest)),
        java.util.Optional.of(new PreparedProof(new byte[] {1, 2}, List.of(prepare)))),
        signer, VERIFIER);
    RoundChange bare = ((RoundChange) roundChange.payload()).withoutProof();
    List<SignedMessage> samples = new ArrayList<>();
    samples.add(prepare);
    samples.add(SignedMessage.sign(new Commit(5, 2, digest,
        signer.sign(VERIFIER.hash(MessageCodec.sealBody(5, 2, digest)))), signer, VERIFIER));
    samples.add(roundChange);
    samples.add(SignedMessage.sign(new RoundChange(7, 1, java.util.Optional.empty(),
        java.util.Optional.empty()), signer, VERIFIER));
    samples.add(SignedMessage.sign(new Proposal(5, 3, new byte[] {1, 2},
        List.of(new SignedMessage(bare, signer.address(), roundChange.signature())),
        List.of(prepare)), signer, VERIFIER));
    return samples;
  }

  private static void decodeIsStrictAndTotal(byte[] input) {
    SignedMessage message;
    try {
      message = MessageCodec.decode(input);
    } catch (MalformedMessageException rejected) {
      return;
    }
    byte[] encoded = MessageCodec.encode(message);
    if (!Arrays.equals(encoded, input)) {
      throw new AssertionError("accepted non-canonical message " + Hex.encode(input)
          + ", canonical form is " + Hex.encode(encoded));
    }
    if (!Arrays.equals(MessageCodec.encode(MessageCodec.decode(encoded)), encoded)) {
      throw new AssertionError("decode(encode(m)) differs from m for " + Hex.encode(input));
    }
    if (message.isAuthentic(VALIDATORS, VERIFIER)) {
      Signature s = message.signature();
      Signature flipped = new Signature(s.r(), s.s().flipBit(0), s.recoveryId());
      if (new SignedMessage(message.payload(), message.author(), flipped)
          .isAuthentic(VALIDATORS, VERIFIER)) {
        throw new AssertionError("a flipped signature bit is still authentic: "
            + Hex.encode(input));
      }
    }
  }

  private static KeyPair key(int n) {
    byte[] secret = new byte[32];
    secret[31] = (byte) n;
    return SUITE.keyPair(secret);
  }
}
