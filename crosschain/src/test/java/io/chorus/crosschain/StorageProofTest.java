package io.chorus.crosschain;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chorus.codec.ByteKey;
import io.chorus.crypto.CryptoSuite;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Membership and non-membership of router entries against a height the client verified, in
 * both suites, with proofs from real tries: the honest proofs pass, and every way of bending
 * one (a tampered, extra or missing node, another slot's or account's path, an exclusion proof
 * for a present key, an empty proof, an unverified height) is refused with its reason.
 */
class StorageProofTest {
  private static final String SOURCE_CLIENT = "chorus-client-0";

  static Stream<CryptoSuite> suites() {
    return Stream.of(CryptoSuite.ethereum(), CryptoSuite.sm());
  }

  /**
   * A client verified at block 2, whose router holds the commitments of packets 1 to 3 and the
   * receipt of a packet 2 it received.
   */
  private record Setup(SourceFixture source, ClientOwner owner, SourceFixture.Block block,
      byte[] slot, byte[] commitment) {
    AccountProof proof(byte[] slot) {
      return source.routerProof(block, slot);
    }

    void member(byte[] slot, byte[] value, AccountProof proof) {
      owner.client.verifyMembership(owner, 2, SourceFixture.ROUTER, slot, value, proof);
    }

    void absent(byte[] slot, AccountProof proof) {
      owner.client.verifyNonMembership(owner, 2, SourceFixture.ROUTER, slot, proof);
    }
  }

  private static Setup setup(CryptoSuite suite) {
    SourceFixture source = new SourceFixture(suite, 77, "source");
    SourceFixture.Block trusted = source.block(1, 1_000);
    ClientOwner owner = new ClientOwner(LightClient.create(source.chain, trusted.header(),
        source.forCreate(trusted)));
    byte[] first = null;
    byte[] firstSlot = null;
    for (long sequence = 1; sequence <= 3; sequence++) {
      Packet packet = new Packet(SOURCE_CLIENT, "chorus-client-7", sequence, 5_000,
          new Packet.Payload("0x00000000000000000000000000000000000000aa",
              "0x00000000000000000000000000000000000000bb", "chorus-1", "application/x-rlp",
              ("payload " + sequence).getBytes(StandardCharsets.US_ASCII)));
      byte[] slot = PacketCommitment.slot(PacketCommitment.commitmentPath(SOURCE_CLIENT,
          sequence));
      byte[] commitment = PacketCommitment.commitment(suite, packet);
      source.store(slot, commitment);
      if (first == null) {
        first = commitment;
        firstSlot = slot;
      }
    }
    // The same router also received packet 2 of another client, in block 2.
    source.store(receiptSlot(2), PacketCommitment.receiptValue(2));
    SourceFixture.Block two = source.block(2, 1_002);
    owner.update(source, two, 1, 2, 3);
    return new Setup(source, owner, two, firstSlot, first);
  }

  private static byte[] receiptSlot(long sequence) {
    return PacketCommitment.slot(PacketCommitment.receiptPath("chorus-client-7", sequence));
  }

  private static void assertRefused(String expected, Runnable check) {
    String message = assertThrows(CrossChainException.class, check::run).getMessage();
    assertTrue(message.contains(expected), () -> "refused, but for: " + message);
  }

  private static AccountProof withSlotNodes(AccountProof proof, byte[] slot,
      List<byte[]> nodes) {
    return new AccountProof(proof.address(), proof.accountNodes(),
        Map.of(new ByteKey(slot), nodes));
  }

  @ParameterizedTest
  @MethodSource("suites")
  void provesACommitmentPresentAndAReceiptAbsent(CryptoSuite suite) {
    Setup s = setup(suite);
    s.member(s.slot(), s.commitment(), s.proof(s.slot()));
    byte[] receipt = receiptSlot(1);
    s.absent(receipt, s.proof(receipt));
  }

  @ParameterizedTest
  @MethodSource("suites")
  void refusesAnotherValue(CryptoSuite suite) {
    Setup s = setup(suite);
    byte[] other = s.commitment().clone();
    other[31] ^= 1;
    assertRefused("not 0x", () -> s.member(s.slot(), other, s.proof(s.slot())));
  }

  @ParameterizedTest
  @MethodSource("suites")
  void refusesATamperedNode(CryptoSuite suite) {
    Setup s = setup(suite);
    AccountProof honest = s.proof(s.slot());
    List<byte[]> nodes = new ArrayList<>(honest.slots().get(new ByteKey(s.slot())));
    byte[] last = nodes.getLast().clone();
    last[last.length - 1] ^= 1; // the value's last byte: the commitment itself
    nodes.set(nodes.size() - 1, last);
    assertRefused("does not lead from its storage root", () -> s.member(s.slot(),
        s.commitment(), withSlotNodes(honest, s.slot(), nodes)));
    List<byte[]> account = new ArrayList<>(honest.accountNodes());
    byte[] root = account.getFirst().clone();
    root[root.length / 2] ^= 1;
    account.set(0, root);
    assertRefused("does not lead from the state root", () -> s.member(s.slot(),
        s.commitment(), new AccountProof(honest.address(), account, honest.slots())));
  }

  @ParameterizedTest
  @MethodSource("suites")
  void refusesAnExtraOrAMissingNode(CryptoSuite suite) {
    Setup s = setup(suite);
    AccountProof honest = s.proof(s.slot());
    List<byte[]> nodes = honest.slots().get(new ByteKey(s.slot()));
    List<byte[]> extra = new ArrayList<>(nodes);
    extra.add(nodes.getLast());
    assertRefused("1 more node follows", () -> s.member(s.slot(), s.commitment(),
        withSlotNodes(honest, s.slot(), extra)));
    List<byte[]> missing = new ArrayList<>(nodes.subList(0, nodes.size() - 1));
    assertRefused("but the key's path continues", () -> s.member(s.slot(), s.commitment(),
        withSlotNodes(honest, s.slot(), missing)));
    List<byte[]> accountExtra = new ArrayList<>(honest.accountNodes());
    accountExtra.add(honest.accountNodes().getLast());
    assertRefused("1 more node follows", () -> s.member(s.slot(), s.commitment(),
        new AccountProof(honest.address(), accountExtra, honest.slots())));
  }

  @ParameterizedTest
  @MethodSource("suites")
  void refusesAnotherSlotsOrAccountsPath(CryptoSuite suite) {
    Setup s = setup(suite);
    byte[] second = PacketCommitment.slot(PacketCommitment.commitmentPath(SOURCE_CLIENT, 2));
    AccountProof ofSecond = s.proof(second);
    assertRefused("does not lead from its storage root", () -> s.member(s.slot(),
        s.commitment(), withSlotNodes(ofSecond, s.slot(), ofSecond.slots().get(
            new ByteKey(second)))));
    assertRefused("the proof has no path for storage slot", () -> s.member(s.slot(),
        s.commitment(), ofSecond));
    // The governance account's path, or its proof presented as the router's.
    AccountProof governance = s.source().governanceProof(s.block(),
        List.of(GovernanceSlots.changes()));
    assertRefused("the proof is of account", () -> s.member(s.slot(), s.commitment(),
        governance));
    assertRefused("does not lead from the state root", () -> s.member(s.slot(),
        s.commitment(), new AccountProof(SourceFixture.ROUTER, governance.accountNodes(),
            s.proof(s.slot()).slots())));
  }

  @ParameterizedTest
  @MethodSource("suites")
  void refusesAnExclusionProofForAPresentKey(CryptoSuite suite) {
    Setup s = setup(suite);
    assertRefused("is not empty at block 2", () -> s.absent(s.slot(), s.proof(s.slot())));
    // A timeout after a real receipt: the receipt's own proof shows it there.
    assertRefused("is not empty at block 2", () -> s.absent(receiptSlot(2),
        s.proof(receiptSlot(2))));
    s.member(receiptSlot(2), PacketCommitment.receiptValue(2), s.proof(receiptSlot(2)));
    // An absent key's proof put under the present one does not show it absent.
    byte[] receipt = receiptSlot(1);
    assertRefused("does not lead from its storage root", () -> s.absent(s.slot(),
        withSlotNodes(s.proof(receipt), s.slot(), s.proof(receipt).slots().get(
            new ByteKey(receipt)))));
  }

  @ParameterizedTest
  @MethodSource("suites")
  void refusesEmptyProofs(CryptoSuite suite) {
    Setup s = setup(suite);
    AccountProof honest = s.proof(s.slot());
    assertRefused("proof is empty", () -> s.member(s.slot(), s.commitment(),
        withSlotNodes(honest, s.slot(), List.of())));
    assertRefused("proof is empty", () -> s.absent(receiptSlot(1), new AccountProof(
        SourceFixture.ROUTER, List.of(), Map.of(new ByteKey(receiptSlot(1)), List.of()))));
  }

  @ParameterizedTest
  @MethodSource("suites")
  void provesOnlyAgainstVerifiedHeights(CryptoSuite suite) {
    Setup s = setup(suite);
    assertRefused("is not one the client verified", () -> s.owner().client.verifyMembership(
        s.owner(), 3, SourceFixture.ROUTER, s.slot(), s.commitment(), s.proof(s.slot())));
    assertRefused("which this check does not read", () -> s.member(s.slot(), s.commitment(),
        new AccountProof(SourceFixture.ROUTER, s.proof(s.slot()).accountNodes(), Map.of(
            new ByteKey(s.slot()), s.proof(s.slot()).slots().get(new ByteKey(s.slot())),
            new ByteKey(receiptSlot(1)), s.proof(receiptSlot(1)).slots().get(
                new ByteKey(receiptSlot(1)))))));
  }
}
