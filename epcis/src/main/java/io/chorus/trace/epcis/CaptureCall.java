package io.chorus.trace.epcis;

import com.esaulpaugh.headlong.abi.Event;
import com.esaulpaugh.headlong.abi.Function;
import com.esaulpaugh.headlong.abi.Tuple;
import com.esaulpaugh.headlong.abi.TupleType;
import io.chorus.crypto.Keccak256;
import java.nio.BufferUnderflowException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The arguments of one call to the trace system contract's {@code Capture(root, count, batch)}
 * or {@code CaptureSealed(root, count, organisations, envelope)} (see {@code Trace.sol}): what a
 * node indexes a capture from, and what a reader of raw blocks (the exporter) decodes the same
 * way. Here rather than in module {@code state}, which runs the contract, so that such a reader
 * needs no EVM.
 *
 * @param batch the batch ({@link CapturedEvents}); for a sealed capture, the envelope that seals
 *     it
 * @param organisations who may read a sealed capture; empty for a capture the whole consortium
 *     reads
 */
public record CaptureCall(byte[] root, long count, byte[] batch, List<String> organisations) {
  /** The trace contract's address. */
  public static final String CONTRACT = "0x0000000000000000000000000000000000001003";
  /** {@code Captured(root, number, capturer, count)}: all but the count indexed. */
  public static final Event<?> CAPTURED = Event.create("Captured",
      TupleType.parse("(bytes32,uint64,address,uint32)"), true, true, true, false);
  /** Topic 0 of {@link #CAPTURED}: the Keccak-256 of its signature, as on every chain. */
  public static final byte[] CAPTURED_TOPIC = Keccak256.INSTANCE.hash(
      CAPTURED.getCanonicalSignature().getBytes(StandardCharsets.UTF_8));
  public static final Function CAPTURE = Function.parse("Capture(bytes32,uint32,bytes)",
      "(uint64)");
  public static final Function CAPTURE_SEALED =
      Function.parse("CaptureSealed(bytes32,uint32,string[],bytes)", "(uint64)");

  public CaptureCall {
    organisations = List.copyOf(organisations);
  }

  public boolean sealed() {
    return !organisations.isEmpty();
  }

  /**
   * The decoded arguments of a {@code Capture} or {@code CaptureSealed} call, or null when
   * {@code input} is neither.
   */
  public static CaptureCall decode(byte[] input) {
    Function f = input.length < Function.SELECTOR_LEN ? null
        : selects(CAPTURE, input) ? CAPTURE : selects(CAPTURE_SEALED, input) ? CAPTURE_SEALED
        : null;
    if (f == null) {
      return null;
    }
    try {
      Tuple args = f.decodeCall(input);
      long count = args.get(1);
      if (f == CAPTURE) {
        return new CaptureCall(args.get(0), count, args.get(2), List.of());
      }
      String[] organisations = args.get(2);
      return new CaptureCall(args.get(0), count, args.get(3), List.of(organisations));
    } catch (IllegalArgumentException | ArithmeticException | BufferUnderflowException e) {
      return null;
    }
  }

  private static boolean selects(Function f, byte[] input) {
    return Arrays.equals(f.selector(), 0, Function.SELECTOR_LEN, input, 0,
        Function.SELECTOR_LEN);
  }
}
