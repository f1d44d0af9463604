package io.chorus.trace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The event store at scale (issue 21: query by EPC and lineage of depth 5 over 1,000,000
 * stored events, p99 ≤ 50 ms): each operation is one read a request makes of a {@link
 * TraceStore} filled by {@link SupplyChainFill}, for an anonymous reader, the identifier drawn
 * at random from the whole store. Sample time gives p50 and p99 per query kind.
 *
 * <p>Filling a million events takes minutes, so the store is kept in {@code store} (default
 * {@code $TMPDIR/chorus-trace-bench-EVENTS}) and reused by every fork and later runs while its
 * {@code filled} marker names the same size; delete the directory to rebuild it. The fill's
 * time is printed (and kept in the marker). In package {@code io.chorus.trace} because lineage
 * is package-private there.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
public class TraceStoreBenchmark {
  @Param({"1000000"})
  public int events;

  @Param({""})
  public String store;

  private TraceStore traceStore;
  private Lineage lineage;
  private int units;
  private final SplittableRandom random = new SplittableRandom(7);

  @Setup(Level.Trial)
  public void open() throws IOException {
    Path directory = store.isEmpty()
        ? Path.of(System.getProperty("java.io.tmpdir"), "chorus-trace-bench-" + events)
        : Path.of(store);
    Path marker = directory.resolve("filled");
    String expected = "events=" + events + " units=" + events / SupplyChainFill.EVENTS_PER_UNIT;
    boolean filled = Files.exists(marker)
        && Files.readString(marker, StandardCharsets.UTF_8).startsWith(expected);
    if (!filled) {
      deleteAll(directory);
    }
    traceStore = new TraceStore(directory.resolve("trace"));
    if (!filled) {
      long started = System.nanoTime();
      long blocks = new SupplyChainFill(1).fill(traceStore, events);
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      String line = expected + " blocks=" + blocks + " stored=" + (traceStore.lastSeq() + 1)
          + " fill=" + took.toSeconds() + "s";
      Files.writeString(marker, line, StandardCharsets.UTF_8);
      System.out.println("trace-store-fill " + line);
    } else {
      System.out.println("trace-store-reused " + Files.readString(marker));
    }
    units = events / SupplyChainFill.EVENTS_PER_UNIT;
    lineage = new Lineage(new ReadableEvents(traceStore, caller -> Viewer.ANYONE));
  }

  @TearDown(Level.Trial)
  public void close() {
    traceStore.close();
  }

  private String anyItem() {
    int unit = random.nextInt(units);
    return SupplyChainFill.item(unit, random.nextInt(SupplyChainFill.ITEMS_PER_UNIT));
  }

  private static TraceQuery query(Map<String, List<String>> equals, Instant from, Instant to,
      boolean byEventTime) {
    return new TraceQuery(equals, Map.of(), List.of(), from, to, null, null, null, byEventTime,
        byEventTime, Integer.MAX_VALUE, null, 100);
  }

  /** (a) {@code MATCH_anyEPC} of one item, 100 per page, chain order. */
  @Benchmark
  public TraceQuery.Page byEpc() {
    return traceStore.query(query(Map.of("anyEPC", List.of(anyItem())), null, null, false),
        Viewer.ANYONE);
  }

  /** (b) the same with {@code EQ_bizStep} and an event-time range of a year. */
  @Benchmark
  public TraceQuery.Page byEpcStepAndTime() {
    return traceStore.query(query(Map.of("anyEPC", List.of(anyItem()), "bizStep",
        List.of("https://ref.gs1.org/cbv/BizStep-packing")), SupplyChainFill.START,
        SupplyChainFill.START.plus(Duration.ofDays(365)), false), Viewer.ANYONE);
  }

  /** (c) (a) ordered by eventTime, newest first. */
  @Benchmark
  public TraceQuery.Page byEpcEventTimeOrder() {
    return traceStore.query(query(Map.of("anyEPC", List.of(anyItem())), null, null, true),
        Viewer.ANYONE);
  }

  /** (d) downstream lineage from a raw lot, depth 5. */
  @Benchmark
  public Optional<Lineage.Graph> lineageDownstreamFromLot() {
    return lineage.trace(Optional.empty(), SupplyChainFill.rawLot(random.nextInt(units)),
        Lineage.Direction.DOWNSTREAM, 5);
  }

  /** (d) upstream lineage from an item, depth 5. */
  @Benchmark
  public Optional<Lineage.Graph> lineageUpstreamFromItem() {
    return lineage.trace(Optional.empty(), anyItem(), Lineage.Direction.UPSTREAM, 5);
  }

  /** The first page of {@code GET /epcis/events} with no filter. */
  @Benchmark
  public TraceQuery.Page firstPageNoFilter() {
    return traceStore.query(query(Map.of(), null, null, false), Viewer.ANYONE);
  }

  /** A broad filter ({@code EQ_bizStep=shipping}, 1 event in 13), newest eventTime first. */
  @Benchmark
  public TraceQuery.Page broadStepEventTimeOrder() {
    return traceStore.query(query(Map.of("bizStep",
        List.of("https://ref.gs1.org/cbv/BizStep-shipping")), null, null, true), Viewer.ANYONE);
  }

  private static void deleteAll(Path directory) throws IOException {
    if (!Files.exists(directory)) {
      return;
    }
    try (var walk = Files.walk(directory)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(path -> {
        try {
          Files.delete(path);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }
}
