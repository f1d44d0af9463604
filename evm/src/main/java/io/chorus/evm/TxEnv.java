package io.chorus.evm;

import java.math.BigInteger;
import java.util.List;

/** What ORIGIN, GASPRICE and BLOBHASH answer for the running transaction. */
public record TxEnv(Address origin, BigInteger gasPrice, List<Word> blobHashes) {}
