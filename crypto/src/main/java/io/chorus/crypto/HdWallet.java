package io.chorus.crypto;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.text.Normalizer;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Ethereum wallet keys from a BIP-39 mnemonic along a BIP-32 path (secp256k1), as hardhat,
 * ganache and MetaMask derive them: {@code m/44'/60'/0'/0/i} gives account i. Dev chains fund
 * the standard test mnemonic's accounts so that the tools' default signers work unchanged.
 * The mnemonic's words are not checked against the BIP-39 word list: any phrase gives a seed.
 */
public final class HdWallet {
  /** The phrase hardhat, ganache and foundry use for their test accounts. */
  public static final String TEST_MNEMONIC =
      "test test test test test test test test test test test junk";
  private static final int HARDENED = 0x8000_0000;
  private static final int PBKDF2_ROUNDS = 2048;

  private HdWallet() {}

  /** The private key of account {@code index} on Ethereum's path m/44'/60'/0'/0/index. */
  public static byte[] ethereumAccountKey(String mnemonic, int index) {
    if (index < 0) {
      throw new IllegalArgumentException("account index must not be negative, got " + index);
    }
    return derive(seed(mnemonic, ""), 44 | HARDENED, 60 | HARDENED, HARDENED, 0, index);
  }

  /** BIP-39: the 64-byte seed of a phrase and passphrase (PBKDF2-HMAC-SHA512, 2048 rounds). */
  static byte[] seed(String mnemonic, String passphrase) {
    String words = Normalizer.normalize(mnemonic.trim(), Normalizer.Form.NFKD);
    byte[] salt = ("mnemonic" + Normalizer.normalize(passphrase, Normalizer.Form.NFKD))
        .getBytes(StandardCharsets.UTF_8);
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA512")
          .generateSecret(new PBEKeySpec(words.toCharArray(), salt, PBKDF2_ROUNDS, 512))
          .getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks PBKDF2WithHmacSHA512", e);
    }
  }

  /** BIP-32: the private key at a path of child indexes (hardened ones have the top bit). */
  static byte[] derive(byte[] seed, int... path) {
    byte[] node = hmacSha512("Bitcoin seed".getBytes(StandardCharsets.US_ASCII), seed);
    BigInteger n = Secp256k1.N;
    for (int index : path) {
      byte[] key = Arrays.copyOf(node, 32);
      byte[] chainCode = Arrays.copyOfRange(node, 32, 64);
      ByteBuffer data = ByteBuffer.allocate(37);
      if ((index & HARDENED) != 0) {
        data.put((byte) 0).put(key);
      } else {
        data.put(compressedPublicKey(key));
      }
      byte[] child = hmacSha512(chainCode, data.putInt(index).array());
      BigInteger tweak = new BigInteger(1, Arrays.copyOf(child, 32));
      BigInteger childKey = tweak.add(new BigInteger(1, key)).mod(n);
      if (tweak.compareTo(n) >= 0 || childKey.signum() == 0) {
        // Probability below 2^-127; BIP-32 says to skip to the next index.
        throw new IllegalStateException("BIP-32 index " + index + " gives an invalid key");
      }
      System.arraycopy(toBytes32(childKey), 0, child, 0, 32);
      node = child;
    }
    return Arrays.copyOf(node, 32);
  }

  private static byte[] compressedPublicKey(byte[] privateKey) {
    byte[] xy = CryptoSuite.ethereum().keyPair(privateKey).publicKey();
    byte[] out = new byte[33];
    out[0] = (byte) ((xy[63] & 1) == 0 ? 0x02 : 0x03);
    System.arraycopy(xy, 0, out, 1, 32);
    return out;
  }

  private static byte[] toBytes32(BigInteger value) {
    byte[] raw = value.toByteArray();
    byte[] out = new byte[32];
    int copy = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - copy, out, 32 - copy, copy);
    return out;
  }

  private static byte[] hmacSha512(byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA512");
      mac.init(new SecretKeySpec(key, "HmacSHA512"));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks HmacSHA512", e);
    }
  }
}
