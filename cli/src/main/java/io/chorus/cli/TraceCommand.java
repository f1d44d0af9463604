package io.chorus.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.client.ClientException;
import io.chorus.client.EventProof;
import io.chorus.client.ProblemException;
import io.chorus.client.TraceClient;
import io.chorus.codec.Hex;
import io.chorus.proof.ProofBundle;
import io.chorus.proof.ProofException;
import io.chorus.proof.ProofVerifier;
import io.chorus.proof.TrustRoot;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code chorus trace}: GS1 EPCIS 2.0 events captured on the chain, queried and proven. */
@Command(
    name = "trace",
    mixinStandardHelpOptions = true,
    description = {
        "Traceability (产品溯源) on GS1 EPCIS 2.0, through a node's /epcis REST binding:",
        "capture EPCIS documents, query events, follow recall lineage, fetch an event's",
        "proof ('chorus verify' checks it offline)."},
    subcommands = {TraceCommand.Capture.class, TraceCommand.Events.class,
        TraceCommand.Event.class, TraceCommand.Proof.class, TraceCommand.LineageVerb.class})
final class TraceCommand {
  private static final ObjectMapper JSON = new ObjectMapper();

  private TraceCommand() {}

  /** The node and the caller's API token. */
  static final class Node extends ServiceNode {
    TraceClient client(boolean write) {
      return new TraceClient(url, token(write ? "capturing needs an API token with role"
          + " trace.capturer: give --token-file FILE or set " + ServiceNode.TOKEN_ENV
          + " (issue one with 'chorus token issue --role trace.capturer')" : null));
    }
  }


  @Command(name = "capture", mixinStandardHelpOptions = true,
      description = {
          "Captures EPCIS documents and waits for their blocks.",
          "Each FILE is an EPCISDocument or one event with its @context. Prints the capture",
          "job; exit 1 when an event was refused or a capture transaction reverted."})
  static final class Capture implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Node node = new Node();

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "The EPCIS JSON files.")
    List<Path> files;

    @Option(names = "--proceed", description = "Capture the valid events of a document and"
        + " list the others (GS1-Capture-Error-Behaviour: proceed); by default any invalid or"
        + " duplicate event refuses the whole document.")
    boolean proceed;

    @Option(names = "--visible-to", split = ",", paramLabel = "ORG",
        description = "Only these organisations may read the events (their payload is"
            + " encrypted for them); by default the whole consortium.")
    List<String> visibleTo = new ArrayList<>();

    @Option(names = "--timeout", defaultValue = "60", paramLabel = "SECONDS",
        description = "How long to wait for the blocks (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Override
    public Integer call() {
      if (timeoutSeconds <= 0) {
        throw new IllegalArgumentException("--timeout must be a positive number of seconds");
      }
      TraceClient client = node.client(true);
      PrintWriter out = spec.commandLine().getOut();
      return run(spec, () -> {
        int status = 0;
        for (Path file : files) {
          byte[] bytes = read(file);
          TraceClient.CaptureJob job = isDocument(file, bytes)
              ? client.capture(bytes, proceed ? TraceClient.ErrorBehaviour.PROCEED
                  : TraceClient.ErrorBehaviour.ROLLBACK, visibleTo)
              : client.captureEvent(bytes, visibleTo);
          job = client.awaitJob(job.captureId(), Duration.ofSeconds(timeoutSeconds));
          out.println(file + ": capture " + job.captureId() + " " + job.status());
          for (TraceClient.CaptureTransaction tx : job.transactions()) {
            out.println("  events " + tx.firstEvent() + ".." + (tx.firstEvent() + tx.events()
                - 1) + "  " + tx.status() + tx.blockNumber().map(n -> " in block " + n)
                .orElse("") + "  " + tx.txHash());
          }
          for (TraceClient.CaptureError error : job.errors()) {
            out.println("  refused " + error.pointer() + ": " + error.detail());
          }
          if (!job.status().equals("success")) {
            status = 1;
          }
        }
        return status;
      });
    }

    private static boolean isDocument(Path file, byte[] bytes) {
      JsonNode json;
      try {
        json = JSON.readTree(bytes);
      } catch (IOException e) {
        throw new IllegalArgumentException(file + " is not JSON: " + e.getMessage(), e);
      }
      return "EPCISDocument".equals(json.path("type").asText());
    }
  }

  @Command(name = "events", mixinStandardHelpOptions = true,
      description = {
          "Queries events (GET /epcis/events).",
          "One line per event, oldest first, or each event's JSON with --json. Identifiers",
          "may be EPC URNs or GS1 Digital Links."})
  static final class Events implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Node node = new Node();

    @Option(names = "--epc", paramLabel = "EPC", description = "Events naming EPC in any role.")
    String epc;

    @Option(names = "--biz-step", paramLabel = "STEP", description = "e.g. shipping.")
    String bizStep;

    @Option(names = "--type", paramLabel = "TYPE", description = "e.g. ObjectEvent.")
    String type;

    @Option(names = "--param", paramLabel = "NAME=VALUE",
        description = "Any standard query parameter, e.g. --param EQ_bizLocation=urn:epc:id:"
            + "sgln:4012345.00001.0 (repeatable).")
    Map<String, String> parameters = Map.of();

    @Option(names = "--limit", defaultValue = "100", paramLabel = "N",
        description = "At most this many events (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--json", description = "Print each event's JSON on its own line.")
    boolean json;

    @Override
    public Integer call() {
      if (limit <= 0) {
        throw new IllegalArgumentException("--limit must be positive");
      }
      TraceClient client = node.client(false);
      TraceClient.Query query = new TraceClient.Query();
      if (epc != null) {
        query.anyEpc(epc);
      }
      if (bizStep != null) {
        query.bizStep(bizStep);
      }
      if (type != null) {
        query.eventType(type);
      }
      parameters.forEach(query::with);
      PrintWriter out = spec.commandLine().getOut();
      return run(spec, () -> {
        int printed = 0;
        TraceClient.EventPage page = client.events(query);
        while (true) {
          for (ObjectNode event : page.events()) {
            if (printed++ == limit) {
              out.println("… more events: raise --limit");
              return 0;
            }
            out.println(json ? event.toString() : line(event));
          }
          Optional<TraceClient.EventPage> next = client.next(page);
          if (next.isEmpty()) {
            break;
          }
          page = next.get();
        }
        if (printed == 0) {
          out.println("no events match");
        }
        if (page.withheld() > 0) { // a note, kept off stdout's JSON lines
          (json ? spec.commandLine().getErr() : out).println("(" + page.withheld() + " event(s) on the chain are sealed for other"
              + " organisations and not readable here: matches among them are not listed)");
        }
        return 0;
      });
    }

    private static String line(ObjectNode event) {
      return String.join("  ", event.path("eventTime").asText(), event.path("type").asText(),
          last(event.path("bizStep").asText("-")), last(event.path("bizLocation").path("id")
              .asText(event.path("readPoint").path("id").asText("-"))),
          event.path("eventID").asText());
    }

    /** The word a CBV URI ends with ({@code shipping}), or the value itself. */
    static String last(String value) {
      int cut = Math.max(value.lastIndexOf('-'), value.lastIndexOf(':'));
      return value.startsWith("https://ref.gs1.org/cbv/") || value.startsWith("urn:epcglobal:cbv")
          ? value.substring(cut + 1) : value;
    }
  }

  @Command(name = "event", mixinStandardHelpOptions = true,
      description = "Prints one event's JSON, named by its eventID or its hash ID.")
  static final class Event implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Node node = new Node();

    @Parameters(paramLabel = "ID", description = "The eventID or hash ID.")
    String id;

    @Override
    public Integer call() {
      TraceClient client = node.client(false);
      return run(spec, () -> {
        spec.commandLine().getOut().println(client.event(id).toPrettyString());
        return 0;
      });
    }
  }

  @Command(name = "proof", mixinStandardHelpOptions = true,
      description = {
          "Writes an event's proof to a file.",
          "'chorus verify' checks it offline against the genesis file alone."})
  static final class Proof implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Node node = new Node();

    @Parameters(paramLabel = "ID", description = "The eventID or hash ID.")
    String id;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "FILE",
        description = "Where to write the proof.")
    Path file;

    @Override
    public Integer call() {
      TraceClient client = node.client(false);
      return run(spec, () -> {
        EventProof proof = client.proof(id);
        try {
          Files.writeString(file, proof.toJson());
        } catch (IOException e) {
          throw new IllegalArgumentException("cannot write " + file + ": " + e.getMessage(), e);
        }
        spec.commandLine().getOut().println(proof.eventId() + (proof.eventId().equals(
            proof.hashId()) ? "" : "  " + proof.hashId()) + "  → " + file);
        return 0;
      });
    }
  }

  @Command(name = "lineage", mixinStandardHelpOptions = true,
      description = {
          "Recall lineage (GET /epcis/lineage).",
          "Everything made from EPC or packed with it, across organisations, or with",
          "--upstream where it came from: one line per link, by depth, with its event."})
  static final class LineageVerb implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Node node = new Node();

    @Parameters(paramLabel = "EPC", description = "An EPC, a class or lot: URN or Digital Link.")
    String epc;

    @Option(names = "--upstream", description = "Where it came from, not what came of it.")
    boolean upstream;

    @Option(names = "--max-depth", defaultValue = "5", paramLabel = "N",
        description = "Links followed from EPC, 1 to 10 (default: ${DEFAULT-VALUE}).")
    int maxDepth;

    @Override
    public Integer call() {
      TraceClient client = node.client(false);
      PrintWriter out = spec.commandLine().getOut();
      return run(spec, () -> {
        TraceClient.Lineage lineage = client.lineage(epc, !upstream, maxDepth);
        out.println(lineage.direction() + " of " + lineage.root() + ": " + lineage.nodes().size()
            + " identifiers, " + lineage.edges().size() + " links, depth "
            + lineage.depthReached() + (lineage.truncated() ? " (truncated: a bound of the walk"
                + " was reached)" : ""));
        Map<String, Integer> depth = new HashMap<>();
        lineage.nodes().forEach(n -> depth.put(n.id(), n.depth()));
        List<TraceClient.LineageEdge> edges = new ArrayList<>(lineage.edges());
        edges.sort(Comparator.comparing((TraceClient.LineageEdge e) -> depth.getOrDefault(
            upstream ? e.to() : e.from(), 0)).thenComparing(TraceClient.LineageEdge::eventTime));
        for (TraceClient.LineageEdge edge : edges) {
          out.println("  " + edge.from() + "  " + edge.relation() + "  " + edge.to() + "   ("
              + edge.eventTime() + ", " + Events.last(edge.bizStep().isEmpty() ? "-"
                  : edge.bizStep()) + ", " + edge.eventId() + ")");
        }
        return 0;
      });
    }
  }

  /** Prints what an event proof shows, or why it does not hold (exit 1). */
  static int verify(CommandSpec spec, EventProof proof, TrustRoot root) {
    EventProof.Verified verified;
    try {
      verified = proof.verify(root);
    } catch (ProofException e) {
      spec.commandLine().getErr().println("chorus verify: NOT PROVEN: " + e.getMessage());
      return 1;
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println("PROVEN: EPCIS event captured in block " + verified.proven().blockNumber()
        + " of chain " + root.chainId() + " (" + root.suite().name() + ")");
    out.println("  event        " + verified.eventId());
    out.println("  hash ID      " + verified.event().hashId() + " (recomputed from the event)");
    out.println("  what         " + verified.event().type() + ", " + (verified.event().bizStep()
        == null ? "no bizStep" : verified.event().bizStep()) + ", at "
        + verified.event().eventTime());
    out.println("  captured by  " + verified.capturer() + " (capture #"
        + verified.captureNumber() + ")");
    out.println("  block hash   " + Hex.encode0x(verified.proven().blockHash()));
    out.println("  block time   " + ProofVerifier.time(
        verified.proven().timestamp()));
    out.println("  final by     " + verified.proven().signers().size() + " validators' seals");
    return 0;
  }

  private static byte[] read(Path file) {
    try {
      if (Files.size(file) > ProofBundle.BYTES_MAX) {
        throw new IllegalArgumentException(file + " is larger than " + ProofBundle.BYTES_MAX
            + " bytes");
      }
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new IllegalArgumentException(VerifyCommand.problem(file, e), e);
    }
  }

  /** Runs a verb that calls the node: a refusal is printed with each bad field. */
  private static int run(CommandSpec spec, TxCommand.Verb verb) {
    try {
      return verb.run();
    } catch (ProblemException e) {
      PrintWriter err = spec.commandLine().getErr();
      err.println("chorus trace: " + e.getMessage());
      if (e.errors().size() > 1 || e.errors().size() == 1
          && !e.detail().contains(e.errors().getFirst().detail())) {
        e.errors().forEach(f -> err.println("  " + f.field() + ": " + f.detail()));
      }
      return 1;
    } catch (ClientException e) {
      spec.commandLine().getErr().println("chorus trace: " + e.getMessage());
      return 1;
    }
  }
}
