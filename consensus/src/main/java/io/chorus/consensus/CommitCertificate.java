package io.chorus.consensus;

import io.chorus.codec.ByteKey;
import io.chorus.codec.Rlp;
import io.chorus.codec.RlpException;
import io.chorus.codec.RlpReader;
import io.chorus.crypto.Signature;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The finality proof stored with every block: commit seals of a quorum of distinct validators
 * over (height, round, digest). Sync, light clients and cross-chain checks verify it against the
 * validator set of that height; no further agreement is needed.
 */
public record CommitCertificate(long height, int round, byte[] blockDigest, List<Seal> seals) {

  /** One validator's commit seal. */
  public record Seal(ByteKey address, Signature signature) {}

  /** Defensive copies. */
  public CommitCertificate {
    blockDigest = blockDigest.clone();
    seals = List.copyOf(seals);
  }

  @Override
  public byte[] blockDigest() {
    return blockDigest.clone();
  }

  /**
   * Checks the certificate against the validator set of its height: empty when it proves
   * finality, otherwise what is wrong (so sync can log why a peer's block was refused).
   */
  public Optional<String> verify(ValidatorSet validators, SignatureVerifier verifier) {
    if (height < 0 || round < 0) {
      return Optional.of("negative height or round");
    }
    byte[] digest = verifier.hash(MessageCodec.sealBody(height, round, blockDigest));
    Set<ByteKey> signers = new HashSet<>();
    for (Seal seal : seals) {
      int index = validators.indexOf(seal.address());
      if (index < 0) {
        return Optional.of("seal by non-validator " + seal.address());
      }
      if (!signers.add(seal.address())) {
        return Optional.of("two seals by " + seal.address());
      }
      if (!verifier.verify(digest, seal.signature(), validators.get(index).publicKey())) {
        return Optional.of("bad seal signature by " + seal.address());
      }
    }
    if (signers.size() < validators.quorum()) {
      return Optional.of(signers.size() + " seals, quorum is " + validators.quorum());
    }
    return Optional.empty();
  }

  /** RLP: {@code [height, round, digest, [[address, [r, s, v]]...]]}. */
  public byte[] encode() {
    List<byte[]> items = new ArrayList<>(seals.size());
    for (Seal seal : seals) {
      items.add(Rlp.encodeList(Rlp.encodeBytes(seal.address().bytes()),
          MessageCodec.signature(seal.signature())));
    }
    return Rlp.encodeList(Rlp.encodeUnsignedLong(height), Rlp.encodeUnsignedLong(round),
        Rlp.encodeBytes(blockDigest), Rlp.encodeList(items));
  }

  /**
   * The inverse of {@link #encode()}.
   *
   * @throws MalformedMessageException when the bytes are not a canonical certificate
   */
  public static CommitCertificate decode(byte[] bytes) {
    try {
      RlpReader whole = RlpReader.of(bytes);
      RlpReader in = whole.readList();
      whole.requireEnd("commit certificate");
      long height = in.readUnsignedLong("height");
      long round = in.readUnsignedLong("round");
      if (height < 0 || round < 0 || round > Limits.ROUND_MAX) {
        throw new RlpException("height or round out of range", 0);
      }
      byte[] digest = MessageCodec.readDigest(in);
      RlpReader list = in.readList();
      in.requireEnd("commit certificate");
      List<Seal> seals = new ArrayList<>();
      while (list.hasNext()) {
        if (seals.size() >= Limits.VALIDATORS_MAX) {
          throw new RlpException("more than " + Limits.VALIDATORS_MAX + " seals", 0);
        }
        RlpReader s = list.readList();
        ByteKey address = new ByteKey(s.readBytes(ValidatorSet.ADDRESS_BYTES, "seal address"));
        seals.add(new Seal(address, MessageCodec.readSignature(s)));
        s.requireEnd("seal");
      }
      return new CommitCertificate(height, (int) round, digest, seals);
    } catch (IllegalArgumentException e) {
      throw new MalformedMessageException(e.getMessage(), e);
    }
  }
}
