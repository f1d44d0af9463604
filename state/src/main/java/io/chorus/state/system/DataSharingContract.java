package io.chorus.state.system;

import static io.chorus.state.system.SharingEvents.u64;

import com.esaulpaugh.headlong.abi.Function;
import com.esaulpaugh.headlong.abi.Tuple;
import io.chorus.crypto.HashFunction;
import io.chorus.evm.Address;
import io.chorus.evm.Word;
import io.chorus.state.system.DataSharing.Rule;
import io.chorus.state.system.SharingRules.Refusal;
import java.math.BigInteger;
import java.util.List;

/**
 * The data sharing contract's execution: its ABI ({@code DataSharing.sol}) and the dispatch of
 * a call to {@link SharingRules}. {@link DataSharing} is its public face.
 */
final class DataSharingContract {
  // The catalogue
  static final Function PUBLISH = Function.parse(
      "publish(string,string,string[],uint8,uint8)", "(uint64)");
  static final Function UPDATE = Function.parse(
      "update(uint64,string,string[],uint8,uint8)", "(uint64)");
  static final Function DATASET_COUNT = Function.parse("datasetCount()", "(uint64)");
  static final Function DATASET_OF = Function.parse("datasetOf(uint64)",
      "(string,string,uint64,uint64)");
  static final Function VERSION_OF = Function.parse("versionOf(uint64,uint64)",
      "(uint64,string,string[],bytes32,uint8,uint8,uint64)");
  static final Function DATASET_BY_CODE = Function.parse("datasetByCode(string)", "(uint64)");
  static final Function DATASETS_OF = Function.parse("datasetsOf(string,uint64,uint64)",
      "(uint64,uint64[])");
  static final Function SCHEMA_HASH = Function.parse("schemaHash(string[])", "(bytes32)");
  // Applications and grants
  static final Function APPLY = Function.parse(
      "applyFor(uint64,string,string,uint64,uint64)", "(uint64)");
  static final Function CHECK = Function.parse("check(uint64,bool,string)");
  static final Function EXTEND = Function.parse("extend(uint64,string)");
  static final Function APPROVE = Function.parse("approve(uint64,uint64)");
  static final Function REFUSE = Function.parse("refuse(uint64,string)");
  static final Function REVOKE = Function.parse("revoke(uint64,string)");
  static final Function REQUEST_COUNT = Function.parse("requestCount()", "(uint64)");
  static final Function REQUEST_OF = Function.parse("requestOf(uint64)", "(uint64,uint64,"
      + "string,address,string,string,uint64,uint64,uint64,uint64,uint8,uint64,bool,uint64,"
      + "uint64,address,string)");
  static final Function REQUESTS_OF_DATASET = Function.parse(
      "requestsOfDataset(uint64,uint64,uint64)", "(uint64,uint64[])");
  static final Function REQUESTS_OF_DEPARTMENT = Function.parse(
      "requestsOfDepartment(string,uint64,uint64)", "(uint64,uint64[])");
  static final Function OPEN_REQUESTS = Function.parse("openRequests()", "(uint64[])");
  static final Function OVERDUE_REQUESTS = Function.parse("overdueRequests()", "(uint64[])");
  static final Function GRANT_OF = Function.parse("grantOf(uint64)",
      "(uint64,uint64,string,string,uint64,uint64,uint64,uint64,uint8)");
  static final Function GRANTS_OF = Function.parse("grantsOf(uint64,string)", "(uint64[])");
  static final Function IS_GRANTED = Function.parse("isGranted(uint64,string,uint64)",
      "(bytes1,string,uint64)");
  static final Function CAN_USE = Function.parse("canUse(uint64,string,uint64)",
      "(bytes1,string)");
  static final Function DEPARTMENT_OF = Function.parse("departmentOf(address)", "(string)");
  static final Function DEADLINE_AFTER = Function.parse("deadlineAfter(uint64,uint8)",
      "(uint64)");
  // The audit trail
  static final Function RECORD_ACCESS = Function.parse(
      "recordAccess(uint64,uint64,string,bytes32,uint8,uint64,bytes32)", "(uint64)");
  static final Function RECORD_PURGE = Function.parse("recordPurge(uint64,string)");
  static final Function AUDIT_COUNT = Function.parse("auditCount()", "(uint64)");
  static final Function AUDIT_ENTRY = Function.parse("auditEntry(uint64)",
      "(uint64,uint64,string,bytes32,uint8,uint8,uint64,bytes32,uint64,uint64)");
  static final Function AUDIT_OF_DATASET = Function.parse(
      "auditOfDataset(uint64,uint64,uint64)", "(uint64,uint64[])");
  static final Function AUDIT_OF_DEPARTMENT = Function.parse(
      "auditOfDepartment(string,uint64,uint64)", "(uint64,uint64[])");

  static final List<Function> FUNCTIONS = List.of(PUBLISH, UPDATE, DATASET_COUNT, DATASET_OF,
      VERSION_OF, DATASET_BY_CODE, DATASETS_OF, SCHEMA_HASH, APPLY, CHECK, EXTEND, APPROVE,
      REFUSE, REVOKE, REQUEST_COUNT, REQUEST_OF, REQUESTS_OF_DATASET, REQUESTS_OF_DEPARTMENT,
      OPEN_REQUESTS, OVERDUE_REQUESTS, GRANT_OF, GRANTS_OF, IS_GRANTED, CAN_USE, DEPARTMENT_OF,
      DEADLINE_AFTER, RECORD_ACCESS, RECORD_PURGE, AUDIT_COUNT, AUDIT_ENTRY, AUDIT_OF_DATASET,
      AUDIT_OF_DEPARTMENT);
  private static final List<Function> WRITES = List.of(PUBLISH, UPDATE, APPLY, CHECK, EXTEND,
      APPROVE, REFUSE, REVOKE, RECORD_ACCESS, RECORD_PURGE);
  /** The last second of year 9999: later times are not dates {@code deadlineAfter} counts. */
  private static final long TIME_MAX = 253_402_300_799L;

  private DataSharingContract() {}

  /** Runs a call from {@code sender}; null when the selector is none of the contract's. */
  static byte[] call(SystemStorage storage, Address sender, byte[] input,
      SystemContracts.Context context, boolean isStatic, HashFunction hash) {
    Function f = SystemContracts.match(FUNCTIONS, input);
    if (f == null) {
      return null;
    }
    Tuple args = f.decodeCall(input);
    if (WRITES.contains(f)) {
      if (isStatic) {
        throw new SystemContracts.Revert(f.getName() + " changes state: send it as a"
            + " transaction");
      }
      return write(storage, sender, f, args, context.timestamp(), hash);
    }
    return encode(f, read(storage, f, args, context.timestamp(), hash));
  }

  private static byte[] write(SystemStorage storage, Address sender, Function f, Tuple args,
      long now, HashFunction hash) {
    if (f == PUBLISH) {
      return number(f, SharingRules.publish(storage, sender, args.get(0), item(args, 1), now,
          hash));
    } else if (f == UPDATE) {
      return number(f, SharingRules.update(storage, sender, id(args, 0), item(args, 1), now,
          hash));
    } else if (f == APPLY) {
      return number(f, SharingRules.apply(storage, sender, new SharingRules.Application(
          id(args, 0), args.get(1), args.get(2), lane(args, 3), time(args, 4)), now));
    } else if (f == RECORD_ACCESS) {
      long grant = id(args, 1);
      if (grant < 0) {
        throw SharingRules.refuse(Rule.BAD_ENTRY, "no grant with that id: name 0 for none");
      }
      return number(f, SharingRules.recordAccess(storage, sender, new SharingRules.Access(
          id(args, 0), grant, args.get(2), args.get(3), args.get(4), lane(args, 5),
          args.get(6)), now));
    }
    long id = id(args, 0);
    if (f == CHECK) {
      SharingRules.check(storage, sender, id, args.get(1), args.get(2), now);
    } else if (f == EXTEND) {
      SharingRules.extend(storage, sender, id, args.get(1), now);
    } else if (f == APPROVE) {
      SharingRules.approve(storage, sender, id, lane(args, 1), now);
    } else if (f == REFUSE) {
      SharingRules.refuseApplication(storage, sender, id, args.get(1), now);
    } else if (f == REVOKE) {
      SharingRules.revoke(storage, sender, id, args.get(1), now);
    } else {
      SharingRules.recordPurge(storage, sender, id, args.get(1), now);
    }
    return new byte[0];
  }

  private static Tuple read(SystemStorage storage, Function f, Tuple args, long now,
      HashFunction hash) {
    if (f == DATASET_COUNT) {
      return Tuple.singleton(u64(storage.readLong(SharingLayout.DATASET_COUNT)));
    } else if (f == REQUEST_COUNT) {
      return Tuple.singleton(u64(storage.readLong(SharingLayout.REQUEST_COUNT)));
    } else if (f == AUDIT_COUNT) {
      return Tuple.singleton(u64(storage.readLong(SharingLayout.AUDIT_COUNT)));
    } else if (f == DATASET_BY_CODE) {
      return Tuple.singleton(u64(storage.readLong(SharingLayout.byCode(args.get(0)))));
    } else if (f == SCHEMA_HASH) {
      String[] fields = args.get(0);
      return Tuple.singleton(hash.hash(SharingLayout.encodeFields(List.of(fields))));
    } else if (f == DEPARTMENT_OF) {
      String name = SharingLayout.departmentName(storage, Abi.fromAbi(args.get(0)));
      return Tuple.singleton(name == null ? "" : name);
    } else if (f == DEADLINE_AFTER) {
      long time = time(args, 0);
      int days = args.get(1);
      if (time > TIME_MAX || days < 1 || days > WorkingDays.DAYS_MAX) {
        throw SharingRules.refuse(Rule.BAD_PERIOD, "a deadline counts 1 to "
            + WorkingDays.DAYS_MAX + " working days from a time before year 10000");
      }
      return Tuple.singleton(u64(WorkingDays.deadline(time, days)));
    } else if (f == OPEN_REQUESTS) {
      return ids(SharingLayout.openRequests(storage));
    } else if (f == OVERDUE_REQUESTS) {
      return ids(SharingLayout.openRequests(storage).stream().filter(id -> storage.read(
          SharingLayout.requestWhat(id)).u0() <= now).toList());
    } else if (f == IS_GRANTED) {
      SharingRules.Answer answer = SharingRules.isGranted(storage, id(args, 0),
          department(args.get(1)), lane(args, 2), now);
      return Tuple.from(code(answer.refusal()), message(answer.refusal()), u64(answer.grant()));
    } else if (f == CAN_USE) {
      long grant = id(args, 0);
      long dataset = SharingLayout.requestExists(storage, grant)
          ? storage.read(SharingLayout.requestWhat(grant)).u3() : 0;
      Refusal refusal = SharingRules.checkUse(storage, grant, dataset,
          department(args.get(1)), lane(args, 2), now);
      return Tuple.from(code(refusal), message(refusal));
    } else if (f == GRANTS_OF) {
      Word department = department(args.get(1));
      long dataset = id(args, 0);
      return ids(SharingLayout.page(storage, SharingLayout.grantCount(dataset, department),
          i -> SharingLayout.grant(dataset, department, i), 0, DataSharing.PAGE_MAX));
    } else if (f == DATASETS_OF || f == REQUESTS_OF_DEPARTMENT || f == AUDIT_OF_DEPARTMENT) {
      Word department = department(args.get(0));
      return f == DATASETS_OF
          ? page(storage, SharingLayout.departmentDatasetCount(department),
              i -> SharingLayout.departmentDataset(department, i), args)
          : f == REQUESTS_OF_DEPARTMENT
          ? page(storage, SharingLayout.departmentRequestCount(department),
              i -> SharingLayout.departmentRequest(department, i), args)
          : page(storage, SharingLayout.departmentAuditCount(department),
              i -> SharingLayout.departmentAudit(department, i), args);
    } else if (f == REQUESTS_OF_DATASET || f == AUDIT_OF_DATASET) {
      long dataset = id(args, 0);
      return f == REQUESTS_OF_DATASET
          ? page(storage, SharingLayout.datasetRequestCount(dataset),
              i -> SharingLayout.datasetRequest(dataset, i), args)
          : page(storage, SharingLayout.datasetAuditCount(dataset),
              i -> SharingLayout.datasetAudit(dataset, i), args);
    }
    return readRecord(storage, f, args, now);
  }

  /** The views of one data set, version, application, grant or audit entry. */
  private static Tuple readRecord(SystemStorage storage, Function f, Tuple args, long now) {
    long id = id(args, 0);
    if (f == DATASET_OF || f == VERSION_OF) {
      if (!SharingLayout.datasetExists(storage, id)) {
        throw SharingRules.refuse(Rule.NO_DATASET, "no data set " + args.get(0));
      }
      if (f == DATASET_OF) {
        DataSharing.Dataset d = SharingLayout.dataset(storage, id);
        return Tuple.from(d.code(), d.provider(), u64(d.versions()), u64(d.createdAt()));
      }
      long versions = SharingLayout.versions(storage, id);
      long number = lane(args, 1) == 0 ? versions : lane(args, 1);
      if (number < 1 || number > versions) {
        throw SharingRules.refuse(Rule.NO_DATASET, "data set " + id + " has versions 1 to "
            + versions + ", not " + args.get(1));
      }
      DataSharing.Version v = SharingLayout.version(storage, id, number);
      return Tuple.from(u64(number), v.title(), v.fields().toArray(String[]::new), v.schemaHash(),
          v.sharingClass().ordinal(), v.updateCycle().ordinal(), u64(v.publishedAt()));
    } else if (f == AUDIT_ENTRY) {
      if (!SharingLayout.entryExists(storage, id)) {
        throw SharingRules.refuse(Rule.BAD_ENTRY, "no audit entry " + args.get(0));
      }
      DataSharing.AuditEntry e = SharingLayout.entry(storage, id);
      return Tuple.from(u64(e.dataset()), u64(e.grant()), e.department(), e.requester(),
          e.outcome().code(), e.verdict().code(), u64(e.fieldMask()), e.payloadHash(),
          u64(e.time()), u64(e.purgedAt()));
    }
    if (!SharingLayout.requestExists(storage, id)) {
      throw SharingRules.refuse(Rule.NO_REQUEST, "no application " + args.get(0));
    }
    DataSharing.Request r = SharingLayout.request(storage, id, now);
    if (f == REQUEST_OF) {
      return Tuple.from(u64(r.dataset()), u64(r.version()), r.requester(),
          Abi.toAbi(r.applicant()), r.purpose(), r.scenario(), u64(r.requestedMask()),
          u64(r.grantedMask()), u64(r.expiresAt()), u64(r.appliedAt()), r.state().ordinal(),
          u64(r.deadline()), r.extended(), u64(r.decidedAt()), u64(r.revokedAt()),
          Abi.toAbi(r.decidedBy() == null
              ? Address.of(new byte[Address.BYTES]) : r.decidedBy()), r.reason());
    }
    if (r.grantedMask() == 0) {
      throw SharingRules.refuse(Rule.NO_GRANT, "application " + id + " is "
          + r.state().name().toLowerCase(java.util.Locale.ROOT) + ": it was never granted");
    }
    return Tuple.from(u64(r.dataset()), u64(r.version()), r.requester(), r.purpose(),
        u64(r.grantedMask()), u64(r.decidedAt()), u64(r.expiresAt()), u64(r.revokedAt()),
        r.state().ordinal());
  }

  private static SharingRules.Item item(Tuple args, int from) {
    String[] fields = args.get(from + 1);
    return new SharingRules.Item(args.get(from), List.of(fields), args.get(from + 2),
        args.get(from + 3));
  }

  private static Word department(String name) {
    return Word.fromBytes(DataSharing.departmentId(name));
  }

  private static Tuple page(SystemStorage storage, Word count,
      java.util.function.LongFunction<Word> item, Tuple args) {
    long offset = lane(args, 1);
    BigInteger asked = args.get(2);
    int size = asked.compareTo(BigInteger.valueOf(DataSharing.PAGE_MAX)) > 0
        ? DataSharing.PAGE_MAX : asked.intValue();
    List<Long> ids = offset < 0 ? List.of() : SharingLayout.page(storage, count, item, offset,
        size);
    return Tuple.from(u64(storage.readLong(count)), ids.stream().map(SharingEvents::u64)
        .toArray(BigInteger[]::new));
  }

  private static Tuple ids(List<Long> ids) {
    return Tuple.singleton(ids.stream().map(SharingEvents::u64).toArray(BigInteger[]::new));
  }

  private static byte[] code(Refusal refusal) {
    return new byte[] {(byte) (refusal == null ? Rule.OK : refusal.rule()).code()};
  }

  private static String message(Refusal refusal) {
    return refusal == null ? Rule.OK.reason("allowed") : refusal.reason();
  }

  /** An id argument; -1 (none) beyond any id. */
  private static long id(Tuple args, int index) {
    return SharingRules.id(args.get(index));
  }

  /** A uint64 mask or count argument as its 64 bits. */
  private static long lane(Tuple args, int index) {
    return ((BigInteger) args.get(index)).longValue();
  }

  /** A uint64 time; one beyond a long is beyond any period, so it stands as Long.MAX_VALUE. */
  private static long time(Tuple args, int index) {
    BigInteger time = args.get(index);
    return time.bitLength() < 64 ? time.longValue() : Long.MAX_VALUE;
  }

  private static byte[] number(Function f, long value) {
    return encode(f, Tuple.singleton(u64(value)));
  }

  private static byte[] encode(Function f, Tuple values) {
    return Abi.bytes(f.getOutputs().encode(values));
  }
}
