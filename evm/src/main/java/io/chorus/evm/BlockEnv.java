package io.chorus.evm;

import java.math.BigInteger;
import java.util.function.LongFunction;

/**
 * The block a transaction runs in, as its opcodes see it.
 *
 * @param blockHashes the hash of an earlier block by number (BLOCKHASH asks only for the 256
 *     before this one)
 * @param blobBaseFee the EIP-4844 blob gas price derived from the block's excess blob gas
 */
public record BlockEnv(
    Address coinbase,
    long number,
    long timestamp,
    long gasLimit,
    BigInteger baseFee,
    Word prevRandao,
    BigInteger blobBaseFee,
    BigInteger chainId,
    LongFunction<Word> blockHashes) {}
