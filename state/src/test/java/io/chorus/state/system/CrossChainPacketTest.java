package io.chorus.state.system;

import static io.chorus.state.system.CrossChainPair.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.esaulpaugh.headlong.abi.Function;
import com.esaulpaugh.headlong.abi.Tuple;
import io.chorus.codec.Hex;
import io.chorus.crosschain.Limits;
import io.chorus.crosschain.Packet;
import io.chorus.crosschain.PacketCommitment;
import io.chorus.crypto.CryptoSuite;
import io.chorus.evm.Word;
import io.chorus.state.TransactionResult;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Packets between two chains run by the real state transition, one in each suite, each holding
 * a client of the other: sent on chain A, A's header brought to B's client, the commitment
 * proven from A's real state and received on B; then B's header brought to A's client and the
 * acknowledgement, or the receipt's absence past the timeout, proven from B's real state
 * ({@link CrossChainPair}). Method: every refusal is asserted by the reason the transaction
 * reverts with, and then the genuine delivery must still succeed, so a refusal cannot come from
 * a broken setup.
 */
class CrossChainPacketTest {
  /** Chain A's suite; B runs the other one. */
  static Stream<CryptoSuite> suites() {
    return Stream.of(CryptoSuite.ethereum(), CryptoSuite.sm());
  }

  @ParameterizedTest
  @MethodSource("suites")
  void aPacketSentOnOneChainIsProvenAndReceivedOnTheOtherOnce(CryptoSuite suite) {
    Chains c = connected(suite);
    long timeout = c.a().chain().timestamp() + 600;
    byte[] value = "record 42".getBytes(StandardCharsets.US_ASCII);
    TransactionResult first = succeeds(send(c.a(), timeout, value));
    assertEquals(BigInteger.ONE, Function.parse("f()", "(uint64)").getOutputs()
        .decode(first.output()).get(0));
    long sentIn = c.a().chain().number;
    Tuple sentPacket = sent(first);
    Packet packet = packet(sentPacket);
    assertEquals(List.of(ON_A, ON_B, 1L, timeout), List.of(packet.sourceClient(),
        packet.destClient(), packet.sequence(), packet.timeoutSeconds()));
    Packet.Payload payload = packet.payload();
    assertEquals(List.of(c.a().chain().accounts[0].toString(), DEST_PORT, "notary-1",
        "application/x-solidity-abi"), List.of(payload.sourcePort(), payload.destPort(),
        payload.version(), payload.encoding()), "the sender's address is its port");
    assertArrayEquals(value, payload.value());
    byte[] commitment = PacketCommitment.commitment(suite, packet);
    assertArrayEquals(commitment, c.a().chain().state.storage(SystemContracts.CROSSCHAIN,
        Word.fromBytes(commitmentSlot(1))).toBytes(), "stored under its ICS-24 path");
    assertArrayEquals(commitment, (byte[]) c.a().chain().viewOf(SystemContracts.CROSSCHAIN,
        "packetCommitment(string,uint64)", "(bytes32)", ON_A, BigInteger.ONE).get(0));
    Tuple second = sent(succeeds(send(c.a(), timeout, value)));
    assertEquals(BigInteger.TWO, second.get(2), "the next sequence of the client");
    Tuple pending = pending(c.a());
    assertEquals(BigInteger.TWO, pending.get(0));
    assertArrayEquals(new BigInteger[] {BigInteger.ONE, BigInteger.TWO}, pending.get(1));
    assertArrayEquals(new BigInteger[] {BigInteger.valueOf(sentIn), BigInteger.valueOf(sentIn)},
        pending.get(2));

    SourceBlocks.Block block = relayHeader(c);
    TransactionResult received = succeeds(receive(c, sentPacket, block, proof(c, block, 1)));
    assertEquals(c.b().chain().number, receipt(c.b(), ON_B, 1));
    assertEquals(0, receipt(c.b(), ON_B, 2));
    assertEquals(Abi.topic0(CrossChainContract.PACKET_RECEIVED),
        received.logs().get(0).topics().get(0));
    assertEquals(sentPacket, CrossChainContract.PACKET_RECEIVED.getNonIndexedParams().decode(
        received.logs().get(0).data()).get(0));
    long receivedIn = c.b().chain().number;
    c.b().chain().nextBlock();
    assertReverts("already received, in block " + receivedIn,
        receive(c, sentPacket, block, proof(c, block, 1)));
    succeeds(receive(c, second, block, proof(c, block, 2)));
  }

  @ParameterizedTest
  @MethodSource("suites")
  void aForgedOrMisdirectedPacketOrProofIsRefused(CryptoSuite suite) {
    Chains c = connected(suite);
    // A second client of A on B, with the same counterparty: a packet meant for ON_B only.
    create(c.b(), "chorus-client-1", c.a(), c.a().blocks().seal(), ON_A);
    long timeout = c.a().chain().timestamp() + 600;
    Tuple packet = sent(succeeds(send(c.a(), timeout, new byte[] {1, 2, 3})));
    Tuple other = sent(succeeds(send(c.a(), timeout, new byte[] {4})));
    SourceBlocks.Block block = relayHeader(c);
    succeeds(c.b().send(UPDATE, "chorus-client-1", block.header(),
        c.a().blocks().certificate(block, 5), c.a().blocks().forUpdate(block, 0).encode()));
    byte[] proof = proof(c, block, 1);

    assertReverts("has no path for storage slot", receive(c, packet, block, proof(c, block, 2)));
    assertReverts("holds", receive(c, with(packet, 4, Tuple.of(DEST_PORT, DEST_PORT,
        "notary-1", "application/x-solidity-abi", new byte[] {1, 2, 3})), block, proof));
    assertReverts("does not lead from", receive(c, packet, block, tampered(c, block)));
    assertReverts("is not one the client verified", c.b().send(RECV, packet,
        BigInteger.valueOf(block.number() - 1), proof));
    assertReverts("holds", receive(c, with(packet, 1, "chorus-client-1"), block, proof));
    assertReverts("the packet comes from client chorus-client-9, but this client's counterparty"
        + " is " + ON_A, receive(c, with(packet, 0, "chorus-client-9"), block, proof));
    assertReverts("the client receives no packets: it is none",
        receive(c, with(packet, 1, "chorus-client-5"), block, proof));
    assertEquals(0, receipt(c.b(), ON_B, 1));
    assertEquals(0, receipt(c.b(), "chorus-client-1", 1));
    succeeds(receive(c, packet, block, proof));
    succeeds(receive(c, other, block, proof(c, block, 2)));
  }

  @ParameterizedTest
  @MethodSource("suites")
  void aPacketPastItsTimeoutIsNotReceived(CryptoSuite suite) {
    Chains c = connected(suite);
    long timeout = c.b().chain().timestamp() + 60;
    Tuple packet = sent(succeeds(send(c.a(), timeout, new byte[] {9})));
    SourceBlocks.Block block = relayHeader(c);
    c.b().chain().skip(60);
    assertReverts("the packet timed out at " + timeout + "; this block's time is "
        + c.b().chain().timestamp(), receive(c, packet, block, proof(c, block, 1)));
    assertEquals(0, receipt(c.b(), ON_B, 1));
  }

  @ParameterizedTest
  @MethodSource("suites")
  void theOutboxRefusesWhatCouldNeverBeDelivered(CryptoSuite suite) {
    Chains c = connected(suite);
    long now = c.a().chain().timestamp();
    assertReverts("client chorus-client-5 sends no packets: it is none", c.a().send(SEND,
        "chorus-client-5", BigInteger.valueOf(now + 60), DEST_PORT, "v1", "raw", new byte[0]));
    assertReverts("the timeout " + now + " has passed", send(c.a(), now, new byte[0]));
    assertReverts("more than 86400 s after", send(c.a(), now + 86_401, new byte[0]));
    assertReverts("a payload is at most " + Limits.PAYLOAD_BYTES_MAX,
        send(c.a(), now + 60, new byte[Limits.PAYLOAD_BYTES_MAX + 1]));
    assertReverts("the destination port is 2 to 128", c.a().send(SEND, ON_A,
        BigInteger.valueOf(now + 60), "", "v1", "raw", new byte[0]));
    assertEquals(BigInteger.ZERO, pending(c.a()).get(0));
    succeeds(send(c.a(), now + 86_400, new byte[Limits.PAYLOAD_BYTES_MAX]));

    // Freeze A's client of B with two certified B blocks at one height: it sends no more.
    c.b().chain().nextBlock();
    SourceBlocks.Block one = c.b().blocks().seal();
    SourceBlocks.Block twin = c.b().blocks().seal("twin");
    succeeds(c.a().send(MISBEHAVIOUR, ON_A, one.header(), c.b().blocks().certificate(one, 5),
        twin.header(), c.b().blocks().certificate(twin, 5)));
    assertReverts("sends no packets: it is frozen", send(c.a(), now + 60, new byte[0]));
    assertEquals(BigInteger.ONE, pending(c.a()).get(0));
  }

  @ParameterizedTest
  @MethodSource("suites")
  void aReceivedPacketIsAcknowledgedOnItsSourceOnce(CryptoSuite suite) {
    Chains c = connected(suite);
    long timeout = c.a().chain().timestamp() + 600;
    List<Tuple> packets = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      packets.add(sent(succeeds(send(c.a(), timeout, new byte[] {(byte) i}))));
    }
    long sentIn = c.a().chain().number;
    SourceBlocks.Block onA = relayHeader(c);
    TransactionResult received = succeeds(receive(c, packets.get(0), onA, proof(c, onA, 1)));
    // The acknowledgement as a relayer reads it: from the WriteAcknowledgement log.
    Tuple written = logged(received, CrossChainContract.WRITE_ACKNOWLEDGEMENT);
    assertEquals(packets.get(0), written.get(0));
    byte[][] acknowledgement = written.get(1);
    assertEquals(1, acknowledgement.length, "one result per payload");
    assertArrayEquals(PortApp.ACKNOWLEDGEMENT, acknowledgement[0]);
    byte[] committed = PacketCommitment.acknowledgement(c.b().chain().suite,
        List.of(acknowledgement));
    assertArrayEquals(committed, c.b().chain().state.storage(SystemContracts.CROSSCHAIN,
        Word.fromBytes(acknowledgementSlot(1))).toBytes(), "stored under its ICS-24 path");
    assertArrayEquals(committed, (byte[]) c.b().chain().viewOf(SystemContracts.CROSSCHAIN,
        "packetAcknowledgement(string,uint64)", "(bytes32)", ON_B, BigInteger.ONE).get(0));
    succeeds(receive(c, packets.get(2), onA, proof(c, onA, 3)));

    SourceBlocks.Block onB = relayHeaderBack(c);
    byte[] proof = proofOnB(c, onB, acknowledgementSlot(1));
    byte[][] error = {PacketCommitment.errorAcknowledgement(c.b().chain().suite)};
    assertReverts("client " + ON_A + ": packet 1: slot ", acknowledge(c, packets.get(0), error,
        onB, proof));
    assertReverts("one result per payload, and the packet has one; got 2", acknowledge(c,
        packets.get(0), new byte[][] {acknowledgement[0], acknowledgement[0]}, onB, proof));
    assertReverts("the packet is not the one committed at this sequence", acknowledge(c,
        with(packets.get(0), 3, BigInteger.valueOf(timeout + 1)), acknowledgement, onB, proof));
    assertReverts("is not one the client verified", c.a().send(ACK, packets.get(0),
        acknowledgement, BigInteger.valueOf(onB.number() + 1), proof));
    assertReverts("has no path for storage slot", acknowledge(c, packets.get(0),
        acknowledgement, onB, proofOnB(c, onB, acknowledgementSlot(3))));
    // Packet 2 was never received: no acknowledgement of it is there to prove.
    assertReverts("holds 0x" + "00".repeat(32), acknowledge(c, packets.get(1),
        acknowledgement, onB, proofOnB(c, onB, acknowledgementSlot(2))));

    TransactionResult acknowledged = succeeds(acknowledge(c, packets.get(0), acknowledgement,
        onB, proof));
    Tuple settled = logged(acknowledged, CrossChainContract.PACKET_ACKNOWLEDGED);
    assertEquals(packets.get(0), settled.get(0));
    assertArrayEquals(acknowledgement, settled.get(1));
    assertArrayEquals(new byte[32], commitmentOnA(c, 1), "the commitment is deleted");
    assertArrayEquals(PacketCommitment.commitment(suite, packet(packets.get(1))),
        commitmentOnA(c, 2));
    Tuple pending = pending(c.a());
    assertEquals(BigInteger.TWO, pending.get(0));
    assertArrayEquals(new BigInteger[] {BigInteger.valueOf(3), BigInteger.TWO}, pending.get(1),
        "the last entry takes the settled one's place");
    assertArrayEquals(new BigInteger[] {BigInteger.valueOf(sentIn), BigInteger.valueOf(sentIn)},
        pending.get(2));

    assertReverts("client " + ON_A + ": packet 1: no commitment: the packet was acknowledged or"
        + " timed out already", acknowledge(c, packets.get(0), acknowledgement, onB, proof));
    assertReverts("no commitment", timeOut(c, packets.get(0), onB,
        proofOnB(c, onB, receiptSlot(1))));
    // The moved entry is found by its updated index.
    succeeds(acknowledge(c, packets.get(2), acknowledgement, onB,
        proofOnB(c, onB, acknowledgementSlot(3))));
    pending = pending(c.a());
    assertEquals(BigInteger.ONE, pending.get(0));
    assertArrayEquals(new BigInteger[] {BigInteger.TWO}, pending.get(1));
  }

  @ParameterizedTest
  @MethodSource("suites")
  void aPacketNeverReceivedTimesOutOnItsSourceOnce(CryptoSuite suite) {
    Chains c = connected(suite);
    long timeout = c.b().chain().timestamp() + 60;
    Tuple packet = sent(succeeds(send(c.a(), timeout, new byte[] {7})));
    SourceBlocks.Block early = relayHeaderBack(c);
    assertReverts("client " + ON_A + ": packet 1: the destination's time at block "
        + early.number() + " is " + c.b().chain().timestamp() + ", before the timeout "
        + timeout, timeOut(c, packet, early, proofOnB(c, early, receiptSlot(1))));

    c.b().chain().skip(60);
    SourceBlocks.Block late = relayHeaderBack(c);
    byte[] absent = proofOnB(c, late, receiptSlot(1));
    assertReverts("is not one the client verified", c.a().send(TIMEOUT, packet,
        BigInteger.valueOf(late.number() + 1), absent));
    assertReverts("has no path for storage slot", timeOut(c, packet, late,
        proofOnB(c, late, receiptSlot(2))));
    assertReverts("the packet is not the one committed at this sequence", timeOut(c,
        with(packet, 1, "chorus-client-1"), late, absent));
    assertArrayEquals(PacketCommitment.commitment(suite, packet(packet)), commitmentOnA(c, 1));

    TransactionResult timedOut = succeeds(timeOut(c, packet, late, absent));
    assertEquals(packet, logged(timedOut, CrossChainContract.PACKET_TIMED_OUT).get(0));
    assertArrayEquals(new byte[32], commitmentOnA(c, 1), "the commitment is deleted");
    assertEquals(BigInteger.ZERO, pending(c.a()).get(0));
    assertReverts("no commitment: the packet was acknowledged or timed out already",
        timeOut(c, packet, late, absent));
    assertReverts("no commitment", acknowledge(c, packet, new byte[][] {
        PortApp.ACKNOWLEDGEMENT}, late, proofOnB(c, late, acknowledgementSlot(1))));
  }

  @ParameterizedTest
  @MethodSource("suites")
  void aReceivedPacketDoesNotTimeOut(CryptoSuite suite) {
    Chains c = connected(suite);
    long timeout = c.b().chain().timestamp() + 60;
    Tuple packet = sent(succeeds(send(c.a(), timeout, new byte[] {8})));
    SourceBlocks.Block onA = relayHeader(c);
    byte[][] acknowledgement = logged(succeeds(receive(c, packet, onA, proof(c, onA, 1))),
        CrossChainContract.WRITE_ACKNOWLEDGEMENT).get(1);
    c.b().chain().skip(60);
    SourceBlocks.Block late = relayHeaderBack(c);
    // The only proof of the receipt's slot shows the real receipt: it cannot show it absent.
    assertReverts("client " + ON_A + ": packet 1: slot " + Hex.encode0x(receiptSlot(1)) + " of "
        + SystemContracts.CROSSCHAIN + " is not empty at block " + late.number(),
        timeOut(c, packet, late, proofOnB(c, late, receiptSlot(1))));
    assertArrayEquals(PacketCommitment.commitment(suite, packet(packet)), commitmentOnA(c, 1));
    succeeds(acknowledge(c, packet, acknowledgement, late,
        proofOnB(c, late, acknowledgementSlot(1))));
  }
}
