package io.chorus.crosschain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.chorus.crypto.CryptoSuite;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes what relayers send the core — headers, commit certificates and account proofs — from
 * valid ones in both suites: the input's first byte picks the suite and the part, the rest, in
 * pairs, overwrite bytes of it (or, with the top bit set, replace it whole). Whatever comes out
 * is refused with {@link CrossChainException} or accepted; an accepted update is the genuine
 * block (the only one a quorum sealed), an accepted proof decodes to the bytes it came from, and
 * no proof whatever shows the stored commitment's slot empty.
 */
public class CrossChainFuzzTest {
  private static final List<Target> TARGETS = List.of(new Target(CryptoSuite.ethereum()),
      new Target(CryptoSuite.sm()));
  private static final int HEADER = 0;
  private static final int CERTIFICATE = 1;
  private static final int GOVERNANCE = 2;
  private static final int ROUTER = 3;

  /** A client at block 1, the genuine block 2 for it, and block 2's router proof. */
  private static final class Target {
    final LightClient client;
    final ClientOwner verified;
    final byte[][] parts;
    final byte[] headerHash;
    final byte[] slot;
    final byte[] commitment;

    Target(CryptoSuite suite) {
      SourceFixture source = new SourceFixture(suite, 77, "fuzz");
      SourceFixture.Block trusted = source.block(1, 1_000);
      Update.Advanced created = LightClient.create(source.chain, trusted.header(),
          source.forCreate(trusted));
      client = created.client();
      slot = PacketCommitment.slot(PacketCommitment.commitmentPath("chorus-client-0", 1));
      commitment = PacketCommitment.commitment(suite, new Packet("chorus-client-0",
          "chorus-client-1", 1, 5_000, new Packet.Payload("sender", "receiver", "chorus-1",
              "application/x-rlp", "fuzz".getBytes(StandardCharsets.US_ASCII))));
      source.store(slot, commitment);
      SourceFixture.Block two = source.block(2, 1_002);
      parts = new byte[][] {two.header(), source.certificate(two, source.keys(1, 2, 3)),
          source.forUpdate(two, 0).encode(), source.routerProof(two, slot).encode()};
      headerHash = suite.hash(two.header());
      verified = new ClientOwner(created);
      verified.update(two.header(), parts[CERTIFICATE], source.forUpdate(two, 0));
    }

    Optional<ConsensusState> atOne(long height) {
      return client.latestHeight() == height ? Optional.of(new ConsensusState(height,
          client.latestHash(), new byte[32], client.latestTimestamp(),
          java.math.BigInteger.ZERO)) : Optional.empty();
    }
  }

  /** Entry point for long runs with the standalone driver: {@code ./chorus fuzz}. */
  public static void fuzzerTestOneInput(byte[] input) {
    refusedOrGenuine(input);
  }

  @FuzzTest(maxDuration = "10s")
  void fuzz(byte[] input) {
    refusedOrGenuine(input);
  }

  /** The parts as they are are accepted: the fuzzer starts from the accepting path. */
  @Test
  void unchangedPartsAreAccepted() {
    for (Target target : TARGETS) {
      Update update = target.client.update(target.parts[HEADER], target.parts[CERTIFICATE],
          AccountProof.decode(target.parts[GOVERNANCE]), target::atOne);
      assertArrayEquals(target.headerHash,
          assertInstanceOf(Update.Advanced.class, update).state().headerHash());
      target.verified.client.verifyMembership(target.verified, 2, SourceFixture.ROUTER,
          target.slot, target.commitment, AccountProof.decode(target.parts[ROUTER]));
      for (int first = 0; first < 8; first++) {
        refusedOrGenuine(new byte[] {(byte) first});
      }
    }
  }

  private static void refusedOrGenuine(byte[] input) {
    if (input.length == 0) {
      return;
    }
    Target target = TARGETS.get(input[0] & 1);
    int part = (input[0] >>> 1) & 3;
    byte[][] parts = target.parts.clone();
    if ((input[0] & 0x80) != 0) {
      parts[part] = Arrays.copyOfRange(input, 1, input.length);
    } else {
      byte[] bytes = parts[part].clone();
      for (int i = 1; i + 1 < input.length; i += 2) {
        bytes[((input[i] & 0xff) * 131 + i * 17) % bytes.length] = input[i + 1];
      }
      parts[part] = bytes;
    }
    try {
      if (part == ROUTER) {
        proofOfCommitment(target, parts[ROUTER]);
      } else {
        AccountProof governance = decodeCanonical(parts[GOVERNANCE]);
        Update update = target.client.update(parts[HEADER], parts[CERTIFICATE], governance,
            target::atOne);
        Update.Advanced advanced = assertInstanceOf(Update.Advanced.class, update);
        assertArrayEquals(target.headerHash, advanced.state().headerHash());
        assertEquals(2, advanced.client().latestHeight());
      }
    } catch (CrossChainException refused) {
      // the expected answer to a damaged input, with the step that failed
    }
  }

  private static void proofOfCommitment(Target target, byte[] encoded) {
    AccountProof proof = decodeCanonical(encoded);
    assertThrows(CrossChainException.class, () -> target.verified.client.verifyNonMembership(
        target.verified, 2, SourceFixture.ROUTER, target.slot, proof),
        "a proof showed the stored commitment's slot empty");
    target.verified.client.verifyMembership(target.verified, 2, SourceFixture.ROUTER,
        target.slot, target.commitment, proof);
  }

  private static AccountProof decodeCanonical(byte[] encoded) {
    AccountProof proof = AccountProof.decode(encoded);
    assertArrayEquals(encoded, proof.encode(), "an accepted proof has one encoding");
    return proof;
  }
}
