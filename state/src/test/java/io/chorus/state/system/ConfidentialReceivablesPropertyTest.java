package io.chorus.state.system;

import static io.chorus.state.system.ReceivablesChain.BANK;
import static io.chorus.state.system.ReceivablesChain.BANK_2;
import static io.chorus.state.system.ReceivablesChain.SUPPLIER;
import static io.chorus.state.system.ReceivablesChain.SUPPLIER_2;
import static io.chorus.state.system.ReceivablesChain.accept;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chorus.crypto.CommitmentException;
import io.chorus.crypto.CryptoSuite;
import io.chorus.state.system.ConfidentialParties.Secret;
import io.chorus.state.system.Receivables.ProofPurpose;
import io.chorus.state.system.Receivables.Rule;
import io.chorus.state.system.Receivables.State;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random sequences of confidential splits, whole transfers, offers and acceptances among two
 * suppliers and two banks, with holders that try to split more than a piece holds or to offer
 * above its value (their best try: a genuine proof of some other amount in place of the one
 * that cannot exist). The model knows every opening; after each step every piece's commitment
 * opens to the model's amount, the amounts sum to the face value, the commitments add up to the
 * face value's, every cheat was refused with {@code 0xaf bad-proof} and changed nothing, and no
 * piece is financed twice. Fewer tries than the clear property test: each split proves and
 * checks four ranges.
 */
class ConfidentialReceivablesPropertyTest {
  private static final long FACE = 10_000;
  private static final int[] HOLDERS = {SUPPLIER, SUPPLIER_2};
  private static final int[] BANKS = {BANK, BANK_2};

  enum Kind { SPLIT, OVERSPLIT, TRANSFER, OFFER, OVERPRICED, ACCEPT, NEXT_BLOCK }

  /** One step: on which piece (an index among those known), how much, to whom. */
  record Step(Kind kind, int piece, long amount, int other) {}

  @Provide
  Arbitrary<List<Step>> steps() {
    Arbitrary<Kind> kinds = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, Arbitraries.just(Kind.SPLIT)),
        net.jqwik.api.Tuple.of(2, Arbitraries.just(Kind.OVERSPLIT)),
        net.jqwik.api.Tuple.of(2, Arbitraries.just(Kind.TRANSFER)),
        net.jqwik.api.Tuple.of(3, Arbitraries.just(Kind.OFFER)),
        net.jqwik.api.Tuple.of(1, Arbitraries.just(Kind.OVERPRICED)),
        net.jqwik.api.Tuple.of(3, Arbitraries.just(Kind.ACCEPT)),
        net.jqwik.api.Tuple.of(1, Arbitraries.just(Kind.NEXT_BLOCK)));
    return Combinators.combine(kinds, Arbitraries.integers().between(0, 1_000),
        Arbitraries.longs().between(0, 20_000), Arbitraries.integers().between(0, 1))
        .as(Step::new).list().ofMinSize(4).ofMaxSize(14);
  }

  @Property(tries = 6)
  void committedValueIsConservedAndNothingIsFinancedTwice(@ForAll("steps") List<Step> steps)
      throws CommitmentException {
    Run run = new Run(new ConfidentialParties(CryptoSuite.ethereum()));
    for (Step step : steps) {
      run.step(step);
      run.checkInvariants();
    }
  }

  /** The chain and what the parties know of it. */
  static final class Run {
    final ConfidentialParties p;
    final Secret face;
    final Map<Long, Secret> known = new TreeMap<>();
    final Set<Long> financed = new HashSet<>();

    Run(ConfidentialParties p) {
      this.p = p;
      face = p.secret(FACE);
      known.put(p.issue(face), face);
    }

    void step(Step step) {
      List<Long> ids = new ArrayList<>(known.keySet());
      long id = ids.get(step.piece() % ids.size());
      Receivables.Piece piece = p.r.piece(id);
      int holder = p.r.chainIndex(piece.holder());
      Secret value = known.get(id);
      long amount = value.value().longValueExact();
      boolean active = piece.state() == State.ACTIVE;
      switch (step.kind()) {
        case SPLIT -> {
          if (amount == 0) {
            return;
          }
          Secret part = p.secret(1 + step.amount() % amount);
          int to = HOLDERS[step.other()];
          byte[] call = p.splitCall(id, value, part, to);
          if (!active) {
            assertEquals(Rule.LOCKED, p.r.refused(holder, call));
            return;
          }
          long child = ReceivablesChain.number(p.r.ok(holder, call));
          known.put(child, part);
          known.put(id, p.rest(value, part));
        }
        case OVERSPLIT -> {
          Secret part = p.secret(amount + 1 + step.amount());
          byte[] cheat = Receivables.splitConfidentialCall(id, p.r.account(SUPPLIER_2),
              part.commitment(), p.proof(part, 1, ProofPurpose.SPLIT, id),
              p.proof(p.secret(step.amount()), 0, ProofPurpose.REST, id),
              p.seal(part.commitment(), List.of(part.opening()), SUPPLIER_2,
                  ReceivablesChain.OBLIGOR), p.keptSeal(part));
          assertEquals(active ? Rule.BAD_PROOF : Rule.LOCKED, p.r.refused(holder, cheat));
        }
        case TRANSFER -> {
          int to = HOLDERS[step.other()];
          byte[] call = ReceivablesChain.call(ReceivablesContract.TRANSFER,
              Abi.toAbi(piece.holder()), Abi.toAbi(p.r.account(to)), BigInteger.valueOf(id));
          if (to == holder) {
            return;
          }
          if (!active) {
            assertEquals(Rule.LOCKED, p.r.refused(holder, call));
            return;
          }
          p.r.ok(holder, call);
        }
        case OFFER, OVERPRICED -> {
          if (amount == 0) {
            return;
          }
          boolean fair = step.kind() == Kind.OFFER;
          Secret price = p.secret(fair ? 1 + step.amount() % amount : amount + 1);
          int bank = BANKS[step.other()];
          byte[] call = fair ? p.offerCall(id, value, price, bank)
              : Receivables.offerConfidentialCall(id, p.r.account(bank), price.commitment(),
                  p.proof(price, 1, ProofPurpose.PRICE, id), p.proof(p.secret(0), 0,
                      ProofPurpose.MARGIN, id), p.seal(value.commitment(),
                      List.of(value.opening(), price.opening()), bank));
          if (!active) {
            assertEquals(Rule.LOCKED, p.r.refused(holder, call));
          } else if (fair) {
            p.r.ok(holder, call);
          } else {
            assertEquals(Rule.BAD_PROOF, p.r.refused(holder, call));
          }
        }
        case ACCEPT -> {
          int bank = BANKS[step.other()];
          boolean offeredToIt = piece.state() == State.OFFERED
              && Receivables.offer(p.r.chain.state, id).bank().equals(p.r.account(bank));
          if (!offeredToIt) {
            p.r.refused(bank, accept(id));
            return;
          }
          p.r.ok(bank, accept(id));
          assertTrue(financed.add(id), "piece " + id + " financed twice");
        }
        case NEXT_BLOCK -> p.r.chain.nextBlock();
      }
    }

    void checkInvariants() throws CommitmentException {
      BigInteger total = BigInteger.ZERO;
      byte[] sum = null;
      for (Map.Entry<Long, Secret> entry : known.entrySet()) {
        Receivables.Piece piece = p.r.piece(entry.getKey());
        assertTrue(p.commitments.opens(piece.commitment(), entry.getValue().opening()),
            "piece " + entry.getKey() + " opens to what its parties know");
        total = total.add(entry.getValue().value());
        sum = sum == null ? piece.commitment() : p.commitments.add(sum, piece.commitment());
        if (financed.contains(entry.getKey())) {
          assertEquals(State.FINANCED, piece.state());
        }
      }
      assertEquals(BigInteger.valueOf(FACE), total, "the amounts sum to the face value");
      assertArrayEquals(face.commitment(), sum, "the commitments add up to the face value's");
    }
  }
}
