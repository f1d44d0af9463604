package io.chorus.state.system;

import static io.chorus.state.system.CrossChainPair.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.esaulpaugh.headlong.abi.Tuple;
import io.chorus.crosschain.PacketCommitment;
import io.chorus.crypto.CryptoSuite;
import io.chorus.evm.Address;
import io.chorus.evm.Status;
import io.chorus.state.TransactionResult;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The router's ports and firewall and the calls to applications, on two chains run by the real
 * state transition ({@link CrossChainPair}) with hand-assembled applications ({@link PortApp})
 * that count each callback in their storage. Method: a receiver's return data must be the
 * acknowledgement committed and carried back; a receiver that reverts, burns its gas or returns
 * nothing must give the error acknowledgement with its count undone, the receipt kept and a
 * replay refused; every refusal of the firewall is asserted by its reason, then the genuine
 * delivery to a registered port must succeed; the sender's callbacks are counted, and a failing
 * one must leave the packet settled.
 */
class CrossChainPortTest {
  /** Chain A's suite; B runs the other one. */
  static Stream<CryptoSuite> suites() {
    return Stream.of(CryptoSuite.ethereum(), CryptoSuite.sm());
  }

  /** {@code app} on {@code side} sends a packet to {@code destPort} through {@link #ON_A}. */
  private static Tuple sendFrom(Side side, Address app, long timeout, String destPort) {
    return sent(succeeds(side.chain().send(0, app, SEND.encodeCallWithArgs(ON_A,
        BigInteger.valueOf(timeout), destPort, "ports-1", "raw", new byte[] {42}).array())));
  }

  /** Account 0 of A sends a packet to {@code destPort} through {@link #ON_A}. */
  private static Tuple sendTo(Chains c, String destPort) {
    return sent(succeeds(c.a().send(SEND, ON_A, BigInteger.valueOf(c.a().chain().timestamp()
        + 600), destPort, "ports-1", "raw", new byte[] {42})));
  }

  /** The one result the receipt's WriteAcknowledgement log carries. */
  private static byte[] acknowledged(TransactionResult received) {
    byte[][] results = logged(received, CrossChainContract.WRITE_ACKNOWLEDGEMENT).get(1);
    assertEquals(1, results.length, "one result per payload");
    return results[0];
  }

  private static byte[] ackCommitment(Side side, long sequence) {
    return side.chain().viewOf(SystemContracts.CROSSCHAIN,
        "packetAcknowledgement(string,uint64)", "(bytes32)", ON_B,
        BigInteger.valueOf(sequence)).get(0);
  }

  private static long gasLimit(NotaryChain chain, Address port) {
    return ((BigInteger) chain.viewOf(SystemContracts.CROSSCHAIN, "portGasLimit(address)",
        "(uint64)", Abi.toAbi(port)).get(0)).longValueExact();
  }

  @ParameterizedTest
  @MethodSource("suites")
  void aRegisteredReceiverGetsThePacketAndItsReturnDataIsTheAcknowledgement(
      CryptoSuite suite) {
    Chains c = connected(suite);
    NotaryChain b = c.b().chain();
    assertEquals(PortApp.GAS_LIMIT, gasLimit(b, PortApp.RECEIVER));
    Tuple packet = sendTo(c, DEST_PORT);
    SourceBlocks.Block onA = relayHeader(c);
    // Enough gas for the receipt's own work (about 200,000 in all) but not for that and the
    // port's bound: the whole transaction fails, so a relayer cannot starve the receiver into
    // an error acknowledgement.
    TransactionResult starved = b.apply(b.sign(0, SystemContracts.CROSSCHAIN,
        RECV.encodeCallWithArgs(packet, BigInteger.valueOf(onA.number()),
            proof(c, onA, 1)).array(), 300_000));
    assertEquals(Status.OUT_OF_GAS, starved.status());
    TransactionResult received = succeeds(receive(c, packet, onA, proof(c, onA, 1)));
    assertArrayEquals(PortApp.ACKNOWLEDGEMENT, acknowledged(received));
    assertArrayEquals(PacketCommitment.acknowledgement(b.suite,
        List.of(PortApp.ACKNOWLEDGEMENT)), ackCommitment(c.b(), 1),
        "the receiver's bytes are what the source proves");
    assertEquals(1, PortApp.calls(b, PortApp.RECEIVER, PortApp.ON_RECV_PACKET));
    assertTrue(received.logs().stream().noneMatch(log -> log.topics().get(0).equals(
        Abi.topic0(CrossChainPorts.PORT_CALL_FAILED))));
  }

  static Stream<Arguments> failures() {
    return suites().flatMap(suite -> Stream.of(PortApp.Mode.REVERT, PortApp.Mode.BURN,
        PortApp.Mode.RETURN_NOTHING).map(mode -> Arguments.of(suite, mode)));
  }

  @ParameterizedTest
  @MethodSource("failures")
  void aFailingReceiverGivesTheErrorAcknowledgementAndKeepsNothingButTheReceipt(
      CryptoSuite suite, PortApp.Mode mode) {
    Chains c = connected(suite);
    NotaryChain b = c.b().chain();
    PortApp.install(b, PortApp.OTHER, mode);
    succeeds(PortApp.register(b, PortApp.OTHER, PortApp.GAS_LIMIT));
    Tuple packet = sendTo(c, PortApp.OTHER.toString());
    SourceBlocks.Block onA = relayHeader(c);
    TransactionResult received = succeeds(receive(c, packet, onA, proof(c, onA, 1)));
    byte[] error = PacketCommitment.errorAcknowledgement(b.suite);
    assertArrayEquals(error, acknowledged(received));
    assertArrayEquals(PacketCommitment.acknowledgement(b.suite, List.of(error)),
        ackCommitment(c.b(), 1));
    assertEquals(0, PortApp.calls(b, PortApp.OTHER, PortApp.ON_RECV_PACKET),
        "the receiver's write is undone");
    Tuple failed = logged(received, CrossChainPorts.PORT_CALL_FAILED);
    assertEquals(List.of(Abi.toAbi(PortApp.OTHER), "onRecvPacket", ON_B, BigInteger.ONE),
        List.of(failed.get(0), failed.get(1), failed.get(2), failed.get(3)));
    long receivedIn = b.number;
    assertEquals(receivedIn, ((BigInteger) b.viewOf(SystemContracts.CROSSCHAIN,
        "packetReceipt(string,uint64)", "(uint64)", ON_B, BigInteger.ONE).get(0))
        .longValueExact(), "the receipt stands");
    if (mode == PortApp.Mode.BURN) {
      // The transaction had 20,000,000 gas: the receiver spent its bound and no more. A
      // receipt's own work is about 200,000 here (the same receipt with a reverting receiver:
      // 205,172 on ethereum, 202,474 on sm; burning: 360,900 and 358,202).
      assertTrue(received.gasUsed() > PortApp.GAS_LIMIT, "it burnt its bound");
      assertTrue(received.gasUsed() < 2 * PortApp.GAS_LIMIT,
          () -> "used " + received.gasUsed());
    }
    b.nextBlock();
    assertReverts("already received, in block " + receivedIn,
        receive(c, packet, onA, proof(c, onA, 1)));
  }

  @ParameterizedTest
  @MethodSource("suites")
  void theFirewallLetsPacketsReachRegisteredPortsOnly(CryptoSuite suite) {
    Chains c = connected(suite);
    NotaryChain b = c.b().chain();
    PortApp.install(b, PortApp.OTHER, PortApp.Mode.ACKNOWLEDGE);
    List<String> refusedPorts = List.of(PortApp.OTHER.toString(),
        SystemContracts.NOTARY.toString(), SystemContracts.CROSSCHAIN.toString(),
        SystemContracts.GOVERNANCE.toString(), "0x0000000000000000000000000000000000000002",
        b.accounts[1].toString(), "notary-port");
    List<Tuple> refused = refusedPorts.stream().map(port -> sendTo(c, port)).toList();
    Tuple genuine = sendTo(c, PortApp.OTHER.toString());
    SourceBlocks.Block onA = relayHeader(c);
    for (int i = 0; i < refusedPorts.size(); i++) {
      String expected = i == refusedPorts.size() - 1
          ? "is not a contract address in lower-case 0x-hex"
          : "the destination port " + refusedPorts.get(i) + " is not a registered port";
      assertReverts(expected, receive(c, refused.get(i), onA, proof(c, onA, i + 1)));
    }
    // Registered, the same contract receives; the refused packets were not.
    succeeds(PortApp.register(b, PortApp.OTHER, PortApp.GAS_LIMIT));
    long last = refusedPorts.size() + 1;
    succeeds(receive(c, genuine, onA, proof(c, onA, last)));
    assertEquals(1, PortApp.calls(b, PortApp.OTHER, PortApp.ON_RECV_PACKET));
    for (long sequence = 1; sequence < last; sequence++) {
      assertArrayEquals(new byte[32], ackCommitment(c.b(), sequence));
    }
  }

  @Test
  void onlyAContractRegistersAndOnlyItself() {
    NotaryChain chain = new NotaryChain(CryptoSuite.ethereum());
    assertReverts(chain.accounts[0] + " has no code: a port is a contract",
        chain.send(0, SystemContracts.CROSSCHAIN, PortApp.REGISTER_PORT.encodeCallWithArgs(
            BigInteger.valueOf(PortApp.GAS_LIMIT)).array()));
    // An application at a reserved address (no precompile or system contract is one) is
    // refused all the same: the range is closed, not a list.
    Address reserved = Address.parse("0x0000000000000000000000000000000000000abc");
    PortApp.install(chain, reserved, PortApp.Mode.ACKNOWLEDGE);
    assertReverts(reserved + " is in the reserved range",
        PortApp.register(chain, reserved, PortApp.GAS_LIMIT));
    PortApp.install(chain, PortApp.OTHER, PortApp.Mode.ACKNOWLEDGE);
    PortApp.install(chain, PortApp.SENDER, PortApp.Mode.ACKNOWLEDGE);
    assertReverts("a port's gas limit is 1 to " + CrossChainPorts.PORT_GAS_MAX + ", got 0",
        PortApp.register(chain, PortApp.OTHER, 0));
    assertReverts("got " + (CrossChainPorts.PORT_GAS_MAX + 1),
        PortApp.register(chain, PortApp.OTHER, CrossChainPorts.PORT_GAS_MAX + 1));
    TransactionResult registered = succeeds(PortApp.register(chain, PortApp.OTHER,
        CrossChainPorts.PORT_GAS_MAX));
    assertEquals(Tuple.of(Abi.toAbi(PortApp.OTHER),
        BigInteger.valueOf(CrossChainPorts.PORT_GAS_MAX)),
        logged(registered, CrossChainPorts.PORT_REGISTERED));
    assertEquals(CrossChainPorts.PORT_GAS_MAX, gasLimit(chain, PortApp.OTHER));
    assertEquals(0, gasLimit(chain, PortApp.SENDER), "the caller registered itself, no other");
    assertEquals(0, gasLimit(chain, chain.accounts[0]));
  }

  /**
   * A's {@code app} sends two packets to B's receiver and one to a reverting receiver: the
   * first two acknowledged (the second with the error acknowledgement), the third timed out.
   */
  private static void settleThree(Chains c, Address app, PortApp.Mode mode,
      Consumer<TransactionResult> afterEach) {
    NotaryChain a = c.a().chain();
    NotaryChain b = c.b().chain();
    PortApp.install(a, app, mode);
    succeeds(PortApp.register(a, app, PortApp.GAS_LIMIT));
    PortApp.install(b, PortApp.OTHER, PortApp.Mode.REVERT);
    succeeds(PortApp.register(b, PortApp.OTHER, PortApp.GAS_LIMIT));
    long timeout = b.timestamp() + 120;
    Tuple good = sendFrom(c.a(), app, timeout, DEST_PORT);
    Tuple bad = sendFrom(c.a(), app, timeout, PortApp.OTHER.toString());
    Tuple lost = sendFrom(c.a(), app, timeout, DEST_PORT);
    SourceBlocks.Block onA = relayHeader(c);
    byte[] goodAck = acknowledged(succeeds(receive(c, good, onA, proof(c, onA, 1))));
    byte[] badAck = acknowledged(succeeds(receive(c, bad, onA, proof(c, onA, 2))));
    b.skip(120);
    SourceBlocks.Block onB = relayHeaderBack(c);
    afterEach.accept(succeeds(acknowledge(c, good, new byte[][] {goodAck}, onB,
        proofOnB(c, onB, acknowledgementSlot(1)))));
    assertTrue(PortApp.calls(a, app, PortApp.ON_ACKNOWLEDGEMENT) == 0
        || PortApp.lastSucceeded(a, app), "told the acknowledgement succeeded");
    afterEach.accept(succeeds(acknowledge(c, bad, new byte[][] {badAck}, onB,
        proofOnB(c, onB, acknowledgementSlot(2)))));
    assertFalse(PortApp.lastSucceeded(a, app), "told of the error acknowledgement");
    afterEach.accept(succeeds(timeOut(c, lost, onB, proofOnB(c, onB, receiptSlot(3)))));
    assertEquals(BigInteger.ZERO, pending(c.a()).get(0), "all three settled");
    for (long sequence = 1; sequence <= 3; sequence++) {
      assertArrayEquals(new byte[32], commitmentOnA(c, sequence));
    }
  }

  @ParameterizedTest
  @MethodSource("suites")
  void theSenderIsToldOfEachAcknowledgementAndTimeout(CryptoSuite suite) {
    Chains c = connected(suite);
    settleThree(c, PortApp.SENDER, PortApp.Mode.ACKNOWLEDGE, settled -> assertTrue(
        settled.logs().stream().noneMatch(log -> log.topics().get(0).equals(
            Abi.topic0(CrossChainPorts.PORT_CALL_FAILED)))));
    NotaryChain a = c.a().chain();
    assertEquals(2, PortApp.calls(a, PortApp.SENDER, PortApp.ON_ACKNOWLEDGEMENT));
    assertEquals(1, PortApp.calls(a, PortApp.SENDER, PortApp.ON_TIMEOUT));
  }

  @ParameterizedTest
  @MethodSource("suites")
  void aFailingSenderCallbackDoesNotKeepThePacketPending(CryptoSuite suite) {
    Chains c = connected(suite);
    List<String> failedCallbacks = new ArrayList<>();
    settleThree(c, PortApp.SENDER, PortApp.Mode.REVERT, settled ->
        failedCallbacks.add(logged(settled, CrossChainPorts.PORT_CALL_FAILED).get(1)));
    assertEquals(List.of("onAcknowledgement", "onAcknowledgement", "onTimeout"),
        failedCallbacks);
    NotaryChain a = c.a().chain();
    assertEquals(0, PortApp.calls(a, PortApp.SENDER, PortApp.ON_ACKNOWLEDGEMENT));
    assertEquals(0, PortApp.calls(a, PortApp.SENDER, PortApp.ON_TIMEOUT));
  }
}
