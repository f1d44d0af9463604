package io.chorus.crosschain;

import io.chorus.codec.Hex;
import io.chorus.codec.RlpException;
import io.chorus.codec.RlpReader;
import io.chorus.crypto.CryptoSuite;

/**
 * What a light client takes from a source block header: its hash (the source suite's hash of
 * the RLP, which the commit certificate seals), number, time and state root. The header is read
 * in Ethereum's layout without the ledger's model, which would bring the EVM along; the fields
 * after the timestamp are only required to be well-formed, the hash covers them.
 */
public record SourceHeader(byte[] hash, long number, long timestamp, byte[] stateRoot) {

  /** Copies. */
  public SourceHeader {
    hash = hash.clone();
    stateRoot = stateRoot.clone();
  }

  @Override
  public byte[] hash() {
    return hash.clone();
  }

  @Override
  public byte[] stateRoot() {
    return stateRoot.clone();
  }

  /**
   * Reads a header's RLP.
   *
   * @throws CrossChainException when it is too long, not canonical RLP, or short of fields
   */
  public static SourceHeader decode(CryptoSuite suite, byte[] encoded) {
    if (encoded.length > Limits.HEADER_BYTES_MAX) {
      throw new CrossChainException("the header is " + encoded.length + " bytes, more than the "
          + Limits.HEADER_BYTES_MAX + " a header may have");
    }
    try {
      RlpReader whole = RlpReader.of(encoded);
      RlpReader in = whole.readList();
      whole.requireEnd("header");
      in.readBytes(32, "parentHash");
      in.readBytes(32, "ommersHash");
      in.readBytes(20, "coinbase");
      byte[] stateRoot = in.readBytes(32, "stateRoot");
      in.readBytes(32, "transactionsRoot");
      in.readBytes(32, "receiptsRoot");
      in.readBytes(256, "logsBloom");
      in.readBigInteger("difficulty", 32);
      long number = in.readUnsignedLong("number");
      in.readUnsignedLong("gasLimit");
      in.readUnsignedLong("gasUsed");
      long timestamp = in.readUnsignedLong("timestamp");
      while (in.hasNext()) {
        in.skip();
      }
      if (number < 0 || timestamp < 0) {
        throw new CrossChainException("the header's number or timestamp is beyond 2^63");
      }
      return new SourceHeader(suite.hash(encoded), number, timestamp, stateRoot);
    } catch (RlpException e) {
      throw new CrossChainException("the header is malformed: " + e.getMessage());
    }
  }

  @Override
  public String toString() {
    return "block " + number + " (" + Hex.encode0x(hash) + ")";
  }
}
