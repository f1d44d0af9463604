package io.chorus.ledger;

import io.chorus.codec.Bytes;
import io.chorus.crypto.CryptoSuite;
import io.chorus.evm.Address;
import io.chorus.evm.Word;
import io.chorus.state.Eip1559;
import io.chorus.state.StateChanges;
import io.chorus.state.WorldState;
import io.chorus.state.system.Consortium;
import io.chorus.state.system.Governance;
import io.chorus.state.system.SystemContracts;
import io.chorus.trie.MerklePatriciaTrie;
import io.chorus.trie.NodeStore;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a chain starts from, as its genesis file states it: chain id, crypto suite, fee mode,
 * block gas limit and interval, the validators, and the funded accounts. {@link #build} turns it
 * into block 0 and its state; the same genesis always gives the same genesis hash, which is how
 * nodes know they are on the same chain.
 *
 * @param validators the first validator set, in order, as 64-byte public keys: consensus checks
 *     their signatures with them (an SM2 key cannot be recovered from a signature), and block 0
 *     commits to them (its mixHash is the suite's hash of their RLP list), so that two networks
 *     with different validators never share a genesis hash; governance keeps the set from
 *     then on (see {@link io.chorus.state.system.Governance})
 * @param consortium the governance committee and the permissions the chain starts with
 */
public record Genesis(
    BigInteger chainId,
    String suite,
    FeeMode feeMode,
    long gasLimit,
    long blockIntervalMs,
    long timestamp,
    byte[] extraData,
    List<byte[]> validators,
    Map<Address, Allocation> alloc,
    Consortium consortium) {

  /** EIP-1559 fees as on Ethereum, or a chain where gas is metered but costs nothing. */
  public enum FeeMode { ETHEREUM_1559, ZERO }

  /** An account at genesis. */
  public record Allocation(BigInteger balance, long nonce, byte[] code, Map<Word, Word> storage) {
    public Allocation {
      storage = Map.copyOf(storage);
    }

    public static Allocation funded(BigInteger balance) {
      return new Allocation(balance, 0, Bytes.EMPTY, Map.of());
    }
  }

  /** The largest block gas limit a genesis may set: it bounds the work of one block. */
  public static final long GAS_LIMIT_MAX = Governance.GAS_LIMIT_MAX;
  /** Below this a block cannot hold even a plain transfer. */
  public static final long GAS_LIMIT_MIN = Governance.GAS_LIMIT_MIN;

  public Genesis {
    CryptoSuite.byName(suite);
    if (chainId.signum() <= 0) {
      throw new IllegalArgumentException("chainId must be positive, got " + chainId);
    }
    if (gasLimit < GAS_LIMIT_MIN || gasLimit > GAS_LIMIT_MAX) {
      throw new IllegalArgumentException("gasLimit must be in [" + GAS_LIMIT_MIN + ", "
          + GAS_LIMIT_MAX + "], got " + gasLimit);
    }
    if (blockIntervalMs <= 0 || blockIntervalMs > Governance.BLOCK_INTERVAL_MS_MAX) {
      throw new IllegalArgumentException("blockIntervalMs must be 1 to "
          + Governance.BLOCK_INTERVAL_MS_MAX + ", got " + blockIntervalMs);
    }
    if (extraData.length > BlockHeader.EXTRA_DATA_BYTES_MAX) {
      throw new IllegalArgumentException("extraData exceeds " + BlockHeader.EXTRA_DATA_BYTES_MAX
          + " bytes");
    }
    for (byte[] key : validators) {
      if (key.length != 64) {
        throw new IllegalArgumentException("a validator is a 64-byte public key, got "
            + key.length + " bytes");
      }
    }
    validators = validators.stream().map(byte[]::clone).toList();
    for (Address address : alloc.keySet()) {
      if (SystemContracts.isSystem(address)) {
        throw new IllegalArgumentException("alloc: " + address + " is a system contract's"
            + " address");
      }
    }
    // Sorted, so the state is written in one order whatever map the caller used.
    alloc = java.util.Collections.unmodifiableMap(new TreeMap<>(alloc));
  }

  /** A chain whose committee is its validators' accounts, with equal weights, and open to all. */
  public Genesis(BigInteger chainId, String suite, FeeMode feeMode, long gasLimit,
      long blockIntervalMs, long timestamp, byte[] extraData, List<byte[]> validators,
      Map<Address, Allocation> alloc) {
    this(chainId, suite, feeMode, gasLimit, blockIntervalMs, timestamp, extraData, validators,
        alloc, Consortium.open(addresses(suite, validators)));
  }

  private static List<Address> addresses(String suite, List<byte[]> validators) {
    CryptoSuite cryptoSuite = CryptoSuite.byName(suite);
    return validators.stream().map(k -> Address.of(cryptoSuite.address(k))).toList();
  }

  @Override
  public List<byte[]> validators() {
    return validators.stream().map(byte[]::clone).toList();
  }

  /** The validators' account addresses, in order. */
  public List<Address> validatorAddresses() {
    return addresses(suite, validators);
  }

  /** What block 0's mixHash holds: the suite's hash of the validators' RLP list. */
  public byte[] validatorsCommitment() {
    return cryptoSuite().hash(io.chorus.codec.Rlp.encodeList(
        validators.stream().map(io.chorus.codec.Rlp::encodeBytes).toList()));
  }

  public CryptoSuite cryptoSuite() {
    return CryptoSuite.byName(suite);
  }

  /** The base fee of block 0: EIP-1559's initial 1 gwei, or zero on a fee-less chain. */
  public BigInteger initialBaseFee() {
    return feeMode == FeeMode.ZERO ? BigInteger.ZERO : Eip1559.INITIAL_BASE_FEE;
  }

  /** Writes the genesis state into {@code store} and returns block 0's header. */
  public BlockHeader build(NodeStore store) {
    return buildWithChanges(store).header();
  }

  /** Block 0's header, and the accounts and slots the genesis state sets (its history's start). */
  public record Built(BlockHeader header, StateChanges changes) {}

  /** As {@link #build}, with what block 0 sets in the state. */
  public Built buildWithChanges(NodeStore store) {
    CryptoSuite cryptoSuite = cryptoSuite();
    WorldState state = new WorldState(cryptoSuite.hashFunction(), store);
    for (Map.Entry<Address, Allocation> entry : alloc.entrySet()) {
      Allocation a = entry.getValue();
      state.put(entry.getKey(), a.nonce(), a.balance(), a.code(), a.storage());
    }
    SystemContracts.genesis(state, consortium, validators, gasLimit, blockIntervalMs,
        feeMode == FeeMode.ZERO, cryptoSuite.hashFunction());
    byte[] stateRoot = state.commit();
    byte[] emptyRoot = MerklePatriciaTrie.emptyRoot(cryptoSuite.hashFunction());
    byte[] zero32 = new byte[32];
    return new Built(new BlockHeader(zero32,
        cryptoSuite.hash(io.chorus.codec.Rlp.encodeList(List.of())),
        Address.of(new byte[Address.BYTES]), stateRoot, emptyRoot, emptyRoot,
        new byte[LogsBloom.BYTES], BigInteger.ZERO, 0, gasLimit, 0, timestamp, extraData.clone(),
        validatorsCommitment(), new byte[8], initialBaseFee(), emptyRoot, 0L, 0L, zero32),
        state.changes());
  }
}
