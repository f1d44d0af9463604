package io.chorus.cli;

import io.chorus.client.JsonRpcClient;
import io.chorus.export.ChainExporter;
import io.chorus.export.ExportException;
import io.chorus.export.PostgresTarget;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.function.ToDoubleFunction;

/**
 * {@code chorus node --export postgresql://…}: the same {@link ChainExporter} as
 * {@code chorus export}, run in the node's process over loopback JSON-RPC to the node itself
 * (the exporter needs no node code, and the raw block read makes the loopback cheap), with its
 * progress on the node's {@code /metrics}. Exactly-once is the exporter's: a node stopped or
 * killed resumes its export after the last block committed into PostgreSQL.
 */
final class NodeExport implements AutoCloseable {
  /** How long stopping waits for a range being written to roll back. */
  private static final Duration STOP_WAIT = Duration.ofSeconds(30);

  private final ChainExporter exporter;
  private final Thread thread;
  private volatile boolean running;

  private NodeExport(ChainExporter exporter, PrintWriter log) {
    this.exporter = exporter;
    this.thread = Thread.ofPlatform().name("chorus-node-export").daemon().unstarted(() -> {
      try {
        exporter.run();
      } catch (ExportException e) {
        line(log, e.getMessage() + "; the export stopped, the node goes on");
      } finally {
        running = false;
      }
    });
  }

  /**
   * Opens the export (schema, chain binding) and starts it on a thread of its own.
   *
   * @throws ExportException naming what to fix, as {@code chorus export} would exit with
   */
  static NodeExport start(String to, String nodeUrl, MeterRegistry meters, PrintWriter log) {
    PostgresTarget target = PostgresTarget.parse(to);
    ChainExporter exporter = new ChainExporter(new JsonRpcClient(nodeUrl), target,
        ChainExporter.Options.defaults(), line -> line(log, line));
    try {
      exporter.open();
    } catch (RuntimeException e) {
      exporter.close();
      throw e;
    }
    NodeExport export = new NodeExport(exporter, log);
    export.bind(meters);
    export.running = true;
    export.thread.start();
    return export;
  }

  private void bind(MeterRegistry meters) {
    gauge(meters, "chorus_export_last_block", "Last block committed into PostgreSQL",
        p -> p.lastBlock());
    gauge(meters, "chorus_export_lag_blocks", "Blocks of the node's head not exported yet",
        p -> Math.max(0, p.head() - p.lastBlock()));
    Gauge.builder("chorus_export_running", this, e -> e.running ? 1 : 0)
        .description("1 while the export runs, 0 once it stopped on an error (see the log)")
        .register(meters);
    counter(meters, "chorus_export_blocks", "Blocks exported (rate = blocks/s)",
        p -> p.blocks());
    counter(meters, "chorus_export_transactions", "Transactions exported (rate = tx/s)",
        p -> p.transactions());
    counter(meters, "chorus_export_rows", "Rows written into PostgreSQL", p -> p.rows());
    counter(meters, "chorus_export_outages", "Times PostgreSQL or the node went away",
        p -> p.outages());
  }

  private void gauge(MeterRegistry meters, String name, String description,
      ToDoubleFunction<ChainExporter.Progress> value) {
    Gauge.builder(name, exporter, e -> value.applyAsDouble(e.progress()))
        .description(description).register(meters);
  }

  private void counter(MeterRegistry meters, String name, String description,
      ToDoubleFunction<ChainExporter.Progress> value) {
    FunctionCounter.builder(name, exporter, e -> value.applyAsDouble(e.progress()))
        .description(description).register(meters);
  }

  private static void line(PrintWriter log, String line) {
    log.println("chorus export: " + line);
    log.flush();
  }

  /** Stops the export between blocks, or rolls back the range being written, and waits. */
  @Override
  public void close() {
    exporter.close();
    try {
      thread.join(STOP_WAIT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
