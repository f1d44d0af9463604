package io.chorus.consensus.sim;

import io.chorus.consensus.MessageSigner;
import io.chorus.consensus.SignatureVerifier;
import io.chorus.consensus.ValidatorSet;

/** The validators of a simulation and how they sign: fake and fast, or the real suite. */
interface SimAuth {
  ValidatorSet validators();

  SignatureVerifier verifier();

  /** Validator {@code index}'s own signer; nobody else gets it. */
  MessageSigner signer(int index);
}
