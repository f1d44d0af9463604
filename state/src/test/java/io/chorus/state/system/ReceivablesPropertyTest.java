package io.chorus.state.system;

import static io.chorus.state.system.ReceivablesChain.BANK;
import static io.chorus.state.system.ReceivablesChain.BANK_2;
import static io.chorus.state.system.ReceivablesChain.DAY;
import static io.chorus.state.system.ReceivablesChain.OBLIGOR;
import static io.chorus.state.system.ReceivablesChain.accept;
import static io.chorus.state.system.ReceivablesChain.call;
import static io.chorus.state.system.ReceivablesChain.offer;
import static io.chorus.state.system.ReceivablesChain.pay;
import static io.chorus.state.system.ReceivablesChain.split;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chorus.crypto.CryptoSuite;
import io.chorus.evm.Log;
import io.chorus.evm.Word;
import io.chorus.state.TransactionResult;
import io.chorus.state.system.Receivables.Rule;
import io.chorus.state.system.Receivables.State;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random sequences of issue, split, whole transfer, offer, accept, cancel, pay, court freeze and
 * unfreeze among a core enterprise, two suppliers and two banks, most of them in one block and
 * some as a deliberate conflict (one piece offered to both banks and accepted by both in one
 * block). After every step: each receivable's pieces sum to its face value, every piece leads
 * back to its root by its parents and sits in its parent's children, no piece is financed twice,
 * a financed piece never changes value, holder or children, and every transfer or offer is
 * allowed exactly when its pre-check said so, refused with the code the pre-check gave. At the
 * end, past every maturity and released from every freeze, the obligor pays every piece with
 * value: what is paid of each receivable is its face value.
 */
class ReceivablesPropertyTest {
  enum Kind { ISSUE, SPLIT, TRANSFER, OFFER, ACCEPT, CANCEL, PAY, FREEZE, UNFREEZE, SKIP_TIME,
    NEXT_BLOCK, DOUBLE_FINANCE }

  /** One step: who acts, on which piece (an index among those that exist), with what. */
  record Step(Kind kind, int actor, int piece, long amount, int other) {}

  @Provide
  Arbitrary<List<Step>> steps() {
    Arbitrary<Kind> kinds = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(4, Arbitraries.just(Kind.ISSUE)),
        net.jqwik.api.Tuple.of(8, Arbitraries.just(Kind.SPLIT)),
        net.jqwik.api.Tuple.of(2, Arbitraries.just(Kind.TRANSFER)),
        net.jqwik.api.Tuple.of(4, Arbitraries.just(Kind.OFFER)),
        net.jqwik.api.Tuple.of(4, Arbitraries.just(Kind.ACCEPT)),
        net.jqwik.api.Tuple.of(1, Arbitraries.just(Kind.CANCEL)),
        net.jqwik.api.Tuple.of(3, Arbitraries.just(Kind.PAY)),
        net.jqwik.api.Tuple.of(1, Arbitraries.just(Kind.FREEZE)),
        net.jqwik.api.Tuple.of(1, Arbitraries.just(Kind.UNFREEZE)),
        net.jqwik.api.Tuple.of(1, Arbitraries.just(Kind.SKIP_TIME)),
        net.jqwik.api.Tuple.of(2, Arbitraries.just(Kind.NEXT_BLOCK)),
        net.jqwik.api.Tuple.of(1, Arbitraries.just(Kind.DOUBLE_FINANCE)));
    return Combinators.combine(kinds, Arbitraries.integers().between(0, 4),
        Arbitraries.integers().between(0, 1_000), Arbitraries.longs().between(0, 1_200),
        Arbitraries.integers().between(0, 4)).as(Step::new).list().ofMinSize(5).ofMaxSize(50);
  }

  @Property(tries = 60)
  void valueIsConservedLineageHoldsAndNothingIsFinancedTwice(
      @ForAll("steps") List<Step> steps) {
    Run run = new Run(new ReceivablesChain(CryptoSuite.ethereum()));
    run.step(new Step(Kind.ISSUE, 1, 0, 1_000, 0));
    for (Step step : steps) {
      run.step(step);
      run.checkInvariants();
    }
    run.settle();
  }

  /** A sequence being run, with what it must remember to check the invariants. */
  static final class Run {
    final ReceivablesChain r;
    final Map<Long, Integer> financings = new HashMap<>();
    /** Value, holder and children of each financed piece when it was financed. */
    final Map<Long, List<Object>> financedAs = new HashMap<>();
    final Set<Long> roots = new HashSet<>();

    Run(ReceivablesChain r) {
      this.r = r;
    }

    long count() {
      return Receivables.pieceCount(r.chain.state);
    }

    void step(Step s) {
      long count = count();
      long id = count == 0 ? 1 : 1 + s.piece() % count;
      Receivables.Piece piece = Receivables.piece(r.chain.state, id);
      int bank = s.other() % 2 == 0 ? BANK : BANK_2;
      switch (s.kind()) {
        case ISSUE -> {
          TransactionResult result = r.send(s.actor(), r.issueCall(s.actor(),
              BigInteger.valueOf(1 + s.amount()), "CNY",
              r.chain.timestamp() + (1 + s.amount() % 365) * DAY,
              r.documents("trade-" + count + "-" + s.amount())));
          if (result.success()) {
            roots.add(ReceivablesChain.number(result));
          }
        }
        case SPLIT -> checked(s.actor(), r.canTransfer(s.actor(), id, s.other(), s.amount()),
            split(id, r.account(s.other()), s.amount()));
        case TRANSFER -> record(r.send(s.actor(), call(ReceivablesContract.TRANSFER,
            Abi.toAbi(r.account(s.actor())), Abi.toAbi(r.account(s.other())),
            BigInteger.valueOf(id))));
        case OFFER -> {
          long price = piece == null ? 1 : piece.value().longValue() / 2 + 1;
          byte[] data = offer(id, r.account(bank), price);
          if (s.actor() == bank) {
            record(r.send(s.actor(), data)); // asked by the bank, canFinance is its acceptance
          } else {
            checked(s.actor(), r.canFinance(s.actor(), id, bank), data);
          }
        }
        case ACCEPT -> checked(bank, r.canFinance(bank, id, bank), accept(id));
        case CANCEL -> record(r.send(s.actor(), call(ReceivablesContract.CANCEL_FINANCING,
            BigInteger.valueOf(id))));
        case PAY -> record(r.send(s.other() < 3 ? OBLIGOR : s.actor(), pay(id, "pay-" + id)));
        case FREEZE -> r.courtOrder(ProposalKind.RECEIVABLE_FREEZE, BigInteger.valueOf(id),
            "court-" + id);
        case UNFREEZE -> r.courtOrder(ProposalKind.RECEIVABLE_UNFREEZE, BigInteger.valueOf(id),
            "release-" + id);
        case SKIP_TIME -> r.chain.skip((1 + s.amount() % 200) * DAY);
        case NEXT_BLOCK -> r.chain.nextBlock();
        case DOUBLE_FINANCE -> {
          // One block: the holder offers to both banks, both banks accept.
          int holder = piece == null ? 1 : r.chainIndex(piece.holder());
          long price = piece == null ? 1 : piece.value().longValue() / 2 + 1;
          record(r.send(holder, offer(id, r.account(BANK), price)));
          record(r.send(holder, offer(id, r.account(BANK_2), price)));
          record(r.send(BANK, accept(id)));
          record(r.send(BANK_2, accept(id)));
        }
      }
    }

    /** Sends {@code data}: allowed exactly when the pre-check said so, else with its code. */
    void checked(int from, Rule precheck, byte[] data) {
      TransactionResult result = r.send(from, data);
      record(result);
      Rule outcome = result.success() ? Rule.OK
          : Rule.ofReason(NotaryChain.reason(result));
      assertEquals(precheck, outcome, () -> "pre-check and call disagree: "
          + (result.success() ? "allowed" : NotaryChain.reason(result)));
    }

    void record(TransactionResult result) {
      for (Log log : result.logs()) {
        if (log.topics().getFirst().equals(Abi.topic0(ReceivableEvents.FINANCED))) {
          long id = log.topics().get(1).toBigInteger().longValueExact();
          financings.merge(id, 1, Integer::sum);
          Receivables.Piece piece = Receivables.piece(r.chain.state, id);
          financedAs.put(id, List.of(piece.value(), piece.holder(),
              Receivables.children(r.chain.state, id)));
        }
      }
    }

    void checkInvariants() {
      Set<Long> seen = new HashSet<>();
      for (long root : roots) {
        BigInteger sum = BigInteger.ZERO;
        for (long id : Receivables.pieces(r.chain.state, root)) {
          assertTrue(seen.add(id), "piece " + id + " is listed under two receivables");
          Receivables.Piece piece = Receivables.piece(r.chain.state, id);
          sum = sum.add(piece.value());
          assertEquals(root, piece.root());
          long at = id;
          for (int hops = 0; at != root; hops++) {
            long parent = Receivables.piece(r.chain.state, at).parent();
            assertTrue(Receivables.children(r.chain.state, parent).contains(at));
            assertTrue(hops < count(), "piece " + id + " does not lead back to its root");
            at = parent;
          }
          assertEquals(0, Receivables.piece(r.chain.state, root).parent());
        }
        assertEquals(Receivables.piece(r.chain.state, root).faceValue(), sum,
            "receivable " + root + "'s pieces sum to its face value");
      }
      assertEquals(count(), seen.size(), "every piece belongs to a receivable");
      financings.forEach((id, times) -> assertEquals(1, times, "piece " + id
          + " was financed " + times + " times"));
      financedAs.forEach((id, as) -> {
        Receivables.Piece piece = Receivables.piece(r.chain.state, id);
        assertEquals(as, List.of(piece.value(), piece.holder(),
            Receivables.children(r.chain.state, id)), "financed piece " + id + " moved");
        assertTrue(piece.state() == State.FINANCED || piece.state() == State.PAID);
      });
    }

    /** Past every maturity, every freeze lifted, the obligor pays all: face value is paid. */
    void settle() {
      r.chain.skip(Receivables.TERM_SECONDS_MAX + DAY);
      for (long id = 1; id <= count(); id++) {
        if (Receivables.piece(r.chain.state, id).frozen()) {
          r.courtOrder(ProposalKind.RECEIVABLE_UNFREEZE, BigInteger.valueOf(id), "release");
        }
      }
      for (long id = 1; id <= count(); id++) {
        Receivables.Piece piece = Receivables.piece(r.chain.state, id);
        if (piece.state() != State.PAID && piece.value().signum() > 0) {
          r.ok(OBLIGOR, pay(id, "final-" + id));
        }
      }
      for (long root : roots) {
        BigInteger paid = BigInteger.ZERO;
        for (long id : Receivables.pieces(r.chain.state, root)) {
          Receivables.Piece piece = Receivables.piece(r.chain.state, id);
          if (piece.state() == State.PAID) {
            paid = paid.add(piece.value());
            assertTrue(!Word.fromBytes(piece.paidRef()).isZero());
          }
        }
        assertEquals(Receivables.piece(r.chain.state, root).faceValue(), paid,
            "paid of receivable " + root);
      }
      checkInvariants();
    }
  }
}
