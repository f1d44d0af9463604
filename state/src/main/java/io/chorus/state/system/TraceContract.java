package io.chorus.state.system;

import com.esaulpaugh.headlong.abi.Event;
import com.esaulpaugh.headlong.abi.Function;
import com.esaulpaugh.headlong.abi.Tuple;
import io.chorus.codec.Hex;
import io.chorus.evm.Address;
import io.chorus.evm.Word;
import io.chorus.trace.epcis.CaptureCall;
import java.math.BigInteger;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The trace contract's execution: its ABI, the dispatch of a call, its storage layout and the
 * checks {@code Capture} makes. {@link Trace} is its public face.
 */
final class TraceContract {
  private static final String CAPTURE_TUPLE = "(uint64,bytes32,uint32,address,bytes32,uint64,"
      + "uint64)";

  static final Function CAPTURE = CaptureCall.CAPTURE;
  static final Function CAPTURE_SEALED = CaptureCall.CAPTURE_SEALED;
  static final Function GET_CAPTURE =
      Function.parse("GetCapture(bytes32)", "(" + CAPTURE_TUPLE + ")");
  static final Function CAPTURE_COUNT = Function.parse("CaptureCount()", "(uint64)");
  static final List<Function> FUNCTIONS = List.of(CAPTURE, CAPTURE_SEALED, GET_CAPTURE,
      CAPTURE_COUNT);

  static final Event<?> CAPTURED = CaptureCall.CAPTURED;

  static final Word COUNT = SystemStorage.slot("capture.count");

  private TraceContract() {}

  static Word byRoot(Word root) {
    return SystemStorage.slot("capture.byRoot", root);
  }

  static Word root(long number) {
    return SystemStorage.slot("capture.root", number);
  }

  /** count << 128 | block height << 64 | block timestamp. */
  static Word info(long number) {
    return SystemStorage.slot("capture.info", number);
  }

  static Word capturer(long number) {
    return SystemStorage.slot("capture.capturer", number);
  }

  static Word tx(long number) {
    return SystemStorage.slot("capture.tx", number);
  }

  /** Runs a call from {@code sender}; null when the selector is none of the contract's. */
  static byte[] call(SystemStorage storage, Address sender, byte[] input,
      SystemContracts.Context context, boolean isStatic) {
    Function f = SystemContracts.match(FUNCTIONS, input);
    if (f == null) {
      return null;
    }
    Tuple args = f.decodeCall(input);
    if (f == GET_CAPTURE) {
      byte[] root = args.get(0);
      long number = storage.readLong(byRoot(Word.fromBytes(root)));
      if (number == 0) {
        throw new SystemContracts.Revert("no capture has root " + Hex.encode0x(root));
      }
      return encode(f, Tuple.singleton(tuple(read(storage, number))));
    }
    if (f == CAPTURE_COUNT) {
      return encode(f, Tuple.singleton(BigInteger.valueOf(storage.readLong(COUNT))));
    }
    if (isStatic) {
      throw new SystemContracts.Revert("Capture changes state: send it as a transaction");
    }
    if (f == CAPTURE_SEALED) {
      checkOrganisations(args.get(2));
    }
    long number = capture(storage, sender, context, args.get(0), args.get(1),
        args.get(f == CAPTURE_SEALED ? 3 : 2));
    return encode(f, Tuple.singleton(BigInteger.valueOf(number)));
  }

  private static long capture(SystemStorage storage, Address sender,
      SystemContracts.Context context, byte[] root, long count, byte[] batch) {
    if (count < 1 || count > Trace.EVENTS_MAX) {
      throw new SystemContracts.Revert((count == 0 ? "empty capture: " : "") + "a capture"
          + " holds 1 to " + Trace.EVENTS_MAX + " events, got " + count);
    }
    if (batch.length == 0 || batch.length > Trace.BATCH_BYTES_MAX) {
      throw new SystemContracts.Revert("a capture's batch is 1 to " + Trace.BATCH_BYTES_MAX
          + " bytes, got " + batch.length + ": split the events into more captures");
    }
    Word rootWord = Word.fromBytes(root);
    if (rootWord.isZero()) {
      throw new SystemContracts.Revert("the capture root is all zeros: send the Merkle root"
          + " of the events' hash IDs");
    }
    long existing = storage.readLong(byRoot(rootWord));
    if (existing != 0) {
      throw new SystemContracts.Revert("root " + Hex.encode0x(root) + " is already captured,"
          + " as capture " + existing);
    }
    long number = storage.readLong(COUNT) + 1;
    storage.write(COUNT, number);
    storage.write(byRoot(rootWord), number);
    storage.write(root(number), rootWord);
    storage.write(info(number), NotaryLayout.pack(count, context.blockNumber(),
        context.timestamp()));
    storage.write(capturer(number), sender);
    storage.write(tx(number), Word.fromBytes(context.txHash().get()));
    storage.log(List.of(Abi.topic0(CAPTURED), rootWord, Word.of(number), Abi.topic(sender)),
        Abi.bytes(CAPTURED.getNonIndexedParams().encode(Tuple.singleton(count))));
    return number;
  }

  // A sealed capture names who may read it: 1 to ORGANISATIONS_MAX distinct, non-empty names
  // of at most ORGANISATION_CHARS_MAX characters (X.520's bound on an organisation name), no
  // control characters (nodes keep them 0-terminated).
  private static void checkOrganisations(String[] organisations) {
    if (organisations.length < 1 || organisations.length > Trace.ORGANISATIONS_MAX) {
      throw new SystemContracts.Revert("a sealed capture names 1 to " + Trace.ORGANISATIONS_MAX
          + " organisations, got " + organisations.length);
    }
    Set<String> seen = new HashSet<>();
    for (String name : organisations) {
      if (name.isBlank() || name.length() > Trace.ORGANISATION_CHARS_MAX) {
        throw new SystemContracts.Revert("an organisation name is 1 to "
            + Trace.ORGANISATION_CHARS_MAX + " characters, not blank; got '" + (name.length()
                > Trace.ORGANISATION_CHARS_MAX ? name.substring(0, 16) + "...'" : name + "'"));
      }
      if (name.chars().anyMatch(Character::isISOControl)) {
        throw new SystemContracts.Revert("an organisation name has no control characters");
      }
      if (!seen.add(name)) {
        throw new SystemContracts.Revert("organisation '" + name + "' is named twice");
      }
    }
  }

  /** Capture {@code number}, which exists. */
  static Trace.Capture read(SystemStorage storage, long number) {
    BigInteger info = storage.readBig(info(number));
    return new Trace.Capture(number, storage.read(root(number)).toBytes(),
        NotaryLayout.high(info), storage.readAddress(capturer(number)),
        storage.read(tx(number)).toBytes(), NotaryLayout.blockHeight(info),
        NotaryLayout.timestamp(info));
  }

  private static Tuple tuple(Trace.Capture c) {
    return Tuple.from(BigInteger.valueOf(c.number()), c.root(), c.count(),
        Abi.toAbi(c.capturer()), c.txId(), BigInteger.valueOf(c.blockHeight()),
        BigInteger.valueOf(c.timestamp()));
  }

  private static byte[] encode(Function f, Tuple values) {
    return Abi.bytes(f.getOutputs().encode(values));
  }
}
