package io.chorus.consensus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.chorus.consensus.sim.FakeAuth;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * Goal: every message survives encode/decode unchanged and any other bytes fail with the one
 * documented exception. Method: round trips of each kind, then truncations, bit flips and random
 * bytes.
 */
class MessageCodecTest {
  private static final FakeAuth AUTH = new FakeAuth(4, 1);

  static List<SignedMessage> samples() {
    MessageSigner s = AUTH.signer(0);
    byte[] digest = AUTH.hash(new byte[] {1});
    SignedMessage prepare = SignedMessage.sign(new Prepare(5, 2, digest), s, AUTH);
    SignedMessage roundChange = SignedMessage.sign(new RoundChange(5, 3,
        Optional.of(new Prepared(2, digest)),
        Optional.of(new PreparedProof(new byte[] {1}, List.of(prepare, prepare)))), s, AUTH);
    RoundChange bare = ((RoundChange) roundChange.payload()).withoutProof();
    return List.of(prepare,
        SignedMessage.sign(new Commit(5, 2, digest, s.sign(digest)), s, AUTH),
        roundChange,
        SignedMessage.sign(new RoundChange(7, 1, Optional.empty(), Optional.empty()), s, AUTH),
        SignedMessage.sign(new Proposal(5, 3, new byte[] {1},
            List.of(new SignedMessage(bare, s.address(), roundChange.signature())),
            List.of(prepare)), s, AUTH),
        SignedMessage.sign(new Proposal(0, 0, new byte[0], List.of(), List.of()), s, AUTH));
  }

  @Test
  void everyKindRoundTrips() {
    for (SignedMessage m : samples()) {
      byte[] encoded = MessageCodec.encode(m);
      assertArrayEquals(encoded, MessageCodec.encode(MessageCodec.decode(encoded)));
    }
  }

  @Test
  void signatureSurvivesStrippingTheProof() {
    SignedMessage rc = samples().get(2);
    RoundChange bare = ((RoundChange) rc.payload()).withoutProof();
    assert new SignedMessage(bare, rc.author(), rc.signature())
        .isAuthentic(AUTH.validators(), AUTH);
  }

  @Test
  void truncationsAreMalformed() {
    for (SignedMessage m : samples()) {
      byte[] encoded = MessageCodec.encode(m);
      for (int length = 0; length < encoded.length; length++) {
        byte[] cut = java.util.Arrays.copyOf(encoded, length);
        assertThrows(MalformedMessageException.class, () -> MessageCodec.decode(cut));
      }
    }
  }

  @Property(tries = 3000)
  void flippedBytesDecodeOrFailCleanly(@ForAll int which, @ForAll byte mask, @ForAll int pos) {
    List<SignedMessage> all = samples();
    byte[] encoded = MessageCodec.encode(all.get(Math.floorMod(which, all.size())));
    encoded[Math.floorMod(pos, encoded.length)] ^= mask;
    try {
      MessageCodec.decode(encoded);
    } catch (MalformedMessageException expected) {
      // the one allowed failure
    }
  }

  @Property(tries = 3000)
  void randomBytesDecodeOrFailCleanly(@ForAll byte[] bytes) {
    try {
      MessageCodec.decode(bytes);
    } catch (MalformedMessageException expected) {
      // the one allowed failure
    }
  }
}
