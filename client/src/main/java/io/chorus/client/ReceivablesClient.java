package io.chorus.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.proof.ProofBundle;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Supply-chain finance (供应链金融) for a Java application, over a node's REST API ({@code
 * /api/v1/receivables}): the obligor confirms terms (the node signs with its keystore key), the
 * supplier issues, holders split, transfer and offer pieces, a bank accepts, the obligor pays;
 * every write as the account of the API token (role {@code receivables.writer}). Values are
 * hundredths of the currency unit. A refusal throws {@link ProblemException}: 422 {@code
 * receivable-refused} with the contract's {@link #code} and {@link #rule}, 400 naming each bad
 * field, 404 for an unknown piece, 403 for another account's lists.
 */
public final class ReceivablesClient {
  private static final String BASE = "/api/v1/receivables";

  /**
   * A receivable's terms, as confirmed and issued.
   *
   * @param faceValue empty for a confidential receivable's terms read from the chain (a
   *     confirmation, which its parties alone hold, has it)
   * @param maturity seconds since the epoch
   * @param documents the trade documents' hashes, 0x-hex
   * @param termsDigest what the obligor signs, 0x-hex
   * @param faceCommitment a confidential receivable's commitment to the face value, 0x-hex
   */
  public record Terms(String obligor, String supplier, Optional<BigInteger> faceValue,
      String currency, long maturity, List<String> documents, String termsDigest,
      Optional<String> faceCommitment) {}

  /**
   * Terms the obligor signed: what the supplier issues with. A confidential one has the face
   * value's commitment and blinding ({@code sealedFace}): it opens the amount, so keep it as
   * secret as the amount.
   */
  public record Confirmation(Terms terms, String obligorKey, String signature,
      Optional<SealedFace> sealedFace) {}

  /** A confidential confirmation's commitment to the face value and its blinding, 0x-hex. */
  public record SealedFace(String commitment, String blinding) {}

  /**
   * What an account's key opens of a confidential piece, checked by the node against the
   * piece's commitments: its value, and the price of its offer or financing for whom that was
   * sealed (the bank, the holder, the regulators).
   */
  public record Opening(long piece, String account, String commitment, BigInteger value,
      String blinding, Optional<BigInteger> price) {}

  /**
   * An account's sealing key: its account public key, published so that confidential amounts
   * can be sealed for it.
   *
   * @param status {@code published}, or {@code pending} while its transaction is in the pool
   */
  public record SealingKey(String account, String key, String status) {}

  /**
   * A bank's financing of a piece: {@code discount} is value less price; both empty for a
   * confidential piece (the price is committed: {@link #opening} gives it to the bank).
   */
  public record Financing(String bank, Optional<BigInteger> price,
      Optional<BigInteger> discount, long financedAt) {}

  /** A court's order on a piece: {@code receivable-freeze}, … and the court's reference. */
  public record CourtOrder(String kind, String reference) {}

  /**
   * A step of a piece's life, each with a proof: {@code issued}, {@code split-from}, {@code
   * split-to}, {@code transferred}, {@code offered}, {@code cancelled}, {@code financed}, {@code
   * paid}.
   */
  public record Step(String kind, long blockNumber, String txHash, int logIndex) {}

  /**
   * A piece. Lists and trees give its own fields only: {@code terms}, {@code financing},
   * {@code courtOrders}, {@code children} and {@code steps} are filled by {@link #piece}.
   * A confidential piece's value and face value are empty (lists fill the value for whom
   * opens it), its {@code commitment} present; {@link #opening} reads the amount.
   *
   * @param state {@code active}, {@code offered}, {@code financed} or {@code paid}
   * @param parent 0 for a root (an issued receivable)
   * @param depth its depth in its receivable's tree ({@link #tree}); 0 elsewhere
   * @param paymentRef the payment's reference (its text, or 0x-hex) once paid
   */
  public record Piece(long id, long root, long parent, String holder, Optional<BigInteger> value,
      Optional<BigInteger> faceValue, boolean confidential, Optional<String> commitment,
      String state, boolean frozen, boolean overdue,
      Optional<String> lienHolder, Optional<String> paymentRef, int depth,
      Optional<Terms> terms, Optional<Financing> financing, Optional<String> offeredTo,
      List<CourtOrder> courtOrders, List<Long> children, List<Step> steps) {}

  /**
   * Every piece of a receivable, root first; their values sum to the face value ({@code sum}
   * is empty for a confidential one, whose commitments sum to the face value's).
   */
  public record Tree(long root, Terms terms, List<Piece> pieces, Optional<BigInteger> sum) {}

  /** A pre-check's answer: allowed, or the contract's code, rule and message. */
  public record Check(boolean allowed, String code, String rule, String message) {}

  /** A page of a list; {@code next} is the path of the following one. */
  public record Page(List<Piece> pieces, Optional<String> next) {}

  /**
   * What a write sent: the piece after it once its block is in (with {@code wait}), else only
   * the transaction, pending.
   */
  public record Sent(String transactionHash, Optional<Long> blockNumber, Optional<Piece> piece) {}

  private final RestClient rest;

  /**
   * @param url the node's RPC URL ({@code http://127.0.0.1:8545})
   * @param token an API token, or null to read pieces only
   */
  public ReceivablesClient(String url, String token) {
    this.rest = new RestClient(url, token);
  }

  /** The account the token acts for. */
  public String caller() {
    return rest.get("/api/v1/chain/caller").path("account").asText();
  }

  /** The terms and the digest the obligor signs, as the node computes them. */
  public Terms termsDigest(String obligor, String supplier, BigInteger faceValue,
      String currency, long maturity, List<String> documents) {
    StringBuilder query = new StringBuilder("?obligor=" + obligor + "&supplier=" + supplier
        + "&faceValue=" + faceValue + "&currency=" + currency + "&maturity=" + maturity);
    documents.forEach(d -> query.append("&document=").append(d));
    return terms(rest.get(BASE + "/terms-digest" + query));
  }

  /** As the obligor (the token's account, whose key the node holds): signs the terms. */
  public Confirmation confirm(String supplier, BigInteger faceValue, String currency,
      long maturity, List<String> documents) {
    ObjectNode body = JsonRpcClient.JSON.createObjectNode().put("supplier", supplier)
        .put("faceValue", faceValue.toString()).put("currency", currency)
        .put("maturity", maturity);
    ArrayNode list = body.putArray("documents");
    documents.forEach(list::add);
    return confirmation(rest.post(BASE + "/confirmations", body));
  }

  /**
   * As the obligor: confirms a confidential receivable, whose face value the chain sees only
   * committed; the node draws the blinding and answers it in the confirmation.
   */
  public Confirmation confirmConfidential(String supplier, BigInteger faceValue,
      String currency, long maturity, List<String> documents) {
    ObjectNode body = JsonRpcClient.JSON.createObjectNode().put("supplier", supplier)
        .put("faceValue", faceValue.toString()).put("currency", currency)
        .put("maturity", maturity).put("confidential", true);
    ArrayNode list = body.putArray("documents");
    documents.forEach(list::add);
    return confirmation(rest.post(BASE + "/confirmations", body));
  }

  /** A confirmation as the node answered it, or as a file keeps that answer. */
  public static Confirmation confirmation(JsonNode out) {
    Optional<SealedFace> sealed = out.path("faceCommitment").isTextual()
        ? Optional.of(new SealedFace(out.path("faceCommitment").asText(),
            out.path("faceBlinding").asText())) : Optional.empty();
    return new Confirmation(terms(out), out.path("obligorKey").asText(),
        out.path("signature").asText(), sealed);
  }

  /** A confirmation as the node answers it: what {@link #confirmation(JsonNode)} reads. */
  public static ObjectNode json(Confirmation confirmation) {
    Terms t = confirmation.terms();
    ObjectNode out = JsonRpcClient.JSON.createObjectNode().put("obligor", t.obligor())
        .put("supplier", t.supplier()).put("faceValue", t.faceValue().orElseThrow(() ->
            new IllegalArgumentException("a confirmation carries its face value")).toString())
        .put("currency", t.currency()).put("maturity", t.maturity());
    ArrayNode list = out.putArray("documents");
    t.documents().forEach(list::add);
    out.put("termsDigest", t.termsDigest()).put("obligorKey", confirmation.obligorKey())
        .put("signature", confirmation.signature());
    confirmation.sealedFace().ifPresent(f -> out.put("confidential", true)
        .put("faceCommitment", f.commitment()).put("faceBlinding", f.blinding()));
    return out;
  }

  /**
   * As the supplier: issues the receivable the obligor confirmed; confidentially when the
   * confirmation is (the node proves the face value and seals it for the parties).
   */
  public Sent issue(Confirmation confirmation, boolean wait) {
    return sent(rest.post(BASE + "/receivables", json(confirmation).put("wait", wait)));
  }

  /**
   * Publishes the token's account key (from the node's keystore) as its sealing key, so that
   * confidential amounts can be sealed for it; sends nothing when it is published already.
   */
  public SealingKey publishSealingKey(boolean wait) {
    JsonNode out = rest.put(BASE + "/sealing-key", waitBody(wait));
    return new SealingKey(out.path("account").asText(), out.path("key").asText(),
        out.path("status").asText());
  }

  /** The sealing key {@code account} published, if it did. */
  public Optional<SealingKey> sealingKey(String account) {
    try {
      JsonNode out = rest.get(BASE + "/sealing-keys/" + account);
      return Optional.of(new SealingKey(out.path("account").asText(), out.path("key").asText(),
          "published"));
    } catch (ProblemException e) {
      if (e.status() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /**
   * The amount of confidential piece {@code id}, as the token's account opens it (role
   * receivables.reader or writer); 403 {@code not-a-party} when its key opens none.
   */
  public Opening opening(long id) {
    JsonNode out = rest.get(piecePath(id) + "/opening");
    return new Opening(out.path("piece").asLong(), out.path("account").asText(),
        out.path("commitment").asText(), new BigInteger(out.path("value").asText()),
        out.path("blinding").asText(), amount(out.path("price")));
  }

  /** Splits {@code value} off piece {@code id} to {@code to}; the piece sent is the new one. */
  public Sent split(long id, String to, BigInteger value, boolean wait) {
    return sent(rest.post(piecePath(id) + "/split", JsonRpcClient.JSON.createObjectNode()
        .put("to", to).put("value", value.toString()).put("wait", wait)));
  }

  /** Moves the whole piece to {@code to}. */
  public Sent transfer(long id, String to, boolean wait) {
    return sent(rest.post(piecePath(id) + "/transfer", JsonRpcClient.JSON.createObjectNode()
        .put("to", to).put("wait", wait)));
  }

  /** Offers the piece to {@code bank} for {@code price}. */
  public Sent offer(long id, String bank, BigInteger price, boolean wait) {
    return sent(rest.post(piecePath(id) + "/offer", JsonRpcClient.JSON.createObjectNode()
        .put("bank", bank).put("price", price.toString()).put("wait", wait)));
  }

  /** Withdraws (as the holder) or declines (as the bank) the open offer. */
  public Sent cancelOffer(long id, boolean wait) {
    return sent(rest.post(piecePath(id) + "/cancel-offer", waitBody(wait)));
  }

  /** As the bank offered the piece: accepts, financing it. */
  public Sent accept(long id, boolean wait) {
    return sent(rest.post(piecePath(id) + "/accept", waitBody(wait)));
  }

  /**
   * As the obligor, at or after maturity: pays the piece.
   *
   * @param paymentRef 1 to 32 bytes of text, or 0x and 64 hex digits
   */
  public Sent pay(long id, String paymentRef, boolean wait) {
    return sent(rest.post(piecePath(id) + "/pay", JsonRpcClient.JSON.createObjectNode()
        .put("paymentRef", paymentRef).put("wait", wait)));
  }

  /** The piece with its terms, financing, court orders, children and steps. */
  public Piece piece(long id) {
    return piece(rest.get(piecePath(id)));
  }

  /** The receivable piece {@code id} belongs to, every piece of it. */
  public Tree tree(long id) {
    JsonNode json = rest.get(piecePath(id) + "/tree");
    List<Piece> pieces = new ArrayList<>();
    json.path("pieces").forEach(p -> pieces.add(piece(p)));
    return new Tree(json.path("root").asLong(), terms(json.path("terms")), List.copyOf(pieces),
        amount(json.path("sum")));
  }

  /**
   * The proof bundle of a step of the piece, to check offline ({@code chorus verify}).
   *
   * @param step the step's kind ({@code financed}); empty for the latest step
   */
  public ProofBundle proof(long id, Optional<String> step) {
    return ProofBundle.fromJson(rest.get(piecePath(id) + "/proof" + step.map(s -> "?step=" + s)
        .orElse("")).toString());
  }

  /** Whether {@code from}'s split of {@code value} to {@code to} would pass. */
  public Check canTransfer(long id, String to, BigInteger value, String from) {
    return check(rest.get(piecePath(id) + "/can-transfer?to=" + to + "&value=" + value
        + "&from=" + from));
  }

  /** Whether {@code from}'s offer to {@code bank} (or, from the bank, its acceptance) would pass. */
  public Check canFinance(long id, String bank, String from) {
    return check(rest.get(piecePath(id) + "/can-finance?bank=" + bank + "&from=" + from));
  }

  /** The pieces {@code account} holds (role receivables.reader; another's: a regulator). */
  public Page holdings(String account) {
    return page(BASE + "/accounts/" + account + "/pieces");
  }

  /** The pieces {@code bank} financed. */
  public Page book(String bank) {
    return page(BASE + "/banks/" + bank + "/book");
  }

  /** The overdue pieces of {@code obligor}'s receivables. */
  public Page overdue(String obligor) {
    return page(BASE + "/obligors/" + obligor + "/overdue");
  }

  /** The page after {@code page}, if any. */
  public Optional<Page> next(Page page) {
    return page.next().map(this::page);
  }

  /** The reason code of a refusal by the contract ({@code 0x55}), if it is one. */
  public static Optional<String> code(ProblemException refusal) {
    return text(refusal.body().path("code"));
  }

  /** The rule a refusal by the contract names ({@code locked}), if it is one. */
  public static Optional<String> rule(ProblemException refusal) {
    return text(refusal.body().path("rule"));
  }

  private Page page(String path) {
    JsonNode json = rest.get(path);
    List<Piece> pieces = new ArrayList<>();
    json.path("pieces").forEach(p -> pieces.add(piece(p)));
    return new Page(List.copyOf(pieces), text(json.path("next")));
  }

  private static ObjectNode waitBody(boolean wait) {
    return JsonRpcClient.JSON.createObjectNode().put("wait", wait);
  }

  private static String piecePath(long id) {
    return BASE + "/pieces/" + id;
  }

  private static Sent sent(JsonNode out) {
    if (out.path("status").asText().equals("pending")) {
      return new Sent(out.path("txHash").asText(), Optional.empty(), Optional.empty());
    }
    JsonNode tx = out.path("transaction");
    return new Sent(tx.path("hash").asText(), Optional.of(tx.path("blockNumber").asLong()),
        Optional.of(piece(out)));
  }

  private static Check check(JsonNode json) {
    return new Check(json.path("allowed").asBoolean(), json.path("code").asText(),
        json.path("rule").asText(), json.path("message").asText());
  }

  private static Terms terms(JsonNode t) {
    List<String> documents = new ArrayList<>();
    t.path("documents").forEach(d -> documents.add(d.asText()));
    return new Terms(t.path("obligor").asText(), t.path("supplier").asText(),
        amount(t.path("faceValue")), t.path("currency").asText(), t.path("maturity").asLong(),
        List.copyOf(documents), t.path("termsDigest").asText(), text(t.path("faceCommitment")));
  }

  private static Piece piece(JsonNode p) {
    List<CourtOrder> orders = new ArrayList<>();
    p.path("courtOrders").forEach(o -> orders.add(new CourtOrder(o.path("kind").asText(),
        o.path("reference").asText())));
    List<Long> children = new ArrayList<>();
    p.path("children").forEach(c -> children.add(c.asLong()));
    List<Step> steps = new ArrayList<>();
    p.path("steps").forEach(s -> steps.add(new Step(s.path("kind").asText(),
        s.path("blockNumber").asLong(), s.path("txHash").asText(), s.path("logIndex").asInt())));
    JsonNode f = p.path("financing");
    Optional<Financing> financing = f.isObject() ? Optional.of(new Financing(
        f.path("bank").asText(), amount(f.path("price")), amount(f.path("discount")),
        f.path("financedAt").asLong()))
        : Optional.empty();
    JsonNode ref = p.path("paymentRef");
    return new Piece(p.path("id").asLong(), p.path("root").asLong(), p.path("parent").asLong(),
        p.path("holder").asText(), amount(p.path("value")), amount(p.path("faceValue")),
        p.path("confidential").asBoolean(), text(p.path("commitment")), p.path("state").asText(),
        p.path("frozen").asBoolean(), p.path("overdue").asBoolean(), text(p.path("lienHolder")),
        ref.isObject() ? Optional.of(ref.path("text").asText(ref.path("hex").asText()))
            : Optional.empty(),
        p.path("depth").asInt(), p.path("terms").isObject() ? Optional.of(terms(p.path("terms")))
            : Optional.empty(), financing, text(p.path("offer").path("bank")),
        List.copyOf(orders), List.copyOf(children), List.copyOf(steps));
  }

  /** An amount answered as a string of hundredths; empty when null (confidential). */
  private static Optional<BigInteger> amount(JsonNode value) {
    return text(value).map(BigInteger::new);
  }

  private static Optional<String> text(JsonNode value) {
    return value.isTextual() ? Optional.of(value.asText()) : Optional.empty();
  }
}
