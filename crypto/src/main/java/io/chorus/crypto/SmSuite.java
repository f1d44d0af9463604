package io.chorus.crypto;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;

/**
 * The {@code sm} suite: SM3 hashes and SM2 signatures on the recommended curve sm2p256v1.
 * {@link #sign(byte[], KeyPair)} signs the 32-byte digest as the SM2 message with the default
 * user id, so e = SM3(Z || digest). SM2 keys cannot be recovered from signatures: Z binds the
 * public key into e, so transactions carry the key.
 */
public final class SmSuite implements CryptoSuite {
  public static final String NAME = "sm";
  public static final SmSuite INSTANCE = new SmSuite();

  /** The user id GM/T 0009 prescribes when the parties agree on none (ENTL 0x0080). */
  public static final String DEFAULT_USER_ID = "1234567812345678";

  static final Sm2 SM2 = new Sm2(new EcDomain(
      "sm2p256v1", new ECDomainParameters(CustomNamedCurves.getByName("sm2p256v1")), 2));

  private static final byte[] DEFAULT_USER_ID_BYTES =
      DEFAULT_USER_ID.getBytes(StandardCharsets.US_ASCII);

  private SmSuite() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public HashFunction hashFunction() {
    return Sm3.INSTANCE;
  }

  /** The key pair of a 32-byte private key; SM2 rejects keys outside [1, n-2]. */
  @Override
  public KeyPair keyPair(byte[] privateKey) {
    return SM2.domain().keyPair(privateKey);
  }

  @Override
  public KeyPair generateKeyPair(SecureRandom random) {
    return SM2.domain().generateKeyPair(random);
  }

  /** Signs a 32-byte digest as the SM2 message, with the default user id. */
  @Override
  public Signature sign(byte[] digest, KeyPair keys) {
    EcDomain.requireDigest(digest);
    return SM2.sign(digest, DEFAULT_USER_ID_BYTES, keys);
  }

  @Override
  public boolean verify(byte[] digest, Signature signature, byte[] publicKey) {
    EcDomain.requireDigest(digest);
    return SM2.verify(digest, DEFAULT_USER_ID_BYTES, signature, publicKey);
  }

  /**
   * Signs a message of any length under the signer's user id (at most 8191 bytes), as GB/T 32918.2
   * defines it. Signatures are deterministic; their recovery id is 0.
   */
  public Signature sign(byte[] message, byte[] userId, KeyPair keys) {
    return SM2.sign(message, userId, keys);
  }

  /** Checks an SM2 signature over a message of any length under the signer's user id. */
  public boolean verify(byte[] message, byte[] userId, Signature signature, byte[] publicKey) {
    return SM2.verify(message, userId, signature, publicKey);
  }

  @Override
  public boolean supportsRecovery() {
    return false;
  }

  /** Always throws: SM2 signatures do not determine the public key. */
  @Override
  public byte[] recoverPublicKey(byte[] digest, Signature signature) {
    throw new UnsupportedOperationException(
        "SM2 cannot recover a public key from a signature (Z binds the key into the digest): "
            + "SM2 transactions carry the signer's public key");
  }

  @Override
  public Envelope envelope() {
    return SmEnvelope.INSTANCE;
  }

  @Override
  public ValueCommitments commitments() {
    return ValueCommitments.SM2;
  }

  @Override
  public String toString() {
    return NAME;
  }
}
