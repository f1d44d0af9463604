package io.chorus.state.system;

import static io.chorus.state.system.ReceivableLayout.frozen;
import static io.chorus.state.system.ReceivableLayout.state;

import com.esaulpaugh.headlong.abi.Tuple;
import io.chorus.evm.Address;
import io.chorus.evm.Word;
import io.chorus.state.system.ReceivableRules.Refusal;
import io.chorus.state.system.Receivables.Rule;
import io.chorus.state.system.Receivables.State;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * Court orders on receivables (司法冻结, 强制划转), which only a governance vote carries out:
 * freeze and unfreeze a piece, or move value of it to another account. Each is recorded on
 * the piece with the court's reference. Checked when proposed (the payload's shape: a court
 * reference, a receiver, a value) and again, against the pieces, when the passed proposal
 * takes effect at the start of the next block; one that no longer applies then is marked
 * failed with its reason, as every governance proposal is.
 */
final class ReceivableCourt {
  private ReceivableCourt() {}

  /**
   * Checks an order of {@code kind} with its decoded payload and, with {@code receivables}
   * (null: check the shape only, at proposal time), carries it out.
   */
  static void enact(SystemStorage receivables, ProposalKind kind, Tuple args) {
    String reference = switch (kind) {
      case RECEIVABLE_FREEZE, RECEIVABLE_UNFREEZE -> args.get(1);
      default -> args.get(3);
    };
    int bytes = reference.getBytes(StandardCharsets.UTF_8).length;
    if (reference.isBlank() || bytes > Receivables.COURT_REFERENCE_BYTES_MAX) {
      throw bad("a court order carries the court's reference, 1 to "
          + Receivables.COURT_REFERENCE_BYTES_MAX + " bytes, got " + bytes);
    }
    long id = ReceivableRules.id(args.get(0));
    if (kind == ProposalKind.RECEIVABLE_FORCE_TRANSFER) {
      Address to = Abi.fromAbi(args.get(1));
      BigInteger value = args.get(2);
      if (ReceivableLayout.isZero(to) || SystemContracts.isSystem(to)) {
        throw new Refusal(Rule.BAD_RECEIVER, "cannot transfer to " + to).revert();
      }
      if (value.signum() <= 0) {
        throw new Refusal(Rule.BAD_VALUE, "a forced transfer moves 1 or more, got " + value)
            .revert();
      }
      if (receivables != null) {
        forceTransfer(receivables, id, to, value, reference);
      }
    } else if (receivables != null) {
      setFrozen(receivables, id, kind == ProposalKind.RECEIVABLE_FREEZE, reference);
    }
  }

  private static void setFrozen(SystemStorage storage, long id, boolean freeze,
      String reference) {
    BigInteger status = piece(storage, id);
    State state = state(status);
    if (state == State.PAID) {
      throw new Refusal(Rule.PAID, "piece " + id + " is paid: there is nothing to "
          + (freeze ? "freeze" : "unfreeze")).revert();
    }
    if (frozen(status) == freeze) {
      throw new Refusal(freeze ? Rule.FROZEN : Rule.BAD_COURT_ORDER, "piece " + id + " is "
          + (freeze ? "already frozen" : "not frozen")).revert();
    }
    if (state == State.OFFERED) {
      // A frozen piece may not be financed: the open offer lapses.
      state = State.ACTIVE;
      storage.write(ReceivableLayout.offerBank(id), Word.ZERO);
      storage.write(ReceivableLayout.offerPrice(id), Word.ZERO);
    }
    storage.write(ReceivableLayout.status(id), ReceivableLayout.status(state, freeze,
        ReceivableLayout.epoch(status)));
    record(storage, id, freeze ? ProposalKind.RECEIVABLE_FREEZE
        : ProposalKind.RECEIVABLE_UNFREEZE, reference);
  }

  /**
   * Moves {@code value} of piece id to a new piece of {@code to} whatever its holder wants and
   * whether or not it is frozen; a paid, offered or financed piece refuses (a bank's lien is
   * ordered against the bank, and a freeze first lapses an offer).
   */
  private static void forceTransfer(SystemStorage storage, long id, Address to,
      BigInteger value, String reference) {
    BigInteger status = piece(storage, id);
    State state = state(status);
    if (state != State.ACTIVE) {
      throw new Refusal(state == State.PAID ? Rule.PAID : Rule.LOCKED, "piece " + id + " is "
          + state.name().toLowerCase(java.util.Locale.ROOT) + ": a forced transfer moves"
          + " value of an active piece").revert();
    }
    BigInteger available = storage.readBig(ReceivableLayout.value(id));
    if (value.compareTo(available) > 0) {
      throw new Refusal(Rule.INSUFFICIENT_VALUE, "piece " + id + " holds " + available
          + ", less than " + value).revert();
    }
    long root = ReceivableLayout.rootOf(storage, id);
    if (storage.readLong(ReceivableLayout.pieceCount(root))
        >= Receivables.PIECES_PER_ROOT_MAX) {
      throw new Refusal(Rule.LIMIT, "receivable " + root + " has its maximum of "
          + Receivables.PIECES_PER_ROOT_MAX + " pieces").revert();
    }
    record(storage, id, ProposalKind.RECEIVABLE_FORCE_TRANSFER, reference);
    ReceivableRules.split(storage, id, to, value);
  }

  private static BigInteger piece(SystemStorage storage, long id) {
    if (!ReceivableLayout.exists(storage, id)) {
      throw new Refusal(Rule.NO_PIECE, "no piece " + (id < 0 ? "with that id" : id)).revert();
    }
    return storage.readBig(ReceivableLayout.status(id));
  }

  private static void record(SystemStorage storage, long id, ProposalKind kind,
      String reference) {
    if (storage.readLong(ReceivableLayout.orderCount(id)) >= Receivables.COURT_ORDERS_MAX) {
      throw new Refusal(Rule.LIMIT, "piece " + id + " has its maximum of "
          + Receivables.COURT_ORDERS_MAX + " court orders").revert();
    }
    ReceivableLayout.addCourtOrder(storage, id, kind, reference);
  }

  private static SystemContracts.Revert bad(String detail) {
    return new Refusal(Rule.BAD_COURT_ORDER, detail).revert();
  }
}
