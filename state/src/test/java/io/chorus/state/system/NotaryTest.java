package io.chorus.state.system;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.esaulpaugh.headlong.abi.Function;
import com.esaulpaugh.headlong.abi.Tuple;
import com.esaulpaugh.headlong.abi.TupleType;
import io.chorus.codec.Bytes;
import io.chorus.codec.Hex;
import io.chorus.codec.Rlp;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.Keccak256;
import io.chorus.crypto.MerkleBatch;
import io.chorus.evm.Address;
import io.chorus.evm.Log;
import io.chorus.evm.Status;
import io.chorus.evm.Word;
import io.chorus.state.TransactionResult;
import io.chorus.state.WorldState;
import io.chorus.trie.SecureTrie;
import io.chorus.tx.Transaction;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The notary system contract through real transactions: signed, applied by the state
 * transition with its system contracts block by block, read back by eth_call-style calls and by
 * the node's readers. Method: every method's effect is checked against values known apart from
 * the contract (the transaction's hash, the block's number and time, event topics as Solidity
 * derives them, selectors as solc derived them from Notary.sol); every refusal's Error(string)
 * reason is asserted, and the state shown unchanged by it.
 */
class NotaryTest {
  static final Address NOTARY = SystemContracts.NOTARY;
  static final String CMEVI = "((string,bytes,bytes32,uint64,uint64,string))";
  static final String RECORD =
      "((string,uint32,uint8,bytes,string,string,address,bytes32,uint64,uint64,address[],bool))";

  static final int COMMITTEE_MEMBER = NotaryChain.COMMITTEE[0];

  final NotaryChain chain = new NotaryChain(CryptoSuite.ethereum());

  static Word topic0(String signature) {
    return Word.fromBytes(Keccak256.INSTANCE.hash(signature.getBytes(StandardCharsets.UTF_8)));
  }

  static Word idHash(String id) {
    return topic0(id); // keccak-256 of the UTF-8, as Solidity hashes an indexed string
  }

  static Word topic(Address address) {
    return Word.fromBytes(Bytes.leftPad(address.toArray(), 32));
  }

  static com.esaulpaugh.headlong.abi.Address abi(Address address) {
    return com.esaulpaugh.headlong.abi.Address.wrap(
        com.esaulpaugh.headlong.abi.Address.toChecksumAddress(address.toString()));
  }

  @Test
  void cmeviEvidenceIsRecordedWithItsTransactionBlockAndTimeAndFoundByIdAndHash() {
    byte[] hash = chain.content("lease-2025-001.pdf");
    String metadata = "{\"name\":\"lease\",\"HashType\":\"file\"}";
    Transaction tx = chain.sign(0, NOTARY, Notary.evidenceCall("HT-2025-001", hash, metadata),
        1_000_000);
    TransactionResult result = chain.apply(tx);
    assertTrue(result.success(), () -> NotaryChain.reason(result));

    assertEquals(1, result.logs().size());
    Log log = result.logs().get(0);
    assertEquals(NOTARY, log.address());
    assertEquals(List.of(topic0("Recorded(bytes32,bytes32,address,string,uint32,uint8,string,"
        + "string)"), idHash("HT-2025-001"), Word.fromBytes(hash), topic(chain.accounts[0])),
        log.topics());
    assertEquals(Tuple.of("HT-2025-001", 1L, 0, "evidence", metadata),
        TupleType.parse("(string,uint32,uint8,string,string)").decode(log.data()));

    byte[] txHash = Keccak256.INSTANCE.hash(tx.encoded());
    Tuple expected = Tuple.of("HT-2025-001", hash, txHash, BigInteger.valueOf(chain.number),
        BigInteger.valueOf(chain.timestamp()), metadata);
    assertEquals(expected, chain.view("FindById(string)", CMEVI, "HT-2025-001").get(0));
    assertEquals(expected, chain.view("FindByHash(bytes)", CMEVI, (Object) hash).get(0));
    assertEquals(true, chain.view("ExistsOfId(string)", "(bool)", "HT-2025-001").get(0));
    assertEquals(false, chain.view("ExistsOfId(string)", "(bool)", "HT-2025-002").get(0));
    assertEquals(true, chain.view("ExistsOfHash(bytes)", "(bool)", (Object) hash).get(0));
    assertEquals(false, chain.view("ExistsOfHash(bytes)", "(bool)",
        (Object) chain.content("other")).get(0));
    assertEquals(false, chain.view("ExistsOfHash(bytes)", "(bool)", (Object) new byte[20])
        .get(0), "a hash of another length is no hash recorded");

    Notary.Record record = Notary.record(chain.state, "HT-2025-001");
    assertEquals(1, record.version());
    assertEquals(Notary.Algorithm.UNSPECIFIED, record.algorithm());
    assertEquals("evidence", record.recordType());
    assertEquals(chain.accounts[0], record.depositor());
    assertArrayEquals(txHash, record.txId());
    assertTrue(record.attested(), "a type without a policy needs no co-signers");
    assertEquals(List.of(), record.cosigners());
    assertNull(Notary.record(chain.state, "HT-2025-002"));
    assertEquals(record.id(), Notary.findByHash(chain.state, hash).id());
  }

  @Test
  void updatesAddVersionsAndEveryVersionStaysFindable() {
    byte[] h1 = chain.content("deed v1");
    byte[] h2 = chain.content("deed v2");
    byte[] h3 = chain.content("deed v3");
    chain.notary(0, Notary.notarizeCall("deed-7", Notary.Algorithm.SHA256, h1, "copyright",
        "{\"v\":1}"));
    chain.nextBlock();
    TransactionResult second = chain.notary(0, Notary.updateCall("deed-7",
        Notary.Algorithm.KECCAK256, h2, "{\"v\":2}"));
    assertEquals(BigInteger.TWO, new BigInteger(1, second.output()), "Update returns 2");
    chain.nextBlock();
    TransactionResult third = chain.notary(0, Notary.updateEvidenceCall("deed-7", h3,
        "{\"v\":3}"));
    Tuple logged = TupleType.parse("(string,uint32,uint8,string,string)")
        .decode(third.logs().get(0).data());
    assertEquals(3L, (Long) logged.get(1));
    assertEquals(3, (Integer) logged.get(2), "UpdateEvidence keeps the algorithm: keccak256");

    Tuple[] history = chain.view("FindHisById(string)",
        "((string,bytes,bytes32,uint64,uint64,string)[])", "deed-7").get(0);
    assertEquals(3, history.length);
    byte[][] hashes = {h1, h2, h3};
    for (int i = 0; i < 3; i++) {
      assertArrayEquals(hashes[i], history[i].get(1));
      assertEquals(BigInteger.valueOf(i + 1), history[i].get(3), "deposited in block " + (i + 1));
      assertEquals("{\"v\":" + (i + 1) + "}", history[i].get(5));
    }
    Tuple[] page = chain.view("GetHistory(string,uint32,uint32)",
        "((string,uint32,uint8,bytes,string,string,address,bytes32,uint64,uint64,address[],bool)"
            + "[])", "deed-7", 2L, 64L).get(0);
    assertEquals(List.of(2L, 3L), List.of(page[0].get(1), page[1].get(1)));
    Notary.Record first = Notary.decodeRecord(chain.call(0, NOTARY,
        Function.parse("GetVersion(string,uint32)").encodeCallWithArgs("deed-7", 1L).array()));
    assertEquals(Notary.Algorithm.SHA256, first.algorithm());
    assertEquals("copyright", first.recordType());
    assertArrayEquals(h1, first.hash());
    Notary.Record current = Notary.decodeRecord(chain.call(0, NOTARY,
        Notary.getRecordCall("deed-7")));
    assertEquals(3, current.version());
    assertArrayEquals(h3, current.hash());
    assertEquals(BigInteger.ONE, ((Tuple) chain.view("FindByHash(bytes)", CMEVI, (Object) h1)
        .get(0)).get(3), "an old hash finds the version that holds it");

    assertEquals(3, Notary.versionCount(chain.state, "deed-7"));
    assertEquals(List.of(1L, 2L), Notary.history(chain.state, "deed-7", 1, 2).stream()
        .map(Notary.Record::version).toList());
    assertEquals(2, Notary.findByHash(chain.state, h2).version());
    assertEquals(chain.timestamp(), Notary.record(chain.state, "deed-7").timestamp());
  }

  @Test
  void refusalsRevertWithTheirReasonAndChangeNothing() {
    byte[] hash = chain.content("a");
    byte[] other = chain.content("b");
    chain.notary(0, Notary.notarizeCall("a", Notary.Algorithm.SHA256, hash, "contract", ""));
    assertEquals("id 'a' is already recorded (1 version(s)): change it with UpdateEvidence or"
        + " Update", chain.refused(1, Notary.evidenceCall("a", other, "")));
    assertEquals("hash " + Hex.encode0x(hash) + " is already recorded, as version 1 of 'a'",
        chain.refused(1, Notary.evidenceCall("b", hash, "")));
    assertEquals("a hash is 32 bytes, got 20",
        chain.refused(1, Notary.evidenceCall("b", new byte[20], "")));
    assertEquals("a sha256 hash is 32 bytes, got 31", chain.refused(1, Notary.notarizeCall("b",
        Notary.Algorithm.SHA256, new byte[31], "contract", "")));
    assertEquals("the hash is all zeros: pass the content's hash",
        chain.refused(1, Notary.evidenceCall("b", new byte[32], "")));
    assertEquals("metadata is at most 4096 bytes, got 4097",
        chain.refused(1, Notary.evidenceCall("b", other, "x".repeat(4097))));
    assertEquals("an id is 1 to 128 bytes of UTF-8, got 0",
        chain.refused(1, Notary.evidenceCall("", other, "")));
    assertEquals("an id is 1 to 128 bytes of UTF-8, got 129",
        chain.refused(1, Notary.evidenceCall("i".repeat(129), other, "")));
    assertEquals("an id may not hold control characters",
        chain.refused(1, Notary.evidenceCall("b\n", other, "")));
    byte[] unknownAlgorithm = Function.parse("Notarize(string,uint8,bytes,string,string)")
        .encodeCallWithArgs("b", 4, other, "contract", "").array();
    assertEquals("the hash's algorithm is 1 (sm3), 2 (sha256) or 3 (keccak256), got 4",
        chain.refused(1, unknownAlgorithm));
    assertEquals("a record type is 1 to 32 characters of a-z, 0-9, '-' and '_', got 'Contract'",
        chain.refused(1, Notary.notarizeCall("b", Notary.Algorithm.SM3, other, "Contract", "")));
    assertEquals("no record with id 'nope'",
        chain.refused(0, Notary.updateEvidenceCall("nope", other, "")));
    assertEquals("only the depositor " + chain.accounts[0] + " may update 'a', not "
        + chain.accounts[1], chain.refused(1, Notary.updateEvidenceCall("a", other, "")));
    assertEquals("hash " + Hex.encode0x(hash) + " is already recorded, as version 1 of 'a'",
        chain.refused(0, Notary.updateEvidenceCall("a", hash, "")), "an update must change it");
    assertEquals("'a' has no version 2: it has versions 1 to 1",
        chain.viewRefused("GetVersion(string,uint32)", "a", 2L));
    assertEquals("no record with id 'nope'", chain.viewRefused("FindById(string)", "nope"));
    assertEquals("no record has hash " + Hex.encode0x(other),
        chain.viewRefused("FindByHash(bytes)", (Object) other));
    assertEquals("the notary contract has no function with selector 0x12345678",
        chain.refused(0, Hex.decode("12345678")));

    assertEquals(1, Notary.versionCount(chain.state, "a"));
    assertEquals(0, Notary.versionCount(chain.state, "b"));
    assertNull(Notary.findByHash(chain.state, other));
    assertTrue(chain.send(0, NOTARY, Notary.evidenceCall("b", other, "x".repeat(4096)))
        .success(), "metadata of exactly 4096 bytes is allowed");
  }

  @Test
  void aDepositOutOfGasSpendsItAllAndRecordsNothing() {
    TransactionResult starved = chain.apply(chain.sign(0, NOTARY,
        Notary.evidenceCall("starved", chain.content("s"), ""), 80_000));
    assertEquals(Status.OUT_OF_GAS, starved.status());
    assertEquals(80_000, starved.gasUsed(), "an exceptional halt keeps no gas");
    assertEquals(0, Notary.versionCount(chain.state, "starved"));
    TransactionResult fed = chain.notary(0, Notary.evidenceCall("fed", chain.content("f"), ""));
    // 2,000 for the call, 20,000 per slot written (id, its length, type, its length,
    // depositor, versions, hash, info, tx, metadata length, byHash, byHashVersion, attested):
    // the storage is metered as SSTOREs are.
    assertTrue(fed.gasUsed() > 21_000 + 2_000 + 13 * 20_000, "gas used " + fed.gasUsed());
  }

  @Test
  void evidenceBatchRecordsAllOrNone() {
    List<Notary.Entry> three = List.of(
        new Notary.Entry("e1", chain.content("e1"), "{}"),
        new Notary.Entry("e2", chain.content("e2"), "{}"),
        new Notary.Entry("e3", chain.content("e3"), "{}"));
    TransactionResult result = chain.notary(0, Notary.evidenceBatchCall(three));
    assertEquals(3, result.logs().size());
    for (int i = 0; i < 3; i++) {
      assertEquals(idHash("e" + (i + 1)), result.logs().get(i).topics().get(1));
      assertEquals(1, Notary.versionCount(chain.state, "e" + (i + 1)));
    }
    assertEquals("empty batch: EvidenceBatch takes 1 to 256 records, got 0",
        chain.refused(0, Notary.evidenceBatchCall(List.of())));
    List<Notary.Entry> tooMany = new ArrayList<>();
    for (int i = 0; i < 257; i++) {
      tooMany.add(new Notary.Entry("m" + i, chain.content("m" + i), ""));
    }
    assertEquals("EvidenceBatch takes 1 to 256 records, got 257",
        chain.refused(0, Notary.evidenceBatchCall(tooMany)));
    assertEquals("record 2 of 2 in the batch: hash " + Hex.encode0x(chain.content("e2"))
        + " is already recorded, as version 1 of 'e2'", chain.refused(0,
            Notary.evidenceBatchCall(List.of(new Notary.Entry("e4", chain.content("e4"), ""),
                new Notary.Entry("e5", chain.content("e2"), "")))));
    assertEquals(0, Notary.versionCount(chain.state, "e4"), "the batch's first record is undone");
  }

  @Test
  void aBatchRootAnchorsThousandsOfDigestsInOneTransaction() {
    List<byte[]> digests = new ArrayList<>();
    for (int i = 0; i < 4096; i++) {
      digests.add(chain.content("voucher " + i));
    }
    MerkleBatch tree = MerkleBatch.of(chain.hash, digests);
    byte[] root = tree.root();
    Transaction tx = chain.sign(2, NOTARY, Notary.anchorBatchCall(root, 4096,
        "{\"source\":\"gateway-1\"}"), 1_000_000);
    TransactionResult result = chain.apply(tx);
    assertTrue(result.success(), () -> NotaryChain.reason(result));
    assertEquals(BigInteger.ONE, new BigInteger(1, result.output()), "batch number 1");
    // One slot per field and the root index: a 100M-gas block anchors over 400 such batches,
    // 1.6 million digests.
    assertTrue(result.gasUsed() < 250_000, "gas used " + result.gasUsed());
    Log log = result.logs().get(0);
    assertEquals(List.of(topic0("BatchAnchored(bytes32,uint64,address,uint32,string)"),
        Word.fromBytes(root), Word.of(1), topic(chain.accounts[2])), log.topics());
    assertEquals(Tuple.of(4096L, "{\"source\":\"gateway-1\"}"),
        TupleType.parse("(uint32,string)").decode(log.data()));

    String batch = "((uint64,bytes32,uint32,string,address,bytes32,uint64,uint64))";
    Tuple expected = Tuple.from(BigInteger.ONE, root, 4096L, "{\"source\":\"gateway-1\"}",
        abi(chain.accounts[2]), Keccak256.INSTANCE.hash(tx.encoded()),
        BigInteger.valueOf(chain.number), BigInteger.valueOf(chain.timestamp()));
    assertEquals(expected, chain.view("GetBatch(uint64)", batch, BigInteger.ONE).get(0));
    assertEquals(expected, chain.view("GetBatchByRoot(bytes32)", batch, (Object) root).get(0));

    Notary.Batch anchored = Notary.batchByRoot(chain.state, root);
    assertEquals(4096, anchored.count());
    assertTrue(MerkleBatch.verify(chain.hash, anchored.root(), digests.get(1234), 1234,
        anchored.count(), tree.path(1234)), "a digest is proven by its path to the anchor");

    byte[] second = MerkleBatch.root(chain.hash, digests.subList(0, 7));
    chain.notary(2, Notary.anchorBatchCall(second, 7, ""));
    assertEquals(2, Notary.batchCount(chain.state));
    assertEquals(BigInteger.TWO, chain.view("BatchCount()", "(uint64)").get(0));
    assertEquals(7, Notary.batch(chain.state, 2).count());
    assertNull(Notary.batch(chain.state, 3));

    assertEquals("empty batch: a batch anchors 1 to 16777216 digests, got 0",
        chain.refused(2, Notary.anchorBatchCall(chain.content("r"), 0, "")));
    assertEquals("a batch anchors 1 to 16777216 digests, got 16777217",
        chain.refused(2, Notary.anchorBatchCall(chain.content("r"), (1 << 24) + 1, "")));
    assertEquals("the batch root is all zeros: anchor the Merkle root of the digests",
        chain.refused(2, Notary.anchorBatchCall(new byte[32], 1, "")));
    assertEquals("root " + Hex.encode0x(root) + " is already anchored, as batch 1",
        chain.refused(3, Notary.anchorBatchCall(root, 4096, "")));
    assertEquals("no batch 3", chain.viewRefused("GetBatch(uint64)", BigInteger.valueOf(3)));
  }

  @Test
  void theSlotsARecordUsesProveItAgainstTheStateRoot() {
    byte[] hash = chain.content("proof");
    String metadata = "{\"court\":\"Hangzhou Internet Court\",\"case\":42}"; // two chunks
    chain.notary(1, Notary.notarizeCall("proof-1", Notary.Algorithm.SM3, hash, "evidence",
        metadata));
    List<Notary.StorageSlot> slots = Notary.recordSlots(chain.state, "proof-1", 1);
    Map<String, Word> named = new java.util.LinkedHashMap<>();
    slots.forEach(s -> named.put(s.name(), s.key()));
    assertTrue(named.containsKey("metadata[1]") && !named.containsKey("metadata[2]"),
        named.keySet().toString());
    WorldState state = chain.state;
    assertEquals(Word.fromBytes(hash), state.storage(NOTARY, named.get("hash")));
    assertEquals(topic(chain.accounts[1]), state.storage(NOTARY, named.get("depositor")));
    assertEquals(Word.of(1), state.storage(NOTARY, named.get("versions")));
    BigInteger info = state.storage(NOTARY, named.get("info")).toBigInteger();
    assertEquals(BigInteger.valueOf(Notary.Algorithm.SM3.ordinal()), info.shiftRight(128));
    assertEquals(chain.number, info.shiftRight(64).longValue());
    assertEquals(chain.timestamp(), info.longValue());

    byte[] stateRoot = state.commit();
    List<Word> keys = slots.stream().map(Notary.StorageSlot::key).toList();
    WorldState.Proof proof = state.prove(NOTARY, keys);
    assertTrue(SecureTrie.verifyProof(chain.hash, stateRoot, NOTARY.toArray(),
        proof.accountProof()).isPresent());
    for (int i = 0; i < keys.size(); i++) {
      Word value = state.storage(NOTARY, keys.get(i));
      Optional<byte[]> proven = SecureTrie.verifyProof(chain.hash, proof.storageRoot(),
          keys.get(i).toBytes(), proof.storageProofs().get(i));
      if (value.isZero()) {
        assertTrue(proven.isEmpty(), slots.get(i).name() + " is proven absent");
      } else {
        assertArrayEquals(Rlp.encodeBytes(Bytes.trimLeadingZeros(value.toBytes())),
            proven.orElseThrow(), slots.get(i).name());
      }
    }
    assertEquals(List.of(), Notary.recordSlots(chain.state, "proof-1", 2));
    assertEquals(List.of(), Notary.recordSlots(chain.state, "nope", 1));
  }

  /** The selectors solc 0.8.30 derived from Notary.sol (its methodIdentifiers). */
  static final Map<String, String> SOLC_SELECTORS = Map.ofEntries(
      Map.entry("AnchorBatch(bytes32,uint32,string)", "ea605189"),
      Map.entry("Attest(string)", "15109e81"),
      Map.entry("AttestVersion(string,uint32)", "e287ac10"),
      Map.entry("BatchCount()", "9cb4fba6"),
      Map.entry("Evidence(string,bytes,string)", "69064a19"),
      Map.entry("EvidenceBatch((string,bytes,string)[])", "5df6f1eb"),
      Map.entry("ExistsOfHash(bytes)", "2f66a9dc"),
      Map.entry("ExistsOfId(string)", "dfb094b6"),
      Map.entry("FindByHash(bytes)", "6cdb3834"),
      Map.entry("FindById(string)", "3b8a9503"),
      Map.entry("FindHisById(string)", "d1bc20c1"),
      Map.entry("GetBatch(uint64)", "63b01bca"),
      Map.entry("GetBatchByRoot(bytes32)", "774c0076"),
      Map.entry("GetHistory(string,uint32,uint32)", "30f67de8"),
      Map.entry("GetPolicy(string)", "15b55e9f"),
      Map.entry("GetRecord(string)", "e5bb18bf"),
      Map.entry("GetVersion(string,uint32)", "36bde11a"),
      Map.entry("Notarize(string,uint8,bytes,string,string)", "5ad4d891"),
      Map.entry("Update(string,uint8,bytes,string)", "2e26eeeb"),
      Map.entry("UpdateEvidence(string,bytes,string)", "b9bc1243"));

  @Test
  void callDataCutShortRevertsAsMalformedInsteadOfEscapingTheStateTransition() {
    byte[] propose = Arrays.copyOf(Governance.proposeCall(ProposalKind.FREEZE,
        ProposalKind.FREEZE.encode(chain.accounts[1]), 10), 4);
    for (Address system : List.of(SystemContracts.GOVERNANCE, NOTARY)) {
      byte[] selectorOnly = system.equals(NOTARY)
          ? Arrays.copyOf(Notary.evidenceCall("x", chain.content("x"), ""), 4) : propose;
      TransactionResult result = chain.send(COMMITTEE_MEMBER, system, selectorOnly);
      assertEquals(Status.REVERT, result.status(), system.toString());
      assertTrue(NotaryChain.reason(result).startsWith("malformed call data: "),
          NotaryChain.reason(result));
    }
  }

  @Test
  void everyMethodOfNotarySolIsAnsweredAndItsEventsAreSolidity() {
    for (Map.Entry<String, String> method : SOLC_SELECTORS.entrySet()) {
      TransactionResult result = chain.simulate(0, NOTARY, Hex.decode(method.getValue()));
      String answer = result.success() ? "" : NotaryChain.reason(result);
      assertFalse(answer.startsWith("the notary contract has no function"), method.getKey());
    }
    assertEquals("Recorded(bytes32,bytes32,address,string,uint32,uint8,string,string)",
        NotaryContract.RECORDED.getCanonicalSignature());
    assertEquals("Attested(bytes32,bytes32,address,string,uint32,uint32,bool)",
        NotaryContract.ATTESTED.getCanonicalSignature());
    assertEquals("BatchAnchored(bytes32,uint64,address,uint32,string)",
        NotaryContract.BATCH_ANCHORED.getCanonicalSignature());
  }
}
