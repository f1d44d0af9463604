package io.chorus.consensus;

import io.chorus.codec.ByteKey;
import io.chorus.crypto.Signature;

/** The local validator's identity and signing key, kept out of the core's state. */
public interface MessageSigner {
  /** The address peers know this validator by (its entry in the {@link ValidatorSet}). */
  ByteKey address();

  /** Signs a 32-byte digest made by {@link SignatureVerifier#hash}. */
  Signature sign(byte[] digest);
}
