package io.chorus.state.system;

import com.esaulpaugh.headlong.abi.Tuple;
import com.esaulpaugh.headlong.abi.TupleType;
import io.chorus.evm.Address;
import io.chorus.evm.Word;
import io.chorus.state.system.DataSharing.RequestState;
import io.chorus.state.system.DataSharing.Rule;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongFunction;

/**
 * Where the data sharing contract keeps its data in its account's storage, and the reads and
 * writes of it. Small numbers share a slot as four 64-bit lanes (a {@link Word}'s u3..u0).
 * Every list a page is read from (a data set's audit entries, a department's requests) is a
 * count and an item per index, so a page costs its own reads whatever the list's length.
 * Documented in {@code DataSharing.sol} for whoever proves a record from a storage proof.
 */
final class SharingLayout {
  static final Word DATASET_COUNT = SystemStorage.slot("ds.count");
  static final Word REQUEST_COUNT = SystemStorage.slot("rq.count");
  static final Word OPEN_COUNT = SystemStorage.slot("rq.open");
  static final Word AUDIT_COUNT = SystemStorage.slot("au.count");
  /** A schema's fields are kept, and hashed, as the ABI encoding of one string[]. */
  static final TupleType<?> FIELDS_TYPE = TupleType.parse("(string[])");

  private SharingLayout() {}

  // ---- departments ---------------------------------------------------------------------------

  /** The id of the department an account acts for; zero for none. */
  static Word departmentOf(Address account) {
    return SystemStorage.slot("dept.of", account);
  }

  /** A department's name by its id, kept for every department the contract has seen. */
  static String name(SystemStorage storage, Word department) {
    return new String(storage.readBytes("dept.name", department), StandardCharsets.UTF_8);
  }

  static String departmentName(SystemStorage storage, Address account) {
    Word department = storage.read(departmentOf(account));
    return department.isZero() ? null : name(storage, department);
  }

  /** Keeps {@code name} as the name of its id, once. */
  static Word remember(SystemStorage storage, String name) {
    Word id = Word.fromBytes(DataSharing.departmentId(name));
    if (storage.readLong(SystemStorage.slot("dept.name.length", id)) == 0) {
      storage.writeBytes("dept.name", id, name.getBytes(StandardCharsets.UTF_8));
    }
    return id;
  }

  static Word departmentDatasetCount(Word department) {
    return SystemStorage.slot("dept.datasets", department);
  }

  static Word departmentDataset(Word department, long index) {
    return SystemStorage.slot("dept.dataset", department, index);
  }

  static Word departmentRequestCount(Word department) {
    return SystemStorage.slot("dept.requests", department);
  }

  static Word departmentRequest(Word department, long index) {
    return SystemStorage.slot("dept.request", department, index);
  }

  static Word departmentAuditCount(Word department) {
    return SystemStorage.slot("dept.audit", department);
  }

  static Word departmentAudit(Word department, long index) {
    return SystemStorage.slot("dept.entry", department, index);
  }

  // ---- data sets -----------------------------------------------------------------------------

  static Word provider(long dataset) {
    return SystemStorage.slot("ds.provider", dataset);
  }

  /** Lanes: 0, 0, versions, created at. */
  static Word datasetInfo(long dataset) {
    return SystemStorage.slot("ds.info", dataset);
  }

  static Word byCode(String code) {
    return SystemStorage.slot("ds.byCode", code.getBytes(StandardCharsets.UTF_8));
  }

  /** Lanes: field count, sharing class, update cycle, published at. */
  static Word versionInfo(long dataset, long version) {
    return SystemStorage.slot("v.info", dataset, version);
  }

  static Word schemaHash(long dataset, long version) {
    return SystemStorage.slot("v.schema", dataset, version);
  }

  static Word versionKey(long dataset, long version) {
    return SystemStorage.slot("", dataset, version);
  }

  static Word datasetRequestCount(long dataset) {
    return SystemStorage.slot("ds.requests", dataset);
  }

  static Word datasetRequest(long dataset, long index) {
    return SystemStorage.slot("ds.request", dataset, index);
  }

  static Word datasetAuditCount(long dataset) {
    return SystemStorage.slot("ds.audit", dataset);
  }

  static Word datasetAudit(long dataset, long index) {
    return SystemStorage.slot("ds.entry", dataset, index);
  }

  /** The grants of one department for one data set, in the order they were made. */
  static Word grantCount(long dataset, Word department) {
    return SystemStorage.slot("grants", dataset, department);
  }

  static Word grant(long dataset, Word department, long index) {
    return SystemStorage.slot("grant", dataset, department, index);
  }

  // ---- requests ------------------------------------------------------------------------------

  /** Lanes: data set, version, applied at, deadline (0 once decided). */
  static Word requestWhat(long request) {
    return SystemStorage.slot("rq.what", request);
  }

  /** Lanes: requested mask, granted mask, expires at, decided at. */
  static Word requestTerms(long request) {
    return SystemStorage.slot("rq.terms", request);
  }

  /** Lanes: 0, revoked at, extended (0 or 1), state. */
  static Word requestState(long request) {
    return SystemStorage.slot("rq.state", request);
  }

  static Word requester(long request) {
    return SystemStorage.slot("rq.requester", request);
  }

  static Word applicant(long request) {
    return SystemStorage.slot("rq.applicant", request);
  }

  static Word decidedBy(long request) {
    return SystemStorage.slot("rq.decidedBy", request);
  }

  /** Position + 1 of an undecided request in the open list; 0 when not in it. */
  static Word openIndex(long request) {
    return SystemStorage.slot("rq.openAt", request);
  }

  static Word open(long index) {
    return SystemStorage.slot("rq.open", index);
  }

  // ---- audit ---------------------------------------------------------------------------------

  /** Lanes: data set, grant, field mask, time. */
  static Word entryWhat(long entry) {
    return SystemStorage.slot("au.what", entry);
  }

  /** Lanes: 0, purged at, outcome code, verdict code. */
  static Word entryOutcome(long entry) {
    return SystemStorage.slot("au.outcome", entry);
  }

  static Word entryDepartment(long entry) {
    return SystemStorage.slot("au.dept", entry);
  }

  static Word entryRequester(long entry) {
    return SystemStorage.slot("au.who", entry);
  }

  static Word entryPayload(long entry) {
    return SystemStorage.slot("au.payload", entry);
  }

  // ---- reads ---------------------------------------------------------------------------------

  static boolean datasetExists(SystemStorage storage, long id) {
    return id >= 1 && id <= storage.readLong(DATASET_COUNT);
  }

  static boolean requestExists(SystemStorage storage, long id) {
    return id >= 1 && id <= storage.readLong(REQUEST_COUNT);
  }

  static boolean entryExists(SystemStorage storage, long id) {
    return id >= 1 && id <= storage.readLong(AUDIT_COUNT);
  }

  static long versions(SystemStorage storage, long dataset) {
    return storage.read(datasetInfo(dataset)).u1();
  }

  static DataSharing.Dataset dataset(SystemStorage storage, long id) {
    Word info = storage.read(datasetInfo(id));
    return new DataSharing.Dataset(id, new String(storage.readBytes("ds.code", Word.of(id)),
        StandardCharsets.UTF_8), name(storage, storage.read(provider(id))), info.u1(),
        info.u0());
  }

  static DataSharing.Version version(SystemStorage storage, long id, long number) {
    Word info = storage.read(versionInfo(id, number));
    Word key = versionKey(id, number);
    String[] fields = FIELDS_TYPE.decode(storage.readBytes("v.fields", key)).get(0);
    return new DataSharing.Version(number,
        new String(storage.readBytes("v.title", key), StandardCharsets.UTF_8),
        List.of(fields), storage.read(schemaHash(id, number)).toBytes(),
        DataSharing.SharingClass.values()[(int) info.u2()],
        DataSharing.UpdateCycle.values()[(int) info.u1()], info.u0());
  }

  /** The sharing class of a data set's latest version. */
  static DataSharing.SharingClass sharingClass(SystemStorage storage, long dataset) {
    return DataSharing.SharingClass.values()[(int) storage.read(versionInfo(dataset,
        versions(storage, dataset))).u2()];
  }

  static long fieldCount(SystemStorage storage, long dataset, long version) {
    return storage.read(versionInfo(dataset, version)).u3();
  }

  /** A request's stored state; a granted one past its expiry reads as EXPIRED. */
  static RequestState state(SystemStorage storage, long request, long now) {
    RequestState stored = RequestState.values()[(int) storage.read(requestState(request)).u0()];
    if (stored == RequestState.GRANTED && storage.read(requestTerms(request)).u1() <= now) {
      return RequestState.EXPIRED;
    }
    return stored;
  }

  static DataSharing.Request request(SystemStorage storage, long id, long now) {
    Word what = storage.read(requestWhat(id));
    Word terms = storage.read(requestTerms(id));
    Word status = storage.read(requestState(id));
    Address decidedBy = storage.readAddress(decidedBy(id));
    return new DataSharing.Request(id, what.u3(), what.u2(),
        name(storage, storage.read(requester(id))), storage.readAddress(applicant(id)),
        text(storage, "rq.purpose", id), text(storage, "rq.scenario", id), terms.u3(),
        terms.u2(), terms.u1(), what.u1(), state(storage, id, now), what.u0(),
        status.u1() != 0, terms.u0(), status.u2(),
        ReceivableLayout.isZero(decidedBy) ? null : decidedBy, text(storage, "rq.reason", id));
  }

  static DataSharing.AuditEntry entry(SystemStorage storage, long id) {
    Word what = storage.read(entryWhat(id));
    Word outcome = storage.read(entryOutcome(id));
    return new DataSharing.AuditEntry(id, what.u3(), what.u2(),
        name(storage, storage.read(entryDepartment(id))),
        storage.read(entryRequester(id)).toBytes(), Rule.ofCode((int) outcome.u1()),
        Rule.ofCode((int) outcome.u0()), what.u1(), storage.read(entryPayload(id)).toBytes(),
        what.u0(), outcome.u2());
  }

  static String text(SystemStorage storage, String name, long id) {
    return new String(storage.readBytes(name, Word.of(id)), StandardCharsets.UTF_8);
  }

  /** Items {@code offset} to {@code offset + count - 1} of a list, those that exist. */
  static List<Long> page(SystemStorage storage, Word countSlot, LongFunction<Word> item,
      long offset, int count) {
    long total = storage.readLong(countSlot);
    List<Long> ids = new ArrayList<>();
    for (long i = offset; i < total && i - offset < count; i++) {
      ids.add(storage.readLong(item.apply(i)));
    }
    return ids;
  }

  static List<Long> openRequests(SystemStorage storage) {
    return page(storage, OPEN_COUNT, SharingLayout::open, 0, DataSharing.OPEN_REQUESTS_MAX);
  }

  // ---- writes --------------------------------------------------------------------------------

  static void append(SystemStorage storage, Word countSlot, LongFunction<Word> item, long id) {
    long count = storage.readLong(countSlot);
    storage.write(item.apply(count), id);
    storage.write(countSlot, count + 1);
  }

  static void writeText(SystemStorage storage, String name, long id, String text) {
    if (!text.isEmpty()) {
      storage.writeBytes(name, Word.of(id), text.getBytes(StandardCharsets.UTF_8));
    }
  }

  static byte[] encodeFields(List<String> fields) {
    return Abi.bytes(FIELDS_TYPE.encode(Tuple.from((Object) fields.toArray(String[]::new))));
  }

  static void openRequest(SystemStorage storage, long request) {
    long count = storage.readLong(OPEN_COUNT);
    storage.write(open(count), request);
    storage.write(openIndex(request), count + 1);
    storage.write(OPEN_COUNT, count + 1);
  }

  /** Takes a decided request out of the open list: the last one takes its place. */
  static void closeRequest(SystemStorage storage, long request) {
    long position = storage.readLong(openIndex(request)) - 1;
    long last = storage.readLong(OPEN_COUNT) - 1;
    if (position != last) {
      long moved = storage.readLong(open(last));
      storage.write(open(position), moved);
      storage.write(openIndex(moved), position + 1);
    }
    storage.write(open(last), 0);
    storage.write(openIndex(request), 0);
    storage.write(OPEN_COUNT, last);
  }

  static boolean isZero(byte[] hash) {
    return Arrays.equals(hash, new byte[hash.length]);
  }
}
