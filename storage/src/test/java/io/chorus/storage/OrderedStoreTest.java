package io.chorus.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cursor stays within its prefix whichever way it moves. Method: keys just before, inside
 * and just after the prefix; each seek and step is checked for the key it rests on, and for
 * resting nowhere once it would leave the prefix.
 */
class OrderedStoreTest {
  @TempDir Path dir;

  private static byte[] b(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aCursorSeeksBothWaysAndNeverLeavesItsPrefix() {
    try (OrderedStore store = new OrderedStore(dir)) {
      Map<byte[], byte[]> writes = new LinkedHashMap<>();
      for (String key : new String[] {"a9", "b1", "b3", "b5", "c0"}) {
        writes.put(b(key), b("v" + key));
      }
      store.write(writes);
      try (OrderedStore.Cursor cursor = store.cursor(b("b"))) {
        assertTrue(cursor.seek(b("b2")));
        assertArrayEquals(b("b3"), cursor.key());
        assertArrayEquals(b("vb3"), cursor.value());
        assertTrue(cursor.next());
        assertArrayEquals(b("b5"), cursor.key());
        assertFalse(cursor.next(), "c0 is past the prefix");
        assertFalse(cursor.next(), "and stays past it");
        assertTrue(cursor.seekForPrev(b("b4")));
        assertArrayEquals(b("b3"), cursor.key());
        assertTrue(cursor.prev());
        assertArrayEquals(b("b1"), cursor.key());
        assertFalse(cursor.prev(), "a9 is before the prefix");
        assertFalse(cursor.seek(b("b6")));
        assertFalse(cursor.seekForPrev(b("b0")));
        assertTrue(cursor.seekForPrev(b("b9")));
        assertArrayEquals(b("b5"), cursor.key());
      }
    }
  }
}
