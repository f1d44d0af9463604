package io.chorus.consensus.sim;

import io.chorus.consensus.MessageSigner;
import io.chorus.consensus.SignatureVerifier;
import io.chorus.consensus.ValidatorSet;
import java.util.List;

/** The nodes of a simulation and how they sign: fake and fast, or the real suite. */
interface SimAuth {
  /** Every node's identity, by node index; which of them validate is the simulation's choice. */
  List<ValidatorSet.Validator> members();

  SignatureVerifier verifier();

  /** Validator {@code index}'s own signer; nobody else gets it. */
  MessageSigner signer(int index);
}
