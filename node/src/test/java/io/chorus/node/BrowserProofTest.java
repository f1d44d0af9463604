package io.chorus.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.chain.GenesisFile;
import io.chorus.codec.ByteKey;
import io.chorus.codec.Bytes;
import io.chorus.codec.Hex;
import io.chorus.codec.Rlp;
import io.chorus.consensus.CommitCertificate;
import io.chorus.consensus.CryptoVerifier;
import io.chorus.consensus.MessageCodec;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.Keccak256;
import io.chorus.crypto.KeyPair;
import io.chorus.crypto.MerkleBatch;
import io.chorus.crypto.Signature;
import io.chorus.evm.Address;
import io.chorus.evm.Word;
import io.chorus.ledger.Genesis;
import io.chorus.proof.BundleFixture;
import io.chorus.proof.GovernanceLayout;
import io.chorus.proof.NotaryEvidence;
import io.chorus.proof.ProofBundle;
import io.chorus.proof.ProofException;
import io.chorus.proof.ProofVerifier;
import io.chorus.proof.Proven;
import io.chorus.proof.TrustRoot;
import io.chorus.state.system.Consortium;
import io.chorus.state.system.Permissions;
import io.chorus.state.system.ProposalKind;
import io.chorus.trie.InMemoryNodeStore;
import io.chorus.trie.MerklePatriciaTrie;
import io.chorus.trie.SecureTrie;
import io.chorus.tx.Transaction;
import io.chorus.tx.TransactionSigner;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The console's in-browser verifier (console/src/main/resources/…/site/crypto/proof.js) must
 * give the Java verifier's verdict on every bundle. This test makes chains by hand in both suites
 * from real genesis files — a validator-set change, then a block with a transfer, a notary record
 * and a notary batch — writes their bundles of every kind, tampered copies (a flipped seal,
 * receipt, header, storage or batch path; too few seals; a wrong trust root) and the Java
 * verdicts into target/browser-proofs, and runs {@code node --test} on the console's JavaScript
 * tests, which check each bundle there and compare verdicts, facts and messages.
 */
class BrowserProofTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path OUT = Path.of("target", "browser-proofs");
  private static final byte[] CONTRACT = address(0xc0);
  private static final byte[] NOTARY = address(0x1002);
  private static final byte[] SLOT = word(BigInteger.ONE);
  private static final byte[] RECORDED = Keccak256.INSTANCE.hash(
      "Recorded(bytes32,bytes32,address,string,uint32,uint8,string,string)"
          .getBytes(StandardCharsets.US_ASCII));
  private static final byte[] BATCH_ANCHORED = Keccak256.INSTANCE.hash(
      "BatchAnchored(bytes32,uint64,address,uint32,string)".getBytes(StandardCharsets.US_ASCII));

  private final ArrayNode cases = JSON.createArrayNode();

  @Test
  void theBrowserVerifierGivesTheJavaVerdictOnEveryBundle() throws Exception {
    Files.createDirectories(OUT);
    Path ethereum = new HandMadeChain(CryptoSuite.ethereum(), BigInteger.valueOf(1337), false)
        .writeCases("ethereum");
    Path sm = new HandMadeChain(CryptoSuite.sm(), BigInteger.valueOf(4343), true)
        .writeCases("sm");
    // A bundle of one chain against another chain's genesis: the trust root is wrong.
    addCase("ethereum-against-sm-genesis", "ethereum-transfer-log", sm, null);
    for (CryptoSuite suite : List.of(CryptoSuite.ethereum(), CryptoSuite.sm())) {
      fixtureCases(new BundleFixture(suite));
    }
    genesisWithoutGovernance();
    Files.writeString(OUT.resolve("cases.json"), JSON.writerWithDefaultPrettyPrinter()
        .writeValueAsString(cases));
    runNodeTests();
  }

  /** Runs the console's JavaScript tests, the cases above included; fails with their output. */
  private static void runNodeTests() throws IOException, InterruptedException {
    Path root = Path.of("").toAbsolutePath();
    while (root != null && !Files.isDirectory(root.resolve("console/src/test/js"))) {
      root = root.getParent();
    }
    if (root == null) {
      fail("console/src/test/js not found above " + Path.of("").toAbsolutePath());
    }
    ProcessBuilder builder = new ProcessBuilder("node", "--test", "console/src/test/js/")
        .directory(root.toFile()).redirectErrorStream(true);
    builder.environment().put("CHORUS_PROOF_CASES",
        OUT.resolve("cases.json").toAbsolutePath().toString());
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      fail("the browser verifier's tests need Node.js 20 or later on the PATH as 'node'"
          + " (Debian: apt-get install nodejs): " + e.getMessage());
      return;
    }
    byte[] output = process.getInputStream().readAllBytes();
    assertTrue(process.waitFor(5, TimeUnit.MINUTES), "node --test did not finish in 5 minutes");
    String text = new String(output, StandardCharsets.UTF_8);
    assertEquals(0, process.exitValue(), "node --test console/src/test/js/ failed:\n" + text);
    assertTrue(text.contains("java verdicts"), "the Java-bundle test did not run:\n" + text);
  }

  /**
   * A chain made by hand from a real genesis: block 3 changes the validator set from the four
   * genesis validators to three others (proven from the governance contract's storage), block 5,
   * sealed by the new set, holds a transfer with a log, a notary record and a notary batch.
   */
  private final class HandMadeChain {
    final CryptoSuite suite;
    final Genesis genesis;
    final TrustRoot root;
    final CryptoVerifier verifier;
    final List<KeyPair> genesisKeys = new ArrayList<>();
    final List<KeyPair> nextKeys = new ArrayList<>();
    final ProofBundle.ValidatorChange change;
    final ProofBundle.Sealed block;
    final List<byte[]> txs = new ArrayList<>();
    final List<byte[]> receipts = new ArrayList<>();
    final ProofBundle.AccountProof account;
    final byte[] recordDigest;
    final List<byte[]> batchDigests = new ArrayList<>();

    HandMadeChain(CryptoSuite suite, BigInteger chainId, boolean customGovernance) {
      this.suite = suite;
      List<byte[]> keys = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        genesisKeys.add(suite.keyPair(suite.hash(new byte[] {(byte) (10 + i)})));
        keys.add(genesisKeys.getLast().publicKey());
      }
      for (int i = 0; i < 3; i++) {
        nextKeys.add(suite.keyPair(suite.hash(new byte[] {(byte) (20 + i)})));
      }
      KeyPair sender = genesisKeys.getFirst();
      Map<Address, Genesis.Allocation> alloc = new LinkedHashMap<>();
      alloc.put(Address.of(suite.address(sender.publicKey())),
          Genesis.Allocation.funded(new BigInteger("1000000000000000000000000")));
      alloc.put(Address.of(CONTRACT), new Genesis.Allocation(BigInteger.TWO, 3,
          new byte[] {0x60, 0x00}, Map.of(Word.of(1), Word.of(0x2a), Word.of(2), Word.ZERO)));
      List<Address> members = keys.stream().map(k -> Address.of(suite.address(k))).toList();
      genesis = customGovernance
          ? new Genesis(chainId, suite.name(), Genesis.FeeMode.ZERO, 30_000_000, 500, 7,
              "chorus".getBytes(StandardCharsets.US_ASCII), keys, alloc, new Consortium(
                  List.of(new Consortium.Member(members.get(0), BigInteger.valueOf(3)),
                      new Consortium.Member(members.get(1), BigInteger.ONE)),
                  Map.of(ProposalKind.ADD_VALIDATOR, new Consortium.Threshold(3, 4)),
                  // Every kind of role by name, the newest included: the browser's
                  // genesis must know them all to hash the same genesis.
                  true, false, Map.of(members.get(2), Permissions.ROLES_KNOWN)))
          : new Genesis(chainId, suite.name(), Genesis.FeeMode.ETHEREUM_1559, 30_000_000, 1000,
              0, new byte[0], keys, alloc);
      root = GenesisFile.trustRoot(genesis);
      verifier = CryptoVerifier.forChain(suite, chainId, root.genesisHash());

      // Block 3: the governance contract's storage holds the next set.
      InMemoryNodeStore nodes = new InMemoryNodeStore();
      List<byte[]> slots = GovernanceLayout.slots(nextKeys.size());
      SecureTrie governanceStorage = new SecureTrie(suite.hashFunction(), nodes);
      governanceStorage.put(slots.get(0), Rlp.encodeUnsignedLong(nextKeys.size()));
      for (int i = 0; i < nextKeys.size(); i++) {
        byte[] key = nextKeys.get(i).publicKey();
        governanceStorage.put(slots.get(1 + 3 * i), Rlp.encodeUnsignedLong(64));
        governanceStorage.put(slots.get(2 + 3 * i), storageValue(slice(key, 0)));
        governanceStorage.put(slots.get(3 + 3 * i), storageValue(slice(key, 32)));
      }
      SecureTrie state3 = new SecureTrie(suite.hashFunction(), nodes);
      state3.put(GovernanceLayout.address(), accountValue(governanceStorage.rootHash()));
      Map<ByteKey, List<byte[]>> proofs = new LinkedHashMap<>();
      slots.forEach(slot -> proofs.put(new ByteKey(slot), governanceStorage.prove(slot)));
      change = new ProofBundle.ValidatorChange(
          seal(3, state3.rootHash(), List.of(), List.of(), genesisKeys.subList(0, 3)),
          new ProofBundle.AccountProof(GovernanceLayout.address(),
              state3.prove(GovernanceLayout.address()), proofs));

      // Block 5: a transfer with a log, a notary record, a notary batch of seven digests.
      recordDigest = suite.hash("contract.pdf".getBytes(StandardCharsets.UTF_8));
      for (int i = 0; i < 7; i++) {
        batchDigests.add(suite.hash(("invoice " + i).getBytes(StandardCharsets.UTF_8)));
      }
      byte[] depositor = word(new BigInteger(1, suite.address(sender.publicKey())));
      byte[] batchRoot = MerkleBatch.root(suite.hashFunction(), batchDigests);
      for (int nonce = 0; nonce < 3; nonce++) {
        txs.add(TransactionSigner.sign(new Transaction(Transaction.DYNAMIC_FEE, chainId, nonce,
            BigInteger.ONE, BigInteger.TEN, 100_000, nonce == 0 ? CONTRACT : NOTARY,
            BigInteger.valueOf(nonce == 0 ? 5 : 0), new byte[] {1, 0, 2}, List.of(),
            BigInteger.ZERO, List.of(), 0, BigInteger.ZERO, BigInteger.ZERO, new byte[0],
            new byte[0]), sender, suite).encoded());
      }
      // A fourth transaction with its last byte changed: on ethereum chains inside s (another
      // sender, or none, is recovered), on sm chains inside the carried key (not a curve point).
      byte[] corrupted = txs.getFirst().clone();
      corrupted[corrupted.length - 1] ^= 1;
      txs.add(corrupted);
      receipts.add(receipt(CONTRACT, List.of(SLOT), new byte[] {9}));
      receipts.add(receipt(NOTARY, List.of(RECORDED, suite.hash(new byte[] {1}), recordDigest,
          depositor), abi("HT-2026-001", 1L, 1L, "contract", "{\"title\":\"采购合同\"}")));
      receipts.add(receipt(NOTARY, List.of(BATCH_ANCHORED, batchRoot,
          word(BigInteger.valueOf(12)), depositor), abi(7L, "{\"source\":\"ERP\"}")));
      SecureTrie storage = new SecureTrie(suite.hashFunction(), nodes);
      storage.put(SLOT, Rlp.encodeBytes(new byte[] {0x2a}));
      SecureTrie state5 = new SecureTrie(suite.hashFunction(), nodes);
      state5.put(CONTRACT, Rlp.encodeList(Rlp.encodeUnsignedLong(1), Rlp.encodeUnsignedLong(1000),
          Rlp.encodeBytes(storage.rootHash()), Rlp.encodeBytes(suite.hash(new byte[] {0x60}))));
      Map<ByteKey, List<byte[]>> accountSlots = new LinkedHashMap<>();
      accountSlots.put(new ByteKey(SLOT), storage.prove(SLOT));
      byte[] absent = word(BigInteger.TWO);
      accountSlots.put(new ByteKey(absent), storage.prove(absent));
      account = new ProofBundle.AccountProof(CONTRACT, state5.prove(CONTRACT), accountSlots);
      block = seal(5, state5.rootHash(), txs, receipts, nextKeys.subList(0, 2));
    }

    /** The header of block {@code number} over these roots, sealed by {@code sealers}. */
    ProofBundle.Sealed seal(long number, byte[] stateRoot, List<byte[]> txs,
        List<byte[]> receipts, List<KeyPair> sealers) {
      byte[] header = Rlp.encodeList(Rlp.encodeBytes(new byte[32]), Rlp.encodeBytes(new byte[32]),
          Rlp.encodeBytes(new byte[20]), Rlp.encodeBytes(stateRoot),
          Rlp.encodeBytes(trie(txs).rootHash()), Rlp.encodeBytes(trie(receipts).rootHash()),
          Rlp.encodeBytes(new byte[256]), Rlp.encodeUnsignedLong(0),
          Rlp.encodeUnsignedLong(number), Rlp.encodeUnsignedLong(30_000_000),
          Rlp.encodeUnsignedLong(21_000), Rlp.encodeUnsignedLong(1_800_000_000L + number),
          Rlp.encodeBytes(new byte[0]), Rlp.encodeBytes(new byte[32]),
          Rlp.encodeBytes(new byte[8]), Rlp.encodeUnsignedLong(7));
      byte[] hash = suite.hash(header);
      byte[] digest = verifier.hash(MessageCodec.sealBody(number, 0, hash));
      List<CommitCertificate.Seal> seals = new ArrayList<>();
      for (KeyPair keys : sealers) {
        seals.add(new CommitCertificate.Seal(new ByteKey(suite.address(keys.publicKey())),
            suite.sign(digest, keys)));
      }
      return new ProofBundle.Sealed(header, new CommitCertificate(number, 0, hash, seals)
          .encode());
    }

    /** A block's transaction or receipt trie: items keyed by rlp(index). */
    MerklePatriciaTrie trie(List<byte[]> items) {
      MerklePatriciaTrie trie = new MerklePatriciaTrie(suite.hashFunction(),
          new InMemoryNodeStore());
      for (int i = 0; i < items.size(); i++) {
        trie.put(Rlp.encodeUnsignedLong(i), items.get(i));
      }
      return trie;
    }

    ProofBundle included(ProofBundle.Kind kind, int index) {
      MerklePatriciaTrie txTrie = trie(txs);
      MerklePatriciaTrie receiptTrie = trie(receipts);
      byte[] key = Rlp.encodeUnsignedLong(index);
      return new ProofBundle(kind, chain(), block, List.of(change),
          new ProofBundle.Included(index, txs.get(index), txTrie.prove(key)),
          kind == ProofBundle.Kind.TRANSACTION ? null
              : new ProofBundle.Included(index, receipts.get(index), receiptTrie.prove(key)),
          kind == ProofBundle.Kind.LOG ? 0 : null, null);
    }

    ProofBundle.Chain chain() {
      return new ProofBundle.Chain(root.chainId(), suite.name(), root.genesisHash());
    }

    Path writeCases(String name) throws IOException {
      Path genesisFile = OUT.resolve(name + "-genesis.json");
      GenesisFile.write(genesis, genesisFile);
      ProofBundle log = included(ProofBundle.Kind.LOG, 0);
      addCase(name + "-transfer-transaction", included(ProofBundle.Kind.TRANSACTION, 0),
          genesisFile, null);
      addCase(name + "-transfer-receipt", included(ProofBundle.Kind.RECEIPT, 0), genesisFile,
          null);
      addCase(name + "-transfer-log", log, genesisFile, null);
      ProofBundle state = new ProofBundle(ProofBundle.Kind.STATE, chain(), block,
          List.of(change), null, null, null, account);
      addCase(name + "-state", state, genesisFile, null);
      ProofBundle record = included(ProofBundle.Kind.LOG, 1);
      addCase(name + "-notary-record", record, genesisFile, recordDigest);
      addCase(name + "-notary-record-other-digest", record, genesisFile, batchDigests.get(0));
      MerkleBatch batch = MerkleBatch.of(suite.hashFunction(), batchDigests);
      ProofBundle.BatchPath path = new ProofBundle.BatchPath(batchDigests.get(5), 5, 7,
          batch.path(5));
      ProofBundle anchored = included(ProofBundle.Kind.LOG, 2).withBatch(path);
      addCase(name + "-notary-batch", anchored, genesisFile, batchDigests.get(5));
      addCase(name + "-notary-batch-without-path", included(ProofBundle.Kind.LOG, 2),
          genesisFile, batchDigests.get(5));

      // Tampered copies.
      CommitCertificate certificate = CommitCertificate.decode(block.certificate());
      List<CommitCertificate.Seal> seals = new ArrayList<>(certificate.seals());
      Signature first = seals.getFirst().signature();
      seals.set(0, new CommitCertificate.Seal(seals.getFirst().address(),
          new Signature(first.r().flipBit(8), first.s(), first.recoveryId())));
      addCase(name + "-flipped-seal", withBlock(log, block.header(), new CommitCertificate(
          certificate.height(), certificate.round(), certificate.blockDigest(), seals).encode()),
          genesisFile, null);
      seals.set(0, new CommitCertificate.Seal(seals.getFirst().address(),
          new Signature(BigInteger.ZERO, first.s(), first.recoveryId())));
      addCase(name + "-seal-out-of-range", withBlock(log, block.header(), new CommitCertificate(
          certificate.height(), certificate.round(), certificate.blockDigest(), seals).encode()),
          genesisFile, null);
      byte[] rawCertificate = block.certificate().clone();
      rawCertificate[rawCertificate.length - 3] ^= 0x40;
      addCase(name + "-flipped-certificate-byte", withBlock(log, block.header(), rawCertificate),
          genesisFile, null);
      byte[] malformedCertificate = block.certificate().clone();
      malformedCertificate[0] ^= 1;
      addCase(name + "-malformed-certificate", withBlock(log, block.header(),
          malformedCertificate), genesisFile, null);
      addCase(name + "-corrupted-transaction", included(ProofBundle.Kind.TRANSACTION, 3),
          genesisFile, null);
      addCase(name + "-one-seal", withBlock(log, block.header(), new CommitCertificate(
          certificate.height(), certificate.round(), certificate.blockDigest(),
          certificate.seals().subList(0, 1)).encode()), genesisFile, null);
      byte[] header = block.header().clone();
      header[100] ^= 1;
      addCase(name + "-flipped-header", withBlock(log, header, block.certificate()),
          genesisFile, null);
      byte[] receipt = log.receipt().encoded().clone();
      receipt[receipt.length - 1] ^= 1;
      addCase(name + "-flipped-receipt", new ProofBundle(log.kind(), log.chain(), log.block(),
          log.validatorChanges(), log.transaction(), new ProofBundle.Included(0, receipt,
              log.receipt().proof()), log.logIndex(), null), genesisFile, null);
      byte[] tx = log.transaction().encoded().clone();
      tx[tx.length - 70] ^= 1;
      addCase(name + "-flipped-transaction", new ProofBundle(log.kind(), log.chain(),
          log.block(), log.validatorChanges(), new ProofBundle.Included(0, tx,
              log.transaction().proof()), log.receipt(), log.logIndex(), null), genesisFile,
          null);
      addCase(name + "-without-validator-change", new ProofBundle(log.kind(), log.chain(),
          log.block(), List.of(), log.transaction(), log.receipt(), log.logIndex(), null),
          genesisFile, null);
      addCase(name + "-tampered-governance-storage", new ProofBundle(log.kind(), log.chain(),
          log.block(), List.of(new ProofBundle.ValidatorChange(change.block(),
              io.chorus.proof.ProofChecks.tamperedStorage(change.governance()))),
          log.transaction(), log.receipt(), log.logIndex(), null), genesisFile, null);
      addCase(name + "-tampered-account-storage", new ProofBundle(state.kind(), state.chain(),
          state.block(), state.validatorChanges(), null, null, null,
          io.chorus.proof.ProofChecks.tamperedStorage(account)), genesisFile, null);
      List<byte[]> siblings = new ArrayList<>(path.path());
      byte[] sibling = siblings.getFirst().clone();
      sibling[0] ^= 1;
      siblings.set(0, sibling);
      addCase(name + "-flipped-batch-path", included(ProofBundle.Kind.LOG, 2).withBatch(
          new ProofBundle.BatchPath(path.leaf(), 5, 7, siblings)), genesisFile,
          batchDigests.get(5));
      addCase(name + "-batch-path-on-a-receipt", included(ProofBundle.Kind.RECEIPT, 2)
          .withBatch(path), genesisFile, null);
      addCase(name + "-dev-chain-block", withBlock(log, block.header(), new byte[0]),
          genesisFile, null);
      ProofBundle otherChain = new ProofBundle(log.kind(), new ProofBundle.Chain(
          root.chainId().add(BigInteger.ONE), suite.name(), root.genesisHash()), log.block(),
          log.validatorChanges(), log.transaction(), log.receipt(), log.logIndex(), null);
      addCase(name + "-claims-another-chain-id", otherChain, genesisFile, null);
      // A genesis that differs only in its timestamp: another chain, so another trust root.
      Path otherGenesis = OUT.resolve(name + "-other-genesis.json");
      GenesisFile.write(new Genesis(genesis.chainId(), genesis.suite(), genesis.feeMode(),
          genesis.gasLimit(), genesis.blockIntervalMs(), genesis.timestamp() + 1,
          genesis.extraData(), genesis.validators(), genesis.alloc(), genesis.consortium()),
          otherGenesis);
      addCase(name + "-against-another-genesis", log, otherGenesis, null);
      return genesisFile;
    }
  }

  private static ProofBundle withBlock(ProofBundle b, byte[] header, byte[] certificate) {
    return new ProofBundle(b.kind(), b.chain(), new ProofBundle.Sealed(header, certificate),
        b.validatorChanges(), b.transaction(), b.receipt(), b.logIndex(), b.account(),
        b.batch());
  }

  /** BundleFixture's block (no genesis file: its trust root is given as values). */
  private void fixtureCases(BundleFixture fixture) throws IOException {
    TrustRoot root = fixture.root;
    String suite = fixture.suite.name();
    for (ProofBundle.Kind kind : ProofBundle.Kind.values()) {
      ObjectNode c = addCase("fixture-" + suite + "-" + kind.label(), fixture.bundle(kind),
          null, null);
      ObjectNode plain = c.putObject("trustRoot");
      plain.put("chainId", root.chainId().toString());
      plain.put("suite", suite);
      plain.put("genesisHash", Hex.encode0x(root.genesisHash()));
      root.validators().forEach(v -> plain.withArray("validators").add(Hex.encode0x(v)));
    }
  }

  /** A genesis file as a person writes it: no governance or permissions, numbers as text. */
  private void genesisWithoutGovernance() throws IOException {
    CryptoSuite suite = CryptoSuite.sm();
    StringBuilder validators = new StringBuilder();
    for (int i = 0; i < 3; i++) {
      validators.append(i == 0 ? "" : ", ").append('"').append(Hex.encode0x(
          suite.keyPair(suite.hash(new byte[] {(byte) (40 + i)})).publicKey())).append('"');
    }
    Path file = OUT.resolve("plain-genesis.json");
    Files.writeString(file, """
        { "chainId": "0x10f2", "suite": "sm", "gasLimit": 50000000, "blockIntervalMs": "250",
          "extraData": "0x0102", "validators": [%s],
          "alloc": { "0x00000000000000000000000000000000000000aa": {
              "balance": "0xde0b6b3a7640000", "nonce": 1, "code": "0x6001",
              "storage": { "0x01": "0x0abc" } } } }
        """.formatted(validators));
    ObjectNode c = cases.addObject();
    c.put("name", "plain-genesis");
    c.put("genesis", file.toAbsolutePath().toString());
    c.put("genesisHash", Hex.encode0x(GenesisFile.trustRoot(GenesisFile.read(file))
        .genesisHash()));
  }

  private ObjectNode addCase(String name, String bundleOf, Path genesis, byte[] digest)
      throws IOException {
    for (var existing : cases) {
      if (existing.path("name").asText().equals(bundleOf)) {
        return addCase(name, ProofBundle.fromJson(Files.readString(Path.of(existing.path(
            "bundle").asText()))), genesis, digest);
      }
    }
    throw new IllegalArgumentException("no case " + bundleOf);
  }

  /** Writes the bundle and the Java verdict on it against the genesis file (or values). */
  private ObjectNode addCase(String name, ProofBundle bundle, Path genesis, byte[] digest)
      throws IOException {
    Path file = OUT.resolve(name + ".proof.json");
    Files.writeString(file, bundle.toJson());
    ObjectNode c = cases.addObject();
    c.put("name", name);
    c.put("bundle", file.toAbsolutePath().toString());
    TrustRoot root;
    if (genesis != null) {
      c.put("genesis", genesis.toAbsolutePath().toString());
      root = GenesisFile.trustRoot(GenesisFile.read(genesis));
      c.put("genesisHash", Hex.encode0x(root.genesisHash()));
    } else {
      root = null;
    }
    ObjectNode java = c.putObject("java");
    try {
      TrustRoot trust = root != null ? root : fixtureRoot(bundle);
      Proven proven = ProofVerifier.verify(ProofBundle.fromJson(Files.readString(file)), trust);
      java.put("proven", true);
      java.put("kind", proven.kind().label());
      java.put("blockNumber", proven.blockNumber());
      java.put("blockHash", Hex.encode0x(proven.blockHash()));
      java.put("timestamp", proven.timestamp());
      java.put("time", ProofVerifier.time(proven.timestamp()));
      proven.signers().forEach(s -> java.withArray("signers").add(Hex.encode0x(s)));
      java.put("validatorChanges", proven.validatorChanges());
      ObjectNode facts = java.putObject("facts");
      proven.facts().forEach(facts::put);
    } catch (ProofException e) {
      java.put("proven", false);
      java.put("reason", e.getMessage());
    }
    if (digest != null) {
      c.put("digest", Hex.encode0x(digest));
      ObjectNode notary = c.putObject("notary");
      try {
        NotaryEvidence.Evidence e = NotaryEvidence.verify(ProofBundle.fromJson(
            Files.readString(file)), root, digest);
        notary.put("proven", true);
        notary.put("how", e.how());
        notary.put("digest", Hex.encode0x(e.digest()));
        notary.put("id", e.id());
        notary.put("version", e.version());
        notary.put("algorithm", e.algorithm());
        notary.put("recordType", e.recordType());
        notary.put("metadata", e.metadata());
        notary.put("batchNumber", e.batchNumber());
        notary.put("index", e.index());
        notary.put("count", e.count());
        notary.put("depositor", Hex.encode0x(e.depositor()));
      } catch (ProofException e) {
        notary.put("proven", false);
        notary.put("reason", e.getMessage());
      }
    }
    return c;
  }

  private static TrustRoot fixtureRoot(ProofBundle bundle) {
    return new BundleFixture(CryptoSuite.byName(bundle.chain().suite())).root;
  }

  private static byte[] receipt(byte[] emitter, List<byte[]> topics, byte[] data) {
    List<byte[]> encodedTopics = topics.stream().map(Rlp::encodeBytes).toList();
    return Bytes.concat(new byte[] {Transaction.DYNAMIC_FEE}, Rlp.encodeList(
        Rlp.encodeUnsignedLong(1), Rlp.encodeUnsignedLong(30_000),
        Rlp.encodeBytes(new byte[256]), Rlp.encodeList(Rlp.encodeList(Rlp.encodeBytes(emitter),
            Rlp.encodeList(encodedTopics), Rlp.encodeBytes(data)))));
  }

  /** Solidity's ABI encoding of event data: longs as words, strings as dynamic tails. */
  private static byte[] abi(Object... values) {
    List<byte[]> head = new ArrayList<>();
    List<byte[]> tail = new ArrayList<>();
    int tailAt = 32 * values.length;
    for (Object value : values) {
      if (value instanceof Long l) {
        head.add(word(BigInteger.valueOf(l)));
      } else {
        byte[] text = ((String) value).getBytes(StandardCharsets.UTF_8);
        head.add(word(BigInteger.valueOf(tailAt)));
        byte[] padded = new byte[(text.length + 31) / 32 * 32];
        System.arraycopy(text, 0, padded, 0, text.length);
        tail.add(word(BigInteger.valueOf(text.length)));
        tail.add(padded);
        tailAt += 32 + padded.length;
      }
    }
    head.addAll(tail);
    return Bytes.concat(head.toArray(new byte[0][]));
  }

  private static byte[] accountValue(byte[] storageRoot) {
    return Rlp.encodeList(Rlp.encodeUnsignedLong(1), Rlp.encodeUnsignedLong(0),
        Rlp.encodeBytes(storageRoot), Rlp.encodeBytes(new byte[32]));
  }

  private static byte[] storageValue(byte[] word) {
    return Rlp.encodeBytes(Bytes.trimLeadingZeros(word));
  }

  private static byte[] slice(byte[] key, int from) {
    return java.util.Arrays.copyOfRange(key, from, from + 32);
  }

  private static byte[] word(BigInteger value) {
    byte[] bytes = Bytes.trimLeadingZeros(value.toByteArray());
    byte[] word = new byte[32];
    System.arraycopy(bytes, 0, word, 32 - bytes.length, bytes.length);
    return word;
  }

  private static byte[] address(int last) {
    byte[] a = new byte[20];
    a[18] = (byte) (last >> 8);
    a[19] = (byte) last;
    return a;
  }
}
