package io.chorus.trace;

import io.chorus.rpc.rest.Caller;
import java.util.List;
import java.util.Optional;

/**
 * The one read of the event store that lineage and the Digital Link resolver make: the events
 * naming a value in an index, as far as the caller may read them. Every event is shared with
 * the whole consortium today, so this is the store's index walk; per-organisation visibility
 * filters here, with the caller, and both features follow it.
 */
final class ReadableEvents {
  private final TraceStore store;

  ReadableEvents(TraceStore store) {
    this.store = store;
  }

  /**
   * The events with {@code value} in the indexed {@code field} that {@code caller} (empty for an
   * anonymous scan) may read, in chain order, at most {@code limit}.
   */
  List<StoredEvent> readableBy(Optional<Caller> caller, String field, String value, int limit) {
    return store.eventsWith(field, value, limit);
  }
}
