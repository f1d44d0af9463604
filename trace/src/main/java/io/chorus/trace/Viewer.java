package io.chorus.trace;

import java.util.Collection;
import java.util.Set;

/**
 * Who reads events, as visibility sees them: the organisations whose sealed events the reader
 * may read. Every read of the event store takes one ({@link TraceStore#query}, {@link
 * TraceStore#find}, {@link TraceStore#withheld}), so that no reader answers an event to someone
 * it is not visible to. A caller this node authenticates (an API token of this node) reads as
 * the node's organisation; anyone else reads as {@link #ANYONE}: consortium-wide events only.
 *
 * @param organisations the organisations the reader belongs to; empty for an anonymous one
 */
public record Viewer(Set<String> organisations) {
  /** An unauthenticated reader: events visible to the whole consortium, nothing sealed. */
  public static final Viewer ANYONE = new Viewer(Set.of());

  public Viewer {
    organisations = Set.copyOf(organisations);
  }

  /** A reader of {@code organisation}. */
  public static Viewer of(String organisation) {
    return new Viewer(Set.of(organisation));
  }

  /**
   * Whether this reader may read an event visible to {@code visibleTo}: anyone when it is empty
   * (the whole consortium), else a member of one of them.
   */
  public boolean mayRead(Collection<String> visibleTo) {
    return visibleTo.isEmpty() || visibleTo.stream().anyMatch(organisations::contains);
  }
}
