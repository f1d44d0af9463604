package io.chorus.trace;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.evm.Address;
import java.time.Instant;
import java.util.List;

/**
 * An event as a node's {@link TraceStore} keeps it: the event, the capture that anchored it and
 * its place in that capture's Merkle tree.
 *
 * @param seq its place in the store, in chain order (block, transaction, position in batch)
 * @param eventId its eventID, or its hash ID when the capturer gave none
 * @param hashId the CBV 2.0 hash ID the node recomputed
 * @param eventTime when it happened
 * @param recordTime when the chain recorded it: its block's time
 * @param blockNumber the block of its capture
 * @param txHash the capture's transaction
 * @param root the capture's Merkle root
 * @param index its leaf in the capture
 * @param count the capture's leaf count
 * @param capturer the account that captured it
 * @param event its JSON as captured, with its {@code @context}
 * @param visibleTo the organisations it is visible to; empty when the whole consortium's
 */
public record StoredEvent(long seq, String eventId, String hashId, String type,
    Instant eventTime, Instant recordTime, long blockNumber, byte[] txHash, byte[] root,
    int index, int count, Address capturer, ObjectNode event,
    List<String> visibleTo) {
  public StoredEvent {
    visibleTo = List.copyOf(visibleTo);
  }
}
