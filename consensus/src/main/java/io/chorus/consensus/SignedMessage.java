package io.chorus.consensus;

import io.chorus.codec.ByteKey;
import io.chorus.crypto.Signature;

/**
 * A message with its author's address and signature over
 * {@link MessageCodec#signedBody(Message)}: the unit that goes on the wire. The author is named
 * rather than recovered so that suites without key recovery (SM2) work the same way.
 */
public record SignedMessage(Message payload, ByteKey author, Signature signature) {

  /** Signs {@code payload} as {@code signer}. */
  public static SignedMessage sign(Message payload, MessageSigner signer, SignatureVerifier hasher) {
    byte[] digest = hasher.hash(MessageCodec.signedBody(payload));
    return new SignedMessage(payload, signer.address(), signer.sign(digest));
  }

  /** Whether the author is in {@code validators} and the signature is the author's. */
  public boolean isAuthentic(ValidatorSet validators, SignatureVerifier verifier) {
    int index = validators.indexOf(author);
    if (index < 0) {
      return false;
    }
    byte[] digest = verifier.hash(MessageCodec.signedBody(payload));
    return verifier.verify(digest, signature, validators.get(index).publicKey());
  }
}
