package io.chorus.state.system;

import static io.chorus.state.system.CrossChainPair.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.esaulpaugh.headlong.abi.Function;
import com.esaulpaugh.headlong.abi.Tuple;
import io.chorus.crosschain.PacketCommitment;
import io.chorus.state.TransactionResult;
import java.math.BigInteger;
import java.util.List;

/**
 * One direction between the two chains of a {@link CrossChainPair}, taken as a relayer takes
 * it: headers sealed by a quorum of the source's validators brought to the client that tracks
 * it, then each proof from the real state of the block just verified. {@code from} sends
 * through {@code fromClient} (its client of {@code to}); {@code to} receives through
 * {@code toClient}.
 */
record CrossChainRoute(Side from, String fromClient, Side to, String toClient) {
  static CrossChainRoute aToB(Chains c) {
    return new CrossChainRoute(c.a(), ON_A, c.b(), ON_B);
  }

  static CrossChainRoute bToA(Chains c) {
    return new CrossChainRoute(c.b(), ON_B, c.a(), ON_A);
  }

  CrossChainRoute back() {
    return new CrossChainRoute(to, toClient, from, fromClient);
  }

  /** The packet the transaction committed, as its PacketSent log carries it. */
  static Tuple packetOf(TransactionResult sent) {
    return logged(sent, CrossChainContract.PACKET_SENT).get(0);
  }

  /** The one result (one payload) a receipt's WriteAcknowledgement log carries. */
  static byte[] acknowledgementOf(TransactionResult received) {
    byte[][] results = logged(received, CrossChainContract.WRITE_ACKNOWLEDGEMENT).get(1);
    assertEquals(1, results.length, "one result per payload");
    return results[0];
  }

  /** Why the receiving application refused, from the revert reason its PortCallFailed logs. */
  static String refusalOf(TransactionResult received) {
    byte[] output = logged(received, CrossChainPorts.PORT_CALL_FAILED).get(4);
    return Function.parse("Error(string)").decodeCall(output).get(0);
  }

  static long sequenceOf(Tuple packet) {
    return ((BigInteger) packet.get(2)).longValueExact();
  }

  /** A new block of {@code from} brought to {@code to}'s client; the update's result. */
  TransactionResult updateClient() {
    return updated().result();
  }

  record Updated(SourceBlocks.Block block, TransactionResult result) {}

  private Updated updated() {
    from.chain().nextBlock();
    SourceBlocks.Block block = from.blocks().seal();
    TransactionResult result = succeeds(to.send(UPDATE, toClient, block.header(),
        from.blocks().quorumCertificate(block), from.blocks().forUpdate(block, 0).encode()));
    return new Updated(block, result);
  }

  /** {@code packet} received on {@code to}, proven at a block of {@code from} just verified. */
  TransactionResult receive(Tuple packet) {
    SourceBlocks.Block block = updated().block();
    byte[] proof = from.blocks().storage(block, SystemContracts.CROSSCHAIN, List.of(
        PacketCommitment.slot(PacketCommitment.commitmentPath(fromClient, sequenceOf(packet)))))
        .encode();
    return to.send(RECV, packet, BigInteger.valueOf(block.number()), proof);
  }

  /** The acknowledgement {@code received} wrote on {@code to}, proven back on {@code from}. */
  TransactionResult acknowledge(Tuple packet, TransactionResult received) {
    byte[][] results = logged(received, CrossChainContract.WRITE_ACKNOWLEDGEMENT).get(1);
    SourceBlocks.Block block = back().updated().block();
    byte[] proof = to.blocks().storage(block, SystemContracts.CROSSCHAIN, List.of(
        PacketCommitment.slot(PacketCommitment.acknowledgementPath(toClient,
            sequenceOf(packet))))).encode();
    return from.send(ACK, packet, results, BigInteger.valueOf(block.number()), proof);
  }

  /**
   * {@code to}'s time moved past the packet's timeout, and the receipt's absence there proven
   * on {@code from}.
   */
  TransactionResult timeOut(Tuple packet) {
    long wait = ((BigInteger) packet.get(3)).longValueExact() - to.chain().timestamp();
    if (wait > 0) {
      to.chain().skip(wait);
    }
    SourceBlocks.Block block = back().updated().block();
    byte[] proof = to.blocks().storage(block, SystemContracts.CROSSCHAIN, List.of(
        PacketCommitment.slot(PacketCommitment.receiptPath(toClient, sequenceOf(packet)))))
        .encode();
    return from.send(TIMEOUT, packet, BigInteger.valueOf(block.number()), proof);
  }
}
