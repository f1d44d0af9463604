package io.chorus.state.system;

import com.esaulpaugh.headlong.abi.Tuple;
import io.chorus.crypto.MerkleBatch;
import io.chorus.evm.Address;
import io.chorus.evm.StateReader;
import io.chorus.evm.Word;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The notarization (存证) system contract at {@code 0x…1002}: records of content hashes under
 * ids, with their full history of versions, multi-party attestation by co-signers, and Merkle
 * roots that anchor batches of digests. Its ABI is {@code Notary.sol}, a superset of
 * ChainMaker's CMEVI evidence interface (same method names), so CMEVI applications port as they
 * are.
 *
 * <p>Why native rather than a deployed Solidity contract: these are rules the consortium relies
 * on as evidence, so every chain has them from genesis at one address with one meaning, not
 * whichever copy someone deployed; they run as Java over metered storage, cheaper than the same
 * logic interpreted as EVM bytecode; and they change only as the chain's rules change — a new
 * release the consortium adopts — while the parts that are policy (which record types need
 * which co-signers) are set by governance vote ({@link ProposalKind#SET_NOTARY_POLICY}). A
 * contract calls it by its ABI like any other, and its data lives in its account's storage
 * under the state root, so a record is proven by an {@code eth_getProof} of the slots
 * {@link #recordSlots} names.
 *
 * <p>The chain checks what it can check cheaply and deterministically: lengths, the hash's size
 * for its algorithm, who may update or attest. Metadata is JSON by convention; the chain bounds
 * it ({@link #METADATA_BYTES_MAX}) but does not parse it — the node's REST layer validates the
 * JSON before it signs and sends a deposit, and a transaction sent by other means keeps
 * whatever text it carried.
 */
public final class Notary {
  /** The longest id, in UTF-8 bytes. */
  public static final int ID_BYTES_MAX = 128;
  /** The longest metadata, in UTF-8 bytes. */
  public static final int METADATA_BYTES_MAX = 4_096;
  /** The longest record type, in ASCII characters. */
  public static final int RECORD_TYPE_BYTES_MAX = 32;
  /** Every algorithm Chorus knows gives 32-byte hashes. */
  public static final int HASH_BYTES = 32;
  /** The most records one {@code EvidenceBatch} takes. */
  public static final int EVIDENCE_BATCH_MAX = 256;
  /** The most versions one history read returns. */
  public static final int HISTORY_PAGE_MAX = 64;
  /** The most co-signers a record type's policy lists. */
  public static final int SIGNERS_MAX = 16;
  /** The record type of records made through CMEVI's methods, which name none. */
  public static final String CMEVI_RECORD_TYPE = "evidence";

  static final String KNOWN = "1 (sm3), 2 (sha256) or 3 (keccak256)";

  /** The algorithm a content hash was made with; its ordinal is its ABI code. */
  public enum Algorithm {
    /** Deposited through CMEVI's {@code Evidence}, which names none (its metadata may). */
    UNSPECIFIED,
    SM3,
    SHA256,
    KECCAK256;

    /** The algorithm whose ABI code is {@code code}. */
    public static Algorithm of(int code) {
      Algorithm[] all = values();
      if (code < 0 || code >= all.length) {
        throw new IllegalArgumentException("no hash algorithm " + code + ": " + KNOWN);
      }
      return all[code];
    }

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * One version of a record.
   *
   * @param version from 1; each update adds one
   * @param txId the hash of the transaction that deposited this version
   * @param cosigners who attested this version, in order
   * @param attested whether the version counts as attested: its type needs no co-signers, or
   *     enough of them signed
   */
  public record Record(String id, long version, Algorithm algorithm, byte[] hash,
      String recordType, String metadata, Address depositor, byte[] txId, long blockHeight,
      long timestamp, List<Address> cosigners, boolean attested) {}

  /** An anchored batch: the Merkle root of {@code count} digests ({@link MerkleBatch}). */
  public record Batch(long number, byte[] root, long count, String metadata, Address depositor,
      byte[] txId, long blockHeight, long timestamp) {}

  /**
   * Who must co-sign a record type's records: {@code threshold} of {@code signers}, where
   * {@link #DEPOSITOR} stands for each record's depositor.
   */
  public record Policy(List<Address> signers, int threshold) {}

  /** A storage slot of the notary contract with what it holds, for storage proofs. */
  public record StorageSlot(String name, Word key) {}

  /** One record of a CMEVI {@code EvidenceBatch}. */
  public record Entry(String id, byte[] hash, String metadata) {}

  /** Topic 0 of the {@code Recorded} event: the one a version's deposit emits. */
  public static final Word RECORDED_TOPIC = Abi.topic0(NotaryContract.RECORDED);

  /** In a policy's co-signers, the zero address stands for the record's depositor. */
  public static final Address DEPOSITOR = NotaryLayout.DEPOSITOR;

  private Notary() {}

  // ---- reads for the node --------------------------------------------------------------------

  /** The current version of record {@code id} in {@code state}, or null when there is none. */
  public static Record record(StateReader state, String id) {
    long versions = versionCount(state, id);
    return versions == 0 ? null : version(state, id, versions);
  }

  /** How many versions record {@code id} has; 0 when there is no such record. */
  public static long versionCount(StateReader state, String id) {
    return view(state).readLong(NotaryLayout.versions(NotaryLayout.recordKey(id)));
  }

  /** Version {@code version} (from 1) of record {@code id}, or null when it has none. */
  public static Record version(StateReader state, String id, long version) {
    if (version < 1 || version > versionCount(state, id)) {
      return null;
    }
    return NotaryLayout.readVersion(view(state), NotaryLayout.recordKey(id), version);
  }

  /**
   * The storage slots whose changes change record {@code id} as {@code state} holds it: its
   * version count (a new version) and each version's attestation count and attested flag (a
   * co-signature). A version's other fields are written once, with the count. Empty when there
   * is no such record.
   */
  public static List<Word> historySlots(StateReader state, String id) {
    Word record = NotaryLayout.recordKey(id);
    long versions = versionCount(state, id);
    List<Word> slots = new ArrayList<>();
    if (versions == 0) {
      return slots;
    }
    slots.add(NotaryLayout.versions(record));
    for (long v = 1; v <= versions; v++) {
      Word key = NotaryLayout.versionKey(record, v);
      slots.add(NotaryLayout.attestationCount(key));
      slots.add(NotaryLayout.attested(key));
    }
    return slots;
  }

  /**
   * Versions {@code fromVersion} onwards of record {@code id}, at most {@code limit} (up to
   * {@link #HISTORY_PAGE_MAX}); empty when there are none.
   */
  public static List<Record> history(StateReader state, String id, long fromVersion,
      int limit) {
    if (limit < 1 || limit > HISTORY_PAGE_MAX) {
      throw new IllegalArgumentException("a history page holds 1 to " + HISTORY_PAGE_MAX
          + " versions, got " + limit);
    }
    return NotaryContract.history(view(state), id, fromVersion, limit);
  }

  /** The version whose content hash is {@code hash}, or null when none is. */
  public static Record findByHash(StateReader state, byte[] hash) {
    if (hash.length != HASH_BYTES) {
      return null;
    }
    SystemStorage storage = view(state);
    Word record = storage.read(NotaryLayout.byHash(Word.fromBytes(hash)));
    return record.isZero() ? null : NotaryLayout.readVersion(storage, record,
        storage.readLong(NotaryLayout.byHashVersion(Word.fromBytes(hash))));
  }

  /** How many batches were anchored; they are numbered from 1 to this. */
  public static long batchCount(StateReader state) {
    return view(state).readLong(NotaryLayout.BATCH_COUNT);
  }

  /** Batch {@code number}, or null when there is none. */
  public static Batch batch(StateReader state, long number) {
    if (number < 1 || number > batchCount(state)) {
      return null;
    }
    return NotaryLayout.readBatch(view(state), number);
  }

  /** The batch that anchored {@code root}, or null when none did. */
  public static Batch batchByRoot(StateReader state, byte[] root) {
    long number = root.length == 32
        ? view(state).readLong(NotaryLayout.batchByRoot(Word.fromBytes(root))) : 0;
    return number == 0 ? null : NotaryLayout.readBatch(view(state), number);
  }

  /** Record type {@code recordType}'s policy, or null when its records need no co-signers. */
  public static Policy policy(StateReader state, String recordType) {
    return NotaryLayout.policy(view(state), recordType.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The storage slots of the notary contract that hold version {@code version} of record
   * {@code id}, named: what a storage proof of the record proves. Empty when there is no such
   * version.
   */
  public static List<StorageSlot> recordSlots(StateReader state, String id, long version) {
    SystemStorage storage = view(state);
    Word record = NotaryLayout.recordKey(id);
    List<StorageSlot> out = new ArrayList<>();
    if (version < 1 || version > storage.readLong(NotaryLayout.versions(record))) {
      return out;
    }
    Word key = NotaryLayout.versionKey(record, version);
    out.add(new StorageSlot("versions", NotaryLayout.versions(record)));
    NotaryLayout.bytesSlots(storage, "id", record, "id", out);
    NotaryLayout.bytesSlots(storage, "type", record, "type", out);
    out.add(new StorageSlot("depositor", NotaryLayout.depositor(record)));
    out.add(new StorageSlot("hash", NotaryLayout.hash(key)));
    out.add(new StorageSlot("info", NotaryLayout.info(key)));
    out.add(new StorageSlot("tx", NotaryLayout.tx(key)));
    NotaryLayout.bytesSlots(storage, "metadata", key, "metadata", out);
    out.add(new StorageSlot("attestations", NotaryLayout.attestationCount(key)));
    long count = storage.readLong(NotaryLayout.attestationCount(key));
    for (long i = 0; i < count; i++) {
      out.add(new StorageSlot("attester[" + i + "]", NotaryLayout.attester(key, i)));
    }
    out.add(new StorageSlot("attested", NotaryLayout.attested(key)));
    Word content = storage.read(NotaryLayout.hash(key));
    out.add(new StorageSlot("byHash", NotaryLayout.byHash(content)));
    out.add(new StorageSlot("byHashVersion", NotaryLayout.byHashVersion(content)));
    return out;
  }

  /** The storage slots that hold batch {@code number}; empty when there is none. */
  public static List<StorageSlot> batchSlots(StateReader state, long number) {
    SystemStorage storage = view(state);
    List<StorageSlot> out = new ArrayList<>();
    if (number < 1 || number > storage.readLong(NotaryLayout.BATCH_COUNT)) {
      return out;
    }
    out.add(new StorageSlot("batch.root", NotaryLayout.batchRoot(number)));
    out.add(new StorageSlot("batch.info", NotaryLayout.batchInfo(number)));
    out.add(new StorageSlot("batch.depositor", NotaryLayout.batchDepositor(number)));
    out.add(new StorageSlot("batch.tx", NotaryLayout.batchTx(number)));
    NotaryLayout.bytesSlots(storage, "batch.metadata", number, "batch.metadata", out);
    out.add(new StorageSlot("batchByRoot", NotaryLayout.batchByRoot(
        storage.read(NotaryLayout.batchRoot(number)))));
    return out;
  }

  private static SystemStorage view(StateReader state) {
    return SystemStorage.readOnly(SystemContracts.NOTARY, state);
  }

  // ---- call data for clients -----------------------------------------------------------------

  /** CMEVI's {@code Evidence(id, hash, metadata)}. */
  public static byte[] evidenceCall(String id, byte[] hash, String metadata) {
    return Abi.bytes(NotaryContract.EVIDENCE.encodeCallWithArgs(id, hash, metadata));
  }

  /** CMEVI's {@code EvidenceBatch(records)}. */
  public static byte[] evidenceBatchCall(List<Entry> records) {
    return Abi.bytes(NotaryContract.EVIDENCE_BATCH.encodeCallWithArgs((Object) records.stream()
        .map(e -> Tuple.of(e.id(), e.hash(), e.metadata())).toArray(Tuple[]::new)));
  }

  /** CMEVI's {@code UpdateEvidence(id, hash, metadata)}. */
  public static byte[] updateEvidenceCall(String id, byte[] hash, String metadata) {
    return Abi.bytes(NotaryContract.UPDATE_EVIDENCE.encodeCallWithArgs(id, hash, metadata));
  }

  /** {@code Notarize(id, algorithm, hash, recordType, metadata)}. */
  public static byte[] notarizeCall(String id, Algorithm algorithm, byte[] hash,
      String recordType, String metadata) {
    return Abi.bytes(NotaryContract.NOTARIZE.encodeCallWithArgs(id, algorithm.ordinal(), hash,
        recordType, metadata));
  }

  /** {@code Update(id, algorithm, hash, metadata)}, which returns the new version. */
  public static byte[] updateCall(String id, Algorithm algorithm, byte[] hash,
      String metadata) {
    return Abi.bytes(NotaryContract.UPDATE.encodeCallWithArgs(id, algorithm.ordinal(), hash,
        metadata));
  }

  /** {@code Attest(id)}: the current version. */
  public static byte[] attestCall(String id) {
    return Abi.bytes(NotaryContract.ATTEST.encodeCallWithArgs(id));
  }

  /** {@code AttestVersion(id, version)}: exactly that version, whatever came after it. */
  public static byte[] attestVersionCall(String id, long version) {
    return Abi.bytes(NotaryContract.ATTEST_VERSION.encodeCallWithArgs(id, version));
  }

  /** {@code AnchorBatch(root, count, metadata)}, which returns the batch's number. */
  public static byte[] anchorBatchCall(byte[] root, long count, String metadata) {
    return Abi.bytes(NotaryContract.ANCHOR_BATCH.encodeCallWithArgs(root, count, metadata));
  }

  /** {@code GetRecord(id)}; {@link #decodeRecord} reads its answer. */
  public static byte[] getRecordCall(String id) {
    return Abi.bytes(NotaryContract.GET_RECORD.encodeCallWithArgs(id));
  }

  /** The record a {@code GetRecord} or {@code GetVersion} call returned. */
  public static Record decodeRecord(byte[] output) {
    Tuple answer = NotaryContract.GET_RECORD.getOutputs().decode(ByteBuffer.wrap(output));
    return NotaryContract.record(answer.get(0));
  }
}
