package io.chorus.state.system;

import com.esaulpaugh.headlong.abi.Event;
import com.esaulpaugh.headlong.abi.Tuple;
import com.esaulpaugh.headlong.abi.TupleType;
import io.chorus.evm.Address;
import io.chorus.evm.Word;
import io.chorus.state.system.DataSharing.Rule;
import java.math.BigInteger;
import java.util.List;

/**
 * The data sharing contract's events, as {@code DataSharing.sol} declares them: one for every
 * change, so that a node, an indexer or an auditor follows the catalogue, each application and
 * the audit trail from the logs alone. Departments are indexed as Solidity indexes a string:
 * the keccak-256 of the name, {@link DataSharing#departmentId}.
 */
final class SharingEvents {
  static final Event<?> PUBLISHED = Event.create("Published",
      TupleType.parse("(uint64,string,uint64,uint8,uint8,bytes32,string,string)"),
      true, true, false, false, false, false, false, false);
  static final Event<?> APPLIED = Event.create("Applied",
      TupleType.parse("(uint64,uint64,string,uint64,uint64,uint64)"),
      true, true, true, false, false, false);
  static final Event<?> CHECKED = Event.create("Checked",
      TupleType.parse("(uint64,address,bool,uint64,string)"), true, true, false, false, false);
  static final Event<?> EXTENDED = Event.create("Extended",
      TupleType.parse("(uint64,address,uint64,string)"), true, true, false, false);
  static final Event<?> GRANTED = Event.create("Granted",
      TupleType.parse("(uint64,uint64,string,uint64,uint64)"), true, true, true, false, false);
  static final Event<?> REFUSED = Event.create("Refused",
      TupleType.parse("(uint64,address,string)"), true, true, false);
  static final Event<?> REVOKED = Event.create("Revoked",
      TupleType.parse("(uint64,address,string)"), true, true, false);
  static final Event<?> ACCESSED = Event.create("Accessed",
      TupleType.parse("(uint64,uint64,string,uint64,bytes32,uint8,uint8,uint64,bytes32)"),
      true, true, true, false, false, false, false, false, false);
  static final Event<?> PURGED = Event.create("Purged",
      TupleType.parse("(uint64,uint64,bytes32,string)"), true, true, false, false);
  static final List<Event<?>> ALL = List.of(PUBLISHED, APPLIED, CHECKED, EXTENDED, GRANTED,
      REFUSED, REVOKED, ACCESSED, PURGED);

  private static final BigInteger U64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

  private SharingEvents() {}

  /** A 64-bit lane as the ABI's uint64: its bits unsigned. */
  static BigInteger u64(long value) {
    return BigInteger.valueOf(value).and(U64);
  }

  private static void log(SystemStorage storage, Event<?> event, List<Word> indexed,
      Tuple data) {
    List<Word> topics = new java.util.ArrayList<>();
    topics.add(Abi.topic0(event));
    topics.addAll(indexed);
    storage.log(topics, Abi.bytes(event.getNonIndexedParams().encode(data)));
  }

  static void published(SystemStorage storage, long dataset, Word provider, long version,
      SharingRules.Item item, byte[] schemaHash, String code) {
    log(storage, PUBLISHED, List.of(Word.of(dataset), provider), Tuple.from(u64(version),
        item.sharingClass(), item.updateCycle(), schemaHash, code, item.title()));
  }

  static void applied(SystemStorage storage, long request, SharingRules.Application a,
      Word requester, long deadline) {
    log(storage, APPLIED, List.of(Word.of(request), Word.of(a.dataset()), requester),
        Tuple.from(u64(a.fieldMask()), u64(a.expiresAt()), u64(deadline)));
  }

  static void checked(SystemStorage storage, long request, Address authority, boolean passed,
      long deadline, String note) {
    log(storage, CHECKED, List.of(Word.of(request), Abi.topic(authority)),
        Tuple.from(passed, u64(deadline), note));
  }

  static void extended(SystemStorage storage, long request, Address provider, long deadline,
      String reason) {
    log(storage, EXTENDED, List.of(Word.of(request), Abi.topic(provider)),
        Tuple.from(u64(deadline), reason));
  }

  static void granted(SystemStorage storage, long request, long dataset, Word requester,
      long mask, long expiresAt) {
    log(storage, GRANTED, List.of(Word.of(request), Word.of(dataset), requester),
        Tuple.from(u64(mask), u64(expiresAt)));
  }

  static void refused(SystemStorage storage, long request, Address by, String reason) {
    log(storage, REFUSED, List.of(Word.of(request), Abi.topic(by)), Tuple.singleton(reason));
  }

  static void revoked(SystemStorage storage, long request, Address by, String reason) {
    log(storage, REVOKED, List.of(Word.of(request), Abi.topic(by)), Tuple.singleton(reason));
  }

  static void accessed(SystemStorage storage, long entry, SharingRules.Access a,
      Word department, Rule outcome, Rule verdict) {
    log(storage, ACCESSED, List.of(Word.of(entry), Word.of(a.dataset()), department),
        Tuple.from(u64(a.grant()), a.requester(), outcome.code(), verdict.code(),
            u64(a.fieldMask()), a.payloadHash()));
  }

  static void purged(SystemStorage storage, long entry, long dataset, byte[] payloadHash,
      String reason) {
    log(storage, PURGED, List.of(Word.of(entry), Word.of(dataset)),
        Tuple.from(payloadHash, reason));
  }
}
