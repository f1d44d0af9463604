package io.chorus.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.chorus.storage.OrderedStore;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A store written in an older layout is rebuilt from the chain rather than half-indexed. */
class TraceStoreFormatTest {
  @TempDir Path dir;

  @Test
  void aStoreOfAnOlderLayoutStartsAgainFromBlockZero() {
    try (OrderedStore old = new OrderedStore(dir)) {
      // What a node of the first layout left: blocks indexed, no layout recorded.
      old.write(Map.of(("m" + "height").getBytes(StandardCharsets.UTF_8),
          ByteBuffer.allocate(8).putLong(41).array()));
    }
    try (TraceStore store = new TraceStore(dir)) {
      assertEquals(-1, store.indexedHeight(), "the indexer catches up from block 0");
    }
    try (TraceStore store = new TraceStore(dir)) {
      assertEquals(-1, store.indexedHeight(), "a store of this layout is kept");
    }
  }
}
