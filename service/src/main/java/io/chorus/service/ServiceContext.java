package io.chorus.service;

import io.chorus.chain.Blockchain;
import java.util.Objects;

/**
 * What a node gives each service it runs: the chain (state, pool, store, listeners) and the
 * submitter that signs and pools transactions for a caller.
 */
public record ServiceContext(Blockchain chain, TransactionSubmitter submitter) {
  public ServiceContext {
    Objects.requireNonNull(chain, "chain");
    Objects.requireNonNull(submitter, "submitter");
  }
}
