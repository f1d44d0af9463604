package io.chorus.service;

import io.chorus.chain.Blockchain;
import io.chorus.rpc.eth.ProofApi;
import java.util.Objects;

/**
 * What a node gives each service it runs: the chain (state, pool, store, listeners), the
 * submitter that signs and pools transactions for a caller, and the node's proof builder
 * (one per node: it keeps the validator-set changes it found).
 */
public record ServiceContext(Blockchain chain, TransactionSubmitter submitter,
    ProofApi proofs) {
  public ServiceContext {
    Objects.requireNonNull(chain, "chain");
    Objects.requireNonNull(submitter, "submitter");
    Objects.requireNonNull(proofs, "proofs");
  }
}
