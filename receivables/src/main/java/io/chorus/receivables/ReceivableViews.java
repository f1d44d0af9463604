package io.chorus.receivables;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.chain.Blockchain;
import io.chorus.codec.Hex;
import io.chorus.crypto.ValueCommitments;
import io.chorus.evm.Address;
import io.chorus.ledger.BlockHeader;
import io.chorus.proof.ProofBundle;
import io.chorus.rpc.RpcException;
import io.chorus.rpc.rest.Caller;
import io.chorus.rpc.rest.Problem;
import io.chorus.rpc.rest.RestRequest;
import io.chorus.rpc.rest.RestResponse;
import io.chorus.service.SearchMatch;
import io.chorus.service.ServiceContext;
import io.chorus.state.TransactionResult;
import io.chorus.state.WorldState;
import io.chorus.state.system.Permissions;
import io.chorus.state.system.Receivables;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The service's reads: a piece, its receivable's lineage, the terms digest to sign, the
 * pre-checks, a step's proof bundle, and the lists the node's {@link ReceivableIndex} answers,
 * each read from the head's state. A list is shown to the account it is about, or to an
 * account with the chain role receivables.regulator; a refusal says which credentials were
 * used, never what the list holds.
 */
final class ReceivableViews {
  /** The most pieces (or, for overdue pieces, receivables) one page of a list covers. */
  static final int PAGE_MAX = 1_000;
  static final int PAGE_DEFAULT = 100;

  /**
   * A piece as people name it in the console's search: a word for it, then its id. A bare
   * number is a block's, so the word is required.
   */
  private static final Pattern PIECE_QUERY = Pattern.compile(
      "(?iu)(?:receivable|piece|应收账款|应收|凭证|云信)\\s*(?:piece\\s*)?#?\\s*(\\d{1,18})");

  private final ServiceContext context;
  private final ReceivableIndex index;
  private final Openings openings;

  ReceivableViews(ServiceContext context, ReceivableIndex index, Openings openings) {
    this.context = context;
    this.index = index;
    this.openings = openings;
  }

  RestResponse termsDigest(RestRequest request) {
    List<Problem.FieldError> errors = new ArrayList<>();
    java.util.function.BiConsumer<String, String> bad = (field, detail) ->
        errors.add(new Problem.FieldError(field, detail));
    Address obligor = queryAddress(request, "obligor", bad);
    Address supplier = queryAddress(request, "supplier", bad);
    BigInteger faceValue = ReceivablesInput.amount(request.query("faceValue")
        .map(ReceivablesJson.JSON.getNodeFactory()::textNode), "faceValue", bad);
    String currency = ReceivablesInput.currency(request.query("currency"), "currency", bad);
    Optional<Long> maturity = request.query("maturity").flatMap(ReceivablesInput::seconds);
    if (maturity.isEmpty()) {
      bad.accept("maturity", "required: a time in seconds since the epoch, or ISO-8601 with"
          + " its offset (2026-09-30T00:00:00+08:00)");
    }
    ArrayNode list = ReceivablesJson.JSON.createArrayNode();
    request.queryAll("document").forEach(list::add);
    List<byte[]> documents = ReceivablesInput.documents(list.isEmpty() ? Optional.empty()
        : Optional.of(list), "document", bad);
    if (!errors.isEmpty()) {
      throw Problem.invalid(errors.size() + " parameter(s) are invalid", errors);
    }
    Blockchain chain = context.chain();
    byte[] digest = Receivables.termsDigest(chain.suite().hashFunction(), chain.chainId(),
        obligor, supplier, faceValue, currency, maturity.orElseThrow(), documents);
    return RestResponse.ok(terms(obligor, supplier, faceValue, currency, maturity.get(),
        documents, digest));
  }

  /** Terms as a confirmation and the digest query answer them. */
  static ObjectNode terms(Address obligor, Address supplier, BigInteger faceValue,
      String currency, long maturity, List<byte[]> documents, byte[] digest) {
    ObjectNode out = ReceivablesJson.JSON.createObjectNode()
        .put("obligor", obligor.toString()).put("supplier", supplier.toString())
        .put("faceValue", faceValue.toString()).put("currency", currency)
        .put("maturity", maturity);
    ArrayNode list = out.putArray("documents");
    documents.forEach(d -> list.add(Hex.encode0x(d)));
    return out.put("termsDigest", Hex.encode0x(digest));
  }

  RestResponse piece(RestRequest request) {
    WorldState state = state();
    return RestResponse.ok(pieceJson(state, requirePiece(state,
        ReceivablesInput.pieceId(request))));
  }

  ObjectNode pieceJson(WorldState state, Receivables.Piece piece) {
    return ReceivablesJson.piece(state, piece, now(), index.steps(piece.id()));
  }

  /** Every piece of the receivable the piece belongs to, root first, each with its parent. */
  RestResponse tree(RestRequest request) {
    WorldState state = state();
    Receivables.Piece asked = requirePiece(state, ReceivablesInput.pieceId(request));
    long now = now();
    ObjectNode out = ReceivablesJson.JSON.createObjectNode().put("root", asked.root());
    byte[] faceCommitment = Receivables.faceCommitment(state, asked.root());
    out.set("terms", ReceivablesJson.terms(Receivables.terms(state, asked.root()),
        faceCommitment));
    ArrayNode list = out.putArray("pieces");
    Map<Long, Integer> depth = new HashMap<>();
    BigInteger sum = BigInteger.ZERO;
    for (long id : Receivables.pieces(state, asked.root())) {
      Receivables.Piece piece = Receivables.piece(state, id);
      int level = piece.parent() == 0 ? 0 : depth.get(piece.parent()) + 1;
      depth.put(id, level);
      list.add(ReceivablesJson.summary(piece, Receivables.isOverdue(state, id, now))
          .put("depth", level));
      sum = sum.add(piece.value());
    }
    out.put("count", list.size());
    // A confidential receivable's pieces add up as commitments, to its face value's.
    if (faceCommitment.length == 0) {
      out.put("sum", sum.toString());
    } else {
      out.putNull("sum");
    }
    return RestResponse.ok(out);
  }

  /** The proof bundle of a step's log: the latest of {@code ?step=}, or the latest step. */
  RestResponse proof(RestRequest request) {
    long id = ReceivablesInput.pieceId(request);
    requirePiece(state(), id);
    Optional<String> kind = request.query("step");
    List<ReceivableIndex.Step> steps = index.steps(id);
    ReceivableIndex.Step chosen = null;
    for (ReceivableIndex.Step step : steps) {
      if (kind.isEmpty() || ReceivablesJson.kind(step.kind()).equals(kind.get())) {
        chosen = step;
      }
    }
    if (chosen == null) {
      List<String> kinds = new ArrayList<>();
      for (ReceivableIndex.StepKind k : ReceivableIndex.StepKind.values()) {
        kinds.add(ReceivablesJson.kind(k));
      }
      if (kind.isPresent() && !kinds.contains(kind.get())) {
        throw Problem.invalidField("step", "must be one of " + String.join(", ", kinds)
            + ", not '" + ReceivablesInput.abbreviate(kind.get()) + "'");
      }
      throw Problem.notFound("piece " + id + " has no " + kind.orElse("") + " step to prove"
          + (steps.isEmpty() ? "" : "; its steps: " + String.join(", ", steps.stream()
              .map(s -> ReceivablesJson.kind(s.kind())).toList())));
    }
    ProofBundle bundle;
    try {
      bundle = context.proofs().included(chosen.txHash(), ProofBundle.Kind.LOG,
          chosen.logIndex());
    } catch (RpcException e) {
      throw new Problem(409, "not-provable", "No proof for this block", e.getMessage());
    }
    try {
      return RestResponse.ok(ReceivablesJson.JSON.readTree(bundle.toJson()));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a bundle's JSON always parses", e);
    }
  }

  RestResponse canTransfer(RestRequest request) {
    long id = ReceivablesInput.pieceId(request);
    Address to = ReceivablesInput.address(ReceivablesInput.query(request, "to",
        "the receiver, 0x and 40 hex digits"), "to");
    BigInteger value = ReceivablesInput.amount(request.query("value")
        .map(ReceivablesJson.JSON.getNodeFactory()::textNode), "value", (field, detail) -> {
          throw Problem.invalidField(field, detail);
        });
    return check(asker(request), Receivables.canTransferCall(id, to, value));
  }

  RestResponse canFinance(RestRequest request) {
    long id = ReceivablesInput.pieceId(request);
    Address bank = ReceivablesInput.address(ReceivablesInput.query(request, "bank",
        "the bank, 0x and 40 hex digits"), "bank");
    return check(asker(request), Receivables.canFinanceCall(id, bank));
  }

  // The account a pre-check answers for: ?from=, else the token's.
  private static Address asker(RestRequest request) {
    Optional<String> from = request.query("from");
    if (from.isPresent()) {
      return ReceivablesInput.address(from.get(), "from");
    }
    return request.caller().map(Caller::account).orElseThrow(() -> Problem.invalidField(
        "from", "required without an API token: the account asking (the contract answers for"
            + " its caller)"));
  }

  private RestResponse check(Address from, byte[] call) {
    TransactionResult result = ReceivablesService.simulate(context.chain(), from, call);
    if (!result.success()) {
      throw new IllegalStateException("a pre-check never reverts");
    }
    Receivables.Check check = Receivables.decodeCheck(result.output());
    return RestResponse.ok(ReceivablesJson.JSON.createObjectNode()
        .put("allowed", check.allowed())
        .put("code", String.format("0x%02x", check.rule().code()))
        .put("rule", check.rule().label()).put("message", check.message())
        .put("from", from.toString()));
  }

  /** The piece a search names, with its value and state; empty when it names none. */
  List<SearchMatch> search(String query) {
    Matcher m = PIECE_QUERY.matcher(query);
    if (!m.matches()) {
      return List.of();
    }
    long id = Long.parseLong(m.group(1));
    WorldState state = state();
    Receivables.Piece piece = Receivables.piece(state, id);
    if (piece == null) {
      return List.of();
    }
    String currency = Receivables.terms(state, piece.root()).currency();
    return List.of(new SearchMatch("receivable-piece", "Receivable piece " + id + " ("
        + (piece.confidential() ? "confidential" : new BigDecimal(piece.value(), 2)
            .toPlainString()) + " " + currency + ", "
        + ReceivablesJson.state(piece.state()) + ")", Map.of("id", id)));
  }

  // ---- lists ---------------------------------------------------------------------------------

  RestResponse holdings(RestRequest request) {
    Address account = ReceivablesInput.account(request, "account");
    requireSees(request, account, "holdings");
    boolean all = request.query("all").map("true"::equals).orElse(false);
    long after = request.queryLong("after", 0, 0, Long.MAX_VALUE);
    int limit = (int) request.queryLong("limit", PAGE_DEFAULT, 1, PAGE_MAX);
    WorldState state = state();
    long now = now();
    List<Long> ids = index.held(account, after, limit);
    ObjectNode out = ReceivablesJson.JSON.createObjectNode().put("account", account.toString());
    ArrayNode list = out.putArray("pieces");
    Map<String, BigInteger> totals = new TreeMap<>();
    Map<Long, Receivables.Terms> terms = new HashMap<>();
    int unopened = 0;
    for (long id : ids) {
      Receivables.Piece piece = Receivables.piece(state, id);
      Optional<Openings.Opened> opened = opened(request, state, piece);
      Optional<BigInteger> value = piece.confidential()
          ? opened.map(o -> o.value().value()) : Optional.of(piece.value());
      if (!piece.holder().equals(account)
          || !all && value.isPresent() && value.get().signum() == 0) {
        continue; // moved since the index saw it, or emptied by splits
      }
      Receivables.Terms t = terms.computeIfAbsent(piece.root(),
          root -> Receivables.terms(state, root));
      list.add(item(state, piece, t, now, opened));
      if (piece.state() != Receivables.State.PAID) {
        if (value.isPresent()) {
          totals.merge(t.currency(), value.get(), BigInteger::add);
        } else {
          unopened++;
        }
      }
    }
    ObjectNode outstanding = out.putObject("outstanding");
    totals.forEach((currency, sum) -> outstanding.put(currency, sum.toString()));
    out.put("unopened", unopened);
    next(out, request, ids, limit);
    return RestResponse.ok(out);
  }

  RestResponse book(RestRequest request) {
    Address bank = ReceivablesInput.account(request, "bank");
    requireSees(request, bank, "the financed book");
    long after = request.queryLong("after", 0, 0, Long.MAX_VALUE);
    int limit = (int) request.queryLong("limit", PAGE_DEFAULT, 1, PAGE_MAX);
    WorldState state = state();
    long now = now();
    List<Long> ids = index.financed(bank, after, limit);
    ObjectNode out = ReceivablesJson.JSON.createObjectNode().put("bank", bank.toString());
    ArrayNode list = out.putArray("pieces");
    Map<String, BigInteger[]> totals = new TreeMap<>();
    int unopened = 0;
    for (long id : ids) {
      Receivables.Piece piece = Receivables.piece(state, id);
      Receivables.Financing financing = Receivables.financing(state, id);
      Receivables.Terms t = Receivables.terms(state, piece.root());
      Optional<Openings.Opened> opened = opened(request, state, piece);
      Optional<BigInteger> value = piece.confidential()
          ? opened.map(o -> o.value().value()) : Optional.of(piece.value());
      Optional<BigInteger> price = piece.confidential()
          ? opened.flatMap(Openings.Opened::price).map(ValueCommitments.Opening::value)
          : Optional.of(financing.price());
      ObjectNode item = item(state, piece, t, now, opened);
      putAmount(item, "price", price);
      putAmount(item, "discount", value.flatMap(v -> price.map(v::subtract)));
      item.put("financedAt", financing.financedAt());
      list.add(item);
      if (value.isEmpty() || price.isEmpty()) {
        unopened++;
        continue;
      }
      BigInteger[] sums = totals.computeIfAbsent(t.currency(), c -> new BigInteger[] {
          BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO});
      sums[0] = sums[0].add(price.get());
      sums[1] = sums[1].add(value.get());
      if (piece.state() != Receivables.State.PAID) {
        sums[2] = sums[2].add(value.get());
      }
    }
    ObjectNode sums = out.putObject("totals");
    totals.forEach((currency, s) -> sums.putObject(currency).put("paidOut", s[0].toString())
        .put("value", s[1].toString()).put("outstanding", s[2].toString()));
    out.put("unopened", unopened);
    next(out, request, ids, limit);
    return RestResponse.ok(out);
  }

  /** The overdue pieces of an obligor's receivables, a page of receivables at a time. */
  RestResponse overdue(RestRequest request) {
    Address obligor = ReceivablesInput.account(request, "obligor");
    requireSees(request, obligor, "the overdue pieces");
    long after = request.queryLong("after", 0, 0, Long.MAX_VALUE);
    int limit = (int) request.queryLong("limit", PAGE_DEFAULT, 1, PAGE_MAX);
    WorldState state = state();
    long now = now();
    List<Long> roots = index.confirmed(obligor, after, limit);
    ObjectNode out = ReceivablesJson.JSON.createObjectNode().put("obligor", obligor.toString())
        .put("asOf", now).put("asOfTime", ReceivablesJson.time(now));
    ArrayNode list = out.putArray("pieces");
    for (long root : roots) {
      Receivables.Terms t = Receivables.terms(state, root);
      if (t.maturity() > now) {
        continue;
      }
      for (long id : Receivables.pieces(state, root)) {
        if (Receivables.isOverdue(state, id, now)) {
          Receivables.Piece piece = Receivables.piece(state, id);
          list.add(item(state, piece, t, now, opened(request, state, piece))
              .put("payee", (piece.lienHolder() == null
              ? piece.holder() : piece.lienHolder()).toString()));
        }
      }
    }
    next(out, request, roots, limit);
    return RestResponse.ok(out);
  }

  /** A piece in a list, with its value when confidential and the caller opens it. */
  private static ObjectNode item(WorldState state, Receivables.Piece piece,
      Receivables.Terms terms, long now, Optional<Openings.Opened> opened) {
    ObjectNode out = ReceivablesJson.summary(piece, Receivables.isOverdue(state, piece.id(),
        now));
    opened.ifPresent(o -> out.put("value", o.value().value().toString()));
    return out.put("currency", terms.currency()).put("maturity", terms.maturity())
        .put("obligor", terms.obligor().toString());
  }

  private static void putAmount(ObjectNode out, String name, Optional<BigInteger> amount) {
    if (amount.isPresent()) {
      out.put(name, amount.get().toString());
    } else {
      out.putNull(name);
    }
  }

  /**
   * The caller's openings of a confidential piece, when the node holds its key and the key
   * opens them; empty for a piece in clear.
   */
  private Optional<Openings.Opened> opened(RestRequest request, WorldState state,
      Receivables.Piece piece) {
    Optional<Caller> caller = request.caller();
    if (!piece.confidential() || caller.isEmpty()
        || !context.submitter().signsFor(caller.get().account())) {
      return Optional.empty();
    }
    return openings.find(caller.get(), state, piece, firstBlock(piece.id()));
  }

  /** The block piece {@code id} was born in (its first step's), where its openings start. */
  long firstBlock(long id) {
    List<ReceivableIndex.Step> steps = index.steps(id);
    return steps.isEmpty() ? 0 : steps.getFirst().blockNumber();
  }

  // ---- confidential amounts ------------------------------------------------------------------

  /**
   * What the caller's key opens of confidential piece {@code id}: its value (and an offer's or
   * financing's price, for the bank), each checked to open the piece's commitment; 403 {@code
   * not-a-party} when it opens none, saying nothing of the amount.
   */
  RestResponse opening(RestRequest request) {
    long id = ReceivablesInput.pieceId(request);
    Caller caller = request.requireCaller();
    if (!caller.hasRole(ReceivablesService.READER_ROLE)
        && !caller.hasRole(ReceivablesService.WRITER_ROLE)) {
      throw Problem.forbidden("the credentials (" + caller.credential() + ") lack role "
          + ReceivablesService.READER_ROLE + " or " + ReceivablesService.WRITER_ROLE
          + ", which GET " + ReceivablesService.OPENING + " needs");
    }
    WorldState state = state();
    Receivables.Piece piece = requirePiece(state, id);
    if (!piece.confidential()) {
      throw new Problem(409, "not-confidential", "The piece's amounts are in clear",
          "piece " + id + " is not confidential: GET " + ReceivablesService.PIECES + "/" + id
              + " shows its value");
    }
    Openings.Opened opened = openings.find(caller, state, piece, firstBlock(id))
        .orElseThrow(() -> ConfidentialWrites.notAParty(caller, id));
    ObjectNode out = ReceivablesJson.JSON.createObjectNode().put("piece", id)
        .put("account", caller.account().toString())
        .put("commitment", Hex.encode0x(piece.commitment()))
        .put("value", opened.value().value().toString())
        .put("blinding", scalar(opened.value().blinding()));
    opened.price().ifPresent(price -> out.put("priceCommitment", Hex.encode0x(
        Receivables.priceCommitment(state, id))).put("price", price.value().toString())
        .put("priceBlinding", scalar(price.blinding())));
    return RestResponse.ok(out);
  }

  /** The sealing key an account published, or 404 saying how it publishes one. */
  RestResponse sealingKey(RestRequest request) {
    Address account = ReceivablesInput.account(request, "account");
    WorldState state = state();
    byte[] key = Receivables.sealingKey(state, account);
    if (key.length == 0) {
      throw Problem.notFound("account " + account + " has published no sealing key: it"
          + " publishes its account key with '" + ConfidentialWrites.PUBLISH_KEY_VERB
          + "' (PUT " + ReceivablesService.SEALING_KEY + " with its own token)");
    }
    return RestResponse.ok(sealingKeyJson(account, key).put("regulator",
        Receivables.regulators(state).contains(account)));
  }

  static ObjectNode sealingKeyJson(Address account, byte[] key) {
    return ReceivablesJson.JSON.createObjectNode().put("account", account.toString())
        .put("key", Hex.encode0x(key));
  }

  private static String scalar(BigInteger value) {
    return Hex.encode0x(io.chorus.evm.Word.fromBigInteger(value).toBytes());
  }

  private static void next(ObjectNode out, RestRequest request, List<Long> ids, int limit) {
    if (ids.size() == limit) {
      String path = request.route().path();
      for (String name : request.route().parameters()) {
        path = path.replace("{" + name + "}", request.path(name));
      }
      out.put("next", path + "?after=" + ids.getLast() + "&limit=" + limit
          + (request.query("all").isPresent() ? "&all=" + request.query("all").get() : ""));
    }
  }

  /**
   * The account's own lists, or any account's for a regulator: an account the chain gives the
   * role receivables.regulator (granted by governance), as it decides who is a bank.
   */
  private void requireSees(RestRequest request, Address account, String what) {
    Caller caller = request.requireCaller();
    if (!caller.account().equals(account)
        && !Receivables.isRegulator(state(), caller.account())) {
      throw Problem.forbidden("the credentials (" + caller.credential() + ") act for "
          + caller.account() + "; " + what + " of another account need the chain role "
          + Permissions.RECEIVABLES_REGULATOR + " (granted by governance: grant-roles "
          + caller.account() + " " + Permissions.ROLE_RECEIVABLES_REGULATOR + ")");
    }
  }

  // ---- helpers -------------------------------------------------------------------------------

  Receivables.Piece requirePiece(WorldState state, long id) {
    Receivables.Piece piece = Receivables.piece(state, id);
    if (piece == null) {
      long count = Receivables.pieceCount(state);
      throw Problem.notFound("no piece " + id + "; " + (count == 0 ? "none were issued yet"
          : "pieces are numbered 1 to " + count));
    }
    return piece;
  }

  private static Address queryAddress(RestRequest request, String name,
      java.util.function.BiConsumer<String, String> bad) {
    Optional<String> text = request.query(name);
    if (text.isEmpty() || !text.get().matches("0x[0-9a-fA-F]{40}")) {
      bad.accept(name, "required: an account, 0x and 40 hex digits" + text.map(t -> ", not '"
          + ReceivablesInput.abbreviate(t) + "'").orElse(""));
      return Address.of(new byte[Address.BYTES]);
    }
    return Address.parse(text.get().toLowerCase(Locale.ROOT));
  }

  private WorldState state() {
    return context.chain().stateAt(context.chain().head());
  }

  // The chain's time: the head's, which the contract's views and checks read.
  private long now() {
    BlockHeader head = context.chain().head();
    return head.timestamp();
  }
}
