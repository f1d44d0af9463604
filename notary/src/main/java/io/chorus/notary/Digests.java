package io.chorus.notary;

import io.chorus.crypto.Keccak256;
import io.chorus.crypto.Sm3;
import io.chorus.state.system.Notary;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** A content hash in one of the notary's algorithms. */
final class Digests {
  private Digests() {}

  static byte[] of(Notary.Algorithm algorithm, byte[] content) {
    return switch (algorithm) {
      case SM3 -> Sm3.INSTANCE.hash(content);
      case KECCAK256 -> Keccak256.INSTANCE.hash(content);
      case SHA256 -> sha256(content);
      case UNSPECIFIED -> throw new IllegalArgumentException("no digest for an unspecified"
          + " algorithm: name sm3, sha256 or keccak256");
    };
  }

  private static byte[] sha256(byte[] content) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(content);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
