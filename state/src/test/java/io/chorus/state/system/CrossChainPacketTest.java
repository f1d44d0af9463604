package io.chorus.state.system;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.esaulpaugh.headlong.abi.Event;
import com.esaulpaugh.headlong.abi.Function;
import com.esaulpaugh.headlong.abi.Tuple;
import io.chorus.codec.Hex;
import io.chorus.crosschain.AccountProof;
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
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Packets between two chains run by the real state transition, one in each suite, each holding
 * a client of the other: sent on chain A, A's header brought to B's client, the commitment
 * proven from A's real state and received on B; then B's header brought to A's client and the
 * acknowledgement, or the receipt's absence past the timeout, proven from B's real state. Method: every refusal is asserted by the
 * reason the transaction reverts with, and then the genuine delivery must still succeed, so a
 * refusal cannot come from a broken setup.
 */
class CrossChainPacketTest {
  /** A's client of B. */
  private static final String ON_A = "chorus-client-7";
  /** B's client of A, the counterparty of {@link #ON_A}. */
  private static final String ON_B = "chorus-client-0";
  private static final Function SUBMIT = Function.parse("submitTrustedHeader(string,bytes,bytes)");
  private static final Function UPDATE = Function.parse("updateClient(string,bytes,bytes,bytes)");
  private static final Function MISBEHAVIOUR =
      Function.parse("submitMisbehaviour(string,bytes,bytes,bytes,bytes)");
  private static final Function SEND =
      Function.parse("sendPacket(string,uint64,string,string,string,bytes)");
  private static final Function RECV = Function.parse(
      "recvPacket((string,string,uint64,uint64,(string,string,string,string,bytes)),uint64,bytes)");
  private static final Function ACK = Function.parse("acknowledgePacket("
      + "(string,string,uint64,uint64,(string,string,string,string,bytes)),bytes[],uint64,bytes)");
  private static final Function TIMEOUT = Function.parse(
      "timeoutPacket((string,string,uint64,uint64,(string,string,string,string,bytes)),uint64,bytes)");
  private static final String DEST_PORT = "0x00000000000000000000000000000000000000aa";

  /** Chain A's suite; B runs the other one. */
  static Stream<CryptoSuite> suites() {
    return Stream.of(CryptoSuite.ethereum(), CryptoSuite.sm());
  }

  private record Side(NotaryChain chain, SourceBlocks blocks) {
    TransactionResult send(Function f, Object... args) {
      return chain.send(0, SystemContracts.CROSSCHAIN, f.encodeCallWithArgs(args).array());
    }
  }

  private record Chains(Side a, Side b) {}

  private static Chains connected(CryptoSuite suite) {
    CryptoSuite other = suite.name().equals("sm") ? CryptoSuite.ethereum() : CryptoSuite.sm();
    NotaryChain a = new NotaryChain(suite);
    NotaryChain b = new NotaryChain(other);
    Chains c = new Chains(new Side(a, new SourceBlocks(a)), new Side(b, new SourceBlocks(b)));
    SourceBlocks.Block trustedA = c.a().blocks().seal();
    SourceBlocks.Block trustedB = c.b().blocks().seal();
    create(c.a(), ON_A, c.b(), trustedB, ON_B);
    create(c.b(), ON_B, c.a(), trustedA, ON_A);
    return c;
  }

  /** A client {@code id} on {@code tracker} of {@code tracked}, trusting {@code block}. */
  private static void create(Side tracker, String id, Side tracked, SourceBlocks.Block block,
      String counterparty) {
    CryptoSuite suite = tracked.chain().suite;
    tracker.chain().pass(ProposalKind.CROSSCHAIN_CLIENT, ProposalKind.CROSSCHAIN_CLIENT.encode(
        id, NotaryChain.CHAIN_ID, suite.name().equals("sm") ? 1 : 0,
        tracked.blocks().source.genesisHash(), BigInteger.valueOf(block.number()),
        suite.hash(block.header()), counterparty));
    succeeds(tracker.send(SUBMIT, id, block.header(),
        tracked.blocks().forCreate(block).encode()));
  }

  private static TransactionResult succeeds(TransactionResult result) {
    assertTrue(result.success(), () -> "reverted: " + NotaryChain.reason(result));
    return result;
  }

  private static void assertReverts(String expected, TransactionResult result) {
    assertTrue(!result.success(), "the call should have reverted");
    String reason = NotaryChain.reason(result);
    assertTrue(reason.contains(expected), () -> "reverted, but for: " + reason);
  }

  private static TransactionResult send(Side side, long timeout, byte[] value) {
    return side.send(SEND, ON_A, BigInteger.valueOf(timeout), DEST_PORT, "notary-1",
        "application/x-solidity-abi", value);
  }

  /** The packet a send committed, as its PacketSent log carries it (as a relayer reads it). */
  private static Tuple sent(TransactionResult result) {
    assertEquals(1, result.logs().size());
    assertEquals(Abi.topic0(CrossChainContract.PACKET_SENT),
        result.logs().get(0).topics().get(0));
    return CrossChainContract.PACKET_SENT.getNonIndexedParams().decode(
        result.logs().get(0).data()).get(0);
  }

  private static Packet packet(Tuple t) {
    Tuple p = t.get(4);
    return new Packet(t.get(0), t.get(1), ((BigInteger) t.get(2)).longValueExact(),
        ((BigInteger) t.get(3)).longValueExact(),
        new Packet.Payload(p.get(0), p.get(1), p.get(2), p.get(3), p.get(4)));
  }

  private static byte[] commitmentSlot(long sequence) {
    return PacketCommitment.slot(PacketCommitment.commitmentPath(ON_A, sequence));
  }

  /** A's current block brought to B's client, which must accept it. */
  private static SourceBlocks.Block relayHeader(Chains c) {
    c.a().chain().nextBlock();
    SourceBlocks.Block block = c.a().blocks().seal();
    succeeds(c.b().send(UPDATE, ON_B, block.header(), c.a().blocks().certificate(block, 5),
        c.a().blocks().forUpdate(block, 0).encode()));
    return block;
  }

  private static byte[] proof(Chains c, SourceBlocks.Block block, long sequence) {
    return c.a().blocks().storage(block, SystemContracts.CROSSCHAIN,
        List.of(commitmentSlot(sequence))).encode();
  }

  private static TransactionResult receive(Chains c, Tuple packet, SourceBlocks.Block block,
      byte[] proof) {
    return c.b().send(RECV, packet, BigInteger.valueOf(block.number()), proof);
  }

  private static long receipt(Side side, String client, long sequence) {
    return ((BigInteger) side.chain().viewOf(SystemContracts.CROSSCHAIN,
        "packetReceipt(string,uint64)", "(uint64)", client, BigInteger.valueOf(sequence))
        .get(0)).longValueExact();
  }

  private static Tuple pending(Side side) {
    return side.chain().viewOf(SystemContracts.CROSSCHAIN,
        "pendingPackets(string,uint64,uint64)", "(uint64,uint64[],uint64[])", ON_A,
        BigInteger.ZERO, BigInteger.TEN);
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

  /** The packet with field {@code index} replaced. */
  private static Tuple with(Tuple packet, int index, Object value) {
    Object[] fields = new Object[packet.size()];
    for (int i = 0; i < fields.length; i++) {
      fields[i] = i == index ? value : packet.get(i);
    }
    return Tuple.from(fields);
  }

  /** The proof of packet 1 with a byte of its storage path's leaf changed. */
  private static byte[] tampered(Chains c, SourceBlocks.Block block) {
    AccountProof genuine = c.a().blocks().storage(block, SystemContracts.CROSSCHAIN,
        List.of(commitmentSlot(1)));
    List<byte[]> nodes = genuine.slots().values().iterator().next();
    byte[] leaf = nodes.get(nodes.size() - 1).clone();
    leaf[leaf.length - 1] ^= 1;
    List<byte[]> changed = new ArrayList<>(nodes);
    changed.set(nodes.size() - 1, leaf);
    return new AccountProof(genuine.address(), genuine.accountNodes(), Map.of(genuine.slots().keySet().iterator().next(), changed)).encode();
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

  /** B's current block brought to A's client, which must accept it. */
  private static SourceBlocks.Block relayHeaderBack(Chains c) {
    c.b().chain().nextBlock();
    SourceBlocks.Block block = c.b().blocks().seal();
    succeeds(c.a().send(UPDATE, ON_A, block.header(), c.b().blocks().certificate(block, 5),
        c.b().blocks().forUpdate(block, 0).encode()));
    return block;
  }

  /** The proof of {@code slot} in B's router storage at {@code block}, present or absent. */
  private static byte[] proofOnB(Chains c, SourceBlocks.Block block, byte[] slot) {
    return c.b().blocks().storage(block, SystemContracts.CROSSCHAIN, List.of(slot)).encode();
  }

  private static byte[] acknowledgementSlot(long sequence) {
    return PacketCommitment.slot(PacketCommitment.acknowledgementPath(ON_B, sequence));
  }

  private static byte[] receiptSlot(long sequence) {
    return PacketCommitment.slot(PacketCommitment.receiptPath(ON_B, sequence));
  }

  private static TransactionResult acknowledge(Chains c, Tuple packet, byte[][] acknowledgement,
      SourceBlocks.Block block, byte[] proof) {
    return c.a().send(ACK, packet, acknowledgement, BigInteger.valueOf(block.number()), proof);
  }

  private static TransactionResult timeOut(Chains c, Tuple packet, SourceBlocks.Block block,
      byte[] proof) {
    return c.a().send(TIMEOUT, packet, BigInteger.valueOf(block.number()), proof);
  }

  private static byte[] commitmentOnA(Chains c, long sequence) {
    return c.a().chain().viewOf(SystemContracts.CROSSCHAIN, "packetCommitment(string,uint64)",
        "(bytes32)", ON_A, BigInteger.valueOf(sequence)).get(0);
  }

  /** The log of {@code event} a transaction wrote (exactly one), decoded. */
  private static Tuple logged(TransactionResult result, Event<?> event) {
    List<Tuple> found = result.logs().stream()
        .filter(log -> log.topics().get(0).equals(Abi.topic0(event)))
        .map(log -> event.getNonIndexedParams().decode(log.data())).toList();
    assertEquals(1, found.size(), () -> "one " + event.getName() + " log");
    return found.get(0);
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
    assertArrayEquals(CrossChainContract.RECORDED, acknowledgement[0]);
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
        CrossChainContract.RECORDED}, late, proofOnB(c, late, acknowledgementSlot(1))));
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
