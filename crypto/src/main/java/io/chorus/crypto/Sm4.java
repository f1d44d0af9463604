package io.chorus.crypto;

import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.BadPaddingException;
import org.bouncycastle.crypto.BufferedBlockCipher;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.SM4Engine;
import org.bouncycastle.crypto.modes.CBCBlockCipher;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.paddings.PKCS7Padding;
import org.bouncycastle.crypto.paddings.PaddedBufferedBlockCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * SM4 (GB/T 32907-2016), the 国密 block cipher, under one 16-byte key. Private payloads use GCM,
 * which authenticates; CBC (PKCS #7 padding) does not, and is here for systems that need it.
 * Single-block encryption is the bare cipher, for the standard's vectors.
 */
public final class Sm4 {
  public static final int KEY_BYTES = 16;
  public static final int BLOCK_BYTES = 16;
  /** The GCM nonce size: 96 bits, the only size GCM uses without hashing the nonce. */
  public static final int GCM_NONCE_BYTES = 12;
  public static final int GCM_TAG_BYTES = 16;

  private final byte[] key;

  private Sm4(byte[] key) {
    this.key = key;
  }

  /** A cipher under a copy of this 16-byte key. */
  public static Sm4 withKey(byte[] key) {
    requireLength("SM4 key", key, KEY_BYTES);
    return new Sm4(key.clone());
  }

  /** Encrypts one 16-byte block with the bare cipher (ECB on a single block). */
  public byte[] encryptBlock(byte[] block) {
    return processBlock(true, block);
  }

  public byte[] decryptBlock(byte[] block) {
    return processBlock(false, block);
  }

  /** CBC with PKCS #7 padding; the output is a whole number of blocks, one more on a boundary. */
  public byte[] encryptCbc(byte[] iv, byte[] plaintext) {
    try {
      return run(cbc(true, iv), plaintext);
    } catch (InvalidCipherTextException e) {
      throw new IllegalStateException("CBC encryption cannot fail on padding", e);
    }
  }

  /**
   * Decrypts CBC with PKCS #7 padding. Without a MAC a wrong key or tampered data is only caught
   * when the padding happens to break; use GCM when that matters.
   *
   * @throws BadPaddingException when the padding is malformed
   */
  public byte[] decryptCbc(byte[] iv, byte[] ciphertext) throws BadPaddingException {
    if (ciphertext.length == 0 || ciphertext.length % BLOCK_BYTES != 0) {
      throw new IllegalArgumentException(
          "SM4-CBC ciphertext must be a positive multiple of " + BLOCK_BYTES + " bytes, got "
              + ciphertext.length);
    }
    try {
      return run(cbc(false, iv), ciphertext);
    } catch (InvalidCipherTextException e) {
      throw new BadPaddingException("SM4-CBC padding is malformed: wrong key, IV or data");
    }
  }

  /**
   * Encrypts and authenticates with GCM; returns ciphertext || 16-byte tag. A nonce must never
   * be used twice under one key: that reveals the XOR of the plaintexts and the GHASH key.
   */
  public byte[] encryptGcm(byte[] nonce, byte[] associatedData, byte[] plaintext) {
    try {
      return run(gcm(true, nonce, associatedData), plaintext);
    } catch (InvalidCipherTextException e) {
      throw new IllegalStateException("GCM encryption cannot fail authentication", e);
    }
  }

  /**
   * Checks the tag and decrypts ciphertext || tag from {@link #encryptGcm}; returns nothing
   * unless the ciphertext, nonce and associated data are all authentic.
   *
   * @throws AEADBadTagException when the tag does not match
   */
  public byte[] decryptGcm(byte[] nonce, byte[] associatedData, byte[] sealed)
      throws AEADBadTagException {
    if (sealed.length < GCM_TAG_BYTES) {
      throw new IllegalArgumentException(
          "SM4-GCM input must hold the " + GCM_TAG_BYTES + "-byte tag, got " + sealed.length
              + " bytes");
    }
    try {
      return run(gcm(false, nonce, associatedData), sealed);
    } catch (InvalidCipherTextException e) {
      throw new AEADBadTagException(
          "SM4-GCM tag mismatch: the data, nonce, associated data or key is not the one sealed");
    }
  }

  private byte[] processBlock(boolean encrypt, byte[] block) {
    requireLength("SM4 block", block, BLOCK_BYTES);
    SM4Engine engine = new SM4Engine();
    engine.init(encrypt, new KeyParameter(key));
    byte[] out = new byte[BLOCK_BYTES];
    engine.processBlock(block, 0, out, 0);
    return out;
  }

  private BufferedBlockCipher cbc(boolean encrypt, byte[] iv) {
    requireLength("SM4-CBC IV", iv, BLOCK_BYTES);
    BufferedBlockCipher cipher = new PaddedBufferedBlockCipher(
        CBCBlockCipher.newInstance(new SM4Engine()), new PKCS7Padding());
    cipher.init(encrypt, new ParametersWithIV(new KeyParameter(key), iv));
    return cipher;
  }

  private GCMModeCipher gcm(boolean encrypt, byte[] nonce, byte[] associatedData) {
    requireLength("SM4-GCM nonce", nonce, GCM_NONCE_BYTES);
    GCMModeCipher cipher = GCMBlockCipher.newInstance(new SM4Engine());
    cipher.init(encrypt, new AEADParameters(
        new KeyParameter(key), 8 * GCM_TAG_BYTES, nonce, associatedData));
    return cipher;
  }

  private static byte[] run(BufferedBlockCipher cipher, byte[] input)
      throws InvalidCipherTextException {
    byte[] out = new byte[cipher.getOutputSize(input.length)];
    int length = cipher.processBytes(input, 0, input.length, out, 0);
    length += cipher.doFinal(out, length);
    return length == out.length ? out : Arrays.copyOf(out, length);
  }

  private static byte[] run(GCMModeCipher cipher, byte[] input)
      throws InvalidCipherTextException {
    byte[] out = new byte[cipher.getOutputSize(input.length)];
    int length = cipher.processBytes(input, 0, input.length, out, 0);
    length += cipher.doFinal(out, length);
    return length == out.length ? out : Arrays.copyOf(out, length);
  }

  private static void requireLength(String field, byte[] bytes, int length) {
    if (bytes.length != length) {
      throw new IllegalArgumentException(
          field + " must be " + length + " bytes, got " + bytes.length);
    }
  }
}
