package io.chorus.state.system;

import static io.chorus.state.system.CrossChainPair.*;
import static io.chorus.state.system.CrossChainRoute.packetOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.esaulpaugh.headlong.abi.Tuple;
import io.chorus.crypto.CryptoSuite;
import io.chorus.state.TransactionResult;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Gas of the cross-chain steps for 4, 7 and 10 validators on each chain, in both suite orders,
 * measured on two chains run by the real state transition: a client update (a quorum's seals
 * checked), and a packet's receipt, acknowledgement and timeout, each once with the
 * hand-assembled receiver (the router's own cost) and once through the token transfer
 * application (escrow, voucher, refund). Prints the table docs/cross-chain.md holds. Method: a
 * larger set costs more for every step that loads the client (an update checks more seals,
 * every proof loads the set), so each figure must grow with the set.
 */
class CrossChainGasTest {
  static final int[] VALIDATORS = {4, 7, 10};

  /** One row: the steps' gas for packets from a chain in {@code suite} with {@code n}. */
  record Row(String suite, int n, long update, long recv, long ack, long timeout,
      long appRecv, long appAck, long appTimeout) {
    @Override
    public String toString() {
      String other = suite.equals("sm") ? "ethereum" : "sm";
      return String.format("| %d | %s → %s | %,d | %,d | %,d | %,d | %,d | %,d | %,d |", n,
          suite, other, update, recv, ack, timeout, appRecv, appAck, appTimeout);
    }
  }

  static Row measure(CryptoSuite suite, int n) {
    Chains c = connected(suite, n);
    TokenTransferTest.Setup s = TokenTransferTest.Setup.of(c);
    CrossChainRoute route = s.aToB();
    long update = route.updateClient().gasUsed();
    BigInteger timeout = s.timeout();
    Tuple bare = packetOf(succeeds(c.a().send(SEND, ON_A, timeout, DEST_PORT, "gas-1", "raw",
        new byte[32])));
    TransactionResult received = succeeds(route.receive(bare));
    long ack = succeeds(route.acknowledge(bare, received)).gasUsed();
    Tuple bareLost = packetOf(succeeds(c.a().send(SEND, ON_A, s.timeout(), DEST_PORT,
        "gas-1", "raw", new byte[32])));
    long bareTimeout = succeeds(route.timeOut(bareLost)).gasUsed();

    String bob = c.b().chain().accounts[TokenTransferTest.BOB].toString();
    Tuple out = packetOf(succeeds(s.sendFromA(300, bob)));
    TransactionResult appReceived = succeeds(route.receive(out));
    long appAck = succeeds(route.acknowledge(out, appReceived)).gasUsed();
    Tuple lost = packetOf(succeeds(s.sendFromA(100, bob)));
    long appTimeout = succeeds(route.timeOut(lost)).gasUsed();
    s.conserved();
    return new Row(suite.name(), n, update, received.gasUsed(), ack, bareTimeout,
        appReceived.gasUsed(), appAck, appTimeout);
  }

  @Test
  void everyStepCostsMoreWithMoreValidatorsInBothSuites() {
    List<Row> rows = new ArrayList<>();
    for (CryptoSuite suite : List.of(CryptoSuite.sm(), CryptoSuite.ethereum())) {
      Row previous = null;
      for (int n : VALIDATORS) {
        Row row = measure(suite, n);
        rows.add(row);
        if (previous != null) {
          Row before = previous;
          assertTrue(row.update() > before.update() && row.recv() > before.recv()
              && row.ack() > before.ack() && row.timeout() > before.timeout(),
              () -> "a larger set costs more: " + before + " then " + row);
        }
        previous = row;
      }
    }
    System.out.println("| validators | packets | update | recv | ack | timeout | transfer recv"
        + " | transfer ack | transfer timeout (refund) |");
    System.out.println("|---|---|---|---|---|---|---|---|---|");
    rows.forEach(System.out::println);
  }
}
