package io.chorus.crypto;

/** A 256-bit cryptographic hash: keccak-256 on Ethereum chains, SM3 on 国密 chains. */
public interface HashFunction {
  /** Digest size in bytes; 32 for every suite Chorus ships. */
  int DIGEST_BYTES = 32;

  String name();

  byte[] hash(byte[] data, int offset, int length);

  default byte[] hash(byte[] data) {
    return hash(data, 0, data.length);
  }
}
