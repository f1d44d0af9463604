package io.chorus.state.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.esaulpaugh.headlong.abi.Function;
import com.esaulpaugh.headlong.abi.Tuple;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.HashFunction;
import io.chorus.crypto.HdWallet;
import io.chorus.crypto.KeyPair;
import io.chorus.evm.Address;
import io.chorus.evm.BlockEnv;
import io.chorus.evm.Status;
import io.chorus.evm.Word;
import io.chorus.state.StateTransition;
import io.chorus.state.TransactionResult;
import io.chorus.state.WorldState;
import io.chorus.trie.InMemoryNodeStore;
import io.chorus.tx.Transaction;
import io.chorus.tx.TransactionSigner;
import io.chorus.tx.TransactionValidator;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A chain in a test's hands: a Chorus genesis state (system contracts, a committee of three)
 * and the state transition with its system contracts, to which signed transactions are applied
 * block by block as a node applies them, and eth_call-style calls run on a copy of the state.
 */
final class NotaryChain {
  static final BigInteger CHAIN_ID = BigInteger.valueOf(1337);
  static final long GENESIS_TIME = 1_764_500_000L;
  /** Accounts of the test mnemonic: 0-4 users, 5-7 the governance committee. */
  static final int ACCOUNTS = 8;
  static final int[] COMMITTEE = {5, 6, 7};

  final CryptoSuite suite;
  final HashFunction hash;
  final KeyPair[] keys = new KeyPair[ACCOUNTS];
  final Address[] accounts = new Address[ACCOUNTS];
  /** The genesis validators' keys: test-mnemonic keys from index 5 (account 5 is the first). */
  final KeyPair[] validatorKeys;
  private final long[] nonces = new long[ACCOUNTS];
  private final InMemoryNodeStore store = new InMemoryNodeStore();
  final WorldState state;
  private final StateTransition rules;
  private final TransactionValidator validator;
  long number = 1;
  /** Seconds added to every block time from now on: a test's jump to a maturity. */
  private long skippedSeconds;

  NotaryChain(CryptoSuite suite) {
    this(suite, Map.of());
  }

  /** A chain whose genesis gives account i (of {@link #accounts}) the role bits roles[i]. */
  NotaryChain(CryptoSuite suite, Map<Integer, Long> roles) {
    this(suite, roles, 1);
  }

  /** A chain with {@code validators} genesis validators, whose seals its certificates carry. */
  NotaryChain(CryptoSuite suite, int validators) {
    this(suite, Map.of(), validators);
  }

  private NotaryChain(CryptoSuite suite, Map<Integer, Long> roles, int validators) {
    this.suite = suite;
    this.hash = suite.hashFunction();
    this.state = new WorldState(hash, store);
    this.rules = new StateTransition(hash, StateTransition.BaseFee.BURN, true);
    this.validator = new TransactionValidator(suite, CHAIN_ID);
    for (int i = 0; i < ACCOUNTS; i++) {
      keys[i] = suite.keyPair(HdWallet.ethereumAccountKey(HdWallet.TEST_MNEMONIC, i));
      accounts[i] = Address.of(suite.address(keys[i].publicKey()));
      state.put(accounts[i], 0, BigInteger.TEN.pow(24), new byte[0], Map.of());
    }
    Consortium consortium = new Consortium(List.of(
        new Consortium.Member(accounts[5], BigInteger.ONE),
        new Consortium.Member(accounts[6], BigInteger.ONE),
        new Consortium.Member(accounts[7], BigInteger.ONE)), Map.of(), false, false,
        roles.entrySet().stream().collect(java.util.stream.Collectors.toMap(
            e -> accounts[e.getKey()], Map.Entry::getValue)));
    validatorKeys = new KeyPair[validators];
    for (int i = 0; i < validators; i++) {
      validatorKeys[i] = suite.keyPair(HdWallet.ethereumAccountKey(HdWallet.TEST_MNEMONIC,
          COMMITTEE[0] + i));
    }
    SystemContracts.genesis(state, consortium, java.util.Arrays.stream(validatorKeys)
        .map(KeyPair::publicKey).toList(), 100_000_000, 1000, true, hash);
  }

  BlockEnv block() {
    return new BlockEnv(Address.of(new byte[20]), number, timestamp(), 100_000_000,
        BigInteger.ZERO, Word.of(number), BigInteger.ONE, CHAIN_ID, Word::of);
  }

  /** Block {@code number}'s timestamp: two seconds a block, plus the seconds skipped. */
  long timestamp() {
    return GENESIS_TIME + 2 * number + skippedSeconds;
  }

  /** Ends this block and begins one {@code seconds} later than the next would be. */
  void skip(long seconds) {
    skippedSeconds += seconds;
    nextBlock();
  }

  /** Ends this block and begins the next: passed proposals take effect. */
  void nextBlock() {
    number++;
    rules.beginBlock(state, number);
  }

  Transaction sign(int from, Address to, byte[] data, long gas) {
    return TransactionSigner.sign(new Transaction(Transaction.DYNAMIC_FEE, CHAIN_ID,
        nonces[from]++, BigInteger.ZERO, BigInteger.ZERO, gas, to == null ? null : to.toArray(),
        BigInteger.ZERO, data, List.of(), BigInteger.ZERO, List.of(), 0, BigInteger.ZERO,
        BigInteger.ZERO, new byte[0], new byte[0]), keys[from], suite);
  }

  /** Applies {@code tx} in the current block, with the sender the signature gives. */
  TransactionResult apply(Transaction tx) {
    return rules.apply(state, tx, Address.of(validator.validate(tx)), block());
  }

  TransactionResult send(int from, Address to, byte[] data) {
    return apply(sign(from, to, data, 20_000_000));
  }

  /** A transaction to the notary contract that must succeed. */
  TransactionResult notary(int from, byte[] data) {
    TransactionResult result = send(from, SystemContracts.NOTARY, data);
    assertTrue(result.success(), () -> "reverted: " + reason(result));
    return result;
  }

  /** A transaction to the notary contract that must revert; its Error(string) reason. */
  String refused(int from, byte[] data) {
    TransactionResult result = send(from, SystemContracts.NOTARY, data);
    assertEquals(Status.REVERT, result.status(), "the call should have reverted");
    assertTrue(result.logs().isEmpty(), "a reverted call leaves no logs");
    return reason(result);
  }

  /** Runs {@code data} as eth_call does, on a copy of the state: the output. */
  byte[] call(int from, Address to, byte[] data) {
    TransactionResult result = simulate(from, to, data);
    assertTrue(result.success(), () -> "reverted: " + reason(result));
    return result.output();
  }

  TransactionResult simulate(int from, Address to, byte[] data) {
    WorldState copy = new WorldState(hash, store, state.commit());
    Transaction tx = new Transaction(Transaction.DYNAMIC_FEE, CHAIN_ID, 0, BigInteger.ZERO,
        BigInteger.ZERO, 50_000_000, to.toArray(), BigInteger.ZERO, data, List.of(),
        BigInteger.ZERO, List.of(), 0, BigInteger.ZERO, BigInteger.ZERO, new byte[0],
        new byte[0]);
    return rules.simulate(copy, tx, accounts[from], block());
  }

  /** The answer of view {@code signature} of the notary contract to {@code args}. */
  Tuple view(String signature, String returns, Object... args) {
    return viewOf(SystemContracts.NOTARY, signature, returns, args);
  }

  /** The answer of view {@code signature} of the contract at {@code to} to {@code args}. */
  Tuple viewOf(Address to, String signature, String returns, Object... args) {
    Function f = Function.parse(signature, returns);
    return f.getOutputs().decode(call(0, to, f.encodeCallWithArgs(args).array()));
  }

  /** Why the notary contract refuses view {@code signature} with {@code args}. */
  String viewRefused(String signature, Object... args) {
    return viewRefusedBy(SystemContracts.NOTARY, signature, args);
  }

  /** Why the contract at {@code to} refuses view {@code signature} with {@code args}. */
  String viewRefusedBy(Address to, String signature, Object... args) {
    TransactionResult result = simulate(0, to,
        Function.parse(signature).encodeCallWithArgs(args).array());
    assertFalse(result.success());
    return reason(result);
  }

  static String reason(TransactionResult result) {
    byte[] output = result.output();
    if (output.length < 4) {
      return "(no revert data, status " + result.status() + ")";
    }
    return Function.parse("Error(string)").decodeCall(output).get(0);
  }

  /** The committee passes a notary policy: proposed, voted, in force from the next block. */
  void passPolicy(String recordType, List<Address> signers, int threshold) {
    pass(ProposalKind.SET_NOTARY_POLICY,
        ProposalKind.SET_NOTARY_POLICY.encode(recordType, signers, threshold));
  }

  /**
   * The committee passes a proposal in this block (proposed and voted by two of three members),
   * then the next block begins: it takes effect there.
   */
  void pass(ProposalKind kind, byte[] payload) {
    long id = propose(kind, payload);
    nextBlock();
    assertEquals(Governance.Status.EXECUTED, Governance.proposal(state, id, number).status(),
        () -> "proposal " + id + ": " + Governance.proposal(state, id, number).failure());
  }

  /** A proposal made and voted to passing in this block; its id. */
  long propose(ProposalKind kind, byte[] payload) {
    long id = Governance.proposalCount(state) + 1;
    TransactionResult proposed = send(COMMITTEE[0], SystemContracts.GOVERNANCE,
        Governance.proposeCall(kind, payload, 10));
    assertTrue(proposed.success(), () -> reason(proposed));
    TransactionResult voted = send(COMMITTEE[1], SystemContracts.GOVERNANCE,
        Governance.voteCall(id, true));
    assertTrue(voted.success(), () -> reason(voted));
    return id;
  }

  /** The state as it stands, apart from the chain: what a block sealed now would commit to. */
  WorldState snapshot() {
    return new WorldState(hash, store, state.commit());
  }

  /** A content hash for a test: the suite hash of a label. */
  byte[] content(String label) {
    return hash.hash(label.getBytes(StandardCharsets.UTF_8));
  }
}
