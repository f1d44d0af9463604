package io.chorus.crosschain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.chorus.codec.ByteKey;
import io.chorus.codec.Hex;
import io.chorus.crypto.CryptoSuite;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Packet commitments and paths. On an {@code ethereum} chain they must be IBC v2's byte for
 * byte: the expected values are the ones ibc-go publishes for other implementations to match
 * (its commitment tests, v10). In both suites, every field the destination acts on must change
 * the commitment, and the kinds of entry must never share a slot.
 */
class PacketCommitmentTest {
  private static final String TRANSFER_JSON = "{\"denom\":\"uatom\",\"amount\":\"1000000\","
      + "\"sender\":\"sender\",\"receiver\":\"receiver\",\"memo\":\"memo\"}";

  static Stream<CryptoSuite> suites() {
    return Stream.of(CryptoSuite.ethereum(), CryptoSuite.sm());
  }

  private static Packet ibcTransfer() {
    return new Packet("07-tendermint-0", "07-tendermint-1", 1, 100, new Packet.Payload(
        "transfer", "transfer", "ics20-1", "application/json",
        TRANSFER_JSON.getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void commitmentsOnAnEthereumChainAreIbcV2s() {
    CryptoSuite suite = CryptoSuite.ethereum();
    assertEquals("0xa096722aa6534040a0efbdae05765132a7b223ad306d6512f3734821bd046505",
        Hex.encode0x(PacketCommitment.commitment(suite, ibcTransfer())));
    assertEquals("0xf03b4667413e56aaf086663267913e525c442b56fa1af4fa3f3dab9f37044c5b",
        Hex.encode0x(PacketCommitment.acknowledgement(suite,
            List.of("some bytes".getBytes(StandardCharsets.US_ASCII)))));
    byte[] error = PacketCommitment.errorAcknowledgement(suite);
    assertEquals("0x4774d4a575993f963b1c06573736617a457abef8589178db8d10c94b4ab511ab",
        Hex.encode0x(error));
    assertEquals("0xe2fb30dfbf7abdeaca82d426534d2b3a9d5444dd2a87fa16d38b77ba1a13ced7",
        Hex.encode0x(PacketCommitment.acknowledgement(suite, List.of(error))));
  }

  @ParameterizedTest
  @MethodSource("suites")
  void anAcknowledgementCommitsEveryPayloadsResultInOrder(CryptoSuite suite) {
    byte[] first = {1};
    byte[] second = {2};
    List<byte[]> commitments = List.of(
        PacketCommitment.acknowledgement(suite, List.of(first)),
        PacketCommitment.acknowledgement(suite, List.of(second)),
        PacketCommitment.acknowledgement(suite, List.of(first, second)),
        PacketCommitment.acknowledgement(suite, List.of(second, first)));
    Set<ByteKey> distinct = new HashSet<>();
    commitments.forEach(c -> distinct.add(new ByteKey(c)));
    assertEquals(commitments.size(), distinct.size());
    assertThrows(IllegalArgumentException.class,
        () -> PacketCommitment.acknowledgement(suite, List.of()));
  }

  @Test
  void anSmChainCommitsWithSm3() {
    byte[] sm = PacketCommitment.commitment(CryptoSuite.sm(), ibcTransfer());
    byte[] ethereum = PacketCommitment.commitment(CryptoSuite.ethereum(), ibcTransfer());
    assertEquals(32, sm.length);
    assertFalse(java.util.Arrays.equals(sm, ethereum));
  }

  @ParameterizedTest
  @MethodSource("suites")
  void everyCommittedFieldChangesTheCommitment(CryptoSuite suite) {
    Packet base = ibcTransfer();
    Packet.Payload p = base.payload();
    List<Packet> variants = List.of(
        new Packet(base.sourceClient(), "07-tendermint-2", 1, 100, p),
        new Packet(base.sourceClient(), base.destClient(), 1, 101, p),
        with(base, new Packet.Payload("transfer2", p.destPort(), p.version(), p.encoding(),
            p.value())),
        with(base, new Packet.Payload(p.sourcePort(), "transfer2", p.version(), p.encoding(),
            p.value())),
        with(base, new Packet.Payload(p.sourcePort(), p.destPort(), "ics20-2", p.encoding(),
            p.value())),
        with(base, new Packet.Payload(p.sourcePort(), p.destPort(), p.version(),
            "application/x-solidity-abi", p.value())),
        with(base, new Packet.Payload(p.sourcePort(), p.destPort(), p.version(), p.encoding(),
            new byte[] {1})),
        // The same bytes split differently between two fields.
        with(base, new Packet.Payload("transfe", "rtransfer", p.version(), p.encoding(),
            p.value())));
    Set<ByteKey> seen = new HashSet<>();
    seen.add(new ByteKey(PacketCommitment.commitment(suite, base)));
    for (Packet variant : variants) {
      assertEquals(true, seen.add(new ByteKey(PacketCommitment.commitment(suite, variant))),
          () -> "two packets share a commitment: " + variant);
    }
    // The source client and sequence are in the path instead.
    assertArrayEquals(PacketCommitment.commitment(suite, base), PacketCommitment.commitment(
        suite, new Packet("chorus-client-9", base.destClient(), 7, 100, p)));
  }

  @Test
  void pathsAreIcs24sAndEachKindHasItsOwnSlot() {
    assertEquals("0x" + Hex.encode("07-tendermint-0".getBytes(StandardCharsets.US_ASCII))
        + "01" + "0000000000000001",
        Hex.encode0x(PacketCommitment.commitmentPath("07-tendermint-0", 1)));
    assertEquals("0x" + Hex.encode("07-tendermint-1".getBytes(StandardCharsets.US_ASCII))
        + "02" + "00000000000000ff",
        Hex.encode0x(PacketCommitment.receiptPath("07-tendermint-1", 255)));
    assertEquals("0x" + Hex.encode("07-tendermint-1".getBytes(StandardCharsets.US_ASCII))
        + "03" + "0100000000000000",
        Hex.encode0x(PacketCommitment.acknowledgementPath("07-tendermint-1", 1L << 56)));
    Set<ByteKey> slots = new HashSet<>();
    for (String client : List.of("chorus-client-0", "chorus-client-1")) {
      for (long sequence = 1; sequence <= 3; sequence++) {
        slots.add(new ByteKey(PacketCommitment.slot(PacketCommitment.commitmentPath(client,
            sequence))));
        slots.add(new ByteKey(PacketCommitment.slot(PacketCommitment.receiptPath(client,
            sequence))));
        slots.add(new ByteKey(PacketCommitment.slot(PacketCommitment.acknowledgementPath(client,
            sequence))));
      }
    }
    assertEquals(18, slots.size());
  }

  @Test
  void refusesPacketsOutsideTheIdentifierRules() {
    Packet.Payload p = ibcTransfer().payload();
    assertThrows(IllegalArgumentException.class, () -> new Packet("short", "07-tendermint-1",
        1, 100, p));
    assertThrows(IllegalArgumentException.class, () -> new Packet("07-tendermint/0",
        "07-tendermint-1", 1, 100, p));
    assertThrows(IllegalArgumentException.class, () -> new Packet("07-tendermint-0",
        "07-tendermint-1", 0, 100, p));
    assertThrows(IllegalArgumentException.class, () -> new Packet("07-tendermint-0",
        "07-tendermint-1", 1, 0, p));
    assertThrows(IllegalArgumentException.class, () -> new Packet.Payload("a", "transfer",
        "v", "e", new byte[0]));
    assertThrows(IllegalArgumentException.class, () -> new Packet.Payload("transfer",
        "transfer", "", "e", new byte[0]));
    assertThrows(IllegalArgumentException.class, () -> new Packet.Payload("transfer",
        "transfer", "v", "e", new byte[Limits.PAYLOAD_BYTES_MAX + 1]));
  }

  private static Packet with(Packet base, Packet.Payload payload) {
    return new Packet(base.sourceClient(), base.destClient(), base.sequence(),
        base.timeoutSeconds(), payload);
  }
}
