package io.chorus.evm;

import java.math.BigInteger;
import java.util.Map;

/**
 * What one transaction did to one account, for the owner of the committed state to apply:
 * either {@code deleted}, or the new header, the new code when it changed (else null) and every
 * storage slot written (a zero value deletes the slot).
 */
public record AccountChange(
    Address address,
    boolean deleted,
    long nonce,
    BigInteger balance,
    byte[] code,
    Map<Word, Word> storage) {}
