package io.chorus.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Optional;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.KeccakDigest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SM3Digest;

/**
 * The algorithms a notarized content hash is made with, by their code in the notary contract's
 * ABI (0 there means unspecified). One place for the CLI, the Java client, the REST service and
 * the offline verifier to hash content and name the algorithm.
 */
public enum ContentHash {
  SM3(1), SHA256(2), KECCAK256(3);

  private final int code;

  ContentHash(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The algorithm a chain's records use unless told otherwise: SM3 on sm chains. */
  public static ContentHash defaultFor(String suite) {
    return "sm".equals(suite) ? SM3 : SHA256;
  }

  /**
   * The algorithm named {@code label} ({@code sm3}, {@code sha256}, {@code keccak256}).
   *
   * @throws IllegalArgumentException naming the choices
   */
  public static ContentHash byLabel(String label) {
    for (ContentHash hash : values()) {
      if (hash.label().equals(label)) {
        return hash;
      }
    }
    throw new IllegalArgumentException("the content hash algorithm is sm3, sha256 or keccak256,"
        + " not '" + label + "'");
  }

  /** The algorithm with ABI {@code code}, if one has it (0, unspecified, has none). */
  public static Optional<ContentHash> byCode(int code) {
    for (ContentHash hash : values()) {
      if (hash.code == code) {
        return Optional.of(hash);
      }
    }
    return Optional.empty();
  }

  /** The label of the algorithm with ABI {@code code}, or what the code is when none has it. */
  public static String labelOf(int code) {
    return byCode(code).map(ContentHash::label)
        .orElse(code == 0 ? "unspecified" : "code " + code);
  }

  /** The digest of {@code content}. */
  public byte[] digest(byte[] content) {
    Digest d = engine();
    d.update(content, 0, content.length);
    return finish(d);
  }

  /** The digest of everything {@code in} holds, read in chunks (files never load whole). */
  public byte[] digest(InputStream in) throws IOException {
    Digest d = engine();
    byte[] buffer = new byte[64 * 1024];
    for (int n; (n = in.read(buffer)) > 0; ) {
      d.update(buffer, 0, n);
    }
    return finish(d);
  }

  private Digest engine() {
    return switch (this) {
      case SM3 -> new SM3Digest();
      case SHA256 -> new SHA256Digest();
      case KECCAK256 -> new KeccakDigest(256);
    };
  }

  private static byte[] finish(Digest d) {
    byte[] out = new byte[d.getDigestSize()];
    d.doFinal(out, 0);
    return out;
  }
}
