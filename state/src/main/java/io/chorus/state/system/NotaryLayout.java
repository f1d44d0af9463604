package io.chorus.state.system;

import io.chorus.crypto.Keccak256;
import io.chorus.evm.Address;
import io.chorus.evm.Word;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the notary contract keeps its data in its account's storage, and the reads and writes
 * of it. Each slot is {@link SystemStorage#slot}'s keccak of a name and keys; the layout is
 * documented in {@code Notary.sol} for whoever proves a record from a storage proof.
 */
final class NotaryLayout {
  static final Word BATCH_COUNT = SystemStorage.slot("batchCount");
  /** Stands in a policy's co-signers for the depositor of each record. */
  static final Address DEPOSITOR = Address.of(new byte[Address.BYTES]);

  private NotaryLayout() {}

  /** A record's key: keccak-256 of its id's UTF-8, the same as its events' indexed id hash. */
  static Word recordKey(String id) {
    return Word.fromBytes(Keccak256.INSTANCE.hash(id.getBytes(StandardCharsets.UTF_8)));
  }

  /** The key of version {@code version} (from 1) of the record {@code record}. */
  static Word versionKey(Word record, long version) {
    return SystemStorage.slot("version", record, version);
  }

  static Word versions(Word record) {
    return SystemStorage.slot("versions", record);
  }

  static Word depositor(Word record) {
    return SystemStorage.slot("depositor", record);
  }

  static Word hash(Word version) {
    return SystemStorage.slot("hash", version);
  }

  /** algorithm << 128 | block height << 64 | block timestamp. */
  static Word info(Word version) {
    return SystemStorage.slot("info", version);
  }

  static Word tx(Word version) {
    return SystemStorage.slot("tx", version);
  }

  static Word attestationCount(Word version) {
    return SystemStorage.slot("attestations", version);
  }

  static Word attester(Word version, long index) {
    return SystemStorage.slot("attester", version, index);
  }

  static Word attestedBy(Word version, Address signer) {
    return SystemStorage.slot("attestedBy", version, signer);
  }

  /** 1 once the version counts as attested. */
  static Word attested(Word version) {
    return SystemStorage.slot("attested", version);
  }

  /** The record key holding a content hash; {@link #byHashVersion} its version. */
  static Word byHash(Word contentHash) {
    return SystemStorage.slot("byHash", contentHash);
  }

  static Word byHashVersion(Word contentHash) {
    return SystemStorage.slot("byHashVersion", contentHash);
  }

  static Word policyThreshold(byte[] recordType) {
    return SystemStorage.slot("policy.threshold", recordType);
  }

  static Word policySignerCount(byte[] recordType) {
    return SystemStorage.slot("policy.signerCount", recordType);
  }

  static Word policySigner(byte[] recordType, long index) {
    return SystemStorage.slot("policy.signer", recordType, index);
  }

  /** The signer's place in the policy's list, from 1; 0 when not listed. */
  static Word policyIndex(byte[] recordType, Address signer) {
    return SystemStorage.slot("policy.index", recordType, signer);
  }

  static Word batchRoot(long number) {
    return SystemStorage.slot("batch.root", number);
  }

  /** leaf count << 128 | block height << 64 | block timestamp. */
  static Word batchInfo(long number) {
    return SystemStorage.slot("batch.info", number);
  }

  static Word batchDepositor(long number) {
    return SystemStorage.slot("batch.depositor", number);
  }

  static Word batchTx(long number) {
    return SystemStorage.slot("batch.tx", number);
  }

  static Word batchByRoot(Word root) {
    return SystemStorage.slot("batchByRoot", root);
  }

  static BigInteger pack(long high, long blockHeight, long timestamp) {
    return BigInteger.valueOf(high).shiftLeft(128)
        .or(BigInteger.valueOf(blockHeight).shiftLeft(64))
        .or(BigInteger.valueOf(timestamp));
  }

  static long high(BigInteger packed) {
    return packed.shiftRight(128).longValueExact();
  }

  static long blockHeight(BigInteger packed) {
    return packed.shiftRight(64).longValue();
  }

  static long timestamp(BigInteger packed) {
    return packed.longValue();
  }

  static String text(byte[] utf8) {
    return new String(utf8, StandardCharsets.UTF_8);
  }

  // ---- policies ------------------------------------------------------------------------------

  /** The type's policy, or null when its records need no attestation. */
  static Notary.Policy policy(SystemStorage storage, byte[] recordType) {
    int threshold = (int) storage.readLong(policyThreshold(recordType));
    if (threshold == 0) {
      return null;
    }
    long count = storage.readLong(policySignerCount(recordType));
    List<Address> signers = new ArrayList<>();
    for (long i = 0; i < count; i++) {
      signers.add(storage.readAddress(policySigner(recordType, i)));
    }
    return new Notary.Policy(signers, threshold);
  }

  /** Whether {@code signer} may attest a record of this type that {@code depositor} made. */
  static boolean mayAttest(SystemStorage storage, byte[] recordType, Address depositor,
      Address signer) {
    return storage.readLong(policyIndex(recordType, signer)) != 0
        || signer.equals(depositor) && storage.readLong(policyIndex(recordType, DEPOSITOR)) != 0;
  }

  static void writePolicy(SystemStorage storage, byte[] recordType, List<Address> signers,
      int threshold) {
    long old = storage.readLong(policySignerCount(recordType));
    for (long i = 0; i < old; i++) {
      storage.write(policyIndex(recordType, storage.readAddress(policySigner(recordType, i))), 0);
      if (i >= signers.size()) {
        storage.write(policySigner(recordType, i), Word.ZERO);
      }
    }
    for (int i = 0; i < signers.size(); i++) {
      storage.write(policySigner(recordType, i), signers.get(i));
      storage.write(policyIndex(recordType, signers.get(i)), i + 1);
    }
    storage.write(policySignerCount(recordType), signers.size());
    storage.write(policyThreshold(recordType), threshold);
  }

  // ---- reads ---------------------------------------------------------------------------------

  /** Version {@code version} of the record {@code record}, which has it. */
  static Notary.Record readVersion(SystemStorage storage, Word record, long version) {
    Word key = versionKey(record, version);
    BigInteger info = storage.readBig(info(key));
    long count = storage.readLong(attestationCount(key));
    List<Address> cosigners = new ArrayList<>();
    for (long i = 0; i < count; i++) {
      cosigners.add(storage.readAddress(attester(key, i)));
    }
    return new Notary.Record(text(storage.readBytes("id", record)), version,
        Notary.Algorithm.of((int) high(info)), storage.read(hash(key)).toBytes(),
        text(storage.readBytes("type", record)), text(storage.readBytes("metadata", key)),
        storage.readAddress(depositor(record)), storage.read(tx(key)).toBytes(),
        blockHeight(info), timestamp(info), cosigners, storage.readLong(attested(key)) != 0);
  }

  /** Batch {@code number}, which exists. */
  static Notary.Batch readBatch(SystemStorage storage, long number) {
    BigInteger info = storage.readBig(batchInfo(number));
    return new Notary.Batch(number, storage.read(batchRoot(number)).toBytes(), high(info),
        text(storage.readBytes("batch.metadata", number)),
        storage.readAddress(batchDepositor(number)), storage.read(batchTx(number)).toBytes(),
        blockHeight(info), timestamp(info));
  }

  /** The slots a byte string written by {@link SystemStorage#writeBytes} occupies. */
  static void bytesSlots(SystemStorage storage, String name, Object key, String label,
      List<Notary.StorageSlot> out) {
    Word length = SystemStorage.slot(name + ".length", key);
    out.add(new Notary.StorageSlot(label + ".length", length));
    long bytes = storage.readLong(length);
    for (int i = 0; i * 32L < bytes; i++) {
      out.add(new Notary.StorageSlot(label + "[" + i + "]", SystemStorage.slot(name, key, i)));
    }
  }
}
