package io.chorus.trace.epcis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.client.EpcisLoadDocuments;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What every member pays per captured event when its indexer reads the block's batch: one
 * batch element (an event with its {@code @context}) checked and hashed by {@link
 * EpcisReader#readEvent(ObjectNode)}, over 256-event documents of {@link EpcisLoadDocuments}
 * (the capture benchmark's mix). {@code readBatchElementC1} forks as the members of a network
 * on fewer cores than members run ({@code -XX:TieredStopAtLevel=1}). Time and, with {@code -prof gc},
 * allocation are per event. Run: {@code ./chorus bench EpcisReadBenchmark -prof gc}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
public class EpcisReadBenchmark {
  private static final int EVENTS = 256;

  private final EpcisReader reader = new EpcisReader(EpcisLimits.defaults());
  private List<ObjectNode> elements;

  @Setup
  public void setUp() throws IOException {
    ObjectMapper json = new ObjectMapper();
    JsonNode document = json.readTree(new EpcisLoadDocuments(new SplittableRandom(1))
        .document(EVENTS, Instant.parse("2026-12-06T00:00:00Z")).json());
    elements = new ArrayList<>();
    for (JsonNode event : document.path("epcisBody").path("eventList")) {
      ObjectNode element = json.createObjectNode();
      element.set("@context", document.get("@context"));
      event.properties().forEach(field -> element.set(field.getKey(), field.getValue()));
      elements.add(element);
    }
  }

  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public void readBatchElement(Blackhole out) {
    for (ObjectNode element : elements) {
      out.consume(reader.readEvent(element).hashId());
    }
  }

  @Benchmark
  @OperationsPerInvocation(EVENTS)
  @Fork(value = 1, jvmArgsAppend = "-XX:TieredStopAtLevel=1")
  public void readBatchElementC1(Blackhole out) {
    readBatchElement(out);
  }
}
