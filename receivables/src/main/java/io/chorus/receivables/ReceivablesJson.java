package io.chorus.receivables;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.codec.Hex;
import io.chorus.evm.StateReader;
import io.chorus.state.system.Receivables;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The service's answers: pieces, terms, financing and steps as JSON. Values are strings of
 * hundredths of the currency unit (they reach 2^128), times seconds since the epoch with an
 * ISO-8601 twin, accounts and hashes 0x-hex.
 */
final class ReceivablesJson {
  static final ObjectMapper JSON = new ObjectMapper();

  private ReceivablesJson() {}

  /**
   * A piece as lists show it: its own fields, without its receivable's terms. A confidential
   * piece's value and face value are null (unknown here, not 0), with its value's commitment.
   */
  static ObjectNode summary(Receivables.Piece piece, boolean overdue) {
    ObjectNode out = JSON.createObjectNode().put("id", piece.id()).put("root", piece.root())
        .put("parent", piece.parent()).put("holder", piece.holder().toString());
    if (piece.confidential()) {
      out.putNull("value").putNull("faceValue");
    } else {
      out.put("value", piece.value().toString()).put("faceValue", piece.faceValue().toString());
    }
    out.put("confidential", piece.confidential());
    if (piece.confidential()) {
      out.put("commitment", Hex.encode0x(piece.commitment()));
    }
    out.put("state", state(piece.state())).put("frozen", piece.frozen())
        .put("overdue", overdue);
    out.put("lienHolder", piece.lienHolder() == null ? null : piece.lienHolder().toString());
    if (piece.state() == Receivables.State.PAID) {
      out.set("paymentRef", paymentRef(piece.paidRef()));
    }
    return out;
  }

  /** A piece with its terms, offer, financing, court orders, children and steps. */
  static ObjectNode piece(StateReader state, Receivables.Piece piece, long now,
      List<ReceivableIndex.Step> steps) {
    return record(state, piece, now).set("steps", steps(steps));
  }

  /**
   * A piece as the state alone says at block time {@code now}: its GET without the steps
   * (the node's index keeps those), what each entry of its history holds.
   */
  static ObjectNode record(StateReader state, Receivables.Piece piece, long now) {
    ObjectNode out = summary(piece, Receivables.isOverdue(state, piece.id(), now));
    out.put("slot", "0x" + piece.slot().toString(16));
    out.set("terms", terms(Receivables.terms(state, piece.id()),
        Receivables.faceCommitment(state, piece.id())));
    byte[] priceCommitment = Receivables.priceCommitment(state, piece.id());
    Receivables.Offer offer = Receivables.offer(state, piece.id());
    if (offer == null) {
      out.putNull("offer");
    } else {
      price(out.putObject("offer").put("bank", offer.bank().toString()), "price",
          offer.price(), priceCommitment);
    }
    Receivables.Financing financing = Receivables.financing(state, piece.id());
    if (financing == null) {
      out.putNull("financing");
    } else {
      ObjectNode f = out.putObject("financing").put("bank", financing.bank().toString());
      price(f, "price", financing.price(), priceCommitment);
      price(f, "discount", financing.discount(), priceCommitment);
      f.put("financedAt", financing.financedAt())
          .put("financedTime", time(financing.financedAt()));
    }
    ArrayNode orders = out.putArray("courtOrders");
    for (Receivables.CourtOrder order : Receivables.courtOrders(state, piece.id())) {
      orders.addObject().put("kind", order.kind().label()).put("reference", order.reference());
    }
    ArrayNode children = out.putArray("children");
    Receivables.children(state, piece.id()).forEach(children::add);
    out.putObject("links").put("self", ReceivablesService.PIECES + "/" + piece.id())
        .put("tree", ReceivablesService.PIECES + "/" + piece.id() + "/tree")
        .put("proof", ReceivablesService.PIECES + "/" + piece.id() + "/proof")
        .put("history", ReceivablesService.PIECES + "/" + piece.id() + "/history");
    if (piece.confidential()) {
      ((ObjectNode) out.get("links")).put("opening", ReceivablesService.PIECES + "/"
          + piece.id() + "/opening");
    }
    return out;
  }

  /** The amount {@code name} of an offer or financing: null when its price is committed. */
  private static void price(ObjectNode out, String name, java.math.BigInteger amount,
      byte[] priceCommitment) {
    if (priceCommitment.length == 0) {
      out.put(name, amount.toString());
    } else {
      out.putNull(name).put("priceCommitment", Hex.encode0x(priceCommitment));
    }
  }

  /**
   * A receivable's terms; with {@code faceCommitment} (a confidential one's, else empty) the
   * face value is null and the commitment shown.
   */
  static ObjectNode terms(Receivables.Terms terms, byte[] faceCommitment) {
    ObjectNode out = JSON.createObjectNode().put("obligor", terms.obligor().toString())
        .put("supplier", terms.supplier().toString());
    if (faceCommitment.length == 0) {
      out.put("faceValue", terms.faceValue().toString());
    } else {
      out.putNull("faceValue").put("faceCommitment", Hex.encode0x(faceCommitment));
    }
    out.put("currency", terms.currency())
        .put("maturity", terms.maturity()).put("maturityTime", time(terms.maturity()))
        .put("issuedAt", terms.issuedAt()).put("issuedTime", time(terms.issuedAt()))
        .put("termsDigest", Hex.encode0x(terms.digest()));
    ArrayNode documents = out.putArray("documents");
    terms.documents().forEach(d -> documents.add(Hex.encode0x(d)));
    return out;
  }

  static ArrayNode steps(List<ReceivableIndex.Step> steps) {
    ArrayNode out = JSON.createArrayNode();
    for (ReceivableIndex.Step step : steps) {
      ObjectNode item = out.addObject().put("kind", kind(step.kind()))
          .put("blockNumber", step.blockNumber()).put("txHash", Hex.encode0x(step.txHash()))
          .put("logIndex", step.logIndex());
      if (step.other() != 0) {
        item.put(step.kind() == ReceivableIndex.StepKind.SPLIT_TO ? "to" : "from",
            step.other());
      }
    }
    return out;
  }

  /** A payment reference: its hex, and its text when it is one left-aligned. */
  static ObjectNode paymentRef(byte[] ref) {
    ObjectNode out = JSON.createObjectNode().put("hex", Hex.encode0x(ref));
    int end = ref.length;
    while (end > 0 && ref[end - 1] == 0) {
      end--;
    }
    String text = new String(Arrays.copyOf(ref, end), StandardCharsets.UTF_8);
    if (end > 0 && text.codePoints().allMatch(c -> c >= 0x20 && c != 0xfffd)) {
      out.put("text", text);
    }
    return out;
  }

  static String state(Receivables.State state) {
    return state.name().toLowerCase(Locale.ROOT);
  }

  /** A step's name in answers and queries: {@code split-from}, {@code financed}. */
  static String kind(ReceivableIndex.StepKind kind) {
    return kind.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  static String time(long seconds) {
    return Instant.ofEpochSecond(seconds).toString();
  }
}
