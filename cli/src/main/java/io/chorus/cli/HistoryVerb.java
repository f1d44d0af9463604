package io.chorus.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.chorus.client.ClientException;
import io.chorus.client.JsonRpcClient;
import io.chorus.client.RecordHistoryClient;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code history ID} under each service's verb ({@code chorus receivable history 12}, {@code
 * chorus notary history ID}, {@code chorus share history request|dataset ID}): the record at
 * each block that changed it, from the node's {@code chorus_getRecordHistory}, one line per
 * change with the events that made it, or the entries as JSON lines.
 */
abstract class HistoryVerb implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;

  @Option(names = "--url", defaultValue = "http://127.0.0.1:8545", paramLabel = "URL",
      description = "The node's JSON-RPC URL (default: ${DEFAULT-VALUE}).")
  String url;

  @Option(names = "--from-block", defaultValue = "0", paramLabel = "N",
      description = "The first block to look at (default: genesis).")
  long fromBlock;

  @Option(names = "--to-block", paramLabel = "N", description = "The last (default: the head).")
  Long toBlock;

  @Option(names = "--json", description = "Each entry as a line of JSON: block, record, events.")
  boolean json;

  /** The record kind and its id as the node takes them. */
  abstract String kind();

  abstract String id();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    RecordHistoryClient history = new RecordHistoryClient(new JsonRpcClient(url));
    try {
      long from = fromBlock;
      OptionalLong to = toBlock == null ? OptionalLong.empty() : OptionalLong.of(toBlock);
      int count = 0;
      while (true) {
        RecordHistoryClient.Page page = history.page(kind(), id(), from, to,
            RecordHistoryClient.LIMIT_MAX);
        for (RecordHistoryClient.Entry entry : page.entries()) {
          print(out, entry);
          count++;
        }
        if (page.nextFromBlock().isEmpty()) {
          if (!json) {
            out.println(count + " change(s) of " + kind() + " " + id() + " in blocks "
                + fromBlock + " to " + page.toBlock() + (page.indexedFrom().orElse(0) > fromBlock
                    ? "; the node's history starts at block " + page.indexedFrom().getAsLong()
                    : ""));
          }
          return 0;
        }
        from = page.nextFromBlock().getAsLong();
        to = OptionalLong.of(page.toBlock());
      }
    } catch (ClientException e) {
      spec.commandLine().getErr().println("chorus history: " + e.getMessage());
      return 1;
    }
  }

  private void print(PrintWriter out, RecordHistoryClient.Entry entry) {
    if (json) {
      var line = JSON.createObjectNode().put("blockNumber", entry.blockNumber())
          .put("blockHash", entry.blockHash()).put("timestamp", entry.timestamp());
      line.set("record", entry.record());
      var events = line.putArray("events");
      entry.events().forEach(e -> events.addObject().put("transactionHash", e.transactionHash())
          .put("logIndex", e.logIndex()).put("event", e.name()).set("arguments", e.arguments()));
      out.println(line);
      return;
    }
    StringBuilder events = new StringBuilder();
    for (RecordHistoryClient.Event event : entry.events()) {
      events.append(events.isEmpty() ? "" : ", ").append(event.name()).append(" (tx ")
          .append(event.transactionHash(), 0, 10).append("…)");
    }
    out.println("block " + entry.blockNumber() + " at "
        + Instant.ofEpochSecond(entry.timestamp()) + ": "
        + (events.isEmpty() ? "changed without an event of its own" : events) + "\n  "
        + entry.record());
  }

  @Command(name = "history", mixinStandardHelpOptions = true,
      description = "A piece at each block that changed it: issue, split, transfer, offer,"
          + " financing, payment, court orders.")
  static final class Receivable extends HistoryVerb {
    @Parameters(paramLabel = "ID") long id;

    @Override
    String kind() {
      return RecordHistoryClient.RECEIVABLE;
    }

    @Override
    String id() {
      return Long.toString(id);
    }
  }

  @Command(name = "history", mixinStandardHelpOptions = true,
      description = "A notary record at each block that added a version or an attestation.")
  static final class Notary extends HistoryVerb {
    @Parameters(paramLabel = "ID") String id;

    @Override
    String kind() {
      return RecordHistoryClient.NOTARY;
    }

    @Override
    String id() {
      return id;
    }
  }

  @Command(name = "history", mixinStandardHelpOptions = true,
      description = "An application (request ID) or a data set (dataset ID) at each block that"
          + " changed it.")
  static final class Sharing extends HistoryVerb {
    @Parameters(index = "0", paramLabel = "request|dataset") String what;
    @Parameters(index = "1", paramLabel = "ID") long id;

    @Override
    String kind() {
      return switch (what) {
        case "request" -> RecordHistoryClient.SHARING_REQUEST;
        case "dataset" -> RecordHistoryClient.SHARING_DATASET;
        default -> throw new picocli.CommandLine.ParameterException(spec.commandLine(),
            "say which record: 'request ID' or 'dataset ID', not '" + what + "'");
      };
    }

    @Override
    String id() {
      return Long.toString(id);
    }
  }
}
