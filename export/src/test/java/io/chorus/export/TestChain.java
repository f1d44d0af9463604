package io.chorus.export;

import io.chorus.chain.GenesisFile;
import io.chorus.client.Abi;
import io.chorus.client.Account;
import io.chorus.client.ChorusClient;
import io.chorus.client.LoadGenerator;
import io.chorus.client.Receipt;
import io.chorus.codec.Hex;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.HdWallet;
import io.chorus.crypto.Keccak256;
import io.chorus.evm.Address;
import io.chorus.ledger.Genesis;
import io.chorus.node.Node;
import io.chorus.state.system.Consortium;
import io.chorus.state.system.Governance;
import io.chorus.state.system.Notary;
import io.chorus.state.system.ProposalKind;
import io.chorus.state.system.SystemContracts;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A dev node in this JVM (RocksDB, JSON-RPC on a free port) whose committee is accounts 0 and
 * 1 of the test mnemonic, and the transactions the export tests write into it: transfers, a
 * contract deployed and called (with logs, and one call that reverts), notary records and a new
 * version of one, a governance proposal and the vote that passes it.
 */
final class TestChain implements AutoCloseable {
  static final CryptoSuite SUITE = CryptoSuite.ethereum();
  static final int ACCOUNTS = 4;
  static final Duration WAIT = Duration.ofSeconds(30);

  private final Node node;
  final ChorusClient client;
  final List<Account> accounts = new ArrayList<>();

  private TestChain(Node node) {
    this.node = node;
    this.client = ChorusClient.connect(node.rpcUrl());
    for (int i = 0; i < ACCOUNTS; i++) {
      accounts.add(client.account(HdWallet.ethereumAccountKey(HdWallet.TEST_MNEMONIC, i)));
    }
  }

  /** A fresh chain of this id in {@code dir}, an empty block per {@code intervalMs} when idle. */
  static TestChain start(Path dir, long chainId, long intervalMs) {
    Map<Address, Genesis.Allocation> funded = new HashMap<>();
    List<Consortium.Member> committee = new ArrayList<>();
    for (int i = 0; i < ACCOUNTS; i++) {
      Address address = Address.of(SUITE.address(SUITE.keyPair(
          HdWallet.ethereumAccountKey(HdWallet.TEST_MNEMONIC, i)).publicKey()));
      funded.put(address, Genesis.Allocation.funded(BigInteger.TEN.pow(24)));
      if (i < 2) {
        committee.add(new Consortium.Member(address, BigInteger.ONE));
      }
    }
    GenesisFile.write(new Genesis(BigInteger.valueOf(chainId), "ethereum",
        Genesis.FeeMode.ETHEREUM_1559, 30_000_000, intervalMs, 0, new byte[0], List.of(), funded,
        new Consortium(committee, Map.of(), false, false, Map.of())), dir.resolve("genesis.json"));
    return new TestChain(Node.start(new Node.Config(dir, "127.0.0.1", 0)));
  }

  String url() {
    return node.rpcUrl();
  }

  /** Sends from account {@code from} and waits for the receipt (gas 0: the estimate). */
  Receipt send(int from, byte[] to, BigInteger value, byte[] data, long gas) {
    return client.waitForReceipt(client.send(accounts.get(from), to, value, data, gas), WAIT);
  }

  /** Every kind of transaction the exporter decodes into its own table, once or more. */
  void populate() {
    for (int i = 0; i < 6; i++) {
      byte[] recipient = new byte[20];
      recipient[0] = (byte) (0x50 + i);
      require(send(i % 3, recipient, BigInteger.valueOf(1_000L * i + 7), new byte[0], 21_000));
    }
    byte[] contract = client.deploy(accounts.get(0), LoadGenerator.notaryInitcode(), 1_000_000,
        WAIT).contractAddress();
    byte[] document = Keccak256.INSTANCE.hash("export test".getBytes(StandardCharsets.UTF_8));
    byte[] notarize = Abi.encodeCall(Abi.function("notarize(bytes32)", "()"),
        List.of(Hex.encode0x(document)));
    require(send(0, contract, BigInteger.ZERO, notarize, 200_000));
    Receipt reverted = send(0, contract, BigInteger.ZERO, notarize, 200_000);
    if (reverted.success()) {
      throw new AssertionError("notarizing twice should revert");
    }
    byte[] notary = SystemContracts.NOTARY.toArray();
    require(send(1, notary, BigInteger.ZERO, Notary.notarizeCall("invoice-7",
        Notary.Algorithm.KECCAK256, digest("invoice 7, version 1"), "invoice", "{\"v\":1}"), 0));
    require(send(1, notary, BigInteger.ZERO, Notary.updateCall("invoice-7",
        Notary.Algorithm.KECCAK256, digest("invoice 7, version 2"), "{\"v\":2}"), 0));
    require(send(2, notary, BigInteger.ZERO, Notary.notarizeCall("contract-3",
        Notary.Algorithm.KECCAK256, digest("contract 3"), "contract", "{}"), 0));
    byte[] governance = SystemContracts.GOVERNANCE.toArray();
    Address newMember = Address.of(accounts.get(3).address());
    require(send(0, governance, BigInteger.ZERO, Governance.proposeCall(ProposalKind.ADD_MEMBER,
        ProposalKind.ADD_MEMBER.encode(newMember, BigInteger.ONE), 1_000), 0));
    require(send(1, governance, BigInteger.ZERO, Governance.voteCall(1, true), 0));
  }

  /** Transfers from account 3, one per call: background load for the kill tests. */
  void transfer(int i) {
    byte[] recipient = new byte[20];
    recipient[19] = (byte) i;
    client.send(accounts.get(3), recipient, BigInteger.valueOf(i + 1), new byte[0], 21_000);
  }

  private static byte[] digest(String text) {
    return Keccak256.INSTANCE.hash(text.getBytes(StandardCharsets.UTF_8));
  }

  private static void require(Receipt receipt) {
    if (!receipt.success()) {
      throw new AssertionError("transaction failed in block " + receipt.blockNumber());
    }
  }

  @Override
  public void close() {
    node.close();
  }
}
