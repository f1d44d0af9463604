package io.chorus.state.system;

import static io.chorus.state.system.SharingChain.AUTHORITY;
import static io.chorus.state.system.SharingChain.applyCall;
import static io.chorus.state.system.SharingChain.approveCall;
import static io.chorus.state.system.SharingChain.call;
import static io.chorus.state.system.SharingChain.checkCall;
import static io.chorus.state.system.SharingChain.department;
import static io.chorus.state.system.SharingChain.refuseCall;
import static io.chorus.state.system.SharingChain.revokeCall;
import static io.chorus.state.system.SharingChain.u64;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chorus.crypto.CryptoSuite;
import io.chorus.evm.Word;
import io.chorus.state.TransactionResult;
import io.chorus.state.system.DataSharing.RequestState;
import io.chorus.state.system.DataSharing.Rule;
import io.chorus.state.system.DataSharing.SharingClass;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.LongStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.statistics.Statistics;

/**
 * Random sequences of publish, re-class, apply, check, approve, refuse, revoke, time passing
 * (grants expire) and recorded access among three departments, the data authority and an
 * account of no department; actors are drawn at random, so many steps are refused. After every
 * step, over every application: none is granted without the authority's passing check, none
 * for a data set that was not shared when granted, the granted fields are within those asked
 * for and those within the schema of the version applied for, a revoked or expired grant is
 * never reported valid (by canUse for any mask, nor as the grant isGranted finds), the open
 * list is exactly the undecided applications, and a refused step changed nothing and logged
 * nothing. A recorded access's verdict is what the pre-check answered just before it.
 */
class DataSharingPropertyTest {
  enum Kind { PUBLISH, RECLASS, RECLASS_PENDING, APPLY, CHECK, APPROVE, REFUSE, REVOKE, ACCESS,
    SKIP_DAYS, NEXT_BLOCK }

  /** One step: who acts (0-4), on what (an index among what exists), with which numbers. */
  record Step(Kind kind, int actor, int target, long mask, int number) {}

  @Provide
  Arbitrary<List<Step>> steps() {
    Arbitrary<Kind> kinds = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(2, Arbitraries.just(Kind.PUBLISH)),
        net.jqwik.api.Tuple.of(1, Arbitraries.just(Kind.RECLASS)),
        net.jqwik.api.Tuple.of(2, Arbitraries.just(Kind.RECLASS_PENDING)),
        net.jqwik.api.Tuple.of(8, Arbitraries.just(Kind.APPLY)),
        net.jqwik.api.Tuple.of(7, Arbitraries.just(Kind.CHECK)),
        net.jqwik.api.Tuple.of(4, Arbitraries.just(Kind.APPROVE)),
        net.jqwik.api.Tuple.of(1, Arbitraries.just(Kind.REFUSE)),
        net.jqwik.api.Tuple.of(2, Arbitraries.just(Kind.REVOKE)),
        net.jqwik.api.Tuple.of(4, Arbitraries.just(Kind.ACCESS)),
        net.jqwik.api.Tuple.of(2, Arbitraries.just(Kind.SKIP_DAYS)),
        net.jqwik.api.Tuple.of(2, Arbitraries.just(Kind.NEXT_BLOCK)));
    // Mostly masks within a five-field schema and departments' accounts, so that most steps
    // can pass; the rest probe the refusals.
    Arbitrary<Long> masks = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, Arbitraries.longs().between(1, 31)),
        net.jqwik.api.Tuple.of(1, Arbitraries.longs().between(0, 63)),
        net.jqwik.api.Tuple.of(1, Arbitraries.longs()));
    Arbitrary<Integer> actors = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(8, Arbitraries.integers().between(0, 2)),
        net.jqwik.api.Tuple.of(1, Arbitraries.just(AUTHORITY)),
        net.jqwik.api.Tuple.of(1, Arbitraries.just(SharingChain.OUTSIDER)));
    return Combinators.combine(kinds, actors, Arbitraries.integers().between(0, 50), masks,
        Arbitraries.integers().between(0, 60)).as(Step::new).list().ofMinSize(20).ofMaxSize(60);
  }

  @Property(tries = 30, edgeCases = EdgeCasesMode.NONE)
  void noGrantEscapesTheRules(@ForAll("steps") List<Step> steps) {
    Run run = new Run(new SharingChain(CryptoSuite.ethereum()));
    // Each department starts with a data set of each class (a step's number n publishes class
    // n % 3 with 1 + n % 5 fields: 9, 4 and 14 give all five fields).
    for (int department = 0; department < 3; department++) {
      for (int number : new int[] {9, 4, 14}) {
        run.step(new Step(Kind.PUBLISH, department, department, 0, number));
      }
    }
    for (Step step : steps) {
      run.step(step);
      run.checkInvariants();
    }
    // What a run exercised: grants made (in force, revoked or expired at the end) and the
    // verdicts of the accesses recorded.
    long grants = LongStream.rangeClosed(1, run.requests).filter(id -> run.s.request(id)
        .grantedMask() != 0).count();
    Statistics.label("grants made").collect(Math.min(grants, 3) + (grants >= 3 ? "+" : ""));
    Statistics.label("access verdicts").collect(run.verdicts);
  }

  static final class Run {
    final SharingChain s;
    final List<Long> datasets = new ArrayList<>();
    /** The sharing class each data set has now, as the steps that passed set it. */
    final Map<Long, SharingClass> classes = new HashMap<>();
    /** Applications the authority passed, by a transaction that succeeded. */
    final Set<Long> passedCheck = new HashSet<>();
    /** The distinct verdicts of the accesses recorded. */
    final Set<Rule> verdicts = new java.util.TreeSet<>();
    long requests;

    Run(SharingChain s) {
      this.s = s;
    }

    void step(Step step) {
      switch (step.kind()) {
        case PUBLISH -> publish(step);
        case RECLASS -> reclass(step, false);
        case RECLASS_PENDING -> reclass(step, true);
        case APPLY -> apply(step);
        case CHECK -> check(step);
        case APPROVE -> {
          long request = pick(step, RequestState.CHECKED);
          decide(step, request, approveCall(request, approvedMask(step, request)));
        }
        case REFUSE -> {
          long request = pick(step, RequestState.CHECKED);
          decide(step, request, refuseCall(request, "不符合共享条件"));
        }
        case REVOKE -> {
          long request = pick(step, RequestState.GRANTED);
          DataSharing.Request r = s.request(request);
          send(step.actor() == SharingChain.OUTSIDER ? AUTHORITY
              : providerMostly(step, r == null ? 0 : r.dataset()), revokeCall(request, "撤销"));
        }
        case ACCESS -> access(step);
        case SKIP_DAYS -> s.chain.skip(step.number() * 3_600L * 6);
        case NEXT_BLOCK -> s.chain.nextBlock();
      }
    }

    private void publish(Step step) {
      SharingClass sharing = SharingClass.values()[step.number() % 3];
      int fields = 1 + step.number() % SharingChain.FIELDS.size();
      TransactionResult r = send(step.actor(), SharingChain.publishCall("C-" + datasets.size()
          + "-" + step.target(), "t", SharingChain.FIELDS.subList(0, fields), sharing));
      if (r.success()) {
        long id = SharingChain.number(r);
        datasets.add(id);
        classes.put(id, sharing);
      }
    }

    /** A new version of some data set, or (pending) of one with an undecided application. */
    private void reclass(Step step, boolean pending) {
      if (datasets.isEmpty()) {
        return;
      }
      DataSharing.Request undecided = pending ? s.request(pick(step, step.target() % 3 == 0
          ? RequestState.CHECKED : RequestState.APPLIED)) : null;
      long id = undecided == null ? datasets.get(step.target() % datasets.size())
          : undecided.dataset();
      SharingClass sharing = SharingClass.values()[step.number() % 3];
      TransactionResult r = send(providerMostly(step, id), call(DataSharingContract.UPDATE,
          u64(id), "t", SharingChain.FIELDS.toArray(String[]::new), sharing.ordinal(), 0));
      if (r.success()) {
        classes.put(id, sharing);
      }
    }

    private void apply(Step step) {
      // Four times in five a data set that is shared.
      List<Long> shared = datasets.stream().filter(d -> classes.get(d)
          != SharingClass.NOT_SHARED).toList();
      List<Long> among = shared.isEmpty() || step.number() % 5 == 0 ? datasets : shared;
      long dataset = among.isEmpty() ? 1 : among.get(step.target() % among.size());
      long mask = step.mask();
      DataSharing.Dataset d = DataSharing.dataset(s.chain.state, dataset);
      // Four times in five another department than the provider applies.
      int actor = d == null || step.number() % 5 == 0 ? step.actor()
          : (SharingChain.DEPARTMENTS.indexOf(d.provider()) + 1 + step.actor() % 2) % 3;
      TransactionResult r = send(actor, applyCall(dataset, mask,
          s.now() + (1 + step.number() % 20) * 86_400L));
      if (r.success()) {
        requests++;
        assertNotEquals(SharingClass.NOT_SHARED, classes.get(dataset),
            "an application to a not-shared data set passed");
      }
    }

    private void check(Step step) {
      long request = pick(step, RequestState.APPLIED);
      int actor = step.actor() == 4 || step.number() % 4 != 0 ? AUTHORITY : step.actor();
      boolean pass = step.number() % 5 != 0;
      TransactionResult r = send(actor, checkCall(request, pass, pass ? "" : "材料不全"));
      if (r.success() && pass) {
        assertEquals(AUTHORITY, actor, "a check passed by another than the authority");
        passedCheck.add(request);
        grantedNow(request);
      }
    }

    /** Mostly some of the fields asked for; now and then others. */
    private long approvedMask(Step step, long request) {
      DataSharing.Request r = s.request(request);
      if (r == null || step.number() % 6 == 0) {
        return step.mask();
      }
      long some = r.requestedMask() & step.mask();
      return some != 0 ? some : r.requestedMask();
    }

    /** The provider of {@code dataset} three times in four, else the step's actor. */
    private int providerMostly(Step step, long dataset) {
      DataSharing.Dataset d = DataSharing.dataset(s.chain.state, dataset);
      return d == null || step.number() % 4 == 0 ? step.actor()
          : SharingChain.DEPARTMENTS.indexOf(d.provider());
    }

    private void decide(Step step, long request, byte[] data) {
      DataSharing.Request r = s.request(request);
      if (send(providerMostly(step, r == null ? 0 : r.dataset()), data).success()) {
        grantedNow(request);
      }
    }

    /** After a step that may have granted {@code request}: the class it was granted under. */
    private void grantedNow(long request) {
      DataSharing.Request r = s.request(request);
      if (r.state() == RequestState.GRANTED) {
        assertNotEquals(SharingClass.NOT_SHARED, classes.get(r.dataset()),
            "granted while the data set is not shared");
      }
    }

    private void access(Step step) {
      if (datasets.isEmpty()) {
        return;
      }
      // Mostly a grant in force presented by its own department for its own data set, so that
      // deliveries happen; else any grant, none, another department or another data set.
      long grant = step.number() % 6 == 0 ? 0 : pick(step, RequestState.GRANTED);
      DataSharing.Request presented = s.request(grant);
      long dataset = presented == null || step.number() % 7 == 0
          ? datasets.get(step.target() % datasets.size()) : presented.dataset();
      String department = presented == null || step.number() % 5 == 0
          ? department(step.number() % 3) : presented.requester();
      long mask = presented == null || step.number() % 4 == 0 ? step.mask() & 31
          : presented.grantedMask() & step.mask() | Long.lowestOneBit(presented.grantedMask());
      Rule expected = verdict(grant == 0
          ? SharingRules.isGranted(view(), dataset, id(department), mask, s.now()).refusal()
          : SharingRules.checkUse(view(), grant, dataset, id(department), mask, s.now()));
      Rule outcome = expected == Rule.OK && grant == 0 ? Rule.NO_GRANT : expected;
      byte[] payload = outcome == Rule.OK ? s.chain.content("p" + step) : new byte[32];
      TransactionResult r = send(providerMostly(step, dataset), SharingChain.accessCall(dataset,
          grant,
          department, outcome, mask, payload));
      if (r.success()) {
        DataSharing.AuditEntry entry = DataSharing.auditEntry(s.chain.state,
            SharingChain.number(r));
        assertEquals(expected, entry.verdict(), "the verdict is the pre-check's answer");
        assertEquals(outcome, entry.outcome());
        verdicts.add(entry.verdict());
      }
    }

    private static Rule verdict(SharingRules.Refusal refusal) {
      return refusal == null ? Rule.OK : refusal.rule();
    }

    /** Four times in five an application in {@code state} when there is one, else any. */
    private long pick(Step step, RequestState state) {
      List<Long> candidates = new ArrayList<>();
      for (long id = 1; id <= requests; id++) {
        if (s.request(id).state() == state) {
          candidates.add(id);
        }
      }
      return candidates.isEmpty() || step.number() % 5 == 0 ? request(step)
          : candidates.get(step.target() % candidates.size());
    }

    /** One of the three newest applications half the time, else any. */
    private long request(Step step) {
      if (requests == 0) {
        return 1;
      }
      return step.target() % 2 == 0 ? Math.max(1, requests - step.target() / 2 % 3)
          : 1 + step.target() % requests;
    }

    /** Sends a step; a refusal must leave the contract as it was and log nothing. */
    private TransactionResult send(int from, byte[] data) {
      byte[] before = s.chain.state.storageRoot(SharingChain.SHARING);
      TransactionResult r = s.send(from, data);
      if (!r.success()) {
        assertTrue(r.logs().isEmpty(), "a refusal logs nothing");
        assertArrayEquals(before, s.chain.state.storageRoot(SharingChain.SHARING),
            "a refusal changes nothing: " + NotaryChain.reason(r));
        assertTrue(Rule.ofReason(NotaryChain.reason(r)) != null, NotaryChain.reason(r));
      }
      return r;
    }

    private SystemStorage view() {
      return SystemStorage.readOnly(SystemContracts.DATA_SHARING, s.chain.state);
    }

    private static Word id(String department) {
      return Word.fromBytes(DataSharing.departmentId(department));
    }

    void checkInvariants() {
      long now = s.now();
      Set<Long> open = new HashSet<>();
      for (long id = 1; id <= requests; id++) {
        DataSharing.Request r = s.request(id);
        RequestState state = r.state();
        if (state == RequestState.APPLIED || state == RequestState.CHECKED) {
          open.add(id);
        }
        DataSharing.Version version = DataSharing.version(s.chain.state, r.dataset(),
            r.version());
        long schema = (1L << version.fields().size()) - 1;
        assertEquals(0, r.requestedMask() & ~schema, "asked for a field outside the schema");
        assertEquals(0, r.grantedMask() & ~r.requestedMask(), "granted a field not asked for");
        boolean granted = state == RequestState.GRANTED || state == RequestState.REVOKED
            || state == RequestState.EXPIRED;
        assertEquals(granted, r.grantedMask() != 0, "a grant has fields, nothing else has");
        if (granted) {
          assertTrue(passedCheck.contains(id), "application " + id
              + " granted without the authority's check");
        }
        // Past its period by the block time, whatever state the chain reports.
        boolean ended = granted && r.expiresAt() <= now;
        if (ended) {
          assertNotEquals(RequestState.GRANTED, state, "grant " + id + " past its period");
        }
        if (state == RequestState.REVOKED || ended) {
          Word department = id(r.requester());
          for (long mask : new long[] {r.grantedMask(), 1, 31}) {
            assertNotEquals(null, SharingRules.checkUse(view(), id, r.dataset(), department,
                mask, now), "grant " + id + " is " + state + " yet valid");
            SharingRules.Answer answer = SharingRules.isGranted(view(), r.dataset(), department,
                mask, now);
            if (answer.refusal() == null) {
              assertNotEquals(id, answer.grant(), "isGranted found " + state + " grant " + id);
              assertEquals(RequestState.GRANTED, s.request(answer.grant()).state());
            }
          }
        }
      }
      assertEquals(open, new HashSet<>(SharingLayout.openRequests(view())),
          "the open list is the undecided applications");
    }
  }
}
