package io.chorus.crypto;

import java.security.SecureRandom;

// The ethereum suite: keccak-256 and secp256k1 ECDSA with key recovery.
final class EthereumSuite implements CryptoSuite {
  static final String NAME = "ethereum";
  static final EthereumSuite INSTANCE = new EthereumSuite();

  private EthereumSuite() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public HashFunction hashFunction() {
    return Keccak256.INSTANCE;
  }

  @Override
  public KeyPair keyPair(byte[] privateKey) {
    return Secp256k1.DOMAIN.keyPair(privateKey);
  }

  @Override
  public KeyPair generateKeyPair(SecureRandom random) {
    return Secp256k1.DOMAIN.generateKeyPair(random);
  }

  @Override
  public Signature sign(byte[] digest, KeyPair keys) {
    return Secp256k1.sign(digest, Secp256k1.DOMAIN.privateScalar(keys.privateKey()),
        keys.publicKey());
  }

  @Override
  public boolean verify(byte[] digest, Signature signature, byte[] publicKey) {
    return Secp256k1.verify(digest, signature, publicKey);
  }

  @Override
  public boolean supportsRecovery() {
    return true;
  }

  @Override
  public byte[] recoverPublicKey(byte[] digest, Signature signature) {
    return Secp256k1.recoverPublicKey(digest, signature);
  }

  @Override
  public Envelope envelope() {
    return EciesEnvelope.INSTANCE;
  }

  @Override
  public ValueCommitments commitments() {
    return ValueCommitments.SECP256K1;
  }

  @Override
  public String toString() {
    return NAME;
  }
}
