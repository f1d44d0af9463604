package io.chorus.evm;

import java.math.BigInteger;

/**
 * An account's header as committed: nonce, balance, the hash of its code (the suite's hash of
 * the empty string when it has none) and whether its storage holds any slot (EIP-7610 treats a
 * creation onto such an account as a collision).
 */
public record AccountInfo(long nonce, BigInteger balance, byte[] codeHash, boolean hasStorage) {}
