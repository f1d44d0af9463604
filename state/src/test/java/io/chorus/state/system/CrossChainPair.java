package io.chorus.state.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.esaulpaugh.headlong.abi.Event;
import com.esaulpaugh.headlong.abi.Function;
import com.esaulpaugh.headlong.abi.Tuple;
import io.chorus.crosschain.AccountProof;
import io.chorus.crosschain.Packet;
import io.chorus.crosschain.PacketCommitment;
import io.chorus.crypto.CryptoSuite;
import io.chorus.state.TransactionResult;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Two chains run by the real state transition, one in each suite, each holding a client of the
 * other ({@link #ON_A} on A tracks B, {@link #ON_B} on B tracks A), and the steps of a packet
 * between them as a relayer takes them: send on A, headers brought across, proofs from the real
 * state, receipt on B, acknowledgement or timeout back on A. Shared by the router's tests.
 */
final class CrossChainPair {
  /** A's client of B. */
  static final String ON_A = "chorus-client-7";
  /** B's client of A, the counterparty of {@link #ON_A}. */
  static final String ON_B = "chorus-client-0";
  static final Function SUBMIT = Function.parse("submitTrustedHeader(string,bytes,bytes)");
  static final Function UPDATE = Function.parse("updateClient(string,bytes,bytes,bytes)");
  static final Function MISBEHAVIOUR =
      Function.parse("submitMisbehaviour(string,bytes,bytes,bytes,bytes)");
  static final Function SEND =
      Function.parse("sendPacket(string,uint64,string,string,string,bytes)");
  static final Function RECV = Function.parse("recvPacket("
      + "(string,string,uint64,uint64,(string,string,string,string,bytes)),uint64,bytes)");
  static final Function ACK = Function.parse("acknowledgePacket("
      + "(string,string,uint64,uint64,(string,string,string,string,bytes)),bytes[],uint64,bytes)");
  static final Function TIMEOUT = Function.parse("timeoutPacket("
      + "(string,string,uint64,uint64,(string,string,string,string,bytes)),uint64,bytes)");
  /** B's receiving application: a registered port that acknowledges with its own bytes. */
  static final String DEST_PORT = PortApp.RECEIVER.toString();

  record Side(NotaryChain chain, SourceBlocks blocks) {
    TransactionResult send(Function f, Object... args) {
      return chain.send(0, SystemContracts.CROSSCHAIN, f.encodeCallWithArgs(args).array());
    }
  }

  record Chains(Side a, Side b) {}

  static Chains connected(CryptoSuite suite) {
    return connected(suite, 1);
  }

  /** The same, each chain with {@code validators} validators from genesis. */
  static Chains connected(CryptoSuite suite, int validators) {
    CryptoSuite other = suite.name().equals("sm") ? CryptoSuite.ethereum() : CryptoSuite.sm();
    NotaryChain a = new NotaryChain(suite, validators);
    NotaryChain b = new NotaryChain(other, validators);
    Chains c = new Chains(new Side(a, new SourceBlocks(a)), new Side(b, new SourceBlocks(b)));
    SourceBlocks.Block trustedA = c.a().blocks().seal();
    SourceBlocks.Block trustedB = c.b().blocks().seal();
    create(c.a(), ON_A, c.b(), trustedB, ON_B);
    create(c.b(), ON_B, c.a(), trustedA, ON_A);
    PortApp.install(b, PortApp.RECEIVER, PortApp.Mode.ACKNOWLEDGE);
    succeeds(PortApp.register(b, PortApp.RECEIVER, PortApp.GAS_LIMIT));
    return c;
  }

  /** A client {@code id} on {@code tracker} of {@code tracked}, trusting {@code block}. */
  static void create(Side tracker, String id, Side tracked, SourceBlocks.Block block,
      String counterparty) {
    CryptoSuite suite = tracked.chain().suite;
    tracker.chain().pass(ProposalKind.CROSSCHAIN_CLIENT, ProposalKind.CROSSCHAIN_CLIENT.encode(
        id, NotaryChain.CHAIN_ID, suite.name().equals("sm") ? 1 : 0,
        tracked.blocks().source.genesisHash(), BigInteger.valueOf(block.number()),
        suite.hash(block.header()), counterparty));
    succeeds(tracker.send(SUBMIT, id, block.header(),
        tracked.blocks().forCreate(block).encode()));
  }

  static TransactionResult succeeds(TransactionResult result) {
    assertTrue(result.success(), () -> "reverted: " + NotaryChain.reason(result));
    return result;
  }

  static void assertReverts(String expected, TransactionResult result) {
    assertTrue(!result.success(), "the call should have reverted");
    String reason = NotaryChain.reason(result);
    assertTrue(reason.contains(expected), () -> "reverted, but for: " + reason);
  }

  static TransactionResult send(Side side, long timeout, byte[] value) {
    return side.send(SEND, ON_A, BigInteger.valueOf(timeout), DEST_PORT, "notary-1",
        "application/x-solidity-abi", value);
  }

  /** The packet a send committed, as its PacketSent log carries it (as a relayer reads it). */
  static Tuple sent(TransactionResult result) {
    assertEquals(1, result.logs().size());
    assertEquals(Abi.topic0(CrossChainContract.PACKET_SENT),
        result.logs().get(0).topics().get(0));
    return CrossChainContract.PACKET_SENT.getNonIndexedParams().decode(
        result.logs().get(0).data()).get(0);
  }

  static Packet packet(Tuple t) {
    Tuple p = t.get(4);
    return new Packet(t.get(0), t.get(1), ((BigInteger) t.get(2)).longValueExact(),
        ((BigInteger) t.get(3)).longValueExact(),
        new Packet.Payload(p.get(0), p.get(1), p.get(2), p.get(3), p.get(4)));
  }

  static byte[] commitmentSlot(long sequence) {
    return PacketCommitment.slot(PacketCommitment.commitmentPath(ON_A, sequence));
  }

  /** A's current block brought to B's client, which must accept it. */
  static SourceBlocks.Block relayHeader(Chains c) {
    c.a().chain().nextBlock();
    SourceBlocks.Block block = c.a().blocks().seal();
    succeeds(c.b().send(UPDATE, ON_B, block.header(), c.a().blocks().certificate(block, 5),
        c.a().blocks().forUpdate(block, 0).encode()));
    return block;
  }

  static byte[] proof(Chains c, SourceBlocks.Block block, long sequence) {
    return c.a().blocks().storage(block, SystemContracts.CROSSCHAIN,
        List.of(commitmentSlot(sequence))).encode();
  }

  static TransactionResult receive(Chains c, Tuple packet, SourceBlocks.Block block,
      byte[] proof) {
    return c.b().send(RECV, packet, BigInteger.valueOf(block.number()), proof);
  }

  static long receipt(Side side, String client, long sequence) {
    return ((BigInteger) side.chain().viewOf(SystemContracts.CROSSCHAIN,
        "packetReceipt(string,uint64)", "(uint64)", client, BigInteger.valueOf(sequence))
        .get(0)).longValueExact();
  }

  static Tuple pending(Side side) {
    return side.chain().viewOf(SystemContracts.CROSSCHAIN,
        "pendingPackets(string,uint64,uint64)", "(uint64,uint64[],uint64[])", ON_A,
        BigInteger.ZERO, BigInteger.TEN);
  }

  /** The packet with field {@code index} replaced. */
  static Tuple with(Tuple packet, int index, Object value) {
    Object[] fields = new Object[packet.size()];
    for (int i = 0; i < fields.length; i++) {
      fields[i] = i == index ? value : packet.get(i);
    }
    return Tuple.from(fields);
  }

  /** The proof of packet 1 with a byte of its storage path's leaf changed. */
  static byte[] tampered(Chains c, SourceBlocks.Block block) {
    AccountProof genuine = c.a().blocks().storage(block, SystemContracts.CROSSCHAIN,
        List.of(commitmentSlot(1)));
    List<byte[]> nodes = genuine.slots().values().iterator().next();
    byte[] leaf = nodes.get(nodes.size() - 1).clone();
    leaf[leaf.length - 1] ^= 1;
    List<byte[]> changed = new ArrayList<>(nodes);
    changed.set(nodes.size() - 1, leaf);
    return new AccountProof(genuine.address(), genuine.accountNodes(),
        Map.of(genuine.slots().keySet().iterator().next(), changed)).encode();
  }

  /** B's current block brought to A's client, which must accept it. */
  static SourceBlocks.Block relayHeaderBack(Chains c) {
    c.b().chain().nextBlock();
    SourceBlocks.Block block = c.b().blocks().seal();
    succeeds(c.a().send(UPDATE, ON_A, block.header(), c.b().blocks().certificate(block, 5),
        c.b().blocks().forUpdate(block, 0).encode()));
    return block;
  }

  /** The proof of {@code slot} in B's router storage at {@code block}, present or absent. */
  static byte[] proofOnB(Chains c, SourceBlocks.Block block, byte[] slot) {
    return c.b().blocks().storage(block, SystemContracts.CROSSCHAIN, List.of(slot)).encode();
  }

  static byte[] acknowledgementSlot(long sequence) {
    return PacketCommitment.slot(PacketCommitment.acknowledgementPath(ON_B, sequence));
  }

  static byte[] receiptSlot(long sequence) {
    return PacketCommitment.slot(PacketCommitment.receiptPath(ON_B, sequence));
  }

  static TransactionResult acknowledge(Chains c, Tuple packet, byte[][] acknowledgement,
      SourceBlocks.Block block, byte[] proof) {
    return c.a().send(ACK, packet, acknowledgement, BigInteger.valueOf(block.number()), proof);
  }

  static TransactionResult timeOut(Chains c, Tuple packet, SourceBlocks.Block block,
      byte[] proof) {
    return c.a().send(TIMEOUT, packet, BigInteger.valueOf(block.number()), proof);
  }

  static byte[] commitmentOnA(Chains c, long sequence) {
    return c.a().chain().viewOf(SystemContracts.CROSSCHAIN, "packetCommitment(string,uint64)",
        "(bytes32)", ON_A, BigInteger.valueOf(sequence)).get(0);
  }

  /** The log of {@code event} a transaction wrote (exactly one), decoded. */
  static Tuple logged(TransactionResult result, Event<?> event) {
    List<Tuple> found = result.logs().stream()
        .filter(log -> log.topics().get(0).equals(Abi.topic0(event)))
        .map(log -> event.getNonIndexedParams().decode(log.data())).toList();
    assertEquals(1, found.size(), () -> "one " + event.getName() + " log");
    return found.get(0);
  }

  private CrossChainPair() {}
}
