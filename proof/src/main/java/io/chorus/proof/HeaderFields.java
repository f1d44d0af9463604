package io.chorus.proof;

import io.chorus.codec.RlpReader;
import io.chorus.crypto.CryptoSuite;

/**
 * The fields of an Ethereum-layout block header that a proof rests on, read from its RLP without
 * the ledger's full model (which would bring the EVM along): the roots, number and time.
 */
record HeaderFields(byte[] hash, byte[] parentHash, byte[] stateRoot, byte[] transactionsRoot,
    byte[] receiptsRoot, long number, long timestamp) {

  static HeaderFields read(CryptoSuite suite, byte[] encoded) {
    RlpReader whole = RlpReader.of(encoded);
    RlpReader in = whole.readList();
    whole.requireEnd("header");
    byte[] parentHash = in.readBytes(32, "parentHash");
    in.skip(); // ommersHash
    in.skip(); // coinbase
    byte[] stateRoot = in.readBytes(32, "stateRoot");
    byte[] transactionsRoot = in.readBytes(32, "transactionsRoot");
    byte[] receiptsRoot = in.readBytes(32, "receiptsRoot");
    in.skip(); // logsBloom
    in.skip(); // difficulty
    long number = in.readUnsignedLong("number");
    in.skip(); // gasLimit
    in.skip(); // gasUsed
    long timestamp = in.readUnsignedLong("timestamp");
    return new HeaderFields(suite.hash(encoded), parentHash, stateRoot, transactionsRoot,
        receiptsRoot, number, timestamp);
  }
}
