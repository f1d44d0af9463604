package io.chorus.state.system;

import com.esaulpaugh.headlong.abi.Event;
import com.esaulpaugh.headlong.abi.Function;
import com.esaulpaugh.headlong.abi.Tuple;
import com.esaulpaugh.headlong.abi.TupleType;
import io.chorus.crosschain.CrossChainException;
import io.chorus.crosschain.Limits;
import io.chorus.crosschain.Packet;
import io.chorus.evm.Address;
import io.chorus.evm.Result;
import io.chorus.evm.Status;
import io.chorus.evm.Word;
import java.math.BigInteger;
import java.nio.BufferUnderflowException;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The router's ports and firewall: the application contracts it calls, and how. A contract
 * registers itself ({@code registerPort}, the caller is the port: no one speaks for another)
 * with the gas each call to it gets, at most {@link #PORT_GAS_MAX}. The router calls nothing
 * but a registered port, never an address in the reserved range (precompiles and system
 * contracts, these and future ones) nor one without code, and only by a plain CALL with no
 * value, as itself. A packet chooses which registered port it reaches, nothing else.
 *
 * <p>The calls ({@code IPacketReceiver} in {@code CrossChain.sol}): {@code onRecvPacket} on
 * the destination, whose return data is the acknowledgement's result and whose failure (a
 * revert, running out of gas, an empty or malformed return) becomes the error acknowledgement
 * with its writes undone; {@code onAcknowledgement} and {@code onTimeout} on the source after
 * the commitment is deleted, which stands whatever the callback does. Each call gets exactly
 * its port's bound, taken whole from the transaction's gas, and a call too deep for the EVM
 * reverts the transaction: a relayer cannot make an application fail by starving it.
 */
final class CrossChainPorts {
  /** The router's limit on the gas of one call to a port. */
  static final long PORT_GAS_MAX = 1_000_000;
  /** The longest result a receiver may acknowledge with: it is logged and carried back. */
  static final int RESULT_BYTES_MAX = Limits.PAYLOAD_BYTES_MAX;
  /** How much of a failed call's output its log keeps: enough for a revert reason. */
  static final int FAILURE_BYTES_LOGGED = 256;
  /** A Chorus port: its contract's address in lower-case 0x-hex. */
  private static final Pattern PORT = Pattern.compile("0x[0-9a-f]{40}");

  static final Function REGISTER_PORT = Function.parse("registerPort(uint64)");
  static final Function PORT_GAS_LIMIT =
      Function.parse("portGasLimit(address)", "(uint64)");
  static final Function ON_RECV_PACKET = Function.parse(
      "onRecvPacket(" + CrossChainContract.PACKET_TYPE + ",address)", "(bytes)");
  static final Function ON_ACKNOWLEDGEMENT = Function.parse(
      "onAcknowledgement(" + CrossChainContract.PACKET_TYPE + ",bytes,bool,address)");
  static final Function ON_TIMEOUT =
      Function.parse("onTimeout(" + CrossChainContract.PACKET_TYPE + ",address)");

  static final Event<?> PORT_REGISTERED = Event.create("PortRegistered",
      TupleType.parse("(address,uint64)"), false, false);
  static final Event<?> PORT_CALL_FAILED = Event.create("PortCallFailed",
      TupleType.parse("(address,string,string,uint64,bytes)"), false, false, false, false,
      false);

  private CrossChainPorts() {}

  /** Registers {@code port}, the caller, with the gas each call to it gets. */
  static void register(SystemStorage storage, Address port, long gasLimit) {
    if (port.precompileIndex() >= 0) {
      throw new SystemContracts.Revert(port + " is in the reserved range of precompiles and"
          + " system contracts: it cannot be a port");
    }
    if (!storage.hasCode(port)) {
      throw new SystemContracts.Revert(port + " has no code: a port is a contract that"
          + " registers itself once deployed (in its constructor it has no code yet)");
    }
    if (gasLimit <= 0 || gasLimit > PORT_GAS_MAX) {
      throw new SystemContracts.Revert("a port's gas limit is 1 to " + PORT_GAS_MAX
          + ", got " + gasLimit);
    }
    storage.write(gasSlot(port), gasLimit);
    storage.log(List.of(Abi.topic0(PORT_REGISTERED)), Abi.bytes(PORT_REGISTERED
        .getNonIndexedParams().encode(Tuple.of(Abi.toAbi(port), BigInteger.valueOf(gasLimit)))));
  }

  /** The gas a call to {@code port} gets; zero when it is not registered. */
  static long gasLimit(SystemStorage storage, Address port) {
    return storage.readLong(gasSlot(port));
  }

  /**
   * Delivers a received packet to its destination port: the acknowledgement's result, the
   * receiver's return data or {@code errorAcknowledgement} when it failed. A port that is not
   * registered, or that no longer holds code, is refused: the packet is not received.
   */
  static byte[] receive(SystemStorage storage, Packet packet, Tuple abiPacket, Address relayer,
      byte[] errorAcknowledgement) {
    String port = packet.payload().destPort();
    if (!PORT.matcher(port).matches()) {
      throw new CrossChainException("the destination port " + port + " is not a contract"
          + " address in lower-case 0x-hex: no port of this chain");
    }
    Address receiver = Address.parse(port);
    long gas = callableGas(storage, receiver);
    if (gas == 0) {
      throw new CrossChainException("the destination port " + port + " is not a registered"
          + " port (a contract registers itself with registerPort): the packet can only time"
          + " out");
    }
    int beforeCall = storage.snapshot();
    Result result = call(storage, receiver, ON_RECV_PACKET.encodeCallWithArgs(abiPacket,
        Abi.toAbi(relayer)).array(), gas);
    byte[] acknowledgement = result.success() ? acknowledgement(result.output()) : null;
    if (acknowledgement == null) {
      // A success with no acknowledgement is a failure too: its effects go with it.
      storage.revertTo(beforeCall);
      failed(storage, receiver, "onRecvPacket", packet.destClient(), packet.sequence(),
          result.output());
      return errorAcknowledgement;
    }
    return acknowledgement;
  }

  /** Tells the sending port of a settled packet how it ended, if it is a registered port. */
  static void settled(SystemStorage storage, Packet packet, Tuple abiPacket,
      byte[] acknowledgement, boolean succeeded, Address relayer) {
    Address sender = Address.parse(packet.payload().sourcePort());
    long gas = callableGas(storage, sender);
    if (gas == 0) {
      return; // an account or an unregistered contract sent it: there is no one to tell
    }
    String callback = acknowledgement == null ? "onTimeout" : "onAcknowledgement";
    byte[] input = acknowledgement == null
        ? ON_TIMEOUT.encodeCallWithArgs(abiPacket, Abi.toAbi(relayer)).array()
        : ON_ACKNOWLEDGEMENT.encodeCallWithArgs(abiPacket, acknowledgement, succeeded,
            Abi.toAbi(relayer)).array();
    Result result = call(storage, sender, input, gas);
    if (!result.success()) {
      failed(storage, sender, callback, packet.sourceClient(), packet.sequence(),
          result.output());
    }
  }

  /** The port's gas bound, or zero when the router must not call it. */
  private static long callableGas(SystemStorage storage, Address port) {
    if (port.precompileIndex() >= 0) {
      return 0; // never registered; checked again so no stored slot can open the range
    }
    long gas = gasLimit(storage, port);
    return gas > 0 && storage.hasCode(port) ? gas : 0;
  }

  private static Result call(SystemStorage storage, Address port, byte[] input, long gas) {
    Result result = storage.callOut(port, input, gas);
    if (result.status() == Status.CALL_DEPTH_EXCEEDED) {
      throw new SystemContracts.Revert("the router is called too deep to call port " + port
          + ": call it from a shallower frame");
    }
    return result;
  }

  /** The result a receiver returned as ABI {@code bytes}; null when it is none or too long. */
  private static byte[] acknowledgement(byte[] output) {
    byte[] result;
    try {
      result = ON_RECV_PACKET.decodeReturn(output).get(0);
    } catch (IllegalArgumentException | BufferUnderflowException e) {
      return null;
    }
    return result.length == 0 || result.length > RESULT_BYTES_MAX ? null : result;
  }

  private static void failed(SystemStorage storage, Address port, String callback,
      String clientId, long sequence, byte[] output) {
    storage.log(List.of(Abi.topic0(PORT_CALL_FAILED)), Abi.bytes(PORT_CALL_FAILED
        .getNonIndexedParams().encode(Tuple.of(Abi.toAbi(port), callback, clientId,
            BigInteger.valueOf(sequence),
            Arrays.copyOf(output, Math.min(output.length, FAILURE_BYTES_LOGGED))))));
  }

  private static Word gasSlot(Address port) {
    return SystemStorage.slot("port.gas", port);
  }
}
