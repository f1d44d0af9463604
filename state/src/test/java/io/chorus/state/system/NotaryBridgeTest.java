package io.chorus.state.system;

import static io.chorus.state.system.CrossChainPair.*;
import static io.chorus.state.system.CrossChainRoute.acknowledgementOf;
import static io.chorus.state.system.CrossChainRoute.packetOf;
import static io.chorus.state.system.CrossChainRoute.refusalOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.esaulpaugh.headlong.abi.Event;
import com.esaulpaugh.headlong.abi.Function;
import com.esaulpaugh.headlong.abi.Tuple;
import com.esaulpaugh.headlong.abi.TupleType;
import io.chorus.crosschain.PacketCommitment;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.Keccak256;
import io.chorus.evm.Address;
import io.chorus.state.TransactionResult;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Cross-chain notarization ({@code xapps/NotaryBridge.sol}, compiled by solc) on two chains
 * run by the real state transition, one in each suite: a record deposited in A's notary system
 * contract, sent by the bridge on A (which reads the record from the notary itself) and proven
 * on B. Method: what B answers for the record is compared field by field with what A's notary
 * holds; the acknowledgement and the sender's view of it must say stored, then duplicate; a
 * packet from any contract but the bound peer must be refused with nothing stored, and the
 * genuine proof of the same record must then be stored.
 */
class NotaryBridgeTest {
  static final Function NOTARIZE = Function.parse("Notarize(string,uint8,bytes,string,string)");
  static final Function UPDATE = Function.parse("Update(string,uint8,bytes,string)");
  static final Function PROVE = Function.parse("prove(string,string,uint64)", "(uint64)");
  static final String PROVEN_RECORD =
      "(bytes32,bytes32,address,uint32,uint8,bool,uint64,uint64,uint64,string)";
  static final TupleType<Tuple> RECORD = TupleType.parse(
      "((string,uint32,uint8,bytes32,string,string,address,uint64,uint64,bool))");
  static final Event<?> RECORD_PROVEN = Event.create("RecordProven",
      TupleType.parse("(string,string,uint32,bytes32,string)"), false, false, false, false,
      false);
  static final String ID = "HT-2026-001";
  static final String METADATA = "{\"title\":\"采购合同\"}";
  static final int SHA256 = 2;
  /** The depositor on A, and anyone (who asks for the proof). */
  static final int DEPOSITOR = 1;
  static final int ANYONE = 3;

  static Stream<CryptoSuite> suites() {
    return Stream.of(CryptoSuite.ethereum(), CryptoSuite.sm());
  }

  record Setup(Chains c, CrossChainRoute aToB, Address bridgeA, Address bridgeB) {
    static Setup of(CryptoSuite suite) {
      Chains c = connected(suite);
      CrossChainRoute route = CrossChainRoute.aToB(c);
      Address[] bridges = XApps.deployPair(route, "NotaryBridge");
      return new Setup(c, route, bridges[0], bridges[1]);
    }

    NotaryChain a() {
      return c.a().chain();
    }

    NotaryChain b() {
      return c.b().chain();
    }

    TransactionResult prove(String id) {
      return XApps.call(a(), ANYONE, bridgeA, PROVE, id, ON_A,
          BigInteger.valueOf(Math.max(a().timestamp(), b().timestamp()) + 600));
    }

    Tuple provenOnB(int version) {
      return b().viewOf(bridgeB, "provenRecord(string,string,uint32)", "(" + PROVEN_RECORD + ")",
          ON_B, ID, (long) version).get(0);
    }

    int deliveryOnA(long sequence) {
      return XApps.view(a(), bridgeA, "deliveryOf(string,uint64)", "(uint8)", ON_A,
          BigInteger.valueOf(sequence));
    }
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  @ParameterizedTest
  @MethodSource("suites")
  void aRecordNotarizedOnAIsProvenOnBOnceThenAnsweredAsADuplicate(CryptoSuite suite) {
    Setup s = Setup.of(suite);
    NotaryChain a = s.a();
    byte[] hash = a.content("contract.pdf");
    a.notary(DEPOSITOR, NOTARIZE.encodeCallWithArgs(ID, SHA256, hash, "contract", METADATA)
        .array());
    long notarizedIn = a.number;
    long notarizedAt = a.timestamp();
    a.nextBlock();

    Tuple packet = packetOf(succeeds(s.prove(ID)));
    Tuple carried = RECORD.decode((byte[]) ((Tuple) packet.get(4)).get(4)).get(0);
    assertEquals(ID, carried.get(0));
    assertArrayEquals(hash, carried.get(3), "the packet carries what the notary holds");
    TransactionResult received = succeeds(s.aToB().receive(packet));
    assertEquals("stored", text(acknowledgementOf(received)));
    Tuple proven = s.provenOnB(0);
    assertArrayEquals(hash, proven.get(0));
    assertArrayEquals(Keccak256.INSTANCE.hash(METADATA.getBytes(StandardCharsets.UTF_8)),
        proven.get(1));
    assertEquals(Abi.toAbi(a.accounts[DEPOSITOR]), proven.get(2));
    assertEquals(1L, (long) proven.get(3));
    assertEquals(SHA256, (int) proven.get(4));
    assertTrue((boolean) proven.get(5), "a type without a policy is attested at once");
    assertEquals(List.of(BigInteger.valueOf(notarizedIn),
        BigInteger.valueOf(notarizedAt), BigInteger.valueOf(s.b().number), "contract"),
        List.of(proven.get(6), proven.get(7), proven.get(8), proven.get(9)));
    assertEquals(proven, s.provenOnB(1), "version 0 is the latest");
    assertEquals(METADATA, logged(received, RECORD_PROVEN).get(4));
    assertEquals(0, s.deliveryOnA(1), "pending until acknowledged");
    succeeds(s.aToB().acknowledge(packet, received));
    assertEquals(1, s.deliveryOnA(1), "stored");

    Tuple again = packetOf(succeeds(s.prove(ID)));
    TransactionResult duplicate = succeeds(s.aToB().receive(again));
    assertEquals("duplicate", text(acknowledgementOf(duplicate)));
    succeeds(s.aToB().acknowledge(again, duplicate));
    assertEquals(2, s.deliveryOnA(2), "duplicate");
    assertEquals(proven, s.provenOnB(1), "the first proof stands");

    byte[] revised = a.content("contract v2.pdf");
    a.notary(DEPOSITOR, UPDATE.encodeCallWithArgs(ID, SHA256, revised, METADATA).array());
    Tuple second = packetOf(succeeds(s.prove(ID)));
    assertEquals("stored", text(acknowledgementOf(succeeds(
        s.aToB().receive(second)))));
    assertArrayEquals(revised, s.provenOnB(0).get(0), "the latest is version 2");
    assertArrayEquals(hash, s.provenOnB(1).get(0), "version 1 kept");

    TransactionResult unknown = s.prove("no-such-record");
    assertFalse(unknown.success(), "the notary refuses an unknown id: nothing is sent");
  }

  @ParameterizedTest
  @MethodSource("suites")
  void aPacketFromAContractOtherThanThePeerIsRefused(CryptoSuite suite) {
    Setup s = Setup.of(suite);
    NotaryChain a = s.a();
    byte[] hash = a.content("forged.pdf");
    // A contract on A that is not B's peer sends, as itself, a record its notary never held.
    PortApp.install(a, PortApp.OTHER, PortApp.Mode.ACKNOWLEDGE);
    byte[] claim = RECORD.encode(Tuple.singleton(Tuple.from(ID, 1L, SHA256, hash, "contract",
        METADATA, Abi.toAbi(a.accounts[DEPOSITOR]), BigInteger.ONE, BigInteger.ONE, true)))
        .array();
    Tuple forged = packetOf(succeeds(a.send(0, PortApp.OTHER, CrossChainPair.SEND
        .encodeCallWithArgs(ON_A, BigInteger.valueOf(s.b().timestamp() + 600),
            s.bridgeB().toString(), "chorus-notary-1", "application/x-solidity-abi", claim)
        .array())));
    TransactionResult refused = succeeds(s.aToB().receive(forged));
    assertArrayEquals(PacketCommitment.errorAcknowledgement(s.b().suite),
        acknowledgementOf(refused));
    assertEquals("the packet's source port is not this client's notary peer",
        refusalOf(refused));
    assertEquals("no such record proven through this client", s.b().viewRefusedBy(
        s.bridgeB(), "provenRecord(string,string,uint32)", ON_B, ID, 0L));

    a.notary(DEPOSITOR, NOTARIZE.encodeCallWithArgs(ID, SHA256, a.content("genuine.pdf"),
        "contract", METADATA).array());
    Tuple genuine = packetOf(succeeds(s.prove(ID)));
    assertEquals("stored", text(acknowledgementOf(succeeds(
        s.aToB().receive(genuine)))));
    assertArrayEquals(a.content("genuine.pdf"), s.provenOnB(0).get(0));
  }
}
