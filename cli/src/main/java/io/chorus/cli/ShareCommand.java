package io.chorus.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chorus.client.ClientException;
import io.chorus.client.DeliveryException;
import io.chorus.client.ProblemException;
import io.chorus.client.SharingClient;
import io.chorus.client.UserCertificate;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code chorus share}: government data sharing through a node's {@code /api/v1/sharing} API
 * (docs/sharing.md), each write as the account of the API token, waiting for its block; {@code
 * fetch} opens the delivery with the caller's private key and checks it against the chain.
 */
@Command(
    name = "share",
    mixinStandardHelpOptions = true,
    description = {
        "Government data sharing (政务数据共享) through a node's /api/v1/sharing API: a",
        "provider publishes a data set, a department applies, the data authority checks,",
        "the provider approves or refuses, the requester fetches from the provider's node",
        "(only the granted fields, sealed for its key), everyone's attempts on the audit",
        "trail. Writes act as the API token's account (role sharing.writer) and wait for",
        "their block; lists need sharing.reader."},
    subcommands = {ShareCommand.Catalog.class, ShareCommand.Publish.class,
        ShareCommand.Update.class, ShareCommand.Apply.class, ShareCommand.Check.class,
        ShareCommand.Extend.class, ShareCommand.Approve.class, ShareCommand.Refuse.class,
        ShareCommand.Revoke.class, ShareCommand.Show.class,
        ShareCommand.Fetch.class, ShareCommand.Audit.class, ShareCommand.Purge.class,
        ShareCommand.Overdue.class, HistoryVerb.Sharing.class})
final class ShareCommand {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> CLASSES = List.of("unconditional", "conditional",
      "not-shared");
  private static final List<String> CYCLES = List.of("realtime", "daily", "weekly", "monthly",
      "quarterly", "yearly", "irregular");

  private ShareCommand() {}

  /** The node and the caller's API token. */
  static final class Node extends ServiceNode {
    SharingClient client(boolean needsToken) {
      return new SharingClient(url, token(needsToken ? "this needs an API token with role"
          + " sharing.writer (lists and fetch: sharing.reader): give --token-file FILE or set "
          + ServiceNode.TOKEN_ENV + " (issue one with 'chorus token issue --role"
          + " sharing.writer --role sharing.reader')" : null));
    }
  }


  /** A write that waits for its block (or not). */
  abstract static class Write implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Node node = new Node();

    @Option(names = "--no-wait", description = "Return once the node pooled the transaction.")
    boolean noWait;

    /** A decision on application {@code id}, printed with the application after it. */
    int decided(SharingClient.Sent<SharingClient.Application> sent, String what) {
      PrintWriter out = spec.commandLine().getOut();
      if (sent.result().isEmpty()) {
        out.println(what + ": pending, transaction " + sent.transactionHash());
        return 0;
      }
      out.println(what + " in block " + sent.blockNumber().orElseThrow() + ", transaction "
          + sent.transactionHash());
      printApplication(out, sent.result().get());
      return 0;
    }
  }

  @Command(name = "catalog", mixinStandardHelpOptions = true,
      description = "The catalogue (目录): every data set, or one provider's.")
  static final class Catalog implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Node node = new Node();

    @Option(names = "--provider", paramLabel = "DEPARTMENT",
        description = "Only this department's data sets.")
    String provider;

    @Override
    public Integer call() {
      SharingClient client = node.client(false);
      return run(spec, () -> {
        PrintWriter out = spec.commandLine().getOut();
        long total = 0;
        long offset = 0;
        do {
          SharingClient.Page<SharingClient.Dataset> page = client.datasets(
              Optional.ofNullable(provider), offset, 100);
          total = page.total();
          page.items().forEach(d -> printDataset(out, d));
          offset += page.items().size();
          if (page.items().isEmpty()) {
            break;
          }
        } while (offset < total);
        out.println(total + " data set(s)" + (provider == null ? "" : " of " + provider));
        return 0;
      });
    }
  }

  @Command(name = "publish", mixinStandardHelpOptions = true,
      description = {"As the provider: publishes a data set in the catalogue, and with",
          "--records puts the records this node serves of it (kept off chain)."})
  static final class Publish extends Write {
    @Option(names = "--code", required = true, paramLabel = "CODE",
        description = "The catalogue code (目录编码), 1 to 64 bytes, unique on the chain.")
    String code;

    @Option(names = "--title", required = true, paramLabel = "TITLE") String title;

    @Option(names = "--fields", required = true, paramLabel = "NAMES", split = ",",
        description = "The schema's field names, comma-separated (1 to 64).")
    List<String> fields;

    @Option(names = "--class", required = true, paramLabel = "CLASS",
        description = "unconditional (无条件共享), conditional (有条件共享) or not-shared.")
    String sharingClass;

    @Option(names = "--cycle", defaultValue = "irregular", paramLabel = "CYCLE",
        description = "realtime, daily, weekly, monthly, quarterly, yearly or irregular"
            + " (default: ${DEFAULT-VALUE}).")
    String cycle;

    @Option(names = "--records", paramLabel = "FILE",
        description = "A JSON array of records, objects keyed by field name, to serve.")
    Path records;

    @Override
    public Integer call() {
      choice(sharingClass, "--class", CLASSES);
      choice(cycle, "--cycle", CYCLES);
      List<JsonNode> rows = records == null ? List.of() : readRecords(records, fields);
      SharingClient client = node.client(true);
      return run(spec, () -> {
        SharingClient.Sent<SharingClient.Dataset> sent = client.publish(code, title, fields,
            sharingClass, cycle, !noWait || records != null); // records need its id
        PrintWriter out = spec.commandLine().getOut();
        if (sent.result().isEmpty()) {
          out.println("published: pending, transaction " + sent.transactionHash());
          return 0;
        }
        SharingClient.Dataset d = sent.result().get();
        out.println("published data set " + d.id() + " in block " + sent.blockNumber()
            .orElseThrow() + ", transaction " + sent.transactionHash());
        printDataset(out, d);
        if (records != null) {
          out.println("this node serves " + client.putRecords(d.id(), rows) + " record(s) of"
              + " data set " + d.id());
        }
        return 0;
      });
    }
  }

  @Command(name = "update", mixinStandardHelpOptions = true,
      description = {"As the provider: publishes a new version of data set DATASET; what is",
          "not given is kept from the latest version. The versions before it stay readable,",
          "and applications keep the version they were made under. With --records, puts the",
          "records this node serves of it (keyed by the new version's fields)."})
  static final class Update extends Write {
    @Parameters(paramLabel = "DATASET", description = "The data set's id.") long dataset;

    @Option(names = "--title", paramLabel = "TITLE") String title;

    @Option(names = "--fields", paramLabel = "NAMES", split = ",",
        description = "The new schema's field names, comma-separated (1 to 64).")
    List<String> fields;

    @Option(names = "--class", paramLabel = "CLASS",
        description = "unconditional, conditional or not-shared.")
    String sharingClass;

    @Option(names = "--cycle", paramLabel = "CYCLE",
        description = "realtime, daily, weekly, monthly, quarterly, yearly or irregular.")
    String cycle;

    @Option(names = "--records", paramLabel = "FILE",
        description = "A JSON array of records, objects keyed by field name, to serve.")
    Path records;

    @Override
    public Integer call() {
      if (title == null && fields == null && sharingClass == null && cycle == null) {
        throw new IllegalArgumentException("update needs what changes: --title, --fields,"
            + " --class or --cycle (the rest is kept from the latest version)");
      }
      if (sharingClass != null) {
        choice(sharingClass, "--class", CLASSES);
      }
      if (cycle != null) {
        choice(cycle, "--cycle", CYCLES);
      }
      SharingClient client = node.client(true);
      return run(spec, () -> {
        SharingClient.Version latest = client.dataset(dataset).latest();
        List<String> schema = fields != null ? fields : latest.fields();
        List<JsonNode> rows = records == null ? List.of() : readRecords(records, schema);
        SharingClient.Sent<SharingClient.Dataset> sent = client.update(dataset,
            title != null ? title : latest.title(), schema,
            sharingClass != null ? sharingClass : latest.sharingClass(),
            cycle != null ? cycle : latest.updateCycle(), !noWait || records != null);
        PrintWriter out = spec.commandLine().getOut();
        if (sent.result().isEmpty()) {
          out.println("updated: pending, transaction " + sent.transactionHash());
          return 0;
        }
        SharingClient.Dataset d = sent.result().get();
        out.println("version " + d.latest().number() + " of data set " + d.id() + " in block "
            + sent.blockNumber().orElseThrow() + ", transaction " + sent.transactionHash());
        printDataset(out, d);
        if (records != null) {
          out.println("this node serves " + client.putRecords(d.id(), rows) + " record(s) of"
              + " data set " + d.id());
        }
        return 0;
      });
    }
  }

  @Command(name = "apply", mixinStandardHelpOptions = true,
      description = "As the requesting department: applies for fields of a data set.")
  static final class Apply extends Write {
    @Parameters(paramLabel = "DATASET", description = "The data set's id.") long dataset;

    @Option(names = "--purpose", required = true, paramLabel = "TEXT") String purpose;

    @Option(names = "--scenario", required = true, paramLabel = "TEXT") String scenario;

    @Option(names = "--fields", required = true, paramLabel = "NAMES", split = ",",
        description = "The fields asked for, names of the latest version, comma-separated.")
    List<String> fields;

    @Option(names = "--until", required = true, paramLabel = "WHEN",
        description = "The end of the period asked for: ISO-8601 with offset, a date, epoch"
            + " seconds, or a term from now (90d); at most three years.")
    String until;

    @Override
    public Integer call() {
      long expiresAt = ReceivableCommand.time(until, Instant.now(), "--until");
      SharingClient client = node.client(true);
      return run(spec, () -> decided(client.apply(dataset, purpose, scenario, fields,
          expiresAt, !noWait), "applied"));
    }
  }

  /** {@code --pass} or {@code --refuse}, exactly one. */
  static final class Verdict {
    @Option(names = "--pass", required = true, description = "Pass the application.")
    boolean pass;

    @Option(names = "--refuse", required = true, description = "Refuse it (give --reason).")
    boolean refuse;
  }

  @Command(name = "check", mixinStandardHelpOptions = true,
      description = {"As the data authority: passes or refuses application ID.",
          "An unconditional item passed is granted at once; a conditional one awaits its",
          "provider."})
  static final class Check extends Write {
    @Parameters(paramLabel = "ID") long id;
    @ArgGroup(multiplicity = "1") Verdict verdict;

    @Option(names = "--reason", defaultValue = "", paramLabel = "TEXT",
        description = "Why (required to refuse; a note when passing).")
    String reason;

    @Override
    public Integer call() {
      if (verdict.refuse && reason.isBlank()) {
        throw new IllegalArgumentException("--refuse needs --reason TEXT: a refusal states"
            + " its reasons");
      }
      SharingClient client = node.client(true);
      return run(spec, () -> decided(client.check(id, verdict.pass, reason, !noWait),
          verdict.pass ? "passed" : "refused"));
    }
  }

  @Command(name = "extend", mixinStandardHelpOptions = true,
      description = {"As the provider, once per application: 5 more working days to decide",
          "checked application ID (10 in all), with the reason it needs them."})
  static final class Extend extends Write {
    @Parameters(paramLabel = "ID") long id;
    @Option(names = "--reason", required = true, paramLabel = "TEXT") String reason;

    @Override
    public Integer call() {
      SharingClient client = node.client(true);
      return run(spec, () -> decided(client.extend(id, reason, !noWait), "extended"));
    }
  }

  @Command(name = "approve", mixinStandardHelpOptions = true,
      description = "As the provider: grants application ID (some or all fields asked for).")
  static final class Approve extends Write {
    @Parameters(paramLabel = "ID") long id;

    @Option(names = "--fields", paramLabel = "NAMES", split = ",",
        description = "The fields granted, comma-separated (default: all asked for).")
    List<String> fields = new ArrayList<>();

    @Override
    public Integer call() {
      SharingClient client = node.client(true);
      return run(spec, () -> decided(client.approve(id, fields, !noWait), "granted"));
    }
  }

  @Command(name = "refuse", mixinStandardHelpOptions = true,
      description = "As the provider: refuses application ID, with its reasons.")
  static final class Refuse extends Write {
    @Parameters(paramLabel = "ID") long id;
    @Option(names = "--reason", required = true, paramLabel = "TEXT") String reason;

    @Override
    public Integer call() {
      SharingClient client = node.client(true);
      return run(spec, () -> decided(client.refuse(id, reason, !noWait), "refused"));
    }
  }

  @Command(name = "revoke", mixinStandardHelpOptions = true,
      description = "As the provider or the authority: ends grant ID, with its reason.")
  static final class Revoke extends Write {
    @Parameters(paramLabel = "ID") long id;
    @Option(names = "--reason", required = true, paramLabel = "TEXT") String reason;

    @Override
    public Integer call() {
      SharingClient client = node.client(true);
      return run(spec, () -> decided(client.revoke(id, reason, !noWait), "revoked"));
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true,
      description = "Application (or grant) ID: its state, fields, deadline and reason.")
  static final class Show implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Node node = new Node();
    @Parameters(paramLabel = "ID") long id;

    @Override
    public Integer call() {
      SharingClient client = node.client(true);
      return run(spec, () -> {
        printApplication(spec.commandLine().getOut(), client.application(id));
        return 0;
      });
    }
  }

  @Command(name = "fetch", mixinStandardHelpOptions = true,
      description = {"As the requester: fetches a data set from its provider's node (--url),",
          "opens it with the token account's private key and checks its hash against the",
          "chain's audit entry; prints the records (JSON) or writes them to --out. A denial",
          "prints its reason code (exit 1); it is on the audit trail all the same.",
          "With --cert and --cert-key (a consortium user certificate, 'chorus ca user'), no",
          "token is needed: the request is signed with the certificate's key, the department",
          "is its organisation and the records are sealed for it."})
  static final class Fetch implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Node node = new Node();
    @Parameters(paramLabel = "DATASET") long dataset;

    @Option(names = "--grant", defaultValue = "0", paramLabel = "ID",
        description = "The grant to present (default: the department's grant in force).")
    long grant;

    @Option(names = "--fields", paramLabel = "NAMES", split = ",",
        description = "The fields wanted (default: all the grant gives).")
    List<String> fields = new ArrayList<>();

    @ArgGroup(multiplicity = "0..1") TxCommand.Key key;

    @Option(names = "--cert", paramLabel = "FILE", description = "Fetch as a consortium"
        + " user: its certificate chain, PEM (the user.pem 'chorus ca user' writes).")
    Path certificate;

    @Option(names = "--cert-key", paramLabel = "FILE", description = "The certificate's"
        + " private key, PKCS#8 PEM (user.key).")
    Path certificateKey;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE",
        description = "Write the records here instead of printing them.")
    Path file;

    @Option(names = "--timeout", defaultValue = "60", paramLabel = "SECONDS",
        description = "How long to wait for the audit entry's block (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Override
    public Integer call() throws IOException {
      if (timeoutSeconds <= 0) {
        throw new IllegalArgumentException("--timeout must be a positive number of seconds");
      }
      if ((certificate == null) != (certificateKey == null)) {
        throw new IllegalArgumentException("give --cert and --cert-key together: the"
            + " certificate chain and its private key");
      }
      if ((key == null) == (certificate == null)) {
        throw new IllegalArgumentException("give either --key-file (the token account's key)"
            + " or --cert and --cert-key (a consortium user certificate)");
      }
      Duration timeout = Duration.ofSeconds(timeoutSeconds);
      UserCertificate user = certificate == null ? null
          : UserCertificate.load(certificate, certificateKey);
      byte[] privateKey = key == null ? null : key.privateKey();
      SharingClient client = node.client(user == null);
      return run(spec, () -> {
        SharingClient.Delivery d = user == null
            ? client.fetch(dataset, grant, fields, privateKey, timeout)
            : client.fetch(dataset, grant, fields, user, timeout);
        PrintWriter out = spec.commandLine().getOut();
        String records = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(d.records());
        out.println("delivered " + d.records().size() + " record(s) of data set " + d.dataset()
            + " v" + d.version() + " under grant " + d.grant() + ", fields " + String.join(", ",
                d.fields()) + "; opened with " + d.scheme() + ", hash " + d.payloadHash()
            + " = audit entry " + d.entry().id() + " (verdict " + d.entry().verdict() + " "
            + d.entry().verdictRule() + ")");
        if (file != null) {
          Files.writeString(file, records);
          out.println("records → " + file);
        } else {
          out.println(records);
        }
        return 0;
      });
    }
  }

  @Command(name = "audit", mixinStandardHelpOptions = true,
      description = {"The audit trail: every access attempt, delivered or denied, with who,",
          "when, the outcome and the chain's verdict. Of a data set (its provider, the",
          "authority), of a department (itself, the authority), or one entry; or one entry's",
          "proof bundle (--proof ENTRY --out FILE), which 'chorus verify' checks offline."})
  static final class Audit implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Node node = new Node();
    @ArgGroup(multiplicity = "1") Scope scope;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE",
        description = "With --proof: the file the bundle is written to.")
    Path file;

    /** Whose trail. */
    static final class Scope {
      @Option(names = "--dataset", required = true, paramLabel = "ID") Long dataset;
      @Option(names = "--department", required = true, paramLabel = "NAME") String department;
      @Option(names = "--entry", required = true, paramLabel = "ID") Long entry;
      @Option(names = "--proof", required = true, paramLabel = "ENTRY") Long proof;
    }

    @Override
    public Integer call() {
      if (scope.proof != null && file == null) {
        throw new IllegalArgumentException("--proof needs --out FILE: the bundle is a file to"
            + " hand to whoever checks it");
      }
      if (scope.proof == null && file != null) {
        throw new IllegalArgumentException("--out writes a proof bundle: give --proof ENTRY");
      }
      SharingClient client = node.client(true);
      return run(spec, () -> {
        PrintWriter out = spec.commandLine().getOut();
        if (scope.proof != null) {
          Files.writeString(file, client.auditProof(scope.proof).toJson());
          out.println("proof of audit entry " + scope.proof + " → " + file + " (check it: chorus"
              + " verify " + file + " --genesis genesis.json)");
          return 0;
        }
        if (scope.entry != null) {
          printEntry(out, client.auditEntry(scope.entry));
          return 0;
        }
        long total = 0;
        long offset = 0;
        do {
          SharingClient.Page<SharingClient.AuditEntry> page = scope.dataset != null
              ? client.auditOf(scope.dataset, offset, 100)
              : client.auditOfDepartment(scope.department, offset, 100);
          total = page.total();
          page.items().forEach(e -> printEntry(out, e));
          offset += page.items().size();
          if (page.items().isEmpty()) {
            break;
          }
        } while (offset < total);
        out.println(total + " access attempt(s) " + (scope.dataset != null ? "on data set "
            + scope.dataset : "by " + scope.department));
        return 0;
      });
    }
  }

  @Command(name = "purge", mixinStandardHelpOptions = true,
      description = {"As the provider: erases this node's copy of the envelope audit entry ID",
          "delivered, and records the purge on chain (only its hash was ever there)."})
  static final class Purge implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Node node = new Node();
    @Parameters(paramLabel = "ENTRY") long entry;
    @Option(names = "--reason", required = true, paramLabel = "TEXT",
        description = "Why: the right to be forgotten, a legal hold ended, …") String reason;

    @Override
    public Integer call() {
      SharingClient client = node.client(true);
      return run(spec, () -> {
        spec.commandLine().getOut().println("purge of audit entry " + entry + " sent,"
            + " transaction " + client.purge(entry, reason));
        return 0;
      });
    }
  }

  @Command(name = "overdue", mixinStandardHelpOptions = true,
      description = "As the data authority: undecided applications past their deadline.")
  static final class Overdue implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Node node = new Node();

    @Override
    public Integer call() {
      SharingClient client = node.client(true);
      return run(spec, () -> {
        PrintWriter out = spec.commandLine().getOut();
        List<SharingClient.Application> late = client.overdue();
        late.forEach(a -> printApplication(out, a));
        out.println(late.size() + " overdue application(s)");
        return 0;
      });
    }
  }

  // ---- input and output ----------------------------------------------------------------------

  private static void choice(String value, String option, List<String> allowed) {
    if (!allowed.contains(value)) {
      throw new IllegalArgumentException(option + " takes one of " + String.join(", ",
          allowed) + "; not '" + value + "'");
    }
  }

  /** The records file: a JSON array of objects whose keys are among {@code fields}. */
  static List<JsonNode> readRecords(Path file, List<String> fields) {
    JsonNode json;
    try {
      json = JSON.readTree(Files.readString(file));
    } catch (IOException e) {
      throw new IllegalArgumentException(VerifyCommand.problem(file, e), e);
    }
    if (json == null || !json.isArray()) {
      throw new IllegalArgumentException(file + " must hold a JSON array of records, objects"
          + " keyed by field name: [{\"name\": \"张三\", …}, …]");
    }
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode record : json) {
      if (!record.isObject()) {
        throw new IllegalArgumentException(file + ": record " + out.size() + " is not a JSON"
            + " object keyed by field name");
      }
      for (String name : (Iterable<String>) record::fieldNames) {
        if (!fields.contains(name)) {
          throw new IllegalArgumentException(file + ": record " + out.size() + " has field '"
              + name + "', which --fields " + String.join(",", fields) + " does not list");
        }
      }
      out.add(record);
    }
    return out;
  }

  static void printDataset(PrintWriter out, SharingClient.Dataset d) {
    SharingClient.Version v = d.latest();
    out.println("#" + d.id() + "  " + d.code() + "  " + v.title() + "  provider " + d.provider()
        + "  " + v.sharingClass() + ", " + v.updateCycle() + ", v" + v.number() + "  fields "
        + String.join(",", v.fields()));
  }

  static void printApplication(PrintWriter out, SharingClient.Application a) {
    out.println("application #" + a.id() + "  data set " + a.dataset() + " v" + a.version()
        + "  by " + a.requester() + "  " + a.state());
    out.println("  purpose    " + a.purpose() + " (" + a.scenario() + ")");
    out.println("  asked      " + String.join(",", a.requestedFields()) + " until "
        + Instant.ofEpochSecond(a.expiresAt()));
    if (!a.grantedFields().isEmpty()) {
      out.println("  granted    " + String.join(",", a.grantedFields()));
    }
    if (a.deadline() != 0) {
      out.println("  deadline   " + Instant.ofEpochSecond(a.deadline())
          + (a.extended() ? " (extended)" : ""));
    }
    if (!a.reason().isEmpty()) {
      out.println("  reason     " + a.reason());
    }
    a.decidedBy().ifPresent(by -> out.println("  decided by " + by));
  }

  static void printEntry(PrintWriter out, SharingClient.AuditEntry e) {
    out.println("#" + e.id() + "  " + Instant.ofEpochSecond(e.time()) + "  data set "
        + e.dataset() + "  grant " + e.grant() + "  " + e.department() + "  " + e.outcome()
        + " " + e.outcomeRule() + "  verdict " + e.verdict() + " " + e.verdictRule()
        + e.payloadHash().map(h -> "  payload " + h).orElse("")
        + (e.purgedAt() != 0 ? "  purged " + Instant.ofEpochSecond(e.purgedAt()) : ""));
  }

  /** Runs a verb: a refusal or denial is printed with its code and each bad field. */
  private static int run(CommandSpec spec, ReceivableCommand.Verb verb) {
    PrintWriter err = spec.commandLine().getErr();
    try {
      return verb.run();
    } catch (ProblemException e) {
      Optional<String> code = SharingClient.code(e);
      if (code.isPresent() && e.status() == 403) {
        // The detail starts with the code and rule, as the contract words its reasons.
        String reason = e.detail().startsWith(code.get()) ? e.detail() : code.get() + " "
            + SharingClient.rule(e).orElse("") + ": " + e.detail();
        err.println("chorus share: access denied, " + reason + SharingClient
            .deniedTransaction(e).map(tx -> " (recorded by transaction " + tx + ")")
            .orElse(""));
      } else {
        err.println("chorus share: " + e.getMessage());
      }
      e.errors().forEach(f -> err.println("  " + f.field() + ": " + f.detail()));
      return 1;
    } catch (DeliveryException e) {
      err.println("chorus share: the delivery failed its check (" + e.failure() + "): "
          + e.getMessage());
      return 1;
    } catch (ClientException e) {
      err.println("chorus share: " + e.getMessage());
      return 1;
    } catch (IOException e) {
      err.println("chorus share: cannot write the file: " + e.getMessage());
      return 1;
    }
  }
}
