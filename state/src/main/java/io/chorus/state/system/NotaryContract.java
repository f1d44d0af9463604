package io.chorus.state.system;

import static io.chorus.state.system.Notary.CMEVI_RECORD_TYPE;
import static io.chorus.state.system.Notary.EVIDENCE_BATCH_MAX;
import static io.chorus.state.system.Notary.HASH_BYTES;
import static io.chorus.state.system.Notary.HISTORY_PAGE_MAX;
import static io.chorus.state.system.Notary.ID_BYTES_MAX;
import static io.chorus.state.system.Notary.KNOWN;
import static io.chorus.state.system.Notary.METADATA_BYTES_MAX;
import static io.chorus.state.system.Notary.RECORD_TYPE_BYTES_MAX;
import static io.chorus.state.system.Notary.SIGNERS_MAX;

import com.esaulpaugh.headlong.abi.Event;
import com.esaulpaugh.headlong.abi.Function;
import com.esaulpaugh.headlong.abi.Tuple;
import com.esaulpaugh.headlong.abi.TupleType;
import io.chorus.codec.Hex;
import io.chorus.crypto.MerkleBatch;
import io.chorus.evm.Address;
import io.chorus.evm.Word;
import io.chorus.state.system.Notary.Algorithm;
import io.chorus.state.system.Notary.Batch;
import io.chorus.state.system.Notary.Policy;
import io.chorus.state.system.Notary.Record;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The notary contract's execution: its ABI, the dispatch of a call, the rules each write
 * applies and the reason each refusal gives. {@link Notary} is its public face.
 */
final class NotaryContract {
  private static final String CMEVI = "(string,bytes,bytes32,uint64,uint64,string)";
  private static final String RECORD =
      "(string,uint32,uint8,bytes,string,string,address,bytes32,uint64,uint64,address[],bool)";
  private static final String BATCH = "(uint64,bytes32,uint32,string,address,bytes32,uint64,"
      + "uint64)";

  // CMEVI's methods, with its names.
  static final Function EVIDENCE = Function.parse("Evidence(string,bytes,string)");
  static final Function EVIDENCE_BATCH =
      Function.parse("EvidenceBatch((string,bytes,string)[])");
  static final Function UPDATE_EVIDENCE =
      Function.parse("UpdateEvidence(string,bytes,string)");
  private static final Function FIND_HIS_BY_ID =
      Function.parse("FindHisById(string)", "(" + CMEVI + "[])");
  private static final Function EXISTS_OF_HASH = Function.parse("ExistsOfHash(bytes)", "(bool)");
  private static final Function EXISTS_OF_ID = Function.parse("ExistsOfId(string)", "(bool)");
  private static final Function FIND_BY_HASH =
      Function.parse("FindByHash(bytes)", "(" + CMEVI + ")");
  private static final Function FIND_BY_ID = Function.parse("FindById(string)", "(" + CMEVI + ")");
  // Chorus's own.
  static final Function NOTARIZE =
      Function.parse("Notarize(string,uint8,bytes,string,string)");
  static final Function UPDATE =
      Function.parse("Update(string,uint8,bytes,string)", "(uint32)");
  static final Function ATTEST = Function.parse("Attest(string)");
  static final Function ATTEST_VERSION = Function.parse("AttestVersion(string,uint32)");
  static final Function ANCHOR_BATCH =
      Function.parse("AnchorBatch(bytes32,uint32,string)", "(uint64)");
  static final Function GET_RECORD =
      Function.parse("GetRecord(string)", "(" + RECORD + ")");
  private static final Function GET_VERSION =
      Function.parse("GetVersion(string,uint32)", "(" + RECORD + ")");
  private static final Function GET_HISTORY =
      Function.parse("GetHistory(string,uint32,uint32)", "(" + RECORD + "[])");
  private static final Function GET_BATCH = Function.parse("GetBatch(uint64)", "(" + BATCH + ")");
  private static final Function GET_BATCH_BY_ROOT =
      Function.parse("GetBatchByRoot(bytes32)", "(" + BATCH + ")");
  private static final Function BATCH_COUNT = Function.parse("BatchCount()", "(uint64)");
  private static final Function GET_POLICY =
      Function.parse("GetPolicy(string)", "(address[],uint8)");
  private static final List<Function> WRITES = List.of(EVIDENCE, EVIDENCE_BATCH,
      UPDATE_EVIDENCE, NOTARIZE, UPDATE, ATTEST, ATTEST_VERSION, ANCHOR_BATCH);
  private static final List<Function> READS = List.of(FIND_HIS_BY_ID, EXISTS_OF_HASH,
      EXISTS_OF_ID, FIND_BY_HASH, FIND_BY_ID, GET_RECORD, GET_VERSION, GET_HISTORY, GET_BATCH,
      GET_BATCH_BY_ROOT, BATCH_COUNT, GET_POLICY);
  static final List<Function> FUNCTIONS =
      Stream.concat(WRITES.stream(), READS.stream()).toList();

  /** Events, as Notary.sol declares them. */
  static final Event<?> RECORDED = Event.create("Recorded",
      TupleType.parse("(bytes32,bytes32,address,string,uint32,uint8,string,string)"),
      true, true, true, false, false, false, false, false);
  static final Event<?> ATTESTED = Event.create("Attested",
      TupleType.parse("(bytes32,bytes32,address,string,uint32,uint32,bool)"),
      true, true, true, false, false, false, false);
  static final Event<?> BATCH_ANCHORED = Event.create("BatchAnchored",
      TupleType.parse("(bytes32,uint64,address,uint32,string)"), true, true, true, false, false);

  private NotaryContract() {}

  /** Who deposits or attests, in which block and transaction. */
  private record Origin(Address sender, long blockHeight, long timestamp, Word tx) {}

  // ---- calls ---------------------------------------------------------------------------------

  /** Runs a call from {@code sender}; null when the selector is none of the contract's. */
  static byte[] call(SystemStorage storage, Address sender, byte[] input,
      SystemContracts.Context context, boolean isStatic) {
    Function f = SystemContracts.match(FUNCTIONS, input);
    if (f == null) {
      return null;
    }
    Tuple args = f.decodeCall(input);
    if (!WRITES.contains(f)) {
      return read(storage, f, args);
    }
    if (isStatic) {
      throw new SystemContracts.Revert(f.getName() + " changes state: send it as a transaction");
    }
    Origin origin = new Origin(sender, context.blockNumber(), context.timestamp(),
        Word.fromBytes(context.txHash().get()));
    if (f == EVIDENCE) {
      deposit(storage, origin, args.get(0), Algorithm.UNSPECIFIED, args.get(1),
          CMEVI_RECORD_TYPE, args.get(2));
    } else if (f == EVIDENCE_BATCH) {
      evidenceBatch(storage, origin, args.get(0));
    } else if (f == UPDATE_EVIDENCE) {
      update(storage, origin, args.get(0), null, args.get(1), args.get(2));
    } else if (f == NOTARIZE) {
      deposit(storage, origin, args.get(0), named(args.get(1)), args.get(2), args.get(3),
          args.get(4));
    } else if (f == UPDATE) {
      long version = update(storage, origin, args.get(0), named(args.get(1)), args.get(2),
          args.get(3));
      return encode(f, Tuple.singleton(version));
    } else if (f == ATTEST) {
      attest(storage, origin, args.get(0), 0);
    } else if (f == ATTEST_VERSION) {
      long version = args.get(1);
      if (version == 0) {
        throw new SystemContracts.Revert("versions count from 1");
      }
      attest(storage, origin, args.get(0), version);
    } else {
      long number = anchorBatch(storage, origin, args.get(0), args.get(1), args.get(2));
      return encode(f, Tuple.singleton(BigInteger.valueOf(number)));
    }
    return new byte[0];
  }

  private static byte[] read(SystemStorage storage, Function f, Tuple args) {
    if (f == EXISTS_OF_ID) {
      return encode(f, Tuple.singleton(storage.readLong(NotaryLayout.versions(
          NotaryLayout.recordKey(args.get(0)))) > 0));
    } else if (f == EXISTS_OF_HASH) {
      byte[] hash = args.get(0);
      return encode(f, Tuple.singleton(hash.length == HASH_BYTES
          && !storage.read(NotaryLayout.byHash(Word.fromBytes(hash))).isZero()));
    } else if (f == FIND_BY_ID) {
      return encode(f, Tuple.singleton(cmevi(current(storage, args.get(0)))));
    } else if (f == FIND_BY_HASH) {
      return encode(f, Tuple.singleton(cmevi(byHash(storage, args.get(0)))));
    } else if (f == FIND_HIS_BY_ID) {
      String id = args.get(0);
      long versions = requireVersions(storage, id);
      if (versions > HISTORY_PAGE_MAX) {
        throw new SystemContracts.Revert("'" + id + "' has " + versions + " versions, more"
            + " than FindHisById returns (" + HISTORY_PAGE_MAX + "): page them with"
            + " GetHistory(id, fromVersion, count)");
      }
      return encode(f, Tuple.singleton(history(storage, id, 1, HISTORY_PAGE_MAX).stream()
          .map(NotaryContract::cmevi).toArray(Tuple[]::new)));
    } else if (f == GET_RECORD) {
      return encode(f, Tuple.singleton(tuple(current(storage, args.get(0)))));
    } else if (f == GET_VERSION) {
      String id = args.get(0);
      return encode(f, Tuple.singleton(tuple(NotaryLayout.readVersion(storage,
          NotaryLayout.recordKey(id), requireVersion(storage, id, args.get(1))))));
    } else if (f == GET_HISTORY) {
      long count = args.get(2);
      if (count < 1 || count > HISTORY_PAGE_MAX) {
        throw new SystemContracts.Revert("a history page holds 1 to " + HISTORY_PAGE_MAX
            + " versions, got " + count);
      }
      requireVersions(storage, args.get(0));
      return encode(f, Tuple.singleton(history(storage, args.get(0), args.get(1), (int) count)
          .stream().map(NotaryContract::tuple).toArray(Tuple[]::new)));
    } else if (f == GET_BATCH) {
      long number = ((BigInteger) args.get(0)).longValueExact();
      if (number < 1 || number > storage.readLong(NotaryLayout.BATCH_COUNT)) {
        throw new SystemContracts.Revert("no batch " + number);
      }
      return encode(f, Tuple.singleton(tuple(NotaryLayout.readBatch(storage, number))));
    } else if (f == GET_BATCH_BY_ROOT) {
      byte[] root = args.get(0);
      long number = storage.readLong(NotaryLayout.batchByRoot(Word.fromBytes(root)));
      if (number == 0) {
        throw new SystemContracts.Revert("no batch has root " + Hex.encode0x(root));
      }
      return encode(f, Tuple.singleton(tuple(NotaryLayout.readBatch(storage, number))));
    } else if (f == BATCH_COUNT) {
      return encode(f, Tuple.singleton(BigInteger.valueOf(
          storage.readLong(NotaryLayout.BATCH_COUNT))));
    } else {
      Policy policy = NotaryLayout.policy(storage, recordType(args.get(0)));
      return encode(f, policy == null ? Tuple.of(new com.esaulpaugh.headlong.abi.Address[0], 0)
          : Tuple.of(policy.signers().stream().map(Abi::toAbi)
              .toArray(com.esaulpaugh.headlong.abi.Address[]::new), policy.threshold()));
    }
  }

  // ---- writes --------------------------------------------------------------------------------

  private static void deposit(SystemStorage storage, Origin origin, String id,
      Algorithm algorithm, byte[] hash, String recordType, String metadata) {
    byte[] idBytes = checkId(id);
    byte[] type = recordType(recordType);
    checkHash(algorithm, hash);
    byte[] meta = checkMetadata(metadata);
    Word record = NotaryLayout.recordKey(id);
    long versions = storage.readLong(NotaryLayout.versions(record));
    if (versions > 0) {
      throw new SystemContracts.Revert("id '" + id + "' is already recorded (" + versions
          + " version(s)): change it with UpdateEvidence or Update");
    }
    storage.writeBytes("id", record, idBytes);
    storage.writeBytes("type", record, type);
    storage.write(NotaryLayout.depositor(record), origin.sender());
    addVersion(storage, origin, record, id, 1, algorithm, hash, type, meta);
  }

  private static void evidenceBatch(SystemStorage storage, Origin origin, Tuple[] records) {
    if (records.length == 0 || records.length > EVIDENCE_BATCH_MAX) {
      throw new SystemContracts.Revert((records.length == 0 ? "empty batch: " : "")
          + "EvidenceBatch takes 1 to " + EVIDENCE_BATCH_MAX + " records, got "
          + records.length);
    }
    for (int i = 0; i < records.length; i++) {
      try {
        deposit(storage, origin, records[i].get(0), Algorithm.UNSPECIFIED, records[i].get(1),
            CMEVI_RECORD_TYPE, records[i].get(2));
      } catch (SystemContracts.Revert e) {
        throw new SystemContracts.Revert("record " + (i + 1) + " of " + records.length
            + " in the batch: " + e.getMessage());
      }
    }
  }

  /** Adds a version to a record; {@code algorithm} null keeps the current one's (CMEVI's). */
  private static long update(SystemStorage storage, Origin origin, String id,
      Algorithm algorithm, byte[] hash, String metadata) {
    Word record = NotaryLayout.recordKey(id);
    long versions = requireVersions(storage, id);
    Address depositor = storage.readAddress(NotaryLayout.depositor(record));
    if (!depositor.equals(origin.sender())) {
      throw new SystemContracts.Revert("only the depositor " + depositor + " may update '" + id
          + "', not " + origin.sender());
    }
    Algorithm kept = algorithm != null ? algorithm : Algorithm.of((int) NotaryLayout.high(
        storage.readBig(NotaryLayout.info(NotaryLayout.versionKey(record, versions)))));
    checkHash(kept, hash);
    byte[] meta = checkMetadata(metadata);
    addVersion(storage, origin, record, id, versions + 1, kept, hash,
        storage.readBytes("type", record), meta);
    return versions + 1;
  }

  private static void addVersion(SystemStorage storage, Origin origin, Word record, String id,
      long version, Algorithm algorithm, byte[] hash, byte[] type, byte[] metadata) {
    Word content = Word.fromBytes(hash);
    Word holder = storage.read(NotaryLayout.byHash(content));
    if (!holder.isZero()) {
      throw new SystemContracts.Revert("hash " + Hex.encode0x(hash) + " is already recorded,"
          + " as version " + storage.readLong(NotaryLayout.byHashVersion(content)) + " of '"
          + NotaryLayout.text(storage.readBytes("id", holder)) + "'");
    }
    Word key = NotaryLayout.versionKey(record, version);
    storage.write(NotaryLayout.versions(record), version);
    storage.write(NotaryLayout.hash(key), content);
    storage.write(NotaryLayout.info(key), NotaryLayout.pack(algorithm.ordinal(),
        origin.blockHeight(), origin.timestamp()));
    storage.write(NotaryLayout.tx(key), origin.tx());
    storage.writeBytes("metadata", key, metadata);
    storage.write(NotaryLayout.byHash(content), record);
    storage.write(NotaryLayout.byHashVersion(content), version);
    storage.log(List.of(Abi.topic0(RECORDED), record, content, Abi.topic(origin.sender())),
        Abi.bytes(RECORDED.getNonIndexedParams().encode(Tuple.of(id, version,
            algorithm.ordinal(), NotaryLayout.text(type), NotaryLayout.text(metadata)))));
    long threshold = storage.readLong(NotaryLayout.policyThreshold(type));
    if (threshold == 0) {
      storage.write(NotaryLayout.attested(key), 1); // no co-signers needed
    } else if (NotaryLayout.mayAttest(storage, type, origin.sender(), origin.sender())) {
      addAttestation(storage, origin.sender(), record, id, version, threshold);
    }
  }

  /** Attests version {@code version} of {@code id}; 0 for its current version. */
  private static void attest(SystemStorage storage, Origin origin, String id, long version) {
    Word record = NotaryLayout.recordKey(id);
    long v = version == 0 ? requireVersions(storage, id) : requireVersion(storage, id, version);
    byte[] type = storage.readBytes("type", record);
    long threshold = storage.readLong(NotaryLayout.policyThreshold(type));
    if (threshold == 0) {
      throw new SystemContracts.Revert("record type '" + NotaryLayout.text(type) + "' has no"
          + " co-signers: its records need no attestation");
    }
    Address signer = origin.sender();
    if (!NotaryLayout.mayAttest(storage, type, storage.readAddress(
        NotaryLayout.depositor(record)), signer)) {
      throw new SystemContracts.Revert(signer + " is not a co-signer of record type '"
          + NotaryLayout.text(type) + "'");
    }
    if (storage.readLong(NotaryLayout.attestedBy(NotaryLayout.versionKey(record, v), signer))
        != 0) {
      throw new SystemContracts.Revert(signer + " has already attested version " + v + " of '"
          + id + "'");
    }
    addAttestation(storage, signer, record, id, v, threshold);
  }

  private static void addAttestation(SystemStorage storage, Address signer, Word record,
      String id, long version, long threshold) {
    Word key = NotaryLayout.versionKey(record, version);
    long count = storage.readLong(NotaryLayout.attestationCount(key));
    storage.write(NotaryLayout.attester(key, count), signer);
    storage.write(NotaryLayout.attestedBy(key, signer), 1);
    storage.write(NotaryLayout.attestationCount(key), count + 1);
    boolean attested = storage.readLong(NotaryLayout.attested(key)) != 0;
    if (!attested && count + 1 >= threshold) {
      storage.write(NotaryLayout.attested(key), 1);
      attested = true;
    }
    storage.log(List.of(Abi.topic0(ATTESTED), record, storage.read(NotaryLayout.hash(key)),
        Abi.topic(signer)), Abi.bytes(ATTESTED.getNonIndexedParams().encode(Tuple.of(id,
            version, count + 1, attested))));
  }

  private static long anchorBatch(SystemStorage storage, Origin origin, byte[] root,
      long count, String metadata) {
    if (count < 1 || count > MerkleBatch.LEAVES_MAX) {
      throw new SystemContracts.Revert((count == 0 ? "empty batch: " : "") + "a batch anchors 1"
          + " to " + MerkleBatch.LEAVES_MAX + " digests, got " + count);
    }
    Word rootWord = Word.fromBytes(root);
    if (rootWord.isZero()) {
      throw new SystemContracts.Revert("the batch root is all zeros: anchor the Merkle root"
          + " of the digests");
    }
    byte[] meta = checkMetadata(metadata);
    long existing = storage.readLong(NotaryLayout.batchByRoot(rootWord));
    if (existing != 0) {
      throw new SystemContracts.Revert("root " + Hex.encode0x(root) + " is already anchored,"
          + " as batch " + existing);
    }
    long number = storage.readLong(NotaryLayout.BATCH_COUNT) + 1;
    storage.write(NotaryLayout.BATCH_COUNT, number);
    storage.write(NotaryLayout.batchRoot(number), rootWord);
    storage.write(NotaryLayout.batchInfo(number), NotaryLayout.pack(count,
        origin.blockHeight(), origin.timestamp()));
    storage.write(NotaryLayout.batchDepositor(number), origin.sender());
    storage.write(NotaryLayout.batchTx(number), origin.tx());
    storage.writeBytes("batch.metadata", number, meta);
    storage.write(NotaryLayout.batchByRoot(rootWord), number);
    storage.log(List.of(Abi.topic0(BATCH_ANCHORED), rootWord, Word.of(number),
        Abi.topic(origin.sender())), Abi.bytes(BATCH_ANCHORED.getNonIndexedParams().encode(
            Tuple.of(count, metadata))));
    return number;
  }

  // ---- policies (set by governance) ----------------------------------------------------------

  /** Checks a policy a governance proposal would set; reverts with what is wrong. */
  static void checkPolicy(String recordType, List<Address> signers, int threshold) {
    recordType(recordType);
    if (signers.size() > SIGNERS_MAX) {
      throw new SystemContracts.Revert("a policy lists at most " + SIGNERS_MAX
          + " co-signers, got " + signers.size());
    }
    Set<Address> seen = new HashSet<>();
    for (Address signer : signers) {
      if (!seen.add(signer)) {
        throw new SystemContracts.Revert("co-signer " + signer + " is listed twice");
      }
    }
    if (threshold == 0 && !signers.isEmpty()) {
      throw new SystemContracts.Revert("threshold 0 removes the policy: list no co-signers"
          + " with it");
    }
    if (threshold > signers.size()) {
      throw new SystemContracts.Revert("threshold " + threshold + " exceeds the "
          + signers.size() + " co-signers listed");
    }
  }

  /**
   * Sets a record type's policy, for versions deposited from now on and attestations made from
   * now on; versions already attested stay attested.
   */
  static void setPolicy(SystemStorage storage, String recordType, List<Address> signers,
      int threshold) {
    NotaryLayout.writePolicy(storage, recordType(recordType), signers, threshold);
  }

  // ---- checks --------------------------------------------------------------------------------

  /** The algorithm Notarize and Update name: one Chorus knows, not unspecified. */
  private static Algorithm named(int code) {
    if (code < 1 || code >= Algorithm.values().length) {
      throw new SystemContracts.Revert("the hash's algorithm is " + KNOWN + ", got " + code);
    }
    return Algorithm.of(code);
  }

  private static byte[] checkId(String id) {
    byte[] bytes = id.getBytes(StandardCharsets.UTF_8);
    if (bytes.length == 0 || bytes.length > ID_BYTES_MAX) {
      throw new SystemContracts.Revert("an id is 1 to " + ID_BYTES_MAX + " bytes of UTF-8,"
          + " got " + bytes.length);
    }
    if (id.codePoints().anyMatch(Character::isISOControl)) {
      throw new SystemContracts.Revert("an id may not hold control characters");
    }
    return bytes;
  }

  private static void checkHash(Algorithm algorithm, byte[] hash) {
    if (hash.length != HASH_BYTES) {
      throw new SystemContracts.Revert("a" + (algorithm == Algorithm.UNSPECIFIED ? ""
          : " " + algorithm.label()) + " hash is " + HASH_BYTES + " bytes, got " + hash.length);
    }
    if (Word.fromBytes(hash).isZero()) {
      throw new SystemContracts.Revert("the hash is all zeros: pass the content's hash");
    }
  }

  private static byte[] checkMetadata(String metadata) {
    byte[] bytes = metadata.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > METADATA_BYTES_MAX) {
      throw new SystemContracts.Revert("metadata is at most " + METADATA_BYTES_MAX + " bytes,"
          + " got " + bytes.length);
    }
    return bytes;
  }

  /** The record type's bytes, when it is 1 to 32 characters of a-z, 0-9, '-' and '_'. */
  private static byte[] recordType(String recordType) {
    if (recordType.isEmpty() || recordType.length() > RECORD_TYPE_BYTES_MAX
        || !recordType.chars().allMatch(c -> c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
            || c == '-' || c == '_')) {
      throw new SystemContracts.Revert("a record type is 1 to " + RECORD_TYPE_BYTES_MAX
          + " characters of a-z, 0-9, '-' and '_', got '" + recordType + "'");
    }
    return recordType.getBytes(StandardCharsets.US_ASCII);
  }

  private static long requireVersions(SystemStorage storage, String id) {
    long versions = storage.readLong(NotaryLayout.versions(NotaryLayout.recordKey(id)));
    if (versions == 0) {
      throw new SystemContracts.Revert("no record with id '" + id + "'");
    }
    return versions;
  }

  private static long requireVersion(SystemStorage storage, String id, long version) {
    long versions = requireVersions(storage, id);
    if (version < 1 || version > versions) {
      throw new SystemContracts.Revert("'" + id + "' has no version " + version + ": it has"
          + " versions 1 to " + versions);
    }
    return version;
  }

  private static Record current(SystemStorage storage, String id) {
    return NotaryLayout.readVersion(storage, NotaryLayout.recordKey(id),
        requireVersions(storage, id));
  }

  private static Record byHash(SystemStorage storage, byte[] hash) {
    Word content = hash.length == HASH_BYTES ? Word.fromBytes(hash) : Word.ZERO;
    Word record = content.isZero() ? Word.ZERO : storage.read(NotaryLayout.byHash(content));
    if (record.isZero()) {
      throw new SystemContracts.Revert("no record has hash " + Hex.encode0x(hash));
    }
    return NotaryLayout.readVersion(storage, record,
        storage.readLong(NotaryLayout.byHashVersion(content)));
  }

  static List<Record> history(SystemStorage storage, String id, long from, int limit) {
    Word record = NotaryLayout.recordKey(id);
    long versions = storage.readLong(NotaryLayout.versions(record));
    List<Record> out = new ArrayList<>();
    for (long v = Math.max(from, 1); v <= versions && out.size() < limit; v++) {
      out.add(NotaryLayout.readVersion(storage, record, v));
    }
    return out;
  }

  // ---- ABI values ----------------------------------------------------------------------------

  private static byte[] encode(Function f, Tuple values) {
    return Abi.bytes(f.getOutputs().encode(values));
  }

  /** CMEVI's record: {id, hash, txId, blockHeight, timestamp, metadata}. */
  private static Tuple cmevi(Record r) {
    return Tuple.of(r.id(), r.hash(), r.txId(), BigInteger.valueOf(r.blockHeight()),
        BigInteger.valueOf(r.timestamp()), r.metadata());
  }

  private static Tuple tuple(Record r) {
    return Tuple.from(r.id(), r.version(), r.algorithm().ordinal(), r.hash(), r.recordType(),
        r.metadata(), Abi.toAbi(r.depositor()), r.txId(), BigInteger.valueOf(r.blockHeight()),
        BigInteger.valueOf(r.timestamp()), r.cosigners().stream().map(Abi::toAbi)
            .toArray(com.esaulpaugh.headlong.abi.Address[]::new), r.attested());
  }

  private static Tuple tuple(Batch b) {
    return Tuple.from(BigInteger.valueOf(b.number()), b.root(), b.count(), b.metadata(),
        Abi.toAbi(b.depositor()), b.txId(), BigInteger.valueOf(b.blockHeight()),
        BigInteger.valueOf(b.timestamp()));
  }

  static Record record(Tuple t) {
    return new Record(t.get(0), t.get(1), Algorithm.of(t.get(2)), t.get(3), t.get(4), t.get(5),
        Abi.fromAbi(t.get(6)), t.get(7), ((BigInteger) t.get(8)).longValueExact(),
        ((BigInteger) t.get(9)).longValueExact(),
        Arrays.stream((com.esaulpaugh.headlong.abi.Address[]) t.get(10)).map(Abi::fromAbi)
            .toList(), t.get(11));
  }
}
