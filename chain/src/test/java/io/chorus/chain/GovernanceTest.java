package io.chorus.chain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chorus.codec.Hex;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.HdWallet;
import io.chorus.crypto.Keccak256;
import io.chorus.crypto.KeyPair;
import io.chorus.evm.Address;
import io.chorus.evm.Log;
import io.chorus.evm.Status;
import io.chorus.evm.Word;
import io.chorus.evm.trace.RevertReason;
import io.chorus.ledger.Block;
import io.chorus.ledger.BlockHeader;
import io.chorus.ledger.Genesis;
import io.chorus.ledger.InvalidBlockException;
import io.chorus.ledger.TxPool;
import io.chorus.state.Eip1559;
import io.chorus.state.TransactionResult;
import io.chorus.state.system.Consortium;
import io.chorus.state.system.Governance;
import io.chorus.state.system.Permissions;
import io.chorus.state.system.ProposalKind;
import io.chorus.state.system.SystemContracts;
import io.chorus.tx.Transaction;
import io.chorus.tx.TransactionSigner;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Governance and permissions through the real chain: transactions to the system contracts in
 * built and committed blocks. A three-member committee (weights 1, 1, 1; the default 2/3
 * threshold) votes; changes land at the next block boundary; forbidden transactions are
 * refused at admission and make a block that holds one invalid.
 */
class GovernanceTest {
  static final CryptoSuite SUITE = CryptoSuite.ethereum();
  static final BigInteger CHAIN_ID = BigInteger.valueOf(1337);
  static final KeyPair[] KEYS = new KeyPair[4];
  static final Address[] ACCOUNTS = new Address[4];

  static {
    for (int i = 0; i < KEYS.length; i++) {
      KEYS[i] = SUITE.keyPair(HdWallet.ethereumAccountKey(HdWallet.TEST_MNEMONIC, i));
      ACCOUNTS[i] = Address.of(SUITE.address(KEYS[i].publicKey()));
    }
  }

  @TempDir Path dir;
  final long[] nonces = new long[KEYS.length];

  /** Members 0-2; account 3 is an outsider. Deployers restricted when asked: 0 may deploy. */
  static Genesis genesis(boolean restrictDeployers) {
    Map<Address, Genesis.Allocation> alloc = new HashMap<>();
    for (Address account : ACCOUNTS) {
      alloc.put(account, Genesis.Allocation.funded(BigInteger.TEN.pow(24)));
    }
    Consortium consortium = new Consortium(List.of(
        new Consortium.Member(ACCOUNTS[0], BigInteger.ONE),
        new Consortium.Member(ACCOUNTS[1], BigInteger.ONE),
        new Consortium.Member(ACCOUNTS[2], BigInteger.ONE)), Map.of(), false,
        restrictDeployers, Map.of(ACCOUNTS[0], Permissions.ROLE_DEPLOYER));
    return new Genesis(CHAIN_ID, "ethereum", Genesis.FeeMode.ETHEREUM_1559, 30_000_000, 200, 0,
        new byte[0], List.of(KEYS[0].publicKey()), alloc, consortium);
  }

  Transaction tx(int from, byte[] to, byte[] data) {
    return TransactionSigner.sign(new Transaction(Transaction.DYNAMIC_FEE, CHAIN_ID,
        nonces[from]++, BigInteger.ONE, BigInteger.valueOf(10_000_000_000L), 2_000_000, to,
        BigInteger.ZERO, data, List.of(), BigInteger.ZERO, List.of(), 0, BigInteger.ZERO,
        BigInteger.ZERO, new byte[0], new byte[0]), KEYS[from], SUITE);
  }

  Transaction governance(int from, byte[] data) {
    return tx(from, SystemContracts.GOVERNANCE.toArray(), data);
  }

  static Blockchain.CommittedBlock block(Blockchain chain, Transaction... txs) {
    return include(chain, txs).committed();
  }

  /**
   * Commits a block of {@code txs}, each of which must revert; their revert reasons, decoded
   * from the Error(string) each returned (a receipt keeps no output, the executed block does).
   */
  static List<String> revertReasons(Blockchain chain, Transaction... txs) {
    Included included = include(chain, txs);
    List<String> reasons = new ArrayList<>();
    for (int i = 0; i < txs.length; i++) {
      TransactionResult result = included.results().get(i);
      assertFalse(included.committed().receipts().get(i).success(), "transaction " + i);
      assertEquals(Status.REVERT, result.status(), "transaction " + i + " reverts, not halts");
      reasons.add(RevertReason.decode(result.output()));
    }
    return reasons;
  }

  /** A committed block and what each of its transactions returned. */
  record Included(Blockchain.CommittedBlock committed, List<TransactionResult> results) {}

  static Included include(Blockchain chain, Transaction... txs) {
    for (Transaction tx : txs) {
      chain.submit(tx);
    }
    Blockchain.Proposal proposal = chain.buildNext(ACCOUNTS[0], chain.head().number() + 1,
        new byte[0]);
    Blockchain.CommittedBlock block = chain.commit(proposal);
    assertEquals(txs.length, block.block().transactions().size());
    return new Included(block, proposal.built().executed().results());
  }

  static Governance.Proposal proposal(Blockchain chain, long id) {
    return Governance.proposal(chain.stateAt(chain.head()), id, chain.head().number() + 1);
  }

  @Test
  void aValidatorVotedInJoinsTheSetAtTheNextBlockBoundary() {
    byte[] newKey = KEYS[3].publicKey();
    try (Blockchain chain = Blockchain.open(dir, genesis(false), TxPool.Limits.defaults())) {
      Blockchain.CommittedBlock proposed = block(chain, governance(0, Governance.proposeCall(
          ProposalKind.ADD_VALIDATOR, ProposalKind.ADD_VALIDATOR.encode((Object) newKey), 10)));
      assertTrue(proposed.receipts().get(0).success());
      // Proposed, then the proposer's Voted: topics as Solidity derives them.
      List<Log> logs = proposed.receipts().get(0).logs();
      assertEquals(2, logs.size());
      assertEquals(SystemContracts.GOVERNANCE, logs.get(0).address());
      assertArrayEquals(Keccak256.INSTANCE.hash(
          "Proposed(uint64,uint8,address,uint64)".getBytes(
              StandardCharsets.UTF_8)), logs.get(0).topics().get(0).toBytes());
      assertEquals(Word.of(1), logs.get(0).topics().get(1));
      assertArrayEquals(Keccak256.INSTANCE.hash(
          "Voted(uint64,address,bool,uint8)".getBytes(
              StandardCharsets.UTF_8)), logs.get(1).topics().get(0).toBytes());
      Governance.Proposal p = proposal(chain, 1);
      assertEquals(Governance.Status.ACTIVE, p.status(), "one of three is below 2/3");
      assertEquals(BigInteger.ONE, p.yesWeight(), "the proposer votes yes");
      assertEquals(1, Governance.validators(chain.stateAt(chain.head())).size());

      Blockchain.CommittedBlock voted = block(chain, governance(1, Governance.voteCall(1, true)));
      assertTrue(voted.receipts().get(0).success());
      assertEquals(Governance.Status.PASSED, proposal(chain, 1).status());
      assertEquals(1, Governance.validators(chain.stateAt(chain.head())).size(),
          "passed, but the set changes only at the next block boundary");

      block(chain);
      assertEquals(Governance.Status.EXECUTED, proposal(chain, 1).status());
      List<byte[]> validators = Governance.validators(chain.stateAt(chain.head()));
      assertEquals(2, validators.size());
      assertArrayEquals(newKey, validators.get(1));

      assertEquals(List.of("proposal 1 is executed: votes are closed"),
          revertReasons(chain, governance(2, Governance.voteCall(1, true))));

      block(chain, governance(2, Governance.proposeCall(ProposalKind.REMOVE_VALIDATOR,
          ProposalKind.REMOVE_VALIDATOR.encode(ACCOUNTS[0]), 10)),
          governance(1, Governance.voteCall(2, true)));
      block(chain);
      validators = Governance.validators(chain.stateAt(chain.head()));
      assertEquals(1, validators.size());
      assertArrayEquals(newKey, validators.get(0));
    }
  }

  @Test
  void chainParametersVotedInApplyAfterTheBoundary() {
    try (Blockchain chain = Blockchain.open(dir, genesis(false), TxPool.Limits.defaults())) {
      block(chain, governance(0, Governance.proposeCall(ProposalKind.SET_GAS_LIMIT,
          ProposalKind.SET_GAS_LIMIT.encodeText(List.of("1000000")), 10)),
          governance(1, Governance.voteCall(1, true)),
          governance(0, Governance.proposeCall(ProposalKind.SET_BLOCK_INTERVAL,
              ProposalKind.SET_BLOCK_INTERVAL.encodeText(List.of("750")), 10)),
          governance(1, Governance.voteCall(2, true)));
      assertEquals(200, Governance.blockIntervalMs(chain.stateAt(chain.head())));
      assertEquals(30_000_000, block(chain).block().header().gasLimit(), "takes effect here");
      assertEquals(750, Governance.blockIntervalMs(chain.stateAt(chain.head())),
          "the consensus timing of the heights after this block");
      assertEquals(1_000_000, block(chain).block().header().gasLimit());
      TxPool.Rejected big = assertThrows(TxPool.Rejected.class,
          () -> chain.submit(governance(2, Governance.voteCall(2, true))));
      assertEquals(TxPool.Reason.GAS_LIMIT_ABOVE_BLOCK, big.reason());
      Blockchain.Proposal honest = chain.buildNext(ACCOUNTS[0], 9, new byte[0]);
      BlockHeader h = honest.block().header();
      Block stale = new Block(new BlockHeader(h.parentHash(), h.ommersHash(), h.coinbase(),
          h.stateRoot(), h.transactionsRoot(), h.receiptsRoot(), h.logsBloom(), h.difficulty(),
          h.number(), 30_000_000, h.gasUsed(), h.timestamp(), h.extraData(), h.mixHash(),
          h.nonce(), h.baseFeePerGas(), h.withdrawalsRoot(), h.blobGasUsed(),
          h.excessBlobGas(), h.parentBeaconBlockRoot()), List.of());
      InvalidBlockException e = assertThrows(InvalidBlockException.class,
          () -> chain.validate(stale));
      assertTrue(e.getMessage().contains("differs from the chain's 1000000"), e.getMessage());
    }
  }

  @Test
  void aFeeModeVotedToZeroDropsTheBaseFeeAndVotingBackRestartsEip1559AtOneGwei() {
    try (Blockchain chain = Blockchain.open(dir, genesis(false), TxPool.Limits.defaults())) {
      assertFalse(chain.zeroFees());
      block(chain, governance(0, Governance.proposeCall(ProposalKind.SET_FEE_MODE,
          ProposalKind.SET_FEE_MODE.encodeText(List.of("1")), 10)),
          governance(1, Governance.voteCall(1, true)));
      assertTrue(block(chain).block().header().baseFeePerGas().signum() > 0,
          "takes effect at the start of this block, whose base fee was already set");
      assertTrue(chain.zeroFees());
      assertEquals(BigInteger.ZERO, block(chain).block().header().baseFeePerGas());
      Address payee = Address.parse("0x" + "66".repeat(20));
      Transaction free = TransactionSigner.sign(new Transaction(Transaction.DYNAMIC_FEE, CHAIN_ID,
          nonces[2]++, BigInteger.ZERO, BigInteger.ZERO, 21_000, payee.toArray(), BigInteger.TEN,
          new byte[0], List.of(), BigInteger.ZERO, List.of(), 0, BigInteger.ZERO,
          BigInteger.ZERO, new byte[0], new byte[0]), KEYS[2], SUITE);
      BigInteger before = chain.stateAt(chain.head()).account(ACCOUNTS[2]).balance();
      block(chain, free);
      assertEquals(before.subtract(BigInteger.TEN),
          chain.stateAt(chain.head()).account(ACCOUNTS[2]).balance(), "no fee at all");

      block(chain, governance(0, Governance.proposeCall(ProposalKind.SET_FEE_MODE,
          ProposalKind.SET_FEE_MODE.encodeText(List.of("0")), 10)),
          governance(1, Governance.voteCall(2, true)));
      assertEquals(BigInteger.ZERO, block(chain).block().header().baseFeePerGas());
      assertFalse(chain.zeroFees());
      assertEquals(Eip1559.INITIAL_BASE_FEE, block(chain).block().header().baseFeePerGas(),
          "EIP-1559 restarts from its initial base fee, as it cannot grow from zero");
      assertEquals(List.of("a fee mode is 0 (ethereum1559) or 1 (zero), got 2"),
          revertReasons(chain, governance(0, Governance.proposeCall(ProposalKind.SET_FEE_MODE,
              ProposalKind.SET_FEE_MODE.encodeText(List.of("2")), 10))));
    }
  }

  @Test
  void aContractThatIsAMemberProposesThroughACall() {
    // Forwards its call data to the governance contract with CALL and returns or reverts
    // with what came back.
    byte[] proxyCode = Hex.decode(
        "366000600037" // CALLDATACOPY(0, 0, CALLDATASIZE)
        + "6000600036600060006110005af1" // CALL(GAS, 0x1000, 0, 0, CALLDATASIZE, 0, 0)
        + "3d600060003e" // RETURNDATACOPY(0, 0, RETURNDATASIZE)
        + "602157" + "3d6000fd" // success? jump to 0x21 : REVERT(0, RETURNDATASIZE)
        + "5b3d6000f3"); // RETURN(0, RETURNDATASIZE)
    Address proxy = Address.parse("0x" + "be".repeat(20));
    Map<Address, Genesis.Allocation> alloc = new HashMap<>();
    alloc.put(ACCOUNTS[3], Genesis.Allocation.funded(BigInteger.TEN.pow(24)));
    alloc.put(proxy, new Genesis.Allocation(BigInteger.ZERO, 1, proxyCode, Map.of()));
    Genesis genesis = new Genesis(CHAIN_ID, "ethereum", Genesis.FeeMode.ETHEREUM_1559,
        30_000_000, 200, 0, new byte[0], List.of(KEYS[0].publicKey()), alloc,
        new Consortium(List.of(new Consortium.Member(proxy, BigInteger.ONE),
            new Consortium.Member(ACCOUNTS[0], BigInteger.TWO)), Map.of(), false, false,
            Map.of()));
    try (Blockchain chain = Blockchain.open(dir, genesis, TxPool.Limits.defaults())) {
      Blockchain.CommittedBlock b = block(chain, tx(3, proxy.toArray(),
          Governance.proposeCall(ProposalKind.FREEZE, ProposalKind.FREEZE.encode(ACCOUNTS[2]),
              10)));
      assertTrue(b.receipts().get(0).success());
      Governance.Proposal p = proposal(chain, 1);
      assertEquals(proxy, p.proposer(), "the governance contract saw the contract as caller");
      assertEquals(Governance.Status.ACTIVE, p.status(), "weight 1 of 3");
      assertEquals(List.of(proxy + " has already voted on proposal 1"),
          revertReasons(chain, tx(3, proxy.toArray(), Governance.voteCall(1, true))),
          "a member votes once; the proxy reverts with the governance contract's reason");
    }
  }

  @Test
  void proposalsExpireAndOutsidersNeitherProposeNorVote() {
    try (Blockchain chain = Blockchain.open(dir, genesis(false), TxPool.Limits.defaults())) {
      block(chain, governance(0, Governance.proposeCall(ProposalKind.FREEZE,
          ProposalKind.FREEZE.encode(ACCOUNTS[3]), 1)));
      assertEquals(2, proposal(chain, 1).expiresAt());
      block(chain);
      assertEquals(List.of("proposal 1 expired at block 2"),
          revertReasons(chain, governance(1, Governance.voteCall(1, true))), "at block 3");
      assertEquals(Governance.Status.EXPIRED, proposal(chain, 1).status());

      String outsider = ACCOUNTS[3] + " is not a member of the governance committee";
      assertEquals(List.of(outsider, outsider), revertReasons(chain,
          governance(3, Governance.proposeCall(ProposalKind.FREEZE,
              ProposalKind.FREEZE.encode(ACCOUNTS[1]), 10)),
          governance(3, Governance.voteCall(1, true))),
          "membership is checked before the proposal's expiry");
      assertEquals(1, Governance.proposalCount(chain.stateAt(chain.head())));

      assertEquals(List.of("the last validator cannot be removed"), revertReasons(chain,
          governance(0, Governance.proposeCall(ProposalKind.REMOVE_VALIDATOR,
              ProposalKind.REMOVE_VALIDATOR.encode(ACCOUNTS[0]), 10))),
          "refused when proposed, as it could never apply");
    }
  }

  @Test
  void twoNoVotesOfThreeRejectAProposalWhoseThresholdIsOutOfReach() {
    try (Blockchain chain = Blockchain.open(dir, genesis(false), TxPool.Limits.defaults())) {
      block(chain, governance(0, Governance.proposeCall(ProposalKind.FREEZE,
          ProposalKind.FREEZE.encode(ACCOUNTS[3]), 10)),
          governance(1, Governance.voteCall(1, false)));
      assertEquals(Governance.Status.ACTIVE, proposal(chain, 1).status(),
          "one no of three: 2/3 is still reachable");
      block(chain, governance(2, Governance.voteCall(1, false)));
      assertEquals(Governance.Status.REJECTED, proposal(chain, 1).status());
      assertEquals(BigInteger.TWO, proposal(chain, 1).noWeight());
    }
  }

  @Test
  void anUnpermittedDeployIsRefusedAtAdmissionAndMakesAByzantineBlockInvalid() {
    byte[] initcode = {0x60, 0x00, 0x60, 0x00, (byte) 0xF3}; // returns empty code
    try (Blockchain chain = Blockchain.open(dir, genesis(true), TxPool.Limits.defaults())) {
      Transaction deploy = tx(3, null, initcode);
      TxPool.Rejected refused = assertThrows(TxPool.Rejected.class, () -> chain.submit(deploy));
      assertEquals(TxPool.Reason.NOT_PERMITTED, refused.reason());
      assertTrue(refused.getMessage().contains("lacks the deployer role"), refused.getMessage());

      // A Byzantine proposer puts it in a block anyway: every node refuses that block.
      Blockchain.Proposal honest = chain.buildNext(ACCOUNTS[0], 1, new byte[0]);
      Block byzantine = new Block(honest.block().header(), List.of(deploy));
      InvalidBlockException invalid = assertThrows(InvalidBlockException.class,
          () -> chain.validate(byzantine));
      assertTrue(invalid.getMessage().contains("lacks the deployer role"), invalid.getMessage());

      Blockchain.CommittedBlock allowed = block(chain, tx(0, null, initcode));
      assertTrue(allowed.receipts().get(0).success(), "account 0 holds the deployer role");

      nonces[3]--; // the refused deploy never ran
      block(chain, governance(0, Governance.proposeCall(ProposalKind.GRANT_ROLES,
          ProposalKind.GRANT_ROLES.encode(ACCOUNTS[3], BigInteger.valueOf(
              Permissions.ROLE_DEPLOYER)), 10)), governance(1, Governance.voteCall(1, true)));
      block(chain);
      assertTrue(block(chain, tx(3, null, initcode)).receipts().get(0).success(),
          "granted by vote");
    }
  }

  @Test
  void aFrozenAccountCannotSendAndADeniedMethodCannotBeCalled() {
    try (Blockchain chain = Blockchain.open(dir, genesis(false), TxPool.Limits.defaults())) {
      Address target = Address.parse("0x" + "77".repeat(20));
      byte[] selector = {1, 2, 3, 4};
      block(chain, governance(0, Governance.proposeCall(ProposalKind.FREEZE,
          ProposalKind.FREEZE.encode(ACCOUNTS[3]), 10)),
          governance(1, Governance.voteCall(1, true)),
          governance(0, Governance.proposeCall(ProposalKind.SET_METHOD_ACCESS,
              ProposalKind.SET_METHOD_ACCESS.encode(target, selector, Permissions.METHOD_DENIED),
              10)),
          governance(1, Governance.voteCall(2, true)));
      block(chain);
      TxPool.Rejected frozen = assertThrows(TxPool.Rejected.class,
          () -> chain.submit(tx(3, target.toArray(), new byte[0])));
      assertTrue(frozen.getMessage().contains("is frozen"), frozen.getMessage());
      TxPool.Rejected denied = assertThrows(TxPool.Rejected.class,
          () -> chain.submit(tx(2, target.toArray(), new byte[] {1, 2, 3, 4, 5})));
      assertTrue(denied.getMessage().contains("method 0x01020304"), denied.getMessage());
      nonces[2]--;
      assertTrue(block(chain, tx(2, target.toArray(), new byte[] {9, 9, 9, 9}))
          .receipts().get(0).success(), "other methods stay open");
    }
  }

  @Test
  void theGenesisFileKeepsTheConsortiumAndNamesWhatIsWrong() throws Exception {
    Genesis genesis = genesis(true);
    Path file = dir.resolve("genesis.json");
    GenesisFile.write(genesis, file);
    Genesis read = GenesisFile.read(file);
    assertEquals(genesis.consortium(), read.consortium());
    try (Blockchain a = Blockchain.open(dir.resolve("a"), genesis, TxPool.Limits.defaults());
        Blockchain b = Blockchain.open(dir.resolve("b"), read, TxPool.Limits.defaults())) {
      assertArrayEquals(a.hashOf(a.head()), b.hashOf(b.head()), "same genesis block");
    }
    String text = Files.readString(file);
    Files.writeString(file, text.replace("\"deployer\"", "\"deployr\""));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> GenesisFile.read(file));
    assertTrue(e.getMessage().contains("unknown role 'deployr'"), e.getMessage());
    Files.writeString(file, text.replace("\"add-validator\"", "\"add-validatr\""));
    e = assertThrows(IllegalArgumentException.class, () -> GenesisFile.read(file));
    assertTrue(e.getMessage().contains("unknown proposal kind 'add-validatr'"), e.getMessage());
  }

  @Test
  void restrictedSendersNeedTheRoleButMembersCanStillGovernAndAllowListsAdmitOnlyTheirMethods() {
    try (Blockchain chain = Blockchain.open(dir, genesis(false), TxPool.Limits.defaults())) {
      Address target = Address.parse("0x" + "77".repeat(20));
      block(chain, governance(0, Governance.proposeCall(ProposalKind.SET_RESTRICTIONS,
          ProposalKind.SET_RESTRICTIONS.encodeText(List.of("true", "false")), 10)),
          governance(1, Governance.voteCall(1, true)),
          governance(0, Governance.proposeCall(ProposalKind.SET_METHOD_ACCESS,
              ProposalKind.SET_METHOD_ACCESS.encodeText(List.of(target.toString(),
                  "0xa9059cbb", "1")), 10)),
          governance(1, Governance.voteCall(2, true)));
      block(chain);
      TxPool.Rejected outsider = assertThrows(TxPool.Rejected.class,
          () -> chain.submit(tx(3, target.toArray(), new byte[0])));
      assertTrue(outsider.getMessage().contains("lacks the sender role"), outsider.getMessage());
      nonces[3]--;
      // Members still reach the governance contract, and grant the role by vote.
      block(chain, governance(0, Governance.proposeCall(ProposalKind.GRANT_ROLES,
          ProposalKind.GRANT_ROLES.encode(ACCOUNTS[3], BigInteger.ONE), 10)),
          governance(2, Governance.voteCall(3, true)));
      block(chain);
      TxPool.Rejected unlisted = assertThrows(TxPool.Rejected.class,
          () -> chain.submit(tx(3, target.toArray(), new byte[] {1, 2, 3, 4})));
      assertTrue(unlisted.getMessage().contains("allows only listed methods"),
          unlisted.getMessage());
      nonces[3]--;
      assertTrue(block(chain, tx(3, target.toArray(), new byte[] {(byte) 0xa9, 0x05,
          (byte) 0x9c, (byte) 0xbb})).receipts().get(0).success(), "a listed method");
    }
  }

  @Test
  void aCertificateRevokedByVoteIsRecordedOnChain() {
    try (Blockchain chain = Blockchain.open(dir, genesis(false), TxPool.Limits.defaults())) {
      BigInteger serial = new BigInteger("1234567890abcdef", 16);
      block(chain, governance(0, Governance.proposeCall(ProposalKind.REVOKE_CERTIFICATE,
          ProposalKind.REVOKE_CERTIFICATE.encodeText(List.of("0x1234567890abcdef")), 10)),
          governance(2, Governance.voteCall(1, true)));
      assertFalse(Permissions.isCertificateRevoked(chain.stateAt(chain.head()), serial));
      block(chain);
      assertTrue(Permissions.isCertificateRevoked(chain.stateAt(chain.head()), serial));
      assertFalse(Permissions.isCertificateRevoked(chain.stateAt(chain.head()),
          serial.add(BigInteger.ONE)));
    }
  }

  @Test
  void aCallOutOfGasFailsWithAllItsGasAndChangesNothing() {
    try (Blockchain chain = Blockchain.open(dir, genesis(false), TxPool.Limits.defaults())) {
      byte[] data = Governance.proposeCall(ProposalKind.FREEZE,
          ProposalKind.FREEZE.encode(ACCOUNTS[3]), 10);
      Transaction starved = TransactionSigner.sign(new Transaction(Transaction.DYNAMIC_FEE,
          CHAIN_ID, nonces[0]++, BigInteger.ONE, BigInteger.valueOf(10_000_000_000L), 60_000,
          SystemContracts.GOVERNANCE.toArray(), BigInteger.ZERO, data, List.of(),
          BigInteger.ZERO, List.of(), 0, BigInteger.ZERO, BigInteger.ZERO, new byte[0],
          new byte[0]), KEYS[0], SUITE);
      Included b = include(chain, starved);
      assertFalse(b.committed().receipts().get(0).success());
      assertEquals(Status.OUT_OF_GAS, b.results().get(0).status(), "not a revert with a reason");
      assertEquals(0, b.results().get(0).output().length, "an exceptional halt returns nothing");
      assertEquals(60_000, b.committed().block().header().gasUsed(),
          "an exceptional halt keeps no gas");
      assertEquals(0, Governance.proposalCount(chain.stateAt(chain.head())));
    }
  }

  @Test
  void theViewsAnswerEthCallWithSolidityAbi() {
    try (Blockchain chain = Blockchain.open(dir, genesis(true), TxPool.Limits.defaults())) {
      block(chain, governance(0, Governance.proposeCall(ProposalKind.FREEZE,
          ProposalKind.FREEZE.encode(ACCOUNTS[3]), 10)));
      byte[] count = com.esaulpaugh.headlong.abi.Function.parse("proposalCount()")
          .encodeCall(com.esaulpaugh.headlong.abi.Tuple.EMPTY).array();
      TransactionResult result = chain.transition().simulate(chain.stateAt(chain.head()),
          tx(3, SystemContracts.GOVERNANCE.toArray(), count), ACCOUNTS[3],
          chain.envOf(chain.head()));
      assertTrue(result.success());
      assertEquals(BigInteger.ONE, new BigInteger(1, result.output()));
      byte[] canDeploy = com.esaulpaugh.headlong.abi.Function.parse("canDeploy(address)")
          .encodeCallWithArgs(com.esaulpaugh.headlong.abi.Address.wrap(
              com.esaulpaugh.headlong.abi.Address.toChecksumAddress(ACCOUNTS[0].toString())))
          .array();
      result = chain.transition().simulate(chain.stateAt(chain.head()),
          tx(3, SystemContracts.PERMISSIONS.toArray(), canDeploy), ACCOUNTS[3],
          chain.envOf(chain.head()));
      assertEquals(BigInteger.ONE, new BigInteger(1, result.output()));
    }
  }
}
