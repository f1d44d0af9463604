package io.chorus.receivables;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.chain.Blockchain;
import io.chorus.codec.Hex;
import io.chorus.crypto.Signature;
import io.chorus.crypto.ValueCommitments;
import io.chorus.crypto.ValueCommitments.Opening;
import io.chorus.evm.Address;
import io.chorus.evm.Log;
import io.chorus.evm.Word;
import io.chorus.evm.trace.RevertReason;
import io.chorus.rpc.rest.Caller;
import io.chorus.rpc.rest.Problem;
import io.chorus.rpc.rest.RestRequest;
import io.chorus.rpc.rest.RestResponse;
import io.chorus.rpc.rest.RestService;
import io.chorus.rpc.rest.Route;
import io.chorus.service.RecordHistory;
import io.chorus.service.SearchMatch;
import io.chorus.service.SearchProvider;
import io.chorus.service.ServiceContext;
import io.chorus.service.TransactionSubmitter;
import io.chorus.service.WriteCheck;
import io.chorus.state.TransactionResult;
import io.chorus.state.WorldState;
import io.chorus.state.system.Receivables;
import io.chorus.state.system.SystemContracts;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongFunction;

/**
 * Supply-chain finance (供应链金融), {@code /api/v1/receivables}, over the Receivables system
 * contract: an obligor confirms terms (the node signs them with its keystore key), the supplier
 * issues the receivable, holders split and transfer pieces and offer them to banks, a bank
 * accepts, the obligor pays at maturity. Every write is signed as the token's account ({@link
 * TransactionSubmitter}) after the node ran it on the head's state: what the contract would
 * refuse is refused before anything is sent, as 422 {@code receivable-refused} with the
 * contract's reason code and rule. Reads: a piece with its terms, financing and steps; its
 * receivable's lineage; pre-checks; each step's proof bundle; and, from the node's {@link
 * ReceivableIndex}, an account's holdings, a bank's book and an obligor's overdue pieces. The
 * console's search opens a piece named as {@code receivable 12}.
 */
public final class ReceivablesService implements RestService, SearchProvider,
    RecordHistory.Provider, AutoCloseable {
  /** The role that may send the service's writes as the token's account. */
  public static final String WRITER_ROLE = "receivables.writer";
  /** The role that may list the token's own account's holdings, book and overdue pieces. */
  public static final String READER_ROLE = "receivables.reader";

  static final String BASE = "/api/v1/receivables";
  static final String RECEIVABLES = BASE + "/receivables";
  static final String CONFIRMATIONS = BASE + "/confirmations";
  static final String TERMS_DIGEST = BASE + "/terms-digest";
  static final String PIECES = BASE + "/pieces";
  static final String PIECE = PIECES + "/{id}";
  static final String SPLIT = PIECE + "/split";
  static final String TRANSFER = PIECE + "/transfer";
  static final String OFFER = PIECE + "/offer";
  static final String CANCEL_OFFER = PIECE + "/cancel-offer";
  static final String ACCEPT = PIECE + "/accept";
  static final String PAY = PIECE + "/pay";
  static final String TREE = PIECE + "/tree";
  static final String PROOF = PIECE + "/proof";
  static final String HISTORY = PIECE + "/history";
  static final String CAN_TRANSFER = PIECE + "/can-transfer";
  static final String CAN_FINANCE = PIECE + "/can-finance";
  static final String HOLDINGS = BASE + "/accounts/{account}/pieces";
  static final String BOOK = BASE + "/banks/{bank}/book";
  static final String OVERDUE = BASE + "/obligors/{obligor}/overdue";
  static final String OPENING = PIECE + "/opening";
  static final String SEALING_KEY = BASE + "/sealing-key";
  static final String SEALING_KEYS = BASE + "/sealing-keys/{account}";

  private static final String TRANSACTIONS = "/api/v1/chain/transactions/";

  private final ServiceContext context;
  private final ReceivableIndex index;
  private final ReceivableViews views;
  private final RecordHistory history;
  private final ConfidentialWrites confidential;

  public ReceivablesService(ServiceContext context) {
    this.context = context;
    this.index = new ReceivableIndex(context.chain());
    // Listening first, then catching up: a block committed in between is seen either way.
    context.chain().addListener(index);
    index.catchUp();
    this.history = new RecordHistory(context.chain(), recordKinds());
    Openings openings = new Openings(context.chain(), context.submitter());
    this.views = new ReceivableViews(context, index, openings);
    this.confidential = new ConfidentialWrites(context, openings);
  }

  @Override
  public String name() {
    return "receivables";
  }

  @Override
  public List<Route> routes() {
    return List.of(
        Route.post(CONFIRMATIONS, WRITER_ROLE, this::confirm),
        Route.post(RECEIVABLES, WRITER_ROLE, this::issue),
        Route.post(SPLIT, WRITER_ROLE, this::split),
        Route.post(TRANSFER, WRITER_ROLE, this::transfer),
        Route.post(OFFER, WRITER_ROLE, this::offer),
        Route.post(CANCEL_OFFER, WRITER_ROLE, this::cancelOffer),
        Route.post(ACCEPT, WRITER_ROLE, this::accept),
        Route.post(PAY, WRITER_ROLE, this::pay),
        Route.put(SEALING_KEY, WRITER_ROLE, this::publishSealingKey),
        Route.get(SEALING_KEYS, views::sealingKey),
        Route.get(OPENING, views::opening),
        Route.get(TERMS_DIGEST, views::termsDigest),
        Route.get(PIECE, views::piece),
        Route.get(TREE, views::tree),
        Route.get(PROOF, views::proof),
        Route.get(HISTORY, r -> history.rest(PieceHistory.KIND, r.path("id"), r)),
        Route.get(CAN_TRANSFER, views::canTransfer),
        Route.get(CAN_FINANCE, views::canFinance),
        Route.get(HOLDINGS, views::holdings).withRole(READER_ROLE),
        Route.get(BOOK, views::book).withRole(READER_ROLE),
        Route.get(OVERDUE, views::overdue).withRole(READER_ROLE));
  }

  @Override
  public ObjectNode openApi() {
    return ReceivablesOpenApi.fragment();
  }

  /** A piece named as {@code receivable 12}, {@code piece #12} or {@code 凭证 12}. */
  @Override
  public List<SearchMatch> search(String query) {
    return views.search(query);
  }

  /** A piece's history: {@code receivable} in {@code chorus_getRecordHistory}. */
  @Override
  public List<RecordHistory.Kind> recordKinds() {
    return List.of(PieceHistory.KIND);
  }

  @Override
  public void close() {
    context.chain().removeListener(index);
  }

  // ---- writes --------------------------------------------------------------------------------

  /**
   * The obligor's confirmation: the terms signed with its keystore key, for the supplier. A
   * confidential one commits the face value under a blinding the node draws, signs the
   * commitment in place of the amount, and answers the blinding: the supplier needs it to
   * issue, and whoever holds it with the face value can open the commitment.
   */
  private RestResponse confirm(RestRequest request) {
    RestRequest.Fields f = request.fields();
    Address supplier = f.address("supplier");
    BigInteger faceValue = ReceivablesInput.amount(f.optionalJson("faceValue"), "faceValue",
        f::bad);
    String currency = ReceivablesInput.currency(f.optionalText("currency"), "currency", f::bad);
    long maturity = ReceivablesInput.maturity(f.optionalJson("maturity"), "maturity", f::bad);
    List<byte[]> documents = ReceivablesInput.documents(f.optionalJson("documents"),
        "documents", f::bad);
    boolean sealed = f.optionalBoolean("confidential").orElse(false);
    if (sealed && faceValue.compareTo(ValueCommitments.RANGE_MAX) > 0) {
      f.bad("faceValue", "a confidential face value is at most 2^64-1 hundredths (what a"
          + " range proof covers), not " + faceValue);
    }
    f.check();
    Caller obligor = request.requireCaller();
    Blockchain chain = context.chain();
    if (!sealed) {
      byte[] digest = Receivables.termsDigest(chain.suite().hashFunction(), chain.chainId(),
          obligor.account(), supplier, faceValue, currency, maturity, documents);
      return RestResponse.ok(signed(obligor, ReceivableViews.terms(obligor.account(), supplier,
          faceValue, currency, maturity, documents, digest), digest));
    }
    Opening face = confidential.fresh(faceValue);
    byte[] commitment = confidential.commit(face);
    byte[] digest = Receivables.confidentialTermsDigest(chain.suite().hashFunction(),
        chain.chainId(), obligor.account(), supplier, commitment, currency, maturity,
        documents);
    ObjectNode out = ReceivableViews.terms(obligor.account(), supplier, faceValue, currency,
        maturity, documents, digest);
    out.put("confidential", true).put("faceCommitment", Hex.encode0x(commitment))
        .put("faceBlinding", Hex.encode0x(Word.fromBigInteger(face.blinding()).toBytes()));
    return RestResponse.ok(signed(obligor, out, digest));
  }

  // The terms with the obligor's key and its signature over their digest.
  private ObjectNode signed(Caller obligor, ObjectNode terms, byte[] digest) {
    TransactionSubmitter.Signed signed = context.submitter().sign(obligor, digest);
    return terms.put("obligorKey", Hex.encode0x(signed.publicKey()))
        .put("signature", Hex.encode0x(rsv(signed.signature())));
  }

  /**
   * The supplier issues what the obligor confirmed; with the confirmation's faceCommitment and
   * faceBlinding, confidentially: checked to open the commitment, proven and sealed here.
   */
  private RestResponse issue(RestRequest request) {
    RestRequest.Fields f = request.fields();
    Address obligor = f.address("obligor");
    BigInteger faceValue = ReceivablesInput.amount(f.optionalJson("faceValue"), "faceValue",
        f::bad);
    String currency = ReceivablesInput.currency(f.optionalText("currency"), "currency", f::bad);
    long maturity = ReceivablesInput.maturity(f.optionalJson("maturity"), "maturity", f::bad);
    List<byte[]> documents = ReceivablesInput.documents(f.optionalJson("documents"),
        "documents", f::bad);
    byte[] key = f.hex("obligorKey", 64);
    byte[] signature = f.hex("signature", -1);
    if (signature.length != 64 && signature.length != 65) {
      f.bad("signature", "must be the obligor's r || s (64 bytes) or r || s || v (65), not "
          + signature.length + " bytes");
    }
    // A confirmation carries these two: checked, so that terms signed for another supplier
    // or changed on the way are refused here, before the contract's bad-signature.
    Optional<String> supplier = f.optionalText("supplier");
    Optional<byte[]> signedDigest = f.optionalHex("termsDigest", 32);
    Optional<ReceivablesInput.Committed> committed = ReceivablesInput.faceCommitment(f);
    Optional<byte[]> faceCommitment = committed.map(ReceivablesInput.Committed::commitment);
    boolean wait = f.optionalBoolean("wait").orElse(false);
    f.check();
    Caller caller = request.requireCaller();
    if (supplier.isPresent() && !supplier.get().equalsIgnoreCase(caller.account().toString())) {
      throw Problem.invalidField("/supplier", "the terms name supplier " + supplier.get()
          + ", but the supplier issues and the credentials (" + caller.credential() + ") act"
          + " for " + caller.account() + "; send it with the supplier's token");
    }
    Blockchain chain = context.chain();
    byte[] digest = faceCommitment.isEmpty() ? Receivables.termsDigest(
        chain.suite().hashFunction(), chain.chainId(), obligor, caller.account(), faceValue,
        currency, maturity, documents) : Receivables.confidentialTermsDigest(
        chain.suite().hashFunction(), chain.chainId(), obligor, caller.account(),
        faceCommitment.get(), currency, maturity, documents);
    if (signedDigest.isPresent() && !java.util.Arrays.equals(signedDigest.get(), digest)) {
      throw Problem.invalidField("/termsDigest", "these terms hash to " + Hex.encode0x(digest)
          + ", not the " + Hex.encode0x(signedDigest.get()) + " the obligor signed: send the"
          + " terms exactly as confirmed");
    }
    byte[] data;
    if (faceCommitment.isEmpty()) {
      data = Receivables.issueCall(obligor, faceValue, currency, maturity, documents, key,
          signature);
    } else {
      Opening face = new Opening(faceValue, committed.get().blinding());
      if (!chain.suite().commitments().opens(faceCommitment.get(), face)) {
        throw Problem.invalidField("/faceBlinding", "faceCommitment is not faceValue·H +"
            + " faceBlinding·G: send the face value, commitment and blinding exactly as the"
            + " obligor's confirmation answered them");
      }
      data = confidential.issueCall(caller, state(), obligor, faceCommitment.get(), face,
          currency, maturity, documents, key, signature);
    }
    ObjectNode pending = ReceivablesJson.JSON.createObjectNode()
        .put("termsDigest", Hex.encode0x(digest));
    return write(request, data, wait, pending, included ->
        created(piece(included, Receivables.Event.ISSUED, 0), included));
  }

  /** A split; of a confidential piece, with the amount committed, proven and sealed. */
  private RestResponse split(RestRequest request) {
    long id = ReceivablesInput.pieceId(request);
    RestRequest.Fields f = request.fields();
    Address to = f.address("to");
    BigInteger value = ReceivablesInput.amount(f.optionalJson("value"), "value", f::bad);
    boolean wait = f.optionalBoolean("wait").orElse(false);
    f.check();
    WorldState state = state();
    Receivables.Piece piece = views.requirePiece(state, id);
    byte[] data = piece.confidential() ? confidential.splitCall(request.requireCaller(), state,
        piece, views.firstBlock(id), to, value) : Receivables.splitCall(id, to, value);
    return write(request, data, wait, pending(id), included ->
        created(piece(included, Receivables.Event.TRANSFER_VALUE, id), included));
  }

  /**
   * A whole transfer; of a confidential piece, with its opening sealed for the new holder in
   * the same transaction.
   */
  private RestResponse transfer(RestRequest request) {
    long id = ReceivablesInput.pieceId(request);
    RestRequest.Fields f = request.fields();
    Address to = f.address("to");
    boolean wait = f.optionalBoolean("wait").orElse(false);
    f.check();
    WorldState state = state();
    Receivables.Piece piece = views.requirePiece(state, id);
    byte[] data = piece.confidential() ? confidential.transferCall(request.requireCaller(),
        state, piece, views.firstBlock(id), to) : Receivables.transferCall(piece.holder(), to,
        id);
    return write(request, data, wait, pending(id), included -> created(id, included));
  }

  /** An offer; of a confidential piece, at a committed price sealed for the bank. */
  private RestResponse offer(RestRequest request) {
    long id = ReceivablesInput.pieceId(request);
    RestRequest.Fields f = request.fields();
    Address bank = f.address("bank");
    BigInteger price = ReceivablesInput.amount(f.optionalJson("price"), "price", f::bad);
    boolean wait = f.optionalBoolean("wait").orElse(false);
    f.check();
    WorldState state = state();
    Receivables.Piece piece = views.requirePiece(state, id);
    byte[] data = piece.confidential() ? confidential.offerCall(request.requireCaller(), state,
        piece, views.firstBlock(id), bank, price) : Receivables.offerCall(id, bank, price);
    return write(request, data, wait, pending(id), included -> created(id, included));
  }

  /**
   * Publishes the caller's account key as its sealing key, so that confidential amounts can
   * be sealed for it; answers without a transaction when that key is published already.
   */
  private RestResponse publishSealingKey(RestRequest request) {
    RestRequest.Fields f = request.fields();
    boolean wait = f.optionalBoolean("wait").orElse(false);
    f.check();
    Caller caller = request.requireCaller();
    byte[] key = context.submitter().publicKey(caller);
    ObjectNode out = ReceivableViews.sealingKeyJson(caller.account(), key);
    if (java.util.Arrays.equals(key, Receivables.sealingKey(state(), caller.account()))) {
      return RestResponse.ok(out.put("status", "published"));
    }
    return write(request, Receivables.publishSealingKeyCall(key), wait, out,
        included -> RestResponse.ok(out.put("status", "published")
            .put("txHash", Hex.encode0x(included.hash()))
            .put("blockNumber", included.blockNumber())));
  }

  private RestResponse cancelOffer(RestRequest request) {
    return simple(request, Receivables::cancelCall);
  }

  private RestResponse accept(RestRequest request) {
    return simple(request, Receivables::acceptCall);
  }

  private RestResponse pay(RestRequest request) {
    long id = ReceivablesInput.pieceId(request);
    RestRequest.Fields f = request.fields();
    byte[] reference = ReceivablesInput.paymentRef(f.optionalText("paymentRef"), "paymentRef",
        f::bad);
    boolean wait = f.optionalBoolean("wait").orElse(false);
    f.check();
    return write(request, Receivables.payCall(id, reference), wait, pending(id),
        included -> created(id, included));
  }

  // A write on a piece whose body takes only wait.
  private RestResponse simple(RestRequest request, LongFunction<byte[]> call) {
    long id = ReceivablesInput.pieceId(request);
    RestRequest.Fields f = request.fields();
    boolean wait = f.optionalBoolean("wait").orElse(false);
    f.check();
    return write(request, call.apply(id), wait, pending(id),
        included -> created(id, included));
  }

  /**
   * Runs {@code data} as the caller on the head's state, refusing what the contract refuses;
   * then signs and pools it; with {@code wait}, waits for its block and answers {@code
   * done}'s, otherwise (or when the block is late) 202 with {@code pending} and the
   * transaction.
   */
  private RestResponse write(RestRequest request, byte[] data, boolean wait, ObjectNode pending,
      Function<TransactionSubmitter.Included, RestResponse> done) {
    Caller caller = request.requireCaller();
    TransactionResult tried = simulate(context.chain(), caller.account(), data);
    if (!tried.success()) {
      throw refusal(RevertReason.decode(tried.output()));
    }
    TransactionSubmitter submitter = context.submitter();
    TransactionSubmitter.Submitted sent = submitter.submit(caller, SystemContracts.RECEIVABLES,
        data);
    Optional<TransactionSubmitter.Included> included = submitter.awaitIfAsked(sent, wait);
    if (included.isEmpty()) {
      pending.put("status", "pending").put("txHash", sent.hashHex());
      pending.putObject("links").put("transaction", TRANSACTIONS + sent.hashHex());
      return new RestResponse(202, pending, Map.of("Location", TRANSACTIONS + sent.hashHex()));
    }
    if (!included.get().success()) {
      throw new Problem(422, "transaction-reverted", "The receivables contract refused the"
          + " transaction", "transaction " + sent.hashHex() + " reverted in block "
          + included.get().blockNumber() + ": the state changed after the node checked it"
          + " (another transaction moved or financed the piece first?); read the piece, then"
          + " send again").with("txHash", sent.hashHex());
    }
    return done.apply(included.get());
  }

  /**
   * The contract's refusal as a problem: 422 {@code receivable-refused} with its code and
   * rule when the reason is one of the contract's rules, else 422 {@code call-fails}.
   */
  static Problem refusal(String reason) {
    Receivables.Rule rule = reason == null ? null : Receivables.Rule.ofReason(reason);
    if (rule == null) {
      return new Problem(422, "call-fails", "The call would fail", "the transaction would"
          + " fail on the current state: " + (reason == null ? "it reverts without a reason"
              : reason));
    }
    return new Problem(422, "receivable-refused", "The receivables contract refuses this",
        reason).with("code", String.format("0x%02x", rule.code())).with("rule", rule.label());
  }

  /** A call from {@code from} to the contract on the head's state, as eth_call runs it. */
  static TransactionResult simulate(Blockchain chain, Address from, byte[] data) {
    return WriteCheck.run(chain, SystemContracts.RECEIVABLES, from, data);
  }

  // ---- answers -------------------------------------------------------------------------------

  private static ObjectNode pending(long id) {
    return ReceivablesJson.JSON.createObjectNode().put("piece", id);
  }

  /** 201: the piece after the transaction, with the transaction. */
  private RestResponse created(long id, TransactionSubmitter.Included included) {
    WorldState state = state();
    ObjectNode out = views.pieceJson(state, views.requirePiece(state, id));
    out.putObject("transaction").put("hash", Hex.encode0x(included.hash()))
        .put("blockNumber", included.blockNumber())
        .put("blockHash", Hex.encode0x(included.blockHash()));
    return RestResponse.created(PIECES + "/" + id, out);
  }

  /**
   * The piece an {@code event} of the transaction names: the id an {@code Issued} log issued,
   * or the new piece a {@code TransferValue} log from piece {@code from} split off.
   */
  private long piece(TransactionSubmitter.Included included, Receivables.Event event,
      long from) {
    List<Log> logs = context.chain().store().receipts(included.blockHash()).orElseThrow()
        .get(included.index()).logs();
    for (Log log : logs) {
      if (Receivables.Event.of(log) != event) {
        continue;
      }
      if (event == Receivables.Event.ISSUED) {
        return log.topics().get(1).toBigInteger().longValueExact();
      }
      if (log.topics().get(1).toBigInteger().longValueExact() == from) {
        return log.topics().get(2).toBigInteger().longValueExact();
      }
    }
    throw new IllegalStateException("transaction " + Hex.encode0x(included.hash())
        + " succeeded without its " + event + " log");
  }

  /** A signature as r || s || v, 65 bytes. */
  private static byte[] rsv(Signature signature) {
    byte[] out = new byte[65];
    System.arraycopy(Word.fromBigInteger(signature.r()).toBytes(), 0, out, 0, 32);
    System.arraycopy(Word.fromBigInteger(signature.s()).toBytes(), 0, out, 32, 32);
    out[64] = (byte) signature.recoveryId();
    return out;
  }

  private WorldState state() {
    return context.chain().stateAt(context.chain().head());
  }
}
