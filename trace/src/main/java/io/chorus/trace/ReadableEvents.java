package io.chorus.trace;

import io.chorus.rpc.rest.Caller;
import io.chorus.trace.epcis.Gs1Identifiers;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The one read of the event store that lineage and the Digital Link resolver make: the events
 * naming a value in an index, as far as the caller may read them (the service decides who a
 * caller reads as, and the store answers only what that {@link Viewer} may read).
 */
final class ReadableEvents {
  private final TraceStore store;
  private final Function<Optional<Caller>, Viewer> viewers;

  ReadableEvents(TraceStore store, Function<Optional<Caller>, Viewer> viewers) {
    this.store = store;
    this.viewers = viewers;
  }

  /**
   * The events with {@code value} in the indexed {@code field} that {@code caller} (empty for an
   * anonymous scan) may read, in chain order, at most {@code limit}.
   */
  List<StoredEvent> readableBy(Optional<Caller> caller, String field, String value, int limit) {
    return store.eventsWith(field, value, viewers.apply(caller), limit);
  }

  /** The name master data gives an identifier (any spelling), or null: anyone reads it. */
  String name(String identifier) {
    return store.masterData(Gs1Identifiers.canonical(identifier)).stream()
        .map(MasterData.Element::name).filter(Objects::nonNull).findFirst()
        .orElse(null);
  }
}
