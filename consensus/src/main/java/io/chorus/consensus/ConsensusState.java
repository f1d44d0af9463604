package io.chorus.consensus;

import io.chorus.codec.Rlp;
import io.chorus.codec.RlpException;
import io.chorus.codec.RlpReader;
import java.util.Arrays;
import java.util.Optional;

/**
 * What a validator must remember across a crash so that it never contradicts itself: its height
 * and round, and the highest value it prepared with the proof of it. The core emits it in a
 * {@link Action.Persist} before any message that depends on it. A restarted core resumes in the
 * round after the persisted one, so it never votes twice in a round; it carries its prepared
 * value into its round change, so a block it may have helped commit is proposed again.
 */
public record ConsensusState(
    long height, int round, Optional<Prepared> prepared, Optional<PreparedProof> proof) {
  private static final int VERSION = 1;

  /** A prepared claim comes with its proof, and was made in this round or an earlier one. */
  public ConsensusState {
    Verify.argument(height >= 0, "negative height");
    Verify.argument(round >= 0 && round <= Limits.ROUND_MAX, "round out of range");
    Verify.argument(prepared.isPresent() == proof.isPresent(), "prepared needs its proof");
    Verify.argument(prepared.map(p -> p.round() <= round).orElse(true),
        "prepared in a later round than the current one");
  }

  /**
   * Whether a validator whose durable state is this one may send {@code message}: a restart
   * resumes past the message's round, so it cannot vote in that round again, and a commit's
   * block is remembered as prepared (in its round or later), so a round change after the
   * restart carries it. The driver sends nothing this does not cover.
   */
  public boolean covers(Message message) {
    if (message.height() != height || message.round() > round) {
      return false;
    }
    if (!(message instanceof Commit commit)) {
      return true;
    }
    return prepared.map(p -> p.round() > commit.round()
        || (p.round() == commit.round() && Arrays.equals(p.digest(), commit.digest())))
        .orElse(false);
  }

  /** RLP: {@code [version, height, round, prepared, proof]} as in a round change. */
  public byte[] encode() {
    byte[][] parts = MessageCodec.encodePrepared(prepared, proof);
    return Rlp.encodeList(Rlp.encodeUnsignedLong(VERSION), Rlp.encodeUnsignedLong(height),
        Rlp.encodeUnsignedLong(round), parts[0], parts[1]);
  }

  /**
   * The inverse of {@link #encode()}.
   *
   * @throws MalformedMessageException when the bytes are not a state this version wrote
   */
  public static ConsensusState decode(byte[] bytes) {
    try {
      RlpReader whole = RlpReader.of(bytes);
      RlpReader in = whole.readList();
      whole.requireEnd("consensus state");
      long version = in.readUnsignedLong("version");
      if (version != VERSION) {
        throw new RlpException("unknown consensus state version " + version, 0);
      }
      long height = in.readUnsignedLong("height");
      long round = in.readUnsignedLong("round");
      if (round < 0 || round > Limits.ROUND_MAX) {
        throw new RlpException("round out of range", 0);
      }
      var parts = MessageCodec.readPrepared(in, round + 1, true);
      in.requireEnd("consensus state");
      return new ConsensusState(height, (int) round, parts.prepared(), parts.proof());
    } catch (IllegalArgumentException e) {
      throw new MalformedMessageException(e.getMessage(), e);
    }
  }
}
