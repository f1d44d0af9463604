package io.chorus.node;

import io.chorus.chain.Blockchain;
import io.chorus.network.NetworkMember;
import io.chorus.p2p.NetworkCounters;
import io.chorus.p2p.tls.CertificateExpiry;
import io.chorus.p2p.tls.TlsDirectory;
import io.chorus.rpc.rest.RestObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The node's Prometheus metrics: the head, transactions and blocks committed (their rates are
 * tx/s and blocks/s), the time between blocks, the pool's size, and each RPC method's latency
 * and errors; plus the JVM's memory, GC, threads and CPU.
 */
final class NodeMetrics implements Blockchain.Listener, AutoCloseable {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Counter transactions;
  private final Counter blocks;
  private final Counter gas;
  private final DistributionSummary blockTransactions;
  private final Timer blockInterval;
  private final Timer blockBuild;
  private final Timer blockCommit;
  private final ConcurrentHashMap<String, Timer> rpcTimers = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Counter> rpcErrors = new ConcurrentHashMap<>();
  // Keyed by route template and problem kind, both from finite sets the node defines.
  private final ConcurrentHashMap<String, Timer> apiTimers = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Counter> apiRefusals = new ConcurrentHashMap<>();
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private long lastBlockNanos;

  NodeMetrics(Blockchain chain) {
    Gauge.builder("chorus_head_number", chain, c -> c.head().number())
        .description("Number of the last committed block").register(registry);
    Gauge.builder("chorus_txpool_transactions", chain, c -> c.pool().size())
        .description("Transactions waiting in the pool").register(registry);
    transactions = Counter.builder("chorus_transactions_committed")
        .description("Transactions committed in blocks (rate = tx/s)").register(registry);
    blocks = Counter.builder("chorus_blocks_committed")
        .description("Blocks committed").register(registry);
    gas = Counter.builder("chorus_gas_used").description("Gas used by committed blocks")
        .register(registry);
    blockTransactions = DistributionSummary.builder("chorus_block_transactions")
        .description("Transactions per block").register(registry);
    blockInterval = Timer.builder("chorus_block_interval")
        .description("Time between consecutive committed blocks")
        .publishPercentiles(0.5, 0.99).register(registry);
    blockBuild = Timer.builder("chorus_block_build")
        .description("Time to build a block: select, execute, compute its roots")
        .publishPercentiles(0.5, 0.99).register(registry);
    blockCommit = Timer.builder("chorus_block_commit")
        .description("Time to make a block durable (one synced RocksDB batch) and update the pool")
        .publishPercentiles(0.5, 0.99).register(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    gc.bindTo(registry);
  }

  /** Where others in the node's process add their meters, served on the node's /metrics. */
  MeterRegistry registry() {
    return registry;
  }

  @Override
  public synchronized void onBlock(Blockchain.CommittedBlock block) {
    long now = System.nanoTime();
    if (lastBlockNanos != 0) {
      blockInterval.record(now - lastBlockNanos, TimeUnit.NANOSECONDS);
    }
    lastBlockNanos = now;
    int count = block.block().transactions().size();
    transactions.increment(count);
    blocks.increment();
    gas.increment(block.block().header().gasUsed());
    blockTransactions.record(count);
  }

  @Override
  public void onTiming(long number, int transactions, long buildNanos, long commitNanos) {
    blockBuild.record(buildNanos, TimeUnit.NANOSECONDS);
    blockCommit.record(commitNanos, TimeUnit.NANOSECONDS);
  }

  /**
   * A BFT member's figures: its consensus height and round, whether consensus halted on it,
   * peers, sync, and every counter of messages the network or consensus dropped (malformed,
   * oversize, replayed, unknown keys).
   */
  void bind(NetworkMember member) {
    Gauge.builder("chorus_consensus_height", member, m -> m.status().height())
        .description("Height the consensus core is deciding").register(registry);
    Gauge.builder("chorus_consensus_round", member, m -> m.status().round())
        .description("Round of that height (0 unless a proposer failed)").register(registry);
    Gauge.builder("chorus_consensus_halted", member, m -> m.status().consensusHalted() ? 1 : 0)
        .description("1 once this member stopped voting for good (its consensus state could"
            + " not be made durable; the reason is in chorus status): restart it")
        .register(registry);
    Gauge.builder("chorus_p2p_peers", member, m -> m.status().peers())
        .description("Connected peers").register(registry);
    FunctionCounter.builder("chorus_sync_blocks", member, m -> m.status().syncedBlocks())
        .description("Blocks appended by sync rather than by this member's consensus")
        .register(registry);
    FunctionCounter.builder("chorus_sync_refused_blocks", member,
        m -> m.status().refusedBlocks())
        .description("Blocks from peers refused by sync (bad certificate or execution)")
        .register(registry);
    for (io.chorus.consensus.Counter counter : io.chorus.consensus.Counter.values()) {
      FunctionCounter.builder("chorus_consensus_messages", member,
          m -> m.status().consensusCounters().getOrDefault(
              counter.name().toLowerCase(java.util.Locale.ROOT), 0L))
          .tag("kind", counter.name().toLowerCase(java.util.Locale.ROOT))
          .description("Consensus messages by what became of them").register(registry);
    }
    for (NetworkCounters.Counter counter : NetworkCounters.Counter.values()) {
      FunctionCounter.builder(counter.metricName(), member,
          m -> m.networkCount(counter)).register(registry);
    }
  }

  /** How often the RPC held back answers to submitted transactions (flow control). */
  void bind(TxPacer pacer) {
    Gauge.builder("chorus_rpc_paced_answers", pacer, TxPacer::heldCount)
        .description("Answers to submitted transactions waiting while the pool is full")
        .register(registry);
    FunctionCounter.builder("chorus_rpc_paced_answers_held", pacer, TxPacer::heldTotal)
        .description("Answers to submitted transactions that had to wait for the pool")
        .register(registry);
  }

  /**
   * Days until this node's certificate, its organisation CA's and the consortium root's
   * expire, read from the credentials in force (so a rotation shows at once).
   */
  void bind(TlsDirectory tls) {
    Map<String, Function<CertificateExpiry.Chain, CertificateExpiry>> certificates = Map.of(
        "node", CertificateExpiry.Chain::node,
        "organisation", CertificateExpiry.Chain::organisation,
        "root", CertificateExpiry.Chain::root);
    certificates.forEach((name, pick) -> Gauge.builder("chorus_tls_certificate_days_to_expiry",
        tls, t -> pick.apply(CertificateExpiry.of(t.current(), Instant.now())).daysToExpiry())
        .tag("certificate", name)
        .description("Whole days until the certificate expires (negative: expired)")
        .register(registry));
  }

  /** One answered RPC call; the method names are the registered ones, so labels stay bounded. */
  void onCall(String method, long nanos, boolean error) {
    rpcTimers.computeIfAbsent(method, m -> Timer.builder("chorus_rpc_call")
        .description("JSON-RPC call latency by method").tag("method", m)
        .publishPercentiles(0.5, 0.99).register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
    if (error) {
      rpcErrors.computeIfAbsent(method, m -> Counter.builder("chorus_rpc_errors")
          .description("JSON-RPC calls answered with an error").tag("method", m)
          .register(registry)).increment();
    }
  }

  /**
   * REST requests and refusals: {@code chorus_api_call_seconds{route}} times each request
   * under its route's template ({@code (unmatched)} for the rest), and
   * {@code chorus_api_refusals_total{reason}} counts each refusal by problem kind.
   */
  RestObserver restObserver() {
    return new RestObserver() {
      @Override
      public void onCall(String route, long nanos, int status) {
        apiTimers.computeIfAbsent(route, r -> Timer.builder("chorus_api_call")
            .description("REST request latency by route").tag("route", r)
            .publishPercentiles(0.5, 0.99).register(registry))
            .record(nanos, TimeUnit.NANOSECONDS);
      }

      @Override
      public void onRefusal(String reason) {
        apiRefusals.computeIfAbsent(reason, r -> Counter.builder("chorus_api_refusals")
            .description("REST requests refused, by problem kind").tag("reason", r)
            .register(registry)).increment();
      }
    };
  }

  /** The Prometheus text exposition of every metric. */
  String scrape() {
    return registry.scrape();
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
