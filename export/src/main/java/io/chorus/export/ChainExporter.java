package io.chorus.export;

import io.chorus.client.ClientException;
import io.chorus.client.JsonRpcClient;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Follows a Chorus node over JSON-RPC and writes its chain into PostgreSQL, exactly once.
 *
 * <p>Each range of blocks is written in one PostgreSQL transaction together with the progress
 * row's new last block ({@link BlockWriter}), so whatever stops the exporter — close, an
 * exception, {@code kill -9}, the database going away — the database holds every block up to
 * the progress row and none after it, and the next run resumes right after it. Blocks on
 * Chorus are final once the node serves them (BFT commit certificates; a dev chain has one
 * producer), so nothing is ever rewritten: there is no reorg to handle.
 *
 * <p>It polls {@code eth_blockNumber}; behind the head it writes up to
 * {@link Options#blocksPerTransaction} blocks per transaction. Once running, a lost database or
 * node is waited out with backoff (one log line when it goes, one when it is back); at
 * {@link #open} every failure is a configuration to fix and throws {@link ExportException}.
 */
public final class ChainExporter implements AutoCloseable {
  /**
   * How to export.
   *
   * @param fromBlock the first block on a fresh schema (-1: from genesis, or resume)
   * @param once export up to the head seen at start, then return from {@link #run}
   * @param poll how often to ask for the head when caught up
   * @param report how often to log rate and lag (zero: never)
   * @param blocksPerTransaction most blocks written per transaction while catching up
   * @param backoffMax longest wait between retries while the database or node is away
   */
  public record Options(long fromBlock, boolean once, Duration poll, Duration report,
      int blocksPerTransaction, Duration backoffMax) {
    public Options {
      if (blocksPerTransaction < 1) {
        throw new IllegalArgumentException("blocksPerTransaction must be at least 1");
      }
    }

    public static Options defaults() {
      return new Options(-1, false, Duration.ofMillis(200), Duration.ofSeconds(10), 64,
          Duration.ofSeconds(30));
    }

    public Options withFromBlock(long block) {
      return new Options(block, once, poll, report, blocksPerTransaction, backoffMax);
    }

    public Options withOnce(boolean stopAtHead) {
      return new Options(fromBlock, stopAtHead, poll, report, blocksPerTransaction, backoffMax);
    }

    public Options withBackoffMax(Duration max) {
      return new Options(fromBlock, once, poll, report, blocksPerTransaction, max);
    }

    public Options withBlocksPerTransaction(int blocks) {
      return new Options(fromBlock, once, poll, report, blocks, backoffMax);
    }
  }

  /** What has been exported since this exporter started, and where it stands. */
  public record Progress(long lastBlock, long head, long blocks, long transactions, long rows,
      long outages) {}

  private static final Duration BACKOFF_FIRST = Duration.ofMillis(250);

  /** Blocks {@code from} to {@code to}, being read. */
  private record Ahead(long from, long to, Future<List<ChainSource.Fetched>> blocks) {}

  private final ChainSource source;
  private final PostgresTarget target;
  private final Options options;
  private final Consumer<String> log;
  private final InstantSource clock;
  private final BlockWriter writer;
  private final Object wake = new Object();

  private volatile boolean closed;
  private volatile Thread runner;
  private volatile Progress progress = new Progress(-1, -1, 0, 0, 0, 0);
  /** Reads the next range while the current one is written: one range at a time. */
  private final ExecutorService reader = Executors.newSingleThreadExecutor(
      Thread.ofPlatform().name("chorus-export-read").daemon().factory());
  private Connection db;
  /** The range being read ahead, if any. */
  private Ahead ahead;
  private long last = -1;
  private long onceTarget = -1;

  public ChainExporter(JsonRpcClient node, PostgresTarget target, Options options,
      Consumer<String> log) {
    this(node, target, options, log, InstantSource.system(), last -> {});
  }

  ChainExporter(JsonRpcClient node, PostgresTarget target, Options options, Consumer<String> log,
      InstantSource clock, BlockWriter.Checkpoint checkpoint) {
    this.source = new ChainSource(node, clock, log);
    this.target = target;
    this.options = options;
    this.log = log;
    this.clock = clock;
    this.writer = new BlockWriter(checkpoint, source::hashFunction);
  }

  /**
   * Checks the node, brings the schema to this version and binds it to the node's chain.
   *
   * @throws ExportException naming what to fix
   */
  public void open() {
    BigInteger chainId;
    String genesis;
    try {
      chainId = source.chainId();
      genesis = source.blockHash(0);
      onceTarget = source.head();
      source.checkRawBlocks();
      source.checkRegistry();
    } catch (ClientException e) {
      throw new ExportException(ExportException.Kind.CONFIGURATION, e.getMessage()
          + " (check --url)", e);
    }
    db = target.connectOrExplain();
    Schema.migrate(target);
    try {
      db.setAutoCommit(false);
      last = Schema.bind(db, target, chainId, genesis, options.fromBlock());
    } catch (SQLException e) {
      throw new ExportException(ExportException.Kind.CONFIGURATION, target.explain(e), e);
    }
    progress = new Progress(last, onceTarget, 0, 0, 0, 0);
    log.accept("exporting chain " + chainId + " (genesis " + genesis + ") from " + source.url()
        + " into " + target.describe() + (last < 0 ? ", from block " + (last + 1)
            : ", resuming after block " + last));
  }

  /**
   * Exports until closed or, with {@link Options#once}, until the head seen at {@link #open}.
   *
   * @throws ExportException when a statement fails for another reason than a lost connection
   */
  public void run() {
    runner = Thread.currentThread();
    Duration backoff = null;
    String outage = null;
    Instant reported = clock.instant();
    Progress atReport = progress;
    try {
      while (!closed) {
        try {
          if (db == null) {
            db = target.connect();
            db.setAutoCommit(false);
            last = BlockWriter.lockProgress(db);
            db.rollback();
          }
          if (outage != null) {
            log.accept(outage + " is back; resuming after block " + last);
            outage = null;
            backoff = null;
          }
          long head = source.head();
          long until = options.once() ? Math.min(head, onceTarget) : head;
          if (last >= until) {
            progress = withHead(progress, head);
            if (options.once()) {
              return;
            }
            pause(options.poll());
            continue;
          }
          long to = Math.min(until, last + options.blocksPerTransaction());
          List<ChainSource.Fetched> blocks = read(last + 1, to);
          if (to < until) {
            // Catching up: the node reads the next range while PostgreSQL writes this one.
            long nextTo = Math.min(until, to + options.blocksPerTransaction());
            ahead = new Ahead(to + 1, nextTo, reader.submit(() -> source.fetch(to + 1, nextTo)));
          }
          BlockWriter.Written written = writer.write(db, blocks);
          last = to;
          Progress p = progress;
          progress = new Progress(last, head, p.blocks() + written.blocks(),
              p.transactions() + written.transactions(), p.rows() + written.rows(), p.outages());
        } catch (SQLException e) {
          if (!PostgresTarget.isUnreachable(e)) {
            throw new ExportException("42501".equals(e.getSQLState())
                ? ExportException.Kind.CONFIGURATION : ExportException.Kind.FAILED,
                target.explain(e), e);
          }
          closeDatabase();
          if (outage == null) {
            outage = "PostgreSQL at " + target.describe();
            log.accept(outage + " is unreachable (" + e.getMessage() + "); retrying with"
                + " backoff up to " + options.backoffMax().toSeconds() + " s, the export will"
                + " resume after block " + last);
            countOutage();
          }
          backoff = pauseBackoff(backoff);
        } catch (ClientException e) {
          if (closed) {
            return;
          }
          if (outage == null) {
            outage = "the node at " + source.url();
            log.accept(outage + " is unreachable (" + e.getMessage() + "); retrying with"
                + " backoff up to " + options.backoffMax().toSeconds() + " s");
            countOutage();
          }
          backoff = pauseBackoff(backoff);
        }
        Instant now = clock.instant();
        if (!options.report().isZero()
            && Duration.between(reported, now).compareTo(options.report()) >= 0) {
          report(atReport, progress, Duration.between(reported, now));
          reported = now;
          atReport = progress;
        }
      }
    } catch (InterruptedException e) {
      // closed while waiting or mid-block: the block's transaction was rolled back
    } finally {
      reader.shutdownNow();
      ahead = null;
      runner = null;
      closeDatabase();
    }
  }

  /**
   * Blocks {@code from} to {@code to}: the range read ahead when it is this one (an outage or
   * a shorter head may have made it another), else read now. A read ahead that failed fails
   * here, as reading now would have.
   */
  private List<ChainSource.Fetched> read(long from, long to) throws InterruptedException {
    Ahead pending = ahead;
    ahead = null;
    if (pending == null || pending.from() != from || pending.to() != to) {
      if (pending != null) {
        pending.blocks().cancel(true);
      }
      return source.fetch(from, to);
    }
    try {
      return pending.blocks().get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException failure) {
        throw failure;
      }
      throw new IllegalStateException("reading blocks " + from + " to " + to + " failed", e);
    }
  }

  private static Progress withHead(Progress p, long head) {
    return new Progress(p.lastBlock(), head, p.blocks(), p.transactions(), p.rows(),
        p.outages());
  }

  private void countOutage() {
    Progress p = progress;
    progress = new Progress(p.lastBlock(), p.head(), p.blocks(), p.transactions(), p.rows(),
        p.outages() + 1);
  }

  private void report(Progress before, Progress now, Duration over) {
    double seconds = Math.max(over.toMillis(), 1) / 1000.0;
    log.accept(String.format(Locale.ROOT, "exported block %d of head %d (lag %d blocks);"
        + " %.1f blocks/s, %.1f tx/s, %.0f rows/s over the last %.0f s", now.lastBlock(),
        now.head(), Math.max(0, now.head() - now.lastBlock()),
        (now.blocks() - before.blocks()) / seconds,
        (now.transactions() - before.transactions()) / seconds,
        (now.rows() - before.rows()) / seconds, seconds));
  }

  private Duration pauseBackoff(Duration previous) throws InterruptedException {
    Duration next = previous == null ? BACKOFF_FIRST : previous.multipliedBy(2);
    if (next.compareTo(options.backoffMax()) > 0) {
      next = options.backoffMax();
    }
    pause(next);
    return next;
  }

  /** Waits, woken early by {@link #close}. */
  private void pause(Duration duration) throws InterruptedException {
    synchronized (wake) {
      if (!closed) {
        wake.wait(Math.max(1, duration.toMillis()));
      }
    }
  }

  private void closeDatabase() {
    if (db != null) {
      try {
        db.close();
      } catch (SQLException e) {
        // the connection is already gone; nothing to keep
      }
      db = null;
    }
  }

  /** What has been exported so far. */
  public Progress progress() {
    return progress;
  }

  /**
   * Stops {@link #run}: between blocks it returns at once; a block being written is rolled
   * back (the thread is interrupted) and written again by the next run.
   */
  @Override
  public void close() {
    closed = true;
    synchronized (wake) {
      wake.notifyAll();
    }
    Thread running = runner;
    if (running != null && running != Thread.currentThread()) {
      running.interrupt();
    } else if (running == null) {
      reader.shutdownNow();
      closeDatabase();
    }
  }
}
