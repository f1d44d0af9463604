package io.chorus.evm;

import java.math.BigInteger;

/**
 * An account's header as committed: nonce, balance and the hash of its code ({@code codeHash} is
 * the suite's hash of the empty string for an account without code).
 */
public record AccountInfo(long nonce, BigInteger balance, byte[] codeHash) {}
