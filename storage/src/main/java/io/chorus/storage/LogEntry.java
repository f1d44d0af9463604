package io.chorus.storage;

import io.chorus.evm.Log;

/**
 * A log found by {@link ChainStore#logs}, with where it was emitted: {@code logIndex} is its
 * position among all the logs of its block, counting across the block's receipts in order, as
 * {@code eth_getLogs} reports it.
 */
public record LogEntry(long blockNumber, byte[] blockHash, byte[] transactionHash,
    int transactionIndex, int logIndex, Log log) {}
