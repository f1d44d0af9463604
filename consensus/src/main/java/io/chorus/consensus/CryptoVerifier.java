package io.chorus.consensus;

import io.chorus.codec.Bytes;
import io.chorus.codec.Rlp;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.Signature;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * {@link SignatureVerifier} over the chain's {@link CryptoSuite}, bound to one chain: what the node
 * and the offline proof verifier use. Everything a validator signs is hashed behind the chain's
 * domain, {@code hash(rlp(["chorus-qbft", chainId, genesisHash]))}, so a vote or commit seal
 * made on one chain never verifies on another, even one whose validators reuse the same keys.
 */
public final class CryptoVerifier implements SignatureVerifier {
  private static final byte[] TAG = "chorus-qbft".getBytes(StandardCharsets.US_ASCII);

  private final CryptoSuite suite;
  private final byte[] domain;

  private CryptoVerifier(CryptoSuite suite, byte[] domain) {
    this.suite = suite;
    this.domain = domain;
  }

  /** The verifier of the chain with this id and genesis block hash. */
  public static CryptoVerifier forChain(CryptoSuite suite, BigInteger chainId,
      byte[] genesisHash) {
    return new CryptoVerifier(suite, suite.hash(Rlp.encodeList(Rlp.encodeBytes(TAG),
        Rlp.encodeBigInteger(chainId), Rlp.encodeBytes(genesisHash))));
  }

  public CryptoSuite suite() {
    return suite;
  }

  /** The chain's domain: 32 bytes, so that the hashed input reads one way only. */
  @Override
  public byte[] hash(byte[] data) {
    return suite.hash(Bytes.concat(domain, data));
  }

  /** False for signatures the suite rejects as malformed: they come from peers. */
  @Override
  public boolean verify(byte[] digest, Signature signature, byte[] publicKey) {
    try {
      return suite.verify(digest, signature, publicKey);
    } catch (IllegalArgumentException malformed) {
      return false;
    }
  }
}
