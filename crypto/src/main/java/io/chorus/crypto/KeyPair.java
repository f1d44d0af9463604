package io.chorus.crypto;

/**
 * A private key (32 bytes, big-endian) and its public key (64 bytes: x || y, no 0x04 prefix).
 */
public record KeyPair(byte[] privateKey, byte[] publicKey) {
  public KeyPair {
    if (privateKey.length != 32) {
      throw new IllegalArgumentException("private key must be 32 bytes, got " + privateKey.length);
    }
    if (publicKey.length != 64) {
      throw new IllegalArgumentException("public key must be 64 bytes, got " + publicKey.length);
    }
  }

  @Override
  public String toString() {
    return "KeyPair[publicKey=" + io.chorus.codec.Hex.encode(publicKey) + "]";
  }
}
