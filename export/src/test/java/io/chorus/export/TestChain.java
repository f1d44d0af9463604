package io.chorus.export;

import com.esaulpaugh.headlong.abi.Function;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import io.chorus.crypto.KeyPair;
import io.chorus.crypto.Signature;
import io.chorus.evm.Address;
import io.chorus.explorer.ContractsService;
import io.chorus.ledger.Genesis;
import io.chorus.node.Node;
import io.chorus.service.ApiTokens;
import io.chorus.service.Keystore;
import io.chorus.state.system.Consortium;
import io.chorus.state.system.DataSharing;
import io.chorus.state.system.Governance;
import io.chorus.state.system.Notary;
import io.chorus.state.system.Permissions;
import io.chorus.state.system.ProposalKind;
import io.chorus.state.system.Receivables;
import io.chorus.state.system.SystemContracts;
import io.chorus.state.system.Trace;
import io.chorus.trace.CaptureBatch;
import io.chorus.trace.EpcisService;
import io.chorus.trace.epcis.EpcisLimits;
import io.chorus.trace.epcis.EpcisReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A dev node in this JVM (RocksDB, JSON-RPC on a free port) whose committee is accounts 0 and
 * 1 of the test mnemonic, account 0 also a receivables obligor, and the transactions the export
 * tests write into it: transfers, a contract deployed (its ABI uploaded as {@value
 * #PEER_NOTARY}) and called (with logs, and one call that reverts), notary records and a new
 * version of one, receivables issued by account 0 to account 2, account 2 bound to a data
 * sharing department by a governance proposal, a data set it publishes and access attempts its
 * node records, a governance proposal to add a member with the vote that passes it, and
 * EPCIS events captured through the node's {@code /epcis/capture} by account {@value
 * #CAPTURER} ({@link TracedProduct}), one of them captured again by a transaction (the nodes
 * keep the first), and a sealed capture sent as a transaction.
 */
final class TestChain implements AutoCloseable {
  static final CryptoSuite SUITE = CryptoSuite.ethereum();
  private static final Function ISSUE = Function.parse(
      "issue(address,uint256,string,uint64,bytes32[],bytes,bytes)", "(uint256)");
  static final int ACCOUNTS = 4;
  static final Duration WAIT = Duration.ofSeconds(30);
  /** The name the deployed notary contract's ABI is uploaded under. */
  static final String PEER_NOTARY = "PeerNotary";
  static final int OBLIGOR = 0;
  static final int SUPPLIER = 2;
  /** Face values (in cents) and terms in days of the receivables populate issues. */
  static final long[][] RECEIVABLES = {{1_250_000, 30}, {800_000, 30}, {2_000_000, 90}};

  /** The department populate binds the supplier's account to, and the data set it publishes. */
  static final String PROVIDER = "Market Regulation";
  static final String DATASET_CODE = "MR-001";
  static final String DATASET_TITLE = "Business licences";

  /** The account whose key the node's keystore holds, which signs the EPCIS captures. */
  static final int CAPTURER = 1;
  private static final String KEYSTORE_PASSWORD = "export test keystore";
  /**
   * A contract that calls the trace contract with its own call data (CALLDATACOPY, then CALL
   * 0x…1003 with all the gas) and ignores the outcome; the 12 bytes before it deploy it.
   */
  private static final byte[] FORWARDER = Hex.decode("6016600c6000396016" + "6000f3"
      + "3660006000376000600036600060006110035af15000");
  /** The organisation populate's sealed capture names, and its event count. */
  static final String SEALED_FOR = "Acme Foods";
  static final int SEALED_EVENTS = 3;

  /** An access attempt the provider's node records: who asked, its outcome, which fields. */
  record Access(String department, DataSharing.Rule outcome, long fieldMask) {}

  /** The attempts populate records, in order: two by the department the example audits. */
  static final List<Access> ACCESSES = List.of(
      new Access("Health Commission", DataSharing.Rule.NO_GRANT, 0b011),
      new Access("Tax Bureau", DataSharing.Rule.NO_GRANT, 0b001),
      new Access("Health Commission", DataSharing.Rule.FAILED, 0b100));

  private final Node node;
  private final String contractsToken;
  private final String capturerToken;
  final ChorusClient client;
  final List<Account> accounts = new ArrayList<>();
  /** The notary contract populate deployed, and the document its one successful call notarized. */
  byte[] peerNotary;
  byte[] notarized;
  /** The maturity (seconds since the epoch) of each of {@link #RECEIVABLES}. */
  final List<Long> maturities = new ArrayList<>();
  /** The block of each of {@link #ACCESSES}. */
  final List<Long> accessBlocks = new ArrayList<>();

  private TestChain(Node node, String contractsToken, String capturerToken) {
    this.node = node;
    this.contractsToken = contractsToken;
    this.capturerToken = capturerToken;
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
    Address obligor = address(OBLIGOR);
    GenesisFile.write(new Genesis(BigInteger.valueOf(chainId), "ethereum",
        Genesis.FeeMode.ETHEREUM_1559, 30_000_000, intervalMs, 0, new byte[0], List.of(), funded,
        new Consortium(committee, Map.of(), false, false,
            Map.of(obligor, Permissions.ROLE_RECEIVABLES_OBLIGOR))), dir.resolve("genesis.json"));
    String token = ApiTokens.issue(dir, obligor, Set.of(ContractsService.WRITER_ROLE),
        Optional.empty(), Clock.systemUTC(), new SecureRandom()).token();
    Keystore.importKey(dir, SUITE, HdWallet.ethereumAccountKey(HdWallet.TEST_MNEMONIC,
        CAPTURER), KEYSTORE_PASSWORD.toCharArray(), new SecureRandom());
    String capturer = ApiTokens.issue(dir, address(CAPTURER), Set.of(EpcisService.CAPTURER),
        Optional.empty(), Clock.systemUTC(), new SecureRandom()).token();
    return new TestChain(Node.start(new Node.Config(dir, "127.0.0.1", 0).withApi(
        new Node.Api(Optional.of(KEYSTORE_PASSWORD), List.of()))), token, capturer);
  }

  private static Address address(int account) {
    return Address.of(SUITE.address(SUITE.keyPair(
        HdWallet.ethereumAccountKey(HdWallet.TEST_MNEMONIC, account)).publicKey()));
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
    peerNotary = contract;
    uploadAbi(contract, PEER_NOTARY, resource("/PeerNotary.abi.json"));
    byte[] document = Keccak256.INSTANCE.hash("export test".getBytes(StandardCharsets.UTF_8));
    notarized = document;
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
    // A NUL in the metadata: the chain keeps it, PostgreSQL cannot.
    require(send(1, notary, BigInteger.ZERO, Notary.updateCall("invoice-7",
        Notary.Algorithm.KECCAK256, digest("invoice 7, version 2"), "{\"v\":2}\u0000"), 0));
    require(send(2, notary, BigInteger.ZERO, Notary.notarizeCall("contract-3",
        Notary.Algorithm.KECCAK256, digest("contract 3"), "contract", "{}"), 0));
    long now = ChainSource.quantity(client.rpc().call("eth_getBlockByNumber", "latest", false)
        .path("timestamp")).longValueExact();
    for (long[] receivable : RECEIVABLES) {
      long maturity = now + receivable[1] * 86_400;
      maturities.add(maturity);
      require(send(SUPPLIER, SystemContracts.RECEIVABLES.toArray(), BigInteger.ZERO,
          issueCall(BigInteger.valueOf(receivable[0]), maturity), 0));
    }
    byte[] governance = SystemContracts.GOVERNANCE.toArray();
    // Data sharing: governance binds the supplier's account to PROVIDER (proposal 1, passed by
    // both members), which publishes a data set; its node records access attempts.
    require(send(0, governance, BigInteger.ZERO, Governance.proposeCall(
        ProposalKind.SHARING_DEPARTMENT, ProposalKind.SHARING_DEPARTMENT.encode(
            address(SUPPLIER), PROVIDER), 1_000), 0));
    require(send(1, governance, BigInteger.ZERO, Governance.voteCall(1, true), 0));
    // A passed proposal takes effect at the next block: one more, so the binding holds.
    require(send(0, new byte[20], BigInteger.ONE, new byte[0], 21_000));
    byte[] sharing = SystemContracts.DATA_SHARING.toArray();
    require(send(SUPPLIER, sharing, BigInteger.ZERO, DataSharing.publishCall(DATASET_CODE,
        DATASET_TITLE, List.of("name", "licence", "address"),
        DataSharing.SharingClass.CONDITIONAL, DataSharing.UpdateCycle.DAILY), 0));
    for (Access access : ACCESSES) {
      Receipt recorded = send(SUPPLIER, sharing, BigInteger.ZERO, DataSharing.recordAccessCall(
          1, 0, access.department(), digest("certificate of " + access.department()),
          access.outcome(), access.fieldMask(), new byte[32]), 0);
      require(recorded);
      accessBlocks.add(recorded.blockNumber());
    }
    Address newMember = Address.of(accounts.get(3).address());
    require(send(0, governance, BigInteger.ZERO, Governance.proposeCall(ProposalKind.ADD_MEMBER,
        ProposalKind.ADD_MEMBER.encode(newMember, BigInteger.ONE), 1_000), 0));
    require(send(1, governance, BigInteger.ZERO, Governance.voteCall(2, true), 0));
    capture(TracedProduct.commissioning());
    capture(TracedProduct.making());
    require(send(2, SystemContracts.TRACE.toArray(), BigInteger.ZERO, recapture(), 0));
    // A contract calling Capture: the root is anchored, the batch is in no transaction's call
    // data to the trace contract, so no node indexes its events.
    byte[] forwarder = client.deploy(accounts.get(2), FORWARDER, 200_000, WAIT)
        .contractAddress();
    require(send(2, forwarder, BigInteger.ZERO, captureCall(TracedProduct.forwarded()), 0));
    // Sealed for an organisation: the chain holds its root and count, not what it says.
    byte[] root = digest("a sealed capture");
    require(send(2, SystemContracts.TRACE.toArray(), BigInteger.ZERO, Trace.captureSealedCall(
        root, SEALED_EVENTS, List.of(SEALED_FOR), digest("its envelope")), 0));
  }

  /**
   * A Capture of the flour's commissioning again, with its eventID but another quantity: the
   * capture API refuses a captured eventID (409), a transaction is not refused, and every
   * node keeps the first capture of an ID.
   */
  private static byte[] recapture() {
    JsonNode document = NodeTruth.JsonRpcClientJson.read(TracedProduct.commissioning());
    ObjectNode event = (ObjectNode) document.at("/epcisBody/eventList/0").deepCopy();
    ((ObjectNode) event.at("/quantityList/0")).put("quantity", 60);
    return captureCall(CaptureBatch.contextual(event, document.get("@context")));
  }

  /** The Capture call data of one event (a batch element, with its context). */
  private static byte[] captureCall(ObjectNode element) {
    String hashId = new EpcisReader(EpcisLimits.defaults()).readEvent(element).hashId();
    return CaptureBatch.plan(SUITE.hashFunction(), List.of(element), List.of(hashId))
        .getFirst().callData();
  }

  /** Captures an EPCIS document at the node and waits until its events are in its store. */
  private void capture(String document) {
    HttpResponse<String> accepted = http(HttpRequest.newBuilder(URI.create(node.rpcUrl()
        + "/epcis/capture")).header("Content-Type", "application/ld+json")
        .header("Authorization", "Bearer " + capturerToken)
        .POST(HttpRequest.BodyPublishers.ofString(document)));
    if (accepted.statusCode() != 202) {
      throw new AssertionError("the capture answered " + accepted.statusCode() + ": "
          + accepted.body());
    }
    String job = accepted.headers().firstValue("Location").orElseThrow();
    long deadline = System.nanoTime() + WAIT.toNanos();
    JsonNode status = epcis(job);
    while (status.path("running").asBoolean() && System.nanoTime() < deadline) {
      sleep(50);
      status = epcis(job);
    }
    if (!status.path("status").asText().equals("success")) {
      throw new AssertionError("the capture ended " + status);
    }
  }

  /** GET of the node's EPCIS interface ({@code /epcis/...}) as the capturer. */
  JsonNode epcis(String path) {
    HttpResponse<String> answer = http(HttpRequest.newBuilder(URI.create(node.rpcUrl()
        + path)).header("Authorization", "Bearer " + capturerToken).GET());
    if (answer.statusCode() != 200) {
      throw new AssertionError("GET " + path + " answered " + answer.statusCode() + ": "
          + answer.body());
    }
    return NodeTruth.JsonRpcClientJson.read(answer.body());
  }

  private static HttpResponse<String> http(HttpRequest.Builder request) {
    try {
      return HttpClient.newHttpClient().send(request.build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Transfers from account 3, one per call: background load for the kill tests. */
  void transfer(int i) {
    byte[] recipient = new byte[20];
    recipient[19] = (byte) i;
    client.send(accounts.get(3), recipient, BigInteger.valueOf(i + 1), new byte[0], 21_000);
  }

  /** Uploads an ABI as the console does (PUT /api/v1/contracts/{address}). */
  private void uploadAbi(byte[] contract, String name, String abi) {
    HttpResponse<String> response = http(HttpRequest.newBuilder(
        URI.create(node.rpcUrl() + "/api/v1/contracts/" + Hex.encode0x(contract)))
        .header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + contractsToken)
        .PUT(HttpRequest.BodyPublishers.ofString("{\"name\": \"" + name + "\", \"abi\": "
            + abi + "}")));
    if (response.statusCode() != 201) {
      throw new AssertionError("the ABI upload answered " + response.statusCode() + ": "
          + response.body());
    }
  }

  /** An issue by {@link #SUPPLIER} on terms {@link #OBLIGOR} signed, in CNY, of one document. */
  private byte[] issueCall(BigInteger faceValue, long maturity) {
    KeyPair obligorKeys = SUITE.keyPair(HdWallet.ethereumAccountKey(HdWallet.TEST_MNEMONIC,
        OBLIGOR));
    List<byte[]> documents = List.of(digest("invoice of " + faceValue));
    byte[] terms = Receivables.termsDigest(SUITE.hashFunction(), client.chainId(),
        address(OBLIGOR), address(SUPPLIER), faceValue, "CNY", maturity, documents);
    Signature signature = SUITE.sign(terms, obligorKeys);
    byte[] rsv = new byte[65];
    System.arraycopy(word(signature.r()), 0, rsv, 0, 32);
    System.arraycopy(word(signature.s()), 0, rsv, 32, 32);
    rsv[64] = (byte) signature.recoveryId();
    return ISSUE.encodeCallWithArgs(com.esaulpaugh.headlong.abi.Address.wrap(
        com.esaulpaugh.headlong.abi.Address.toChecksumAddress(address(OBLIGOR).toString())),
        faceValue, "CNY", BigInteger.valueOf(maturity), documents.toArray(byte[][]::new),
        obligorKeys.publicKey(), rsv).array();
  }

  private static byte[] word(BigInteger value) {
    byte[] bytes = value.toByteArray();
    byte[] out = new byte[32];
    int length = Math.min(bytes.length, 32);
    System.arraycopy(bytes, bytes.length - length, out, 32 - length, length);
    return out;
  }

  private static String resource(String name) {
    try (InputStream in = TestChain.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
