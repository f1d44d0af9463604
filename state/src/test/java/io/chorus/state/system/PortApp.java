package io.chorus.state.system;

import com.esaulpaugh.headlong.abi.Function;
import io.chorus.evm.Address;
import io.chorus.evm.Word;
import io.chorus.state.TransactionResult;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Application contracts for the router's tests, assembled by hand so that each fails exactly
 * as a test needs (revert, burn its gas, return nothing); the Solidity applications are in
 * {@link XApps}.
 * Called by anyone but the router, one forwards its call data to the router and answers with the
 * router's answer, so that it registers its port and sends packets as itself. Called by the
 * router (a callback), it counts the call in the slot named by the callback's selector (and
 * keeps onAcknowledgement's {@code succeeded} in the next), then answers as its {@link Mode}
 * says: so a test sees both what the router got back and whether the application's writes
 * stood. Public for the cli module's relayer tests, which deploy them on running chains.
 */
public final class PortApp {
  /** What an application does when the router calls it, after counting the call. */
  public enum Mode {
    /** Returns ABI {@code bytes} {@link #ACKNOWLEDGEMENT}. */
    ACKNOWLEDGE,
    /** Reverts, with no data. */
    REVERT,
    /** Loops until its gas is gone. */
    BURN,
    /** Stops: success with no return data. */
    RETURN_NOTHING
  }

  /** What an acknowledging application returns: bytes the router could not make up. */
  public static final byte[] ACKNOWLEDGEMENT = {(byte) 0xc0, (byte) 0xff, (byte) 0xee};
  /** The gas bound the tests register ports with. */
  static final long GAS_LIMIT = 200_000;
  /** Addresses outside the reserved range, where tests install applications. */
  static final Address RECEIVER = Address.parse("0x00000000000000000000000000000000c0ffee01");
  static final Address SENDER = Address.parse("0x00000000000000000000000000000000c0ffee02");
  static final Address OTHER = Address.parse("0x00000000000000000000000000000000c0ffee03");
  public static final Function REGISTER_PORT = Function.parse("registerPort(uint64)");
  public static final Function ON_RECV_PACKET = Function.parse(
      "onRecvPacket((string,string,uint64,uint64,(string,string,string,string,bytes)),address)");
  public static final Function ON_ACKNOWLEDGEMENT = Function.parse("onAcknowledgement("
      + "(string,string,uint64,uint64,(string,string,string,string,bytes)),bytes,bool,address)");
  public static final Function ON_TIMEOUT = Function.parse(
      "onTimeout((string,string,uint64,uint64,(string,string,string,string,bytes)),address)");

  private PortApp() {}

  /** Puts an application running {@code mode} at {@code at} on {@code chain}. */
  static void install(NotaryChain chain, Address at, Mode mode) {
    chain.state.put(at, 1, BigInteger.ZERO, code(mode), Map.of());
  }

  /** Account 0 has the application at {@code app} register itself with {@code gas}. */
  static TransactionResult register(NotaryChain chain, Address app, long gas) {
    return chain.send(0, app, REGISTER_PORT.encodeCallWithArgs(BigInteger.valueOf(gas))
        .array());
  }

  /** Whether the last acknowledgement {@code app} was told of had succeeded. */
  static boolean lastSucceeded(NotaryChain chain, Address app) {
    return !chain.state.storage(app, Word.of(new BigInteger(1, ON_ACKNOWLEDGEMENT.selector())
        .longValueExact() + 1)).isZero();
  }

  /** How many times the router called {@code callback} of {@code app} with effect. */
  static long calls(NotaryChain chain, Address app, Function callback) {
    return chain.state.storage(app, Word.of(new BigInteger(1, callback.selector())
        .longValueExact())).toBigInteger().longValueExact();
  }

  /** The application's runtime code. */
  public static byte[] code(Mode mode) {
    Asm asm = new Asm();
    // From the router: a callback. From anyone else: forward to the router.
    asm.push(SystemContracts.CROSSCHAIN.toArray()).op(CALLER, EQ).jumpTo("callback", JUMPI);
    asm.op(CALLDATASIZE, PUSH0, PUSH0, CALLDATACOPY);
    asm.op(PUSH0, PUSH0, CALLDATASIZE, PUSH0, PUSH0).push(SystemContracts.CROSSCHAIN.toArray())
        .op(GAS, CALL);
    asm.op(RETURNDATASIZE, PUSH0, PUSH0, RETURNDATACOPY).jumpTo("forwarded", JUMPI);
    asm.op(RETURNDATASIZE, PUSH0, REVERT);
    asm.label("forwarded").op(RETURNDATASIZE, PUSH0, RETURN);
    // slot[selector] += 1
    asm.label("callback").op(PUSH0, CALLDATALOAD).push(new byte[] {(byte) 224}).op(SHR,
        DUP1, SLOAD).push(new byte[] {1}).op(ADD, SWAP1, SSTORE);
    // slot[selector + 1] = the call data word at 68 (onAcknowledgement's succeeded)
    asm.push(new byte[] {68}).op(CALLDATALOAD, PUSH0, CALLDATALOAD).push(new byte[] {(byte) 224})
        .op(SHR).push(new byte[] {1}).op(ADD, SSTORE);
    switch (mode) {
      case ACKNOWLEDGE -> asm.push(new byte[] {0x20}).op(PUSH0, MSTORE)
          .push(new byte[] {(byte) ACKNOWLEDGEMENT.length}).push(new byte[] {0x20}).op(MSTORE)
          .push(Arrays.copyOf(ACKNOWLEDGEMENT, 32)).push(new byte[] {0x40}).op(MSTORE)
          .push(new byte[] {0x60}).op(PUSH0, RETURN);
      case REVERT -> asm.op(PUSH0, PUSH0, REVERT);
      case BURN -> asm.label("loop").jumpTo("loop", JUMP);
      case RETURN_NOTHING -> asm.op(STOP);
    }
    return asm.bytes();
  }

  private static final int STOP = 0x00, ADD = 0x01, EQ = 0x14, SHR = 0x1c, CALLER = 0x33,
      CALLDATALOAD = 0x35, CALLDATASIZE = 0x36, CALLDATACOPY = 0x37, RETURNDATASIZE = 0x3d,
      RETURNDATACOPY = 0x3e, MSTORE = 0x52, SLOAD = 0x54, SSTORE = 0x55, JUMP = 0x56,
      JUMPI = 0x57, GAS = 0x5a, JUMPDEST = 0x5b, PUSH0 = 0x5f, DUP1 = 0x80, SWAP1 = 0x90,
      CALL = 0xf1, RETURN = 0xf3, REVERT = 0xfd;

  /** Opcodes, pushes and jumps to labels (each a PUSH2 patched once the label is placed). */
  private static final class Asm {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final Map<String, Integer> labels = new HashMap<>();
    private final Map<Integer, String> jumps = new HashMap<>();

    Asm op(int... ops) {
      for (int op : ops) {
        out.write(op);
      }
      return this;
    }

    Asm push(byte[] data) {
      out.write(PUSH0 + data.length);
      out.writeBytes(data);
      return this;
    }

    Asm label(String name) {
      labels.put(name, out.size());
      return op(JUMPDEST);
    }

    Asm jumpTo(String label, int jump) {
      jumps.put(out.size() + 1, label);
      return op(PUSH0 + 2, 0, 0, jump);
    }

    byte[] bytes() {
      byte[] code = out.toByteArray();
      jumps.forEach((at, label) -> {
        int target = labels.get(label);
        code[at] = (byte) (target >> 8);
        code[at + 1] = (byte) target;
      });
      return code;
    }
  }
}
