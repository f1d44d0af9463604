package io.chorus.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chorus.chain.Blockchain;
import io.chorus.chain.GenesisFile;
import io.chorus.codec.ByteKey;
import io.chorus.codec.Hex;
import io.chorus.consensus.CommitCertificate;
import io.chorus.consensus.ValidatorSet;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.HdWallet;
import io.chorus.crypto.KeyPair;
import io.chorus.evm.Address;
import io.chorus.ledger.Genesis;
import io.chorus.network.NetworkMember;
import io.chorus.p2p.tls.Pem;
import io.chorus.p2p.tls.TlsCredentials;
import io.chorus.proof.ProofBundle;
import io.chorus.proof.ProofChecks;
import io.chorus.proof.Proven;
import io.chorus.proof.TrustRoot;
import io.chorus.rpc.eth.ProofApi;
import io.chorus.state.system.Governance;
import io.chorus.state.system.ProposalKind;
import io.chorus.state.system.SystemContracts;
import io.chorus.tx.Transaction;
import io.chorus.tx.TransactionSigner;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Validator-set changes by vote reach consensus: five members on real sockets, four of them the
 * genesis validators (who are also the committee). Under a steady trickle of transfers, with
 * validator 3 stopped, the committee votes member 4 in: from the boundary on, a quorum needs
 * its seal, so the chain finalizing at all proves it validates, and the certificates show it.
 * Validator 3 then returns and syncs across the change (each certificate checked against the
 * set of its height), and is voted out the same way. Last, the committee revokes its
 * certificate, and the others disconnect it (chain state feeding peer admission). The trickle
 * must have gone on throughout: transfers are committed before, between and after the two
 * changes, and the blocks right after each change carry some.
 */
class GovernanceNetworkTest {
  static final CryptoSuite SUITE = CryptoSuite.ethereum();
  static final BigInteger CHAIN_ID = BigInteger.valueOf(4343);
  static final KeyPair SENDER = SUITE.keyPair(HdWallet.ethereumAccountKey(
      HdWallet.TEST_MNEMONIC, 0));
  static final int MEMBERS = 5;
  static final int VALIDATORS = 4;
  static final Address PAYEE = Address.parse("0x" + "77".repeat(20));
  static final int BLOCKS_AFTER_CHANGE = 3;

  @TempDir Path dir;
  final Node[] nodes = new Node[MEMBERS];
  LocalNetwork network;
  final long[] nonces = new long[MEMBERS];
  final AtomicBoolean loading = new AtomicBoolean(true);
  /** Why the load stopped early, if it did: a refused or failed submission. */
  final AtomicReference<RuntimeException> loadFailure = new AtomicReference<>();
  /** Transfers submitted: the sender's next nonce. */
  final AtomicLong sent = new AtomicLong();

  @AfterEach
  void stop() {
    loading.set(false);
    if (network != null) {
      network.close();
    }
  }

  @Test
  void aValidatorVotedInSignsLaterBlocksAndOneVotedOutStops() throws Exception {
    network = LocalNetwork.layOut(dir, SUITE, CHAIN_ID, MEMBERS, VALIDATORS, Map.of(Address.of(
        SUITE.address(SENDER.publicKey())), Genesis.Allocation.funded(LocalNetwork.FUNDS)));
    for (int i = 0; i < MEMBERS; i++) {
      nodes[i] = network.start(i);
    }
    Thread load = Thread.ofPlatform().name("test-load").start(this::load);
    await("a first block", () -> nodes[0].chain().head().number() >= 1);
    network.stop(3);
    nodes[3] = null;

    vote(ProposalKind.ADD_VALIDATOR.encode((Object) network.keys[4].publicKey()),
        ProposalKind.ADD_VALIDATOR, 1);
    long added = awaitSetSize(5);
    await("blocks finalize with five validators, one of them down",
        () -> nodes[0].chain().head().number() >= added + 3);
    ByteKey newcomer = address(4);
    assertTrue(sealedBy(nodes[0].chain(), added + 1, nodes[0].chain().head().number())
        .contains(newcomer), "the new validator's seals are in later certificates");
    for (long n = added + 1; n <= added + 3; n++) {
      CommitCertificate c = certificate(nodes[0].chain(), n);
      assertEquals(Optional.empty(), c.verify(set(nodes[0].chain(), n),
          NetworkMember.verifier(nodes[0].chain())), "block " + n + " against the set of five");
      assertTrue(c.seals().size() >= 4, "a quorum of five is four seals, block " + n);
    }

    nodes[3] = network.start(3);
    long target = nodes[0].chain().head().number();
    await("the returning validator syncs across the change",
        () -> nodes[3].chain().head().number() >= target);

    vote(ProposalKind.REMOVE_VALIDATOR.encode(Address.of(address(3).bytes())),
        ProposalKind.REMOVE_VALIDATOR, 2);
    long removed = awaitSetSize(4);
    await("blocks finalize after the removal",
        () -> nodes[0].chain().head().number() >= removed + 3);
    ValidatorSet after = set(nodes[0].chain(), removed + 1);
    assertFalse(after.contains(address(3)));
    assertTrue(after.contains(newcomer));
    for (long n = removed + 1; n <= removed + 3; n++) {
      CommitCertificate c = certificate(nodes[0].chain(), n);
      assertEquals(Optional.empty(), c.verify(after, NetworkMember.verifier(nodes[0].chain())),
          "block " + n);
      assertFalse(c.seals().stream().anyMatch(s -> s.address().equals(address(3))));
    }
    // The committee revokes member 3's certificate: the others drop it and refuse its redials.
    BigInteger serial = Pem.readCertificate(network.dir.resolve("node3")
        .resolve(Node.Config.TLS_DIR).resolve(TlsCredentials.CERTIFICATE_FILE)).getSerialNumber();
    vote(ProposalKind.REVOKE_CERTIFICATE.encode(serial), ProposalKind.REVOKE_CERTIFICATE, 3);
    await("the revoked member has no peers left",
        () -> status(nodes[3]).contains("\"peers\":0,"));
    assertTrue(status(nodes[0]).contains("\"peers\":3,"), status(nodes[0]));
    String listed = rpc(nodes[0], "chorus_govProposals", "[]");
    assertTrue(listed.indexOf("\"remove-validator\"") < listed.indexOf("\"add-validator\"")
        && listed.contains("\"status\":\"executed\""), listed);
    String first = rpc(nodes[1], "chorus_govProposal", "[\"0x1\"]");
    assertTrue(first.contains("\"fields\":[\"" + Hex.encode0x(network.keys[4].publicKey()) + "\"]")
        && first.contains("\"yesWeight\":\"3\""), first);
    assertTrue(rpc(nodes[1], "chorus_govProposal", "[\"0x9\"]").contains("\"result\":null"));
    String status = rpc(nodes[2], "chorus_nodeStatus", "[]");
    assertTrue(status.contains(Address.of(newcomer.bytes()).toString())
        && !status.contains(Address.of(address(3).bytes()).toString()), status);
    assertTrue(rpc(nodes[1], "chorus_govProposal", "[]").contains("takes 1 params"));
    loading.set(false);
    load.join();
    await("the last transfers committed", () -> nonceAtHead(nodes[0]) == sent.get());
    loadWentOnThrough(nodes[0].chain(), added, removed);

    // A proof of a transfer after both changes carries them, each proven from its block's
    // state, and checks offline from the genesis file.
    Blockchain chain = nodes[0].chain();
    long number = chain.head().number();
    while (chain.store().blockByNumber(number).orElseThrow().transactions().isEmpty()) {
      number--;
    }
    assertTrue(number > removed, "a transfer after the removal");
    byte[] transfer = SUITE.hash(chain.store().blockByNumber(number).orElseThrow()
        .transactions().getFirst().encoded());
    ProofBundle bundle = new ProofApi(chain).included(transfer, ProofBundle.Kind.RECEIPT, null);
    TrustRoot root = GenesisFile.trustRoot(chain.genesis());
    Proven proven = ProofChecks.verifiesAndResistsTampering(bundle, root);
    assertEquals(2, proven.validatorChanges());
    assertEquals(List.of(added - 1, removed - 1), bundle.validatorChanges().stream()
        .map(c -> io.chorus.ledger.BlockHeader.decode(c.block().header()).number()).toList());
    ProofBundle.ValidatorChange firstChange = bundle.validatorChanges().getFirst();
    List<ProofBundle.ValidatorChange> changes = new ArrayList<>(bundle.validatorChanges());
    changes.set(0, new ProofBundle.ValidatorChange(firstChange.block(),
        ProofChecks.tamperedStorage(firstChange.governance())));
    ProofChecks.fails(new ProofBundle(bundle.kind(), bundle.chain(), bundle.block(), changes,
        bundle.transaction(), bundle.receipt(), null, null), root,
        "validator change 0: the proof of storage slot");
  }

  private static String rpc(Node node, String method, String params) throws Exception {
    return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
        java.net.URI.create(node.rpcUrl())).header("content-type", "application/json")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\","
            + "\"id\":1,\"method\":\"" + method + "\",\"params\":" + params + "}")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString()).body();
  }

  private static String status(Node node) {
    try {
      return rpc(node, "chorus_nodeStatus", "[]");
    } catch (Exception e) {
      throw new IllegalStateException("chorus_nodeStatus failed", e);
    }
  }

  /** Validator 0 proposes; 1 and 2 vote yes: 3 of 4 equal weights reach the 2/3 threshold. */
  private void vote(byte[] payload, ProposalKind kind, long id) throws InterruptedException {
    nodes[0].chain().submit(sign(0, Governance.proposeCall(kind, payload, 100)));
    await("proposal " + id + " recorded", () -> Governance.proposalCount(
        nodes[0].chain().stateAt(nodes[0].chain().head())) >= id);
    nodes[1].chain().submit(sign(1, Governance.voteCall(id, true)));
    nodes[2].chain().submit(sign(2, Governance.voteCall(id, true)));
  }

  /** Waits for the governed set to reach {@code size}; the first height it decides. */
  private long awaitSetSize(int size) throws InterruptedException {
    Blockchain chain = nodes[0].chain();
    await("a validator set of " + size,
        () -> Governance.validators(chain.stateAt(chain.head())).size() == size);
    long height = chain.head().number();
    while (height > 0 && Governance.validators(chain.stateAt(chain.store()
        .headerByHash(chain.store().canonicalHash(height - 1).orElseThrow()).orElseThrow()))
        .size() == size) {
      height--;
    }
    return height + 1; // the state after this block first holds the new set
  }

  private ByteKey address(int member) {
    return new ByteKey(SUITE.address(network.keys[member].publicKey()));
  }

  private static CommitCertificate certificate(Blockchain chain, long number) {
    return CommitCertificate.decode(chain.store().finalityProof(number).orElseThrow());
  }

  private static List<ByteKey> sealedBy(Blockchain chain, long from, long to) {
    List<ByteKey> authors = new ArrayList<>();
    for (long n = from; n <= to; n++) {
      certificate(chain, n).seals().forEach(s -> authors.add(s.address()));
    }
    return authors;
  }

  private ValidatorSet set(Blockchain chain, long height) {
    List<ValidatorSet.Validator> members = new ArrayList<>();
    for (byte[] key : Governance.validators(chain.stateAt(chain.store().headerByHash(
        chain.store().canonicalHash(height - 1).orElseThrow()).orElseThrow()))) {
      members.add(new ValidatorSet.Validator(new ByteKey(SUITE.address(key)), key));
    }
    return new ValidatorSet(members);
  }

  /**
   * A transfer every 50 ms to whichever of members 0-2 (never stopped) is next, until the test
   * says stop; a submission refused before then is kept as the load's failure.
   */
  private void load() {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (loading.get() && System.nanoTime() < deadline) {
      long nonce = sent.get();
      try {
        nodes[(int) (nonce % 3)].chain().submit(transfer(nonce));
        sent.incrementAndGet();
        Thread.sleep(50);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        if (loading.get()) {
          loadFailure.set(e);
        }
        return;
      }
    }
  }

  /**
   * The transfers committed before the validator added at block {@code added} first sealed,
   * between that and the removal at {@code removed}, and after it, must all be some; so must
   * those of the {@value #BLOCKS_AFTER_CHANGE} blocks from each change on (a trickle of 20 a
   * second, blocks every 500 ms). Every transfer sent must have been committed.
   */
  private void loadWentOnThrough(Blockchain chain, long added, long removed) {
    long head = chain.head().number();
    long[] perBlock = new long[(int) head + 1];
    for (long n = 1; n <= head; n++) {
      perBlock[(int) n] = chain.store().blockByNumber(n).orElseThrow().transactions().stream()
          .filter(tx -> PAYEE.equals(tx.to() == null ? null : Address.of(tx.to()))).count();
    }
    long before = sum(perBlock, 1, added);
    long between = sum(perBlock, added, removed);
    long after = sum(perBlock, removed, head + 1);
    String counts = "transfers in blocks 1.." + (added - 1) + ": " + before + ", " + added + ".."
        + (removed - 1) + ": " + between + ", " + removed + ".." + head + ": " + after
        + (loadFailure.get() == null ? "" : "; the load stopped early: " + loadFailure.get());
    System.out.println("GovernanceNetworkTest " + counts);
    assertTrue(before > 0, "none before the addition; " + counts);
    assertTrue(between > 0, "none between the addition and the removal; " + counts);
    assertTrue(after > 0, "none after the removal; " + counts);
    for (long change : List.of(added, removed)) {
      long soon = sum(perBlock, change, Math.min(change + BLOCKS_AFTER_CHANGE, head + 1));
      assertTrue(soon > 0, "none in the " + BLOCKS_AFTER_CHANGE + " blocks from the change at "
          + change + "; " + counts);
    }
    assertEquals(null, loadFailure.get(), "the load stopped early");
    assertEquals(sent.get(), before + between + after, "every transfer sent is committed");
  }

  private static long nonceAtHead(Node node) {
    Blockchain chain = node.chain();
    var account = chain.stateAt(chain.head()).account(Address.of(SUITE.address(
        SENDER.publicKey())));
    return account == null ? 0 : account.nonce();
  }

  private static long sum(long[] counts, long from, long to) {
    long total = 0;
    for (long n = from; n < to; n++) {
      total += counts[(int) n];
    }
    return total;
  }

  private Transaction sign(int member, byte[] data) {
    return TransactionSigner.sign(new Transaction(Transaction.DYNAMIC_FEE, CHAIN_ID,
        nonces[member]++, BigInteger.ONE, BigInteger.valueOf(10_000_000_000L), 2_000_000,
        SystemContracts.GOVERNANCE.toArray(), BigInteger.ZERO, data, List.of(), BigInteger.ZERO,
        List.of(), 0, BigInteger.ZERO, BigInteger.ZERO, new byte[0], new byte[0]),
        network.keys[member], SUITE);
  }

  private static Transaction transfer(long nonce) {
    return TransactionSigner.sign(new Transaction(Transaction.DYNAMIC_FEE, CHAIN_ID, nonce,
        BigInteger.ONE, BigInteger.valueOf(10_000_000_000L), 21_000,
        PAYEE.toArray(), BigInteger.ONE, new byte[0], List.of(),
        BigInteger.ZERO, List.of(), 0, BigInteger.ZERO, BigInteger.ZERO, new byte[0],
        new byte[0]), SENDER, SUITE);
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(50);
    }
  }
}
