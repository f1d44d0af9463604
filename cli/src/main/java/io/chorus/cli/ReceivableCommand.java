package io.chorus.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chorus.client.ClientException;
import io.chorus.client.ProblemException;
import io.chorus.client.ReceivablesClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code chorus receivable}: supply-chain finance through a node's {@code /api/v1/receivables}
 * API, each write as the account of the API token, waiting for its block. Amounts are written
 * in currency units with at most two decimals (1000000.00); the API counts hundredths.
 */
@Command(
    name = "receivable",
    mixinStandardHelpOptions = true,
    description = {
        "Supply-chain finance (供应链金融) through a node's /api/v1/receivables API: the",
        "obligor confirms terms, the supplier issues, holders split, transfer and offer",
        "pieces to banks, a bank accepts, the obligor pays at maturity. Writes act as the",
        "API token's account (role receivables.writer) and wait for their block."},
    subcommands = {ReceivableCommand.Confirm.class, ReceivableCommand.Issue.class,
        ReceivableCommand.Split.class, ReceivableCommand.Transfer.class,
        ReceivableCommand.Finance.class, ReceivableCommand.Accept.class,
        ReceivableCommand.Cancel.class, ReceivableCommand.Pay.class,
        ReceivableCommand.Show.class, ReceivableCommand.Tree.class,
        ReceivableCommand.Holdings.class, ReceivableCommand.Book.class,
        ReceivableCommand.Overdue.class, ReceivableCommand.Proof.class,
        HistoryVerb.Receivable.class, ReceivableCommand.PublishKey.class,
        ReceivableCommand.OpeningOf.class})
final class ReceivableCommand {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ReceivableCommand() {}

  /** The node and the caller's API token. */
  static final class Node extends ServiceNode {
    ReceivablesClient client(boolean needsToken) {
      return new ReceivablesClient(url, token(needsToken ? "this needs an API token with role"
          + " receivables.writer (lists: receivables.reader): give --token-file FILE or set "
          + ServiceNode.TOKEN_ENV + " (issue one with 'chorus token issue --role"
          + " receivables.writer')" : null));
    }
  }


  /** A write that waits for its block (or not). */
  static class Write {
    @Spec CommandSpec spec;
    @Mixin Node node = new Node();

    @Option(names = "--no-wait", description = "Return once the node pooled the transaction.")
    boolean noWait;

    int sent(ReceivablesClient.Sent sent, String what) {
      PrintWriter out = spec.commandLine().getOut();
      if (sent.piece().isEmpty()) {
        out.println(what + ": pending, transaction " + sent.transactionHash());
        return 0;
      }
      out.println(what + " in block " + sent.blockNumber().orElseThrow() + ", transaction "
          + sent.transactionHash());
      printPiece(out, sent.piece().get());
      return 0;
    }
  }

  @Command(name = "confirm", mixinStandardHelpOptions = true,
      description = {
          "As the obligor: signs a receivable's terms with its key in the node.",
          "Writes the confirmation (terms, key, signature) to FILE for the supplier's",
          "'chorus receivable issue FILE'. With --confidential the chain sees the face",
          "value only committed, and FILE holds the blinding that opens it: keep it as",
          "secret as the amount."})
  static final class Confirm implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Node node = new Node();

    @Option(names = "--supplier", required = true, paramLabel = "ACCOUNT") String supplier;

    @Option(names = "--face", required = true, paramLabel = "AMOUNT",
        description = "The face value in currency units, e.g. 1000000.00.")
    String face;

    @Option(names = "--currency", defaultValue = "CNY", paramLabel = "CODE",
        description = "ISO 4217 (default: ${DEFAULT-VALUE}).")
    String currency;

    @Option(names = "--maturity", required = true, paramLabel = "WHEN",
        description = "ISO-8601 with offset (2026-09-30T00:00:00+08:00), a date (UTC"
            + " midnight), seconds since the epoch, or from now: 90d, 12h, 30m, 45s.")
    String maturity;

    @Option(names = "--document", required = true, paramLabel = "HASH",
        description = "A trade document's hash, 0x and 64 hex digits (repeatable, 1 to 16).")
    List<String> documents = new ArrayList<>();

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "FILE") Path file;

    @Option(names = "--confidential", description = "Commit the face value: only the"
        + " parties and the regulators read the amounts (every party publishes its key"
        + " first: 'chorus receivable publish-key').")
    boolean confidential;

    @Override
    public Integer call() {
      BigInteger value = hundredths(face, "--face");
      long due = maturity(maturity, Instant.now());
      ReceivablesClient client = node.client(true);
      return run(spec, () -> {
        ReceivablesClient.Confirmation c = confidential
            ? client.confirmConfidential(supplier, value, currency, due, documents)
            : client.confirm(supplier, value, currency, due, documents);
        write(file, ReceivablesClient.json(c));
        spec.commandLine().getOut().println("confirmed " + (confidential ? "confidential "
            : "") + amount(value) + " " + c.terms().currency() + " to " + c.terms().supplier()
            + ", due " + Instant.ofEpochSecond(c.terms().maturity()) + "; terms digest "
            + c.terms().termsDigest() + " → " + file + (confidential ? " (it holds the"
            + " blinding that opens the amount: keep it as secret as the amount)" : ""));
        return 0;
      });
    }
  }

  @Command(name = "issue", mixinStandardHelpOptions = true,
      description = {"As the supplier: issues the receivable an obligor's confirmation names",
          "(confidentially when the confirmation is)."})
  static final class Issue extends Write implements Callable<Integer> {
    @Parameters(paramLabel = "CONFIRMATION", description = "The file 'confirm' wrote.")
    Path file;

    @Override
    public Integer call() {
      ReceivablesClient.Confirmation c = readConfirmation(file);
      ReceivablesClient client = node.client(true);
      return run(spec, () -> sent(client.issue(c, !noWait), "issued"));
    }
  }

  @Command(name = "split", mixinStandardHelpOptions = true,
      description = "Splits AMOUNT off piece ID into a new piece of another account.")
  static final class Split extends Write implements Callable<Integer> {
    @Parameters(paramLabel = "ID") long id;
    @Option(names = "--to", required = true, paramLabel = "ACCOUNT") String to;
    @Option(names = "--amount", required = true, paramLabel = "AMOUNT",
        description = "In currency units, e.g. 400000.00.") String amount;

    @Override
    public Integer call() {
      BigInteger value = hundredths(amount, "--amount");
      ReceivablesClient client = node.client(true);
      return run(spec, () -> sent(client.split(id, to, value, !noWait), "split off"));
    }
  }

  @Command(name = "transfer", mixinStandardHelpOptions = true,
      description = "Moves the whole piece ID to another account (it keeps its id).")
  static final class Transfer extends Write implements Callable<Integer> {
    @Parameters(paramLabel = "ID") long id;
    @Option(names = "--to", required = true, paramLabel = "ACCOUNT") String to;

    @Override
    public Integer call() {
      ReceivablesClient client = node.client(true);
      return run(spec, () -> sent(client.transfer(id, to, !noWait), "transferred"));
    }
  }

  @Command(name = "finance", mixinStandardHelpOptions = true,
      description = "Offers piece ID to a bank for PRICE; the bank then 'accept's it.")
  static final class Finance extends Write implements Callable<Integer> {
    @Parameters(paramLabel = "ID") long id;
    @Option(names = "--bank", required = true, paramLabel = "ACCOUNT") String bank;
    @Option(names = "--price", required = true, paramLabel = "AMOUNT",
        description = "What the bank pays now, in currency units.") String price;

    @Override
    public Integer call() {
      BigInteger value = hundredths(price, "--price");
      ReceivablesClient client = node.client(true);
      return run(spec, () -> sent(client.offer(id, bank, value, !noWait), "offered"));
    }
  }

  @Command(name = "accept", mixinStandardHelpOptions = true,
      description = "As the bank offered piece ID: accepts, financing it (once, ever).")
  static final class Accept extends Write implements Callable<Integer> {
    @Parameters(paramLabel = "ID") long id;

    @Override
    public Integer call() {
      ReceivablesClient client = node.client(true);
      return run(spec, () -> sent(client.accept(id, !noWait), "financed"));
    }
  }

  @Command(name = "cancel", mixinStandardHelpOptions = true,
      description = "Withdraws (holder) or declines (bank) the open offer of piece ID.")
  static final class Cancel extends Write implements Callable<Integer> {
    @Parameters(paramLabel = "ID") long id;

    @Override
    public Integer call() {
      ReceivablesClient client = node.client(true);
      return run(spec, () -> sent(client.cancelOffer(id, !noWait), "offer cancelled"));
    }
  }

  @Command(name = "pay", mixinStandardHelpOptions = true,
      description = "As the obligor, at or after maturity: pays piece ID.")
  static final class Pay extends Write implements Callable<Integer> {
    @Parameters(paramLabel = "ID") long id;
    @Option(names = "--ref", required = true, paramLabel = "REFERENCE",
        description = "The payment's reference: 1 to 32 bytes of text, or 0x and 64 hex.")
    String reference;

    @Override
    public Integer call() {
      ReceivablesClient client = node.client(true);
      return run(spec, () -> sent(client.pay(id, reference, !noWait), "paid"));
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true,
      description = "A piece: value, holder, state, terms, financing, court orders, steps.")
  static final class Show implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Node node = new Node();
    @Parameters(paramLabel = "ID") long id;

    @Override
    public Integer call() {
      ReceivablesClient client = node.client(false);
      return run(spec, () -> {
        printPiece(spec.commandLine().getOut(), client.piece(id));
        return 0;
      });
    }
  }

  @Command(name = "tree", mixinStandardHelpOptions = true,
      description = "The lineage of piece ID's receivable: every piece, indented by depth.")
  static final class Tree implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Node node = new Node();
    @Parameters(paramLabel = "ID") long id;

    @Override
    public Integer call() {
      ReceivablesClient client = node.client(false);
      return run(spec, () -> {
        ReceivablesClient.Tree tree = client.tree(id);
        PrintWriter out = spec.commandLine().getOut();
        out.println("receivable " + tree.root() + ": " + amount(tree.terms().faceValue()) + " "
            + tree.terms().currency() + " owed by " + tree.terms().obligor() + ", due "
            + Instant.ofEpochSecond(tree.terms().maturity()) + "; " + tree.pieces().size()
            + " pieces summing to " + tree.sum().map(ReceivableCommand::amount)
                .orElse("the face value (as commitments)"));
        for (ReceivablesClient.Piece p : tree.pieces()) {
          out.println("  ".repeat(p.depth() + 1) + "#" + p.id() + "  " + amount(p.value())
              + "  " + p.holder() + "  " + p.state() + (p.frozen() ? ", frozen" : "")
              + p.lienHolder().map(b -> ", lien " + b).orElse(""));
        }
        return 0;
      });
    }
  }

  /** A list of the token's account, or with ACCOUNT another's (for a regulator's account). */
  abstract static class Listing implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Node node = new Node();
    @Parameters(paramLabel = "ACCOUNT", arity = "0..1",
        description = "Whose (default: the token's account).")
    String account;

    abstract ReceivablesClient.Page first(ReceivablesClient client, String who);

    @Override
    public Integer call() {
      ReceivablesClient client = node.client(true);
      return run(spec, () -> {
        String who = account != null ? account : client.caller();
        PrintWriter out = spec.commandLine().getOut();
        int count = 0;
        for (Optional<ReceivablesClient.Page> page = Optional.of(first(client, who));
            page.isPresent(); page = client.next(page.get())) {
          for (ReceivablesClient.Piece p : page.get().pieces()) {
            out.println("#" + p.id() + "  " + amount(p.value()) + "  " + p.state()
                + (p.overdue() ? ", overdue" : "") + "  holder " + p.holder()
                + p.lienHolder().map(b -> "  lien " + b).orElse(""));
            count++;
          }
        }
        out.println(count + " piece(s) for " + who);
        return 0;
      });
    }
  }

  @Command(name = "holdings", mixinStandardHelpOptions = true,
      description = "The pieces with value an account holds.")
  static final class Holdings extends Listing {
    @Override
    ReceivablesClient.Page first(ReceivablesClient client, String who) {
      return client.holdings(who);
    }
  }

  @Command(name = "book", mixinStandardHelpOptions = true,
      description = "The pieces a bank financed.")
  static final class Book extends Listing {
    @Override
    ReceivablesClient.Page first(ReceivablesClient client, String who) {
      return client.book(who);
    }
  }

  @Command(name = "overdue", mixinStandardHelpOptions = true,
      description = "The overdue pieces of an obligor's receivables.")
  static final class Overdue extends Listing {
    @Override
    ReceivablesClient.Page first(ReceivablesClient client, String who) {
      return client.overdue(who);
    }
  }

  @Command(name = "proof", mixinStandardHelpOptions = true,
      description = {"Writes the proof of a step of piece ID to a file.",
          "'chorus verify' checks it offline against the genesis file alone."})
  static final class Proof implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Node node = new Node();
    @Parameters(paramLabel = "ID") long id;

    @Option(names = "--step", paramLabel = "KIND", description = "issued, split-from,"
        + " split-to, transferred, offered, cancelled, financed or paid (default: the latest).")
    String step;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "FILE") Path file;

    @Override
    public Integer call() {
      ReceivablesClient client = node.client(false);
      return run(spec, () -> {
        Files.writeString(file, client.proof(id, Optional.ofNullable(step)).toJson());
        spec.commandLine().getOut().println("piece " + id + " " + (step == null ? "latest step"
            : step) + " → " + file);
        return 0;
      });
    }
  }

  @Command(name = "publish-key", mixinStandardHelpOptions = true,
      description = {"Publishes the token's account key (in the node's keystore) as its",
          "sealing key, so that confidential amounts can be sealed for it. Once per account;",
          "nothing is sent when it is published already."})
  static final class PublishKey implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Node node = new Node();

    @Override
    public Integer call() {
      ReceivablesClient client = node.client(true);
      return run(spec, () -> {
        ReceivablesClient.SealingKey key = client.publishSealingKey(true);
        spec.commandLine().getOut().println("sealing key of " + key.account() + " "
            + key.status() + ": " + key.key());
        return 0;
      });
    }
  }

  @Command(name = "opening", mixinStandardHelpOptions = true,
      description = {"The amount of confidential piece ID as the token's account opens it",
          "(its holder, obligor, bank or a regulator), checked against the commitment."})
  static final class OpeningOf implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Node node = new Node();
    @Parameters(paramLabel = "ID") long id;

    @Override
    public Integer call() {
      ReceivablesClient client = node.client(true);
      return run(spec, () -> {
        ReceivablesClient.Opening o = client.opening(id);
        PrintWriter out = spec.commandLine().getOut();
        out.println("piece #" + o.piece() + "  " + amount(o.value()) + " as " + o.account()
            + o.price().map(p -> ", price " + amount(p)).orElse(""));
        out.println("  commitment " + o.commitment());
        return 0;
      });
    }
  }

  // ---- input and output ----------------------------------------------------------------------

  /** An amount in currency units (at most 2 decimals) as hundredths. */
  static BigInteger hundredths(String text, String option) {
    try {
      BigDecimal units = new BigDecimal(text);
      if (units.signum() > 0 && units.scale() <= 2) {
        return units.movePointRight(2).toBigIntegerExact();
      }
    } catch (NumberFormatException | ArithmeticException e) {
      // answered below
    }
    throw new IllegalArgumentException(option + " takes an amount in currency units with at"
        + " most 2 decimals, above 0, e.g. 1000000.00; not '" + text + "'");
  }

  /** Hundredths as currency units with 2 decimals. */
  static String amount(BigInteger hundredths) {
    return new BigDecimal(hundredths, 2).toPlainString();
  }

  /** An amount the answer may lack: a confidential one, which 'opening' reads. */
  static String amount(Optional<BigInteger> hundredths) {
    return hundredths.map(ReceivableCommand::amount).orElse("confidential");
  }

  /** A maturity as seconds since the epoch. */
  static long maturity(String text, Instant now) {
    return time(text, now, "--maturity");
  }

  /** A time given to {@code option}, as seconds since the epoch. */
  static long time(String text, Instant now, String option) {
    if (text.matches("[0-9]+[dhms]")) {
      long n = Long.parseLong(text.substring(0, text.length() - 1));
      long unit = switch (text.charAt(text.length() - 1)) {
        case 'd' -> 86_400;
        case 'h' -> 3_600;
        case 'm' -> 60;
        default -> 1;
      };
      return now.getEpochSecond() + n * unit;
    }
    if (text.matches("[0-9]{9,}")) {
      return Long.parseLong(text);
    }
    try {
      return text.matches("\\d{4}-\\d{2}-\\d{2}")
          ? OffsetDateTime.parse(text + "T00:00:00Z").toEpochSecond()
          : OffsetDateTime.parse(text).toEpochSecond();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(option + " takes ISO-8601 with its offset"
          + " (2026-09-30T00:00:00+08:00), a date (2026-09-30, UTC midnight), seconds since the"
          + " epoch, or a term from now (90d, 12h, 30m, 45s); not '" + text + "'", e);
    }
  }

  static void printPiece(PrintWriter out, ReceivablesClient.Piece p) {
    out.println("piece #" + p.id() + (p.parent() == 0 ? " (root)" : " split from #"
        + p.parent() + ", root #" + p.root()) + "  " + (p.confidential() && p.value().isEmpty()
            ? "confidential" : amount(p.value()) + " of face " + amount(p.faceValue()))
        + p.terms().map(t -> " " + t.currency()).orElse(""));
    out.println("  holder     " + p.holder());
    out.println("  state      " + p.state() + (p.frozen() ? ", frozen" : "")
        + (p.overdue() ? ", OVERDUE" : "") + p.paymentRef().map(r -> ", ref " + r).orElse(""));
    p.offeredTo().ifPresent(b -> out.println("  offered to " + b));
    p.financing().ifPresent(f -> out.println("  financed   by " + f.bank() + " for "
        + amount(f.price()) + " (discount " + amount(f.discount()) + ")"));
    p.commitment().ifPresent(c -> out.println("  commitment " + c + " ('chorus receivable"
        + " opening " + p.id() + "' reads the amount)"));
    p.terms().ifPresent(t -> out.println("  terms      " + t.obligor() + " owes, due "
        + Instant.ofEpochSecond(t.maturity()) + "; issued to " + t.supplier() + "; digest "
        + t.termsDigest()));
    p.courtOrders().forEach(o -> out.println("  court      " + o.kind() + " " + o.reference()));
    if (!p.children().isEmpty()) {
      out.println("  children   " + p.children());
    }
    p.steps().forEach(s -> out.println("  step       " + s.kind() + " in block "
        + s.blockNumber() + ", " + s.txHash()));
  }

  private static ReceivablesClient.Confirmation readConfirmation(Path file) {
    JsonNode json;
    try {
      json = JSON.readTree(Files.readString(file));
    } catch (IOException e) {
      throw new IllegalArgumentException(VerifyCommand.problem(file, e), e);
    }
    for (String field : List.of("obligor", "supplier", "faceValue", "currency", "maturity",
        "documents", "termsDigest", "obligorKey", "signature")) {
      if (!json.has(field)) {
        throw new IllegalArgumentException(file + " is not a confirmation: it lacks '" + field
            + "' (write one with 'chorus receivable confirm ... -o FILE' as the obligor)");
      }
    }
    return ReceivablesClient.confirmation(json);
  }

  private static void write(Path file, JsonNode json) throws IOException {
    Files.writeString(file, json.toPrettyString());
  }

  /** A verb that calls the node and may write a file. */
  interface Verb {
    int run() throws IOException;
  }

  /** Runs a verb: a refusal is printed with the contract's code and each bad field. */
  private static int run(CommandSpec spec, Verb verb) {
    PrintWriter err = spec.commandLine().getErr();
    try {
      return verb.run();
    } catch (ProblemException e) {
      err.println("chorus receivable: " + e.getMessage());
      e.errors().forEach(f -> err.println("  " + f.field() + ": " + f.detail()));
      return 1;
    } catch (ClientException e) {
      err.println("chorus receivable: " + e.getMessage());
      return 1;
    } catch (IOException e) {
      err.println("chorus receivable: cannot write the file: " + e.getMessage());
      return 1;
    }
  }
}
