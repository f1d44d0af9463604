package io.chorus.trace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.crypto.HashFunction;
import io.chorus.state.system.SystemContracts;
import io.chorus.trace.epcis.CapturedEvents;
import io.chorus.trace.epcis.EpcisDocument;
import io.chorus.trace.epcis.EpcisEvent;
import io.chorus.trace.epcis.EpcisLimits;
import io.chorus.trace.epcis.EpcisReader;
import io.chorus.tx.Transaction;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Captures read before their block. A capturing node indexes its own captures from what it
 * read when they came in: that must be what every other node reads from the batch. Checked on
 * every document at hand (the tests' farm-to-shelf, once more with master data, the worked
 * example's four, the shared hash-ID vectors': extensions, sensor data, certification info,
 * error declarations; one event posted on its own), their events planned into batches small
 * enough that most hold a few events, so that every offset into a document is met. Method: the
 * batch is read back by {@link CapturedEvents#read}, the indexer's own path, and compared part
 * by part. A capture reaching the pool is read ahead, and each is taken once, for its own batch
 * only.
 */
class ReadCapturesTest {
  private static final HashFunction HASH = TraceChain.SUITE.hashFunction();
  private final EpcisReader reader = new EpcisReader(EpcisLimits.defaults());

  @Test
  void whatTheCapturerKeepsIsWhatTheBatchReadsBackTo() throws Exception {
    List<byte[]> documents = documents();
    assertTrue(documents.size() >= 14, "found " + documents.size() + " documents");
    int events = 0;
    int withMasterData = 0;
    int later = 0; // batches that start past their document's first event
    int bare = 0; // events posted on their own, as /epcis/events takes them
    for (byte[] body : documents) {
      List<EpcisEvent> read = new ArrayList<>();
      List<ObjectNode> elements = new ArrayList<>();
      JsonNode masterData = null;
      if (TraceChain.JSON.readTree(body).path("type").asText().equals("EPCISDocument")) {
        EpcisDocument document = reader.readDocument(body);
        read.addAll(document.events());
        for (EpcisEvent event : document.events()) {
          elements.add(CaptureBatch.contextual(event.json(), document.json().get("@context")));
        }
        masterData = document.json().path("epcisHeader").get("epcisMasterData");
      } else {
        EpcisEvent event = reader.readEvent(body);
        read.add(event);
        elements.add(CaptureBatch.contextual(event.json(), null));
        bare++;
      }
      List<CaptureBatch.Planned> plan = CaptureBatch.plan(HASH, elements,
          read.stream().map(EpcisEvent::hashId).toList(), 600,
          masterData == null ? null : CapturedEvents.masterDataElement(masterData));
      for (CaptureBatch.Planned planned : plan) {
        CapturedEvents kept = ReadCaptures.read(planned, read, elements, masterData);
        CapturedEvents fromBatch = CapturedEvents.read(planned.batch(), planned.count(),
            planned.root(), HASH, reader);
        String where = "events " + planned.first() + ".." + (planned.first() + planned.count()
            - 1);
        assertEquals(fromBatch.events(), kept.events(), where);
        assertEquals(fromBatch.elements(), kept.elements(), where);
        assertEquals(fromBatch.json().size(), kept.json().size(), where);
        for (int i = 0; i < fromBatch.json().size(); i++) {
          assertArrayEquals(fromBatch.json().get(i), kept.json().get(i), where + ", JSON " + i);
          assertArrayEquals(fromBatch.digests().get(i), kept.digests().get(i),
              where + ", leaf " + i);
        }
        assertEquals(fromBatch.masterData(), kept.masterData(), where);
        withMasterData += fromBatch.masterData() != null ? 1 : 0;
        events += planned.count();
      }
      later += plan.size() - 1;
    }
    assertTrue(events >= 40, "only " + events + " events compared");
    assertTrue(withMasterData >= 1, "no document with master data compared");
    assertTrue(bare >= 1, "no event posted on its own compared");
    assertTrue(later >= 10, "only " + later + " batches start inside their document");
  }

  @Test
  void aCaptureIsTakenOnceAndOnlyForTheBatchItWasKeptWith() throws Exception {
    TraceChain.Elements doc = TraceChain.elements(TraceChain.farmToShelf());
    EpcisDocument document = reader.readDocument(TraceChain.farmToShelf());
    CaptureBatch.Planned planned = CaptureBatch.plan(HASH, doc.elements(), doc.hashIds())
        .getFirst();
    try (ReadCaptures own = new ReadCaptures(HASH)) {
      own.put(planned, document.events(), doc.elements(), null);
      byte[] other = planned.batch().clone();
      other[other.length - 1] ^= 1;
      assertNull(own.take(planned.root(), other), "another batch with the same root");
      CapturedEvents taken = own.take(planned.root(), planned.batch());
      assertEquals(planned.count(), taken.events().size());
      assertNull(own.take(planned.root(), planned.batch()), "taken twice");
      own.put(planned, document.events(), doc.elements(), null);
      assertEquals(planned.count(), own.take(planned.root(), planned.batch()).events().size());
    }
  }

  // Where EventHashVectorsTest (epcis) finds the shared vectors.
  private static Path vectorRoot() {
    String configured = System.getProperty("chorus.epcis.vectors");
    return configured != null && !configured.isBlank()
        ? Path.of(configured) : Path.of("../../shared/epcis/event-hash-vectors");
  }

  @Test
  void aCaptureReachingThePoolIsReadAheadAndTakenForItsBatch() throws Exception {
    TraceChain.Elements doc = TraceChain.elements(TraceChain.farmToShelf());
    CaptureBatch.Planned planned = CaptureBatch.plan(HASH, doc.elements(), doc.hashIds())
        .getFirst();
    CaptureBatch.Planned wrongRoot = new CaptureBatch.Planned(0, planned.count(),
        new byte[32], planned.batch(), planned.elementJson());
    try (ReadCaptures readCaptures = new ReadCaptures(HASH)) {
      readCaptures.readAhead(toTrace(new byte[] {1, 2, 3, 4})); // no capture: not read
      readCaptures.readAhead(toTrace(planned.callData()));
      readCaptures.readAhead(toTrace(wrongRoot.callData()));
      CapturedEvents taken = readCaptures.take(planned.root(), planned.batch());
      CapturedEvents read = CapturedEvents.read(planned.batch(), planned.count(),
          planned.root(), HASH, reader);
      assertEquals(read.events(), taken.events());
      assertEquals(read.elements(), taken.elements());
      assertNull(readCaptures.take(planned.root(), planned.batch()), "taken twice");
      assertNull(readCaptures.take(wrongRoot.root(), wrongRoot.batch()),
          "a batch that does not give its root: the indexer reads it and says so");
    }
  }

  private static Transaction toTrace(byte[] data) {
    return new Transaction(Transaction.DYNAMIC_FEE, TraceChain.CHAIN_ID, 0, BigInteger.ONE,
        BigInteger.ONE, 5_000_000, SystemContracts.TRACE.toArray(), BigInteger.ZERO, data,
        List.of(), BigInteger.ZERO, List.of(), 0, BigInteger.ZERO, BigInteger.ZERO,
        new byte[0], new byte[0]);
  }

  private static List<byte[]> documents() throws IOException {
    List<Path> paths = new ArrayList<>();
    for (Path folder : List.of(Path.of("../docs/examples/farm-to-shelf"), vectorRoot())) {
      try (Stream<Path> files = Files.list(folder)) {
        files.filter(p -> p.toString().endsWith(".json") || p.toString().endsWith(".jsonld"))
            .sorted().forEach(paths::add);
      }
    }
    List<byte[]> out = new ArrayList<>();
    out.add(TraceChain.farmToShelf());
    // With master data, one attribute a decimal whose trailing zero must survive.
    String farm = new String(TraceChain.farmToShelf(), StandardCharsets.UTF_8);
    out.add(farm.replaceFirst("\\{", """
        {"epcisHeader": {"epcisMasterData": {"vocabularyList": [
          {"type": "urn:epcglobal:epcis:vtype:BusinessLocation", "vocabularyElementList": [
            {"id": "urn:epc:id:sgln:4012345.00012.0", "attributes": [
              {"id": "urn:epcglobal:cbv:mda#name", "attribute": "Packhouse"},
              {"id": "https://example.com/voc/areaHectares", "attribute": 12.50}]}]}]}},
        """).getBytes(StandardCharsets.UTF_8));
    for (Path path : paths) {
      out.add(Files.readAllBytes(path));
    }
    return out;
  }
}
