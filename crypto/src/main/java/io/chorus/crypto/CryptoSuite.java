package io.chorus.crypto;

import java.security.SecureRandom;

/**
 * The cryptography a chain is built on, chosen by name in its genesis: {@code ethereum}
 * (keccak-256 + secp256k1 ECDSA) or {@code sm} (SM3 + SM2). Every hash of the chain's own data
 * structures (transactions, blocks, tries) and every signature goes through the suite; the EVM's
 * KECCAK256 opcode stays keccak in both so contracts behave the same.
 */
public interface CryptoSuite {

  /** The suite with this genesis name, or an error that lists the valid names. */
  static CryptoSuite byName(String name) {
    return switch (name) {
      case EthereumSuite.NAME -> EthereumSuite.INSTANCE;
      case SmSuite.NAME -> SmSuite.INSTANCE;
      default -> throw new IllegalArgumentException(
          "unknown crypto suite '" + name + "': use '" + EthereumSuite.NAME + "' or '"
              + SmSuite.NAME + "'");
    };
  }

  static CryptoSuite ethereum() {
    return EthereumSuite.INSTANCE;
  }

  static CryptoSuite sm() {
    return SmSuite.INSTANCE;
  }

  String name();

  HashFunction hashFunction();

  default byte[] hash(byte[] data) {
    return hashFunction().hash(data);
  }

  /**
   * The key pair of a 32-byte private key; rejects keys outside [1, n-1] (SM2: [1, n-2]) with an
   * {@link IllegalArgumentException}.
   */
  KeyPair keyPair(byte[] privateKey);

  KeyPair generateKeyPair(SecureRandom random);

  /**
   * Signs a 32-byte digest. ECDSA signatures are deterministic (RFC 6979) and low-s; SM2 ones are
   * deterministic too.
   */
  Signature sign(byte[] digest, KeyPair keys);

  /**
   * Checks a signature over a 32-byte digest against a 64-byte public key (x || y). Any s in
   * [1, n-1] is accepted: the low-s rule of EIP-2 belongs to the transaction rules.
   *
   * @throws SignatureException when r or s is outside [1, n-1]
   * @throws IllegalArgumentException when a length is wrong or the key is not a curve point
   */
  boolean verify(byte[] digest, Signature signature, byte[] publicKey);

  /**
   * Whether the signer's public key can be recovered from a signature alone. True for secp256k1;
   * false for SM2, whose digest binds the signer's key (the Z value), so SM2 transactions carry
   * the public key.
   */
  boolean supportsRecovery();

  /**
   * The 64-byte public key that produced {@code signature} over {@code digest}.
   *
   * @throws SignatureException when the signature is malformed or recovers no valid point
   * @throws UnsupportedOperationException when {@link #supportsRecovery()} is false
   */
  byte[] recoverPublicKey(byte[] digest, Signature signature);

  /**
   * Hybrid public-key encryption to this suite's keys, for data only named parties may read:
   * SM2 with SM4-GCM for {@code sm}, ECIES with AES-256-GCM for {@code ethereum}.
   */
  Envelope envelope();

  /** Pedersen commitments to amounts and their range proofs, on this suite's curve. */
  ValueCommitments commitments();

  /** The account address of a 64-byte public key: the last 20 bytes of its hash. */
  default byte[] address(byte[] publicKey) {
    if (publicKey.length != 64) {
      throw new IllegalArgumentException("public key must be 64 bytes, got " + publicKey.length);
    }
    byte[] hash = hash(publicKey);
    return java.util.Arrays.copyOfRange(hash, 12, 32);
  }
}
