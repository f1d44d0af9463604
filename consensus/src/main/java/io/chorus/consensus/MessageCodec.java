package io.chorus.consensus;

import io.chorus.codec.ByteKey;
import io.chorus.codec.Rlp;
import io.chorus.codec.RlpException;
import io.chorus.codec.RlpReader;
import io.chorus.crypto.Signature;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The wire format. A signed message is {@code [payload, author, signature]} with a signature
 * {@code [r, s, recoveryId]}; a payload is {@code [code, height, round, fields...]} with codes
 * 1 proposal {@code [block, roundChanges, prepares]}, 2 prepare {@code [digest]}, 3 commit
 * {@code [digest, seal]}, 4 round change {@code [prepared, proof]} where {@code prepared} is {@code []} or {@code [round, digest]}
 * and {@code proof} is {@code []} or {@code [block, prepares]}. Code 0 is reserved and rejected.
 * The signed body is the payload without the self-proving parts (justification, proof), under a
 * code of its own so no body reads as another kind.
 */
public final class MessageCodec {
  static final int PROPOSAL = 1;
  static final int PREPARE = 2;
  static final int COMMIT = 3;
  static final int ROUND_CHANGE = 4;
  /** Domain tag of commit seals: a seal can never be mistaken for a message signature. */
  static final int COMMIT_SEAL = 5;
  private static final int SCALAR_BYTES_MAX = 32;

  private MessageCodec() {}

  /** The bytes an author signs (after hashing) for {@code payload}. */
  public static byte[] signedBody(Message payload) {
    return switch (payload) {
      case Proposal p -> head(PROPOSAL, p, Rlp.encodeBytes(p.block()));
      case Prepare p -> head(PREPARE, p, Rlp.encodeBytes(p.digest()));
      case Commit c -> head(COMMIT, c, Rlp.encodeBytes(c.digest()), signature(c.commitSeal()));
      case RoundChange rc -> head(ROUND_CHANGE, rc, prepared(rc.prepared()));
    };
  }

  /** The bytes a commit seal signs (after hashing): (height, round, digest) under its own tag. */
  public static byte[] sealBody(long height, int round, byte[] digest) {
    return Rlp.encodeList(Rlp.encodeUnsignedLong(COMMIT_SEAL), Rlp.encodeUnsignedLong(height),
        Rlp.encodeUnsignedLong(round), Rlp.encodeBytes(digest));
  }

  public static byte[] encode(SignedMessage message) {
    return Rlp.encodeList(payload(message.payload()), Rlp.encodeBytes(message.author().bytes()),
        signature(message.signature()));
  }

  /**
   * Decodes one signed message, checking every size limit and field range.
   *
   * @throws MalformedMessageException for any input that is not a canonical, in-range message
   */
  public static SignedMessage decode(byte[] bytes) {
    if (bytes.length > Limits.MESSAGE_BYTES_MAX) {
      throw new MalformedMessageException("message of " + bytes.length + " bytes over the limit");
    }
    try {
      RlpReader whole = RlpReader.of(bytes);
      SignedMessage message = readSigned(whole, Nesting.TOP);
      whole.requireEnd("signed message");
      return message;
    } catch (IllegalArgumentException e) { // RlpException, or a record's own range check
      throw new MalformedMessageException(e.getMessage(), e);
    }
  }

  /** Which inner messages a position admits: justifications hold only stripped votes. */
  private enum Nesting { TOP, JUSTIFICATION_ROUND_CHANGE, PREPARE_ONLY }

  private static SignedMessage readSigned(RlpReader outer, Nesting nesting) {
    RlpReader item = outer.readList();
    Message payload = readPayload(item.readList(), nesting);
    ByteKey author = new ByteKey(item.readBytes(ValidatorSet.ADDRESS_BYTES, "author"));
    Signature signature = readSignature(item);
    item.requireEnd("signed message");
    return new SignedMessage(payload, author, signature);
  }

  private static Message readPayload(RlpReader in, Nesting nesting) {
    int at = in.position();
    long code = in.readUnsignedLong("code");
    long height = in.readUnsignedLong("height");
    if (height < 0) {
      throw new RlpException("height over 2^63", at);
    }
    long round = in.readUnsignedLong("round");
    if (round > Limits.ROUND_MAX || round < 0) {
      throw new RlpException("round over " + Limits.ROUND_MAX, at);
    }
    boolean allowed = switch (nesting) {
      case TOP -> true;
      case JUSTIFICATION_ROUND_CHANGE -> code == ROUND_CHANGE;
      case PREPARE_ONLY -> code == PREPARE;
    };
    if (!allowed) {
      throw new RlpException("message code " + code + " not allowed inside " + nesting, at);
    }
    Message message = switch ((int) Math.min(code, Integer.MAX_VALUE)) {
      case PROPOSAL -> new Proposal(height, (int) round, readBlock(in),
          readVotes(in, Nesting.JUSTIFICATION_ROUND_CHANGE), readVotes(in, Nesting.PREPARE_ONLY));
      case PREPARE -> new Prepare(height, (int) round, readDigest(in));
      case COMMIT -> new Commit(height, (int) round, readDigest(in), readSignature(in));
      case ROUND_CHANGE -> readRoundChange(in, height, (int) round, nesting);
      default -> throw new RlpException("unknown message code " + code, at);
    };
    in.requireEnd("message payload");
    return message;
  }

  private static RoundChange readRoundChange(RlpReader in, long height, int round, Nesting nesting) {
    PreparedParts parts = readPrepared(in, round, nesting == Nesting.TOP);
    return new RoundChange(height, round, parts.prepared(), parts.proof());
  }

  /** A prepared claim and its proof, as round changes and the persisted state hold them. */
  record PreparedParts(Optional<Prepared> prepared, Optional<PreparedProof> proof) {}

  /** Reads {@code prepared, proof}; the prepared round must be below {@code roundLimit}. */
  static PreparedParts readPrepared(RlpReader in, long roundLimit, boolean proofAllowed) {
    RlpReader p = in.readList();
    Optional<Prepared> prepared = Optional.empty();
    if (p.hasNext()) {
      long preparedRound = p.readUnsignedLong("prepared round");
      if (preparedRound >= roundLimit || preparedRound < 0) {
        throw new RlpException("prepared round must be below the round", p.position());
      }
      prepared = Optional.of(new Prepared((int) preparedRound, readDigest(p)));
      p.requireEnd("prepared");
    }
    RlpReader q = in.readList();
    Optional<PreparedProof> proof = Optional.empty();
    if (q.hasNext()) {
      if (!proofAllowed || prepared.isEmpty()) {
        throw new RlpException("proof without a prepared claim or inside a proposal", q.position());
      }
      proof = Optional.of(new PreparedProof(readBlock(q), readVotes(q, Nesting.PREPARE_ONLY)));
      q.requireEnd("prepared proof");
    }
    return new PreparedParts(prepared, proof);
  }

  /** Writes what {@link #readPrepared} reads. */
  static byte[][] encodePrepared(Optional<Prepared> prepared, Optional<PreparedProof> proof) {
    byte[] proofItem = proof
        .map(pp -> Rlp.encodeList(Rlp.encodeBytes(pp.block()), votes(pp.prepares())))
        .orElse(Rlp.EMPTY_LIST);
    return new byte[][] {prepared(prepared), proofItem};
  }

  private static List<SignedMessage> readVotes(RlpReader in, Nesting nesting) {
    RlpReader list = in.readList();
    List<SignedMessage> out = new ArrayList<>();
    while (list.hasNext()) {
      if (out.size() >= Limits.VALIDATORS_MAX) {
        throw new RlpException("more than " + Limits.VALIDATORS_MAX + " votes", list.position());
      }
      out.add(readSigned(list, nesting));
    }
    return out;
  }

  private static byte[] readBlock(RlpReader in) {
    int at = in.position();
    byte[] block = in.readBytes();
    if (block.length > Limits.BLOCK_BYTES_MAX) {
      throw new RlpException("block over " + Limits.BLOCK_BYTES_MAX + " bytes", at);
    }
    return block;
  }

  static byte[] readDigest(RlpReader in) {
    int at = in.position();
    byte[] digest = in.readBytes();
    if (digest.length == 0 || digest.length > Limits.DIGEST_BYTES_MAX) {
      throw new RlpException("digest of " + digest.length + " bytes", at);
    }
    return digest;
  }

  static Signature readSignature(RlpReader outer) {
    int at = outer.position();
    RlpReader in = outer.readList();
    var r = in.readBigInteger("signature r", SCALAR_BYTES_MAX);
    var s = in.readBigInteger("signature s", SCALAR_BYTES_MAX);
    long v = in.readUnsignedLong("recovery id");
    in.requireEnd("signature");
    if (v > 3) {
      throw new RlpException("recovery id " + v + " over 3", at);
    }
    return new Signature(r, s, (int) v);
  }

  static byte[] signature(Signature s) {
    return Rlp.encodeList(Rlp.encodeBigInteger(s.r()), Rlp.encodeBigInteger(s.s()),
        Rlp.encodeUnsignedLong(s.recoveryId()));
  }

  private static byte[] payload(Message payload) {
    return switch (payload) {
      case Proposal p -> head(PROPOSAL, p, Rlp.encodeBytes(p.block()), votes(p.roundChanges()),
          votes(p.prepares()));
      case Prepare p -> head(PREPARE, p, Rlp.encodeBytes(p.digest()));
      case Commit c -> head(COMMIT, c, Rlp.encodeBytes(c.digest()), signature(c.commitSeal()));
      case RoundChange rc -> head(ROUND_CHANGE, rc, encodePrepared(rc.prepared(), rc.proof()));
    };
  }

  private static byte[] prepared(Optional<Prepared> prepared) {
    return prepared.map(p -> Rlp.encodeList(Rlp.encodeUnsignedLong(p.round()),
        Rlp.encodeBytes(p.digest()))).orElse(Rlp.EMPTY_LIST);
  }

  private static byte[] votes(List<SignedMessage> votes) {
    List<byte[]> items = new ArrayList<>(votes.size());
    for (SignedMessage vote : votes) {
      items.add(encode(vote));
    }
    return Rlp.encodeList(items);
  }

  private static byte[] head(int code, Message m, byte[]... fields) {
    List<byte[]> items = new ArrayList<>(3 + fields.length);
    items.add(Rlp.encodeUnsignedLong(code));
    items.add(Rlp.encodeUnsignedLong(m.height()));
    items.add(Rlp.encodeUnsignedLong(m.round()));
    items.addAll(List.of(fields));
    return Rlp.encodeList(items);
  }
}
