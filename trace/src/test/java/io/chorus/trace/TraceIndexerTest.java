package io.chorus.trace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.crypto.MerkleBatch;
import io.chorus.trace.epcis.CapturedEvents;
import io.chorus.trace.epcis.EpcisLimits;
import io.chorus.trace.epcis.EpcisReader;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The event store filled from real blocks: a farm-to-shelf document captured through the trace
 * contract, indexed by the listener, queried by each kind of parameter; a capture whose root
 * its events do not give back is anchored by the chain but indexed by no node; a store deleted
 * is rebuilt from block 0 with the same answers. Method: expected answers come from the
 * document as the reader reads it, not from the store.
 */
class TraceIndexerTest {
  @TempDir Path dir;

  static TraceQuery query(Map<String, List<String>> equals) {
    return TraceQuery.matching(equals);
  }

  static List<String> ids(TraceQuery.Page page) {
    return page.events().stream().map(StoredEvent::hashId).toList();
  }

  @Test
  void capturedEventsAreIndexedByEachParameterAndABadRootIsIgnored() {
    TraceChain.Elements doc = TraceChain.elements(TraceChain.farmToShelf());
    try (TraceChain chain = new TraceChain(dir.resolve("chain"));
        TraceStore store = new TraceStore(dir.resolve("trace"))) {
      TraceIndexer indexer = new TraceIndexer(chain.chain, store);
      indexer.catchUp();
      chain.chain.addListener(indexer);
      List<CaptureBatch.Planned> plan = CaptureBatch.plan(chain.chain.suite().hashFunction(),
          doc.elements(), doc.hashIds());
      assertEquals(1, plan.size());
      chain.capture(plan.getFirst().callData());

      assertEquals(doc.hashIds(), ids(store.query(query(Map.of()), Viewer.ANYONE)));
      assertEquals(List.of(doc.hashIds().get(2)), ids(store.query(query(Map.of("bizStep",
          List.of("https://ref.gs1.org/cbv/BizStep-shipping"))), Viewer.ANYONE)));
      // The item is in the commissioning event's epcList and the packing event's childEPCs.
      assertEquals(doc.hashIds().subList(0, 2), ids(store.query(query(Map.of("epc",
          List.of("https://id.gs1.org/01/04012345111118/21/9876"))), Viewer.ANYONE)));
      assertEquals(List.of(doc.hashIds().get(1), doc.hashIds().get(2)), ids(store.query(query(
          Map.of("parentID", List.of("https://id.gs1.org/00/040123450000003338"))),
          Viewer.ANYONE)));
      TraceQuery.Page after = store.query(new TraceQuery(Map.of(), Map.of(), List.of(),
          Instant.parse("2024-05-02T00:00:00Z"), null, null, null, null, true, true, 1000, null,
          100), Viewer.ANYONE);
      assertTrue(after.events().size() >= 2, after.events().toString());
      for (int i = 1; i < after.events().size(); i++) {
        assertTrue(!after.events().get(i).eventTime().isAfter(
            after.events().get(i - 1).eventTime()), "newest first");
      }
      StoredEvent first = store.find(doc.hashIds().getFirst(), Viewer.ANYONE).orElseThrow();
      assertEquals(chain.chain.head().number(), first.blockNumber());
      assertEquals(TraceChain.SENDER, first.capturer());
      assertEquals(Instant.ofEpochSecond(chain.chain.head().timestamp()), first.recordTime());
      for (int i = 0; i < doc.hashIds().size(); i++) {
        assertEquals(doc.elements().get(i), store.find(doc.hashIds().get(i), Viewer.ANYONE)
            .orElseThrow().event(), "event " + i + " is stored as captured");
      }
      TraceQuery.Page paged = store.query(new TraceQuery(Map.of(), Map.of(), List.of(), null,
          null, null, null, null, false, false, 3, new TraceQuery.Position(1, 0, 2), 2),
          Viewer.ANYONE);
      assertEquals(List.of(doc.hashIds().get(2)), ids(paged), "eventCountLimit 3, page 2");
      assertTrue(!paged.more());

      // The events, but a root they do not give: the chain anchors it, no node indexes it.
      List<ObjectNode> reversed = new ArrayList<>(doc.elements());
      Collections.reverse(reversed);
      byte[] otherRoot = MerkleBatch.of(chain.chain.suite().hashFunction(),
          List.of(new byte[32], new byte[32], new byte[32], new byte[32], new byte[32])).root();
      chain.capture(io.chorus.state.system.Trace.captureCall(otherRoot, 5,
          CapturedEvents.encode(reversed).batch()));
      assertEquals(1, indexer.mismatches());
      assertEquals(1, store.ignoredCaptures());
      assertEquals(5, store.query(query(Map.of()), Viewer.ANYONE).events().size());
    }
  }

  @Test
  void aDeletedStoreIsRebuiltFromTheChainWithTheSameAnswers() throws Exception {
    TraceChain.Elements doc = TraceChain.elements(TraceChain.farmToShelf());
    try (TraceChain chain = new TraceChain(dir.resolve("chain"))) {
      List<String> before;
      try (TraceStore store = new TraceStore(dir.resolve("trace"))) {
        TraceIndexer indexer = new TraceIndexer(chain.chain, store);
        chain.chain.addListener(indexer);
        chain.mine();
        chain.capture(CaptureBatch.plan(chain.chain.suite().hashFunction(), doc.elements(),
            doc.hashIds()).getFirst().callData());
        chain.mine();
        before = ids(store.query(query(Map.of("anyEPC",
            List.of("https://id.gs1.org/01/04012345111118/21/9876"))), Viewer.ANYONE));
        assertEquals(2, before.size());
        chain.chain.removeListener(indexer);
      }
      try (var files = java.nio.file.Files.walk(dir.resolve("trace"))) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
      try (TraceStore rebuilt = new TraceStore(dir.resolve("trace"))) {
        assertEquals(-1, rebuilt.indexedHeight());
        new TraceIndexer(chain.chain, rebuilt).catchUp();
        assertEquals(chain.chain.head().number(), rebuilt.indexedHeight());
        assertEquals(before, ids(rebuilt.query(query(Map.of("anyEPC",
            List.of("https://id.gs1.org/01/04012345111118/21/9876"))), Viewer.ANYONE)));
        assertEquals(doc.hashIds(), ids(rebuilt.query(query(Map.of()), Viewer.ANYONE)));
      }
    }
  }

  @Test
  void aBatchElementReadsBackToTheSameHashIdAsInItsDocument() throws Exception {
    TraceChain.Elements doc = TraceChain.elements(TraceChain.farmToShelf());
    EpcisReader reader = new EpcisReader(EpcisLimits.defaults());
    CapturedEvents.Encoded encoded = CapturedEvents.encode(doc.elements());
    List<EpcisReader.ArrayElement> decoded = CapturedEvents.decode(encoded.batch(), reader);
    for (int i = 0; i < decoded.size(); i++) {
      assertArrayEquals(encoded.elementJson().get(i), decoded.get(i).json(), "event " + i
          + "'s bytes as encoded and as read back");
      assertEquals(doc.hashIds().get(i), reader.readEvent(decoded.get(i).event()).hashId(),
          "event " + i);
      assertEquals(doc.hashIds().get(i), reader.readEvent(decoded.get(i).json()).hashId(),
          "event " + i + ", read from its bytes in the batch");
    }
  }
}
