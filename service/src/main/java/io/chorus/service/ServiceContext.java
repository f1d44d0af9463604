package io.chorus.service;

import io.chorus.chain.Blockchain;
import io.chorus.rpc.eth.ProofApi;
import io.chorus.rpc.rest.Authenticator;
import java.util.Objects;

/**
 * What a node gives each service it runs: the chain (state, pool, store, listeners), the
 * submitter that signs and pools transactions for a caller, the node's proof builder (one per
 * node: it keeps the validator-set changes it found), and its authenticator, which says
 * whether a caller's credentials still hold when a service acts for it later.
 */
public record ServiceContext(Blockchain chain, TransactionSubmitter submitter,
    ProofApi proofs, Authenticator authenticator) {
  public ServiceContext {
    Objects.requireNonNull(chain, "chain");
    Objects.requireNonNull(submitter, "submitter");
    Objects.requireNonNull(proofs, "proofs");
    Objects.requireNonNull(authenticator, "authenticator");
  }

  /** A context whose callers' credentials never lapse (a test's, with callers made by hand). */
  public ServiceContext(Blockchain chain, TransactionSubmitter submitter, ProofApi proofs) {
    this(chain, submitter, proofs, Authenticator.NONE);
  }
}
