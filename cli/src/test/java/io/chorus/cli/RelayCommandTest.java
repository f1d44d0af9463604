package io.chorus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code chorus relay --once} between two running chains ({@link TwoChains}: an {@code sm} chain
 * and an {@code ethereum} chain, each with a light client of the other). Packets are sent both
 * ways before any relayer runs, so its first pass must bring each light client up to the send
 * blocks before a proof can be checked: three A→B and two B→A to the applications, delivered and
 * acknowledged; one A→B to a port that is not registered and one B→A whose timeout passes before
 * the relayer starts, both timed out on their source. Each packet is then settled once (the
 * routers' logs, the applications' counts of their callbacks, the pending lists empty), and a
 * second run finds nothing to do. A client id that is not a client is refused before anything.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class RelayCommandTest {
  @TempDir Path dir;

  record Run(int code, String err) {}

  static Run relay(TwoChains chains, int key, String aClient) {
    StringWriter err = new StringWriter();
    int code = Chorus.commandLine().setOut(new PrintWriter(new StringWriter()))
        .setErr(new PrintWriter(err, true)).execute("relay", "--a", chains.a.url(), "--b",
            chains.b.url(), "--a-key-file", chains.relayerKeys.get(key).toString(),
            "--b-key-file", chains.relayerKeys.get(key).toString(), "--a-client", aClient,
            "--once", "--interval", "100");
    return new Run(code, err.toString());
  }

  @Test
  void relaysPacketsBothWaysAcknowledgesAndTimesOut() throws Exception {
    try (TwoChains chains = TwoChains.start(dir)) {
      TwoChains.Chain a = chains.a;
      TwoChains.Chain b = chains.b;
      List<byte[]> fromA = new ArrayList<>();
      List<byte[]> fromB = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        fromA.add(a.sendPacket(b.app.toString(), 3_600, "A to B " + i));
      }
      // An account's address: not a registered port, so B refuses it until it times out.
      String unregistered = b.operator.addressHex();
      fromA.add(a.sendPacket(unregistered, 6, "to no application"));
      for (int i = 0; i < 2; i++) {
        fromB.add(b.sendPacket(a.app.toString(), 3_600, "B to A " + i));
      }
      fromB.add(b.sendPacket(a.app.toString(), 5, "B to A, too late"));
      fromA.forEach(a::mined);
      fromB.forEach(b::mined);
      // Both short timeouts pass before the relayer starts.
      b.awaitTime(earliestTimeout(a));
      a.awaitTime(earliestTimeout(b));

      Run first = relay(chains, 0, TwoChains.ON_A);
      System.out.print(first.err());
      assertEquals(0, first.code(), first.err());
      assertTrue(first.err().contains("updateClient to block"), first.err());
      Map<String, Long> aToB = TwoChains.assertSettledOnce(a, b);
      Map<String, Long> bToA = TwoChains.assertSettledOnce(b, a);
      assertEquals(Map.of("sent", 4L, "received", 3L, "timedOut", 1L), aToB, first.err());
      assertEquals(Map.of("sent", 3L, "received", 2L, "timedOut", 1L), bToA, first.err());

      Run second = relay(chains, 1, TwoChains.ON_A);
      assertEquals(0, second.code(), second.err());
      assertFalse(second.err().contains("received in block"), second.err());
      assertFalse(second.err().contains("updateClient"), second.err());
      assertEquals(aToB, TwoChains.assertSettledOnce(a, b));
      assertEquals(bToA, TwoChains.assertSettledOnce(b, a));

      Run wrong = relay(chains, 0, "chorus-client-9");
      assertEquals(2, wrong.code(), wrong.err());
      assertTrue(wrong.err().contains("A's client chorus-client-9 is unknown: create it by a"
          + " crosschain-client vote"), wrong.err());
    }
  }

  /** The earliest timeout of the packets {@code source} sent: the short one. */
  private static long earliestTimeout(TwoChains.Chain source) {
    return source.logs(TwoChains.PACKET_SENT).stream()
        .mapToLong(l -> RelayChain.timeout(l.get(0))).min().orElseThrow();
  }
}
