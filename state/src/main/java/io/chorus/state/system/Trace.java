package io.chorus.state.system;

import io.chorus.evm.Address;
import io.chorus.evm.StateReader;
import io.chorus.evm.Word;
import java.util.List;

/**
 * The traceability (溯源) system contract at {@code 0x…1003}: anchors batches of GS1 EPCIS 2.0
 * events. A {@code Capture(root, count, batch)} carries the events (compressed) in its call
 * data, so every node receives them in blocks and indexes them itself, and records the Merkle
 * root of their hash IDs with who captured them and when; its {@code Captured} log, proven by
 * a log bundle, and an event's path to the root prove the event. The batch's encoding is
 * described in {@code Trace.sol}; the chain bounds it but does not read it (the nodes check
 * that it gives the root back before they index it). The call's arguments decode with {@link
 * io.chorus.trace.epcis.CaptureCall}.
 */
public final class Trace {
  /** The most events one capture anchors. */
  public static final int EVENTS_MAX = 1_024;
  /**
   * The largest batch one capture carries, in bytes: under the pool's 128 KiB transaction
   * bound with room for the ABI encoding and the signature.
   */
  public static final int BATCH_BYTES_MAX = 96 * 1024;
  /** The most organisations a sealed capture names. */
  public static final int ORGANISATIONS_MAX = 32;
  /** The longest organisation name, in characters: X.520's upper bound on an O. */
  public static final int ORGANISATION_CHARS_MAX = 64;

  /** Topic 0 of the {@code Captured} event. */
  public static final Word CAPTURED_TOPIC = Abi.topic0(TraceContract.CAPTURED);

  /**
   * An anchored capture.
   *
   * @param number from 1, in the order they were captured
   * @param root the Merkle root of the events' hash IDs
   * @param count how many events
   * @param capturer the account that sent the capture
   * @param txId the capture's transaction
   */
  public record Capture(long number, byte[] root, long count, Address capturer, byte[] txId,
      long blockHeight, long timestamp) {}

  private Trace() {}

  /** {@code Capture(root, count, batch)}, which returns the capture's number. */
  public static byte[] captureCall(byte[] root, int count, byte[] batch) {
    return Abi.bytes(TraceContract.CAPTURE.encodeCallWithArgs(root, (long) count, batch));
  }

  /**
   * {@code CaptureSealed(root, count, organisations, envelope)}: a capture only {@code
   * organisations} may read, its batch sealed for their data keys; it anchors and logs as {@code
   * Capture} does.
   */
  public static byte[] captureSealedCall(byte[] root, int count, List<String> organisations,
      byte[] envelope) {
    return Abi.bytes(TraceContract.CAPTURE_SEALED.encodeCallWithArgs(root, (long) count,
        organisations.toArray(String[]::new), envelope));
  }

  /** How many captures were anchored; they are numbered from 1 to this. */
  public static long captureCount(StateReader state) {
    return view(state).readLong(TraceContract.COUNT);
  }

  /** The capture that anchored {@code root}, or null when none did. */
  public static Capture captureByRoot(StateReader state, byte[] root) {
    if (root.length != 32) {
      return null;
    }
    SystemStorage storage = view(state);
    long number = storage.readLong(TraceContract.byRoot(Word.fromBytes(root)));
    return number == 0 ? null : TraceContract.read(storage, number);
  }

  private static SystemStorage view(StateReader state) {
    return SystemStorage.readOnly(SystemContracts.TRACE, state);
  }
}
