package io.chorus.proof;

import io.chorus.codec.Hex;
import io.chorus.crypto.ContentHash;
import io.chorus.crypto.Keccak256;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What a notarization proof shows about one digest: a log bundle of the notary contract
 * (0x…1002) — its {@code Recorded} event, whose indexed content hash is the digest, or its
 * {@code BatchAnchored} event with a batch path from the digest to the anchored root. The
 * events' layout is the one {@code Notary.sol} declares; a verifier needs nothing else.
 */
public final class NotaryEvidence {
  private static final byte[] NOTARY = Hex.decode("0x0000000000000000000000000000000000001002");
  private static final byte[] RECORDED = Keccak256.INSTANCE.hash(
      "Recorded(bytes32,bytes32,address,string,uint32,uint8,string,string)"
          .getBytes(StandardCharsets.US_ASCII));
  private static final byte[] BATCH_ANCHORED = Keccak256.INSTANCE.hash(
      "BatchAnchored(bytes32,uint64,address,uint32,string)".getBytes(StandardCharsets.US_ASCII));

  /**
   * A digest proven notarized.
   *
   * @param how {@code record} (deposited as record {@code id}, version {@code version}) or
   *     {@code batch} (leaf {@code index} of batch {@code batchNumber})
   * @param algorithm the hash algorithm the depositor named (records only)
   */
  public record Evidence(String how, byte[] digest, String id, long version, String algorithm,
      String recordType, String metadata, long batchNumber, long index, long count,
      byte[] depositor, Proven proven) {}

  private NotaryEvidence() {}

  /**
   * Verifies {@code bundle} and that it notarizes {@code digest}.
   *
   * @throws ProofException naming what does not hold
   */
  public static Evidence verify(ProofBundle bundle, TrustRoot root, byte[] digest) {
    Evidence evidence = verify(bundle, root);
    if (!Arrays.equals(evidence.digest(), digest)) {
      throw new ProofException("the proof notarizes " + Hex.encode0x(evidence.digest())
          + ", not " + Hex.encode0x(digest));
    }
    return evidence;
  }

  /**
   * Verifies {@code bundle}: what digest it proves notarized, and how.
   *
   * @throws ProofException naming what does not hold
   */
  public static Evidence verify(ProofBundle bundle, TrustRoot root) {
    if (bundle.kind() != ProofBundle.Kind.LOG) {
      throw new ProofException("a notarization proof is a log bundle, this one is a "
          + bundle.kind().label() + " bundle");
    }
    Proven proven = ProofVerifier.verify(bundle, root);
    byte[] address = Hex.decode(proven.facts().get("log.address"));
    if (!Arrays.equals(address, NOTARY)) {
      throw new ProofException("the proven log comes from " + Hex.encode0x(address)
          + ", not the notary contract " + Hex.encode0x(NOTARY));
    }
    byte[] event = topic(proven, 0);
    byte[] data = Hex.decode(proven.facts().get("log.data"));
    byte[] depositor = Arrays.copyOfRange(topic(proven, 3), 12, 32);
    Abi abi = new Abi(data);
    if (Arrays.equals(event, RECORDED)) {
      if (bundle.batch() != null) {
        throw new ProofException("a Recorded log needs no batch path; this bundle has one");
      }
      byte[] digest = topic(proven, 2);
      return new Evidence("record", digest, abi.string(0), abi.word(1),
          ContentHash.labelOf((int) abi.word(2)),
          abi.string(3), abi.string(4), 0, 0, 0, depositor, proven);
    }
    if (Arrays.equals(event, BATCH_ANCHORED)) {
      ProofBundle.BatchPath batch = bundle.batch();
      if (batch == null) {
        throw new ProofException("a BatchAnchored log proves a digest only with its batch path");
      }
      if (batch.count() != abi.word(0)) {
        throw new ProofException("the batch path counts " + batch.count() + " digests, the"
            + " anchored batch " + abi.word(0));
      }
      long number = new BigInteger(1, topic(proven, 2)).longValueExact();
      return new Evidence("batch", batch.leaf(), null, 0, null, null, abi.string(1), number,
          batch.index(), batch.count(), depositor, proven);
    }
    throw new ProofException("the proven log is neither Recorded nor BatchAnchored (topic0 "
        + Hex.encode0x(event) + ")");
  }

  private static byte[] topic(Proven proven, int index) {
    String topic = proven.facts().get("log.topic" + index);
    if (topic == null) {
      throw new ProofException("the proven log has no topic " + index);
    }
    return Hex.decode(topic);
  }

  /** The head words and dynamic strings of ABI-encoded event data, bounds checked. */
  private record Abi(byte[] data) {
    long word(int index) {
      return value(32L * index, "word " + index);
    }

    String string(int index) {
      long offset = word(index);
      long length = value(offset, "the length of string " + index);
      if (offset + 32 + length > data.length) {
        throw new ProofException("the log's string " + index + " runs past its data");
      }
      return new String(data, (int) offset + 32, (int) length, StandardCharsets.UTF_8);
    }

    private long value(long at, String what) {
      if (at < 0 || at + 32 > data.length) {
        throw new ProofException("the log's data is too short for " + what);
      }
      BigInteger v = new BigInteger(1, Arrays.copyOfRange(data, (int) at, (int) at + 32));
      if (v.bitLength() > 31) {
        throw new ProofException("the log's " + what + " is out of range");
      }
      return v.longValue();
    }
  }
}
