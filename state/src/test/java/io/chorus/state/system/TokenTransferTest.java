package io.chorus.state.system;

import static io.chorus.state.system.CrossChainPair.*;
import static io.chorus.state.system.CrossChainRoute.acknowledgementOf;
import static io.chorus.state.system.CrossChainRoute.packetOf;
import static io.chorus.state.system.CrossChainRoute.refusalOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.esaulpaugh.headlong.abi.Function;
import com.esaulpaugh.headlong.abi.Tuple;
import com.esaulpaugh.headlong.abi.TupleType;
import io.chorus.crosschain.PacketCommitment;
import io.chorus.crypto.CryptoSuite;
import io.chorus.evm.Address;
import io.chorus.state.TransactionResult;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The ICS-20-like token transfer ({@code xapps/TokenTransfer.sol}, compiled by solc) deployed on
 * two chains run by the real state transition, one in each suite, and relayed both ways
 * ({@link CrossChainRoute}). Method: balances are read from the contracts' own views after every
 * step, and the two conservation laws checked at rest: A's escrow of the token equals B's
 * voucher supply, and Alice's tokens plus Bob's vouchers stay what Alice started with. Replays,
 * forgeries and an impostor application must leave every balance as it was; refunds must give
 * back exactly what was taken, once.
 */
class TokenTransferTest {
  static final Function SEND =
      Function.parse("send(string,uint256,string,string,uint64,string)", "(uint64)");
  static final Function APPROVE = Function.parse("approve(address,uint256)");
  static final Function TRANSFER = Function.parse("transfer(address,uint256)");
  static final TupleType<Tuple> PACKET_DATA =
      TupleType.parse("((string,string,string,uint256,string))");
  static final String VERSION = "ics20-1";
  static final String ENCODING = "application/x-solidity-abi";
  static final long ALICE_TOKENS = 1_000;
  /** Alice holds the token on A; Bob is on B; Mallory is on A too. */
  static final int ALICE = 1;
  static final int BOB = 2;
  static final int MALLORY = 3;

  static Stream<CryptoSuite> suites() {
    return Stream.of(CryptoSuite.ethereum(), CryptoSuite.sm());
  }

  /** The transfer application on A and B, and a token on A of which Alice holds 1,000. */
  record Setup(Chains c, CrossChainRoute aToB, Address appA, Address appB, Address token) {
    static Setup of(CryptoSuite suite) {
      return of(connected(suite));
    }

    static Setup of(Chains c) {
      CrossChainRoute route = CrossChainRoute.aToB(c);
      Address[] apps = XApps.deployPair(route, "TokenTransfer");
      NotaryChain a = c.a().chain();
      Address token = XApps.deploy(a, "SimpleToken",
          TupleType.parse("(uint256)").encode(Tuple.singleton(
              BigInteger.valueOf(1_000_000))).array());
      succeeds(XApps.call(a, 0, token, TRANSFER, Abi.toAbi(a.accounts[ALICE]),
          BigInteger.valueOf(ALICE_TOKENS)));
      succeeds(XApps.call(a, ALICE, token, APPROVE, Abi.toAbi(apps[0]),
          BigInteger.valueOf(ALICE_TOKENS)));
      return new Setup(c, route, apps[0], apps[1], token);
    }

    NotaryChain a() {
      return c.a().chain();
    }

    NotaryChain b() {
      return c.b().chain();
    }

    /** The token's voucher on B, traced as ICS-20 traces it: B's port, B's client, the token. */
    String voucher() {
      return appB + "/" + ON_B + "/" + token;
    }

    long tokens(Address holder) {
      return this.<BigInteger>tokenView("balanceOf(address)", Abi.toAbi(holder)).longValueExact();
    }

    <T> T tokenView(String signature, Object... args) {
      return XApps.view(a(), token, signature, "(uint256)", args);
    }

    long escrow() {
      return XApps.<BigInteger>view(a(), appA, "escrowOf(string,address)", "(uint256)", ON_A,
          Abi.toAbi(token)).longValueExact();
    }

    long vouchers(Address holder) {
      return XApps.<BigInteger>view(b(), appB, "balanceOf(string,address)", "(uint256)",
          voucher(), Abi.toAbi(holder)).longValueExact();
    }

    long supply() {
      return XApps.<BigInteger>view(b(), appB, "totalSupply(string)", "(uint256)", voucher())
          .longValueExact();
    }

    /** Alice sends {@code amount} of the token from A to {@code receiver} on B. */
    TransactionResult sendFromA(long amount, String receiver) {
      return XApps.call(a(), ALICE, appA, SEND, token.toString(), BigInteger.valueOf(amount),
          receiver, ON_A, timeout(), "");
    }

    /** Bob sends {@code amount} of his vouchers from B back to {@code receiver} on A. */
    TransactionResult sendFromB(long amount, String receiver) {
      return XApps.call(b(), BOB, appB, SEND, voucher(), BigInteger.valueOf(amount), receiver,
          ON_B, timeout(), "");
    }

    /** Ten minutes after the later of the two chains' times (a test moves one alone). */
    BigInteger timeout() {
      return BigInteger.valueOf(Math.max(a().timestamp(), b().timestamp()) + 600);
    }

    /** Nothing in flight: every voucher is backed by escrow, and no value was made or lost. */
    void conserved() {
      assertEquals(escrow(), supply(), "A's escrow backs B's vouchers");
      assertEquals(ALICE_TOKENS, tokens(a().accounts[ALICE]) + vouchers(b().accounts[BOB]),
          "Alice's tokens and Bob's vouchers");
    }

    /** Alice's and Bob's holdings, and the escrow and supply, as one comparable value. */
    String balances() {
      return tokens(a().accounts[ALICE]) + "/" + tokens(a().accounts[MALLORY]) + "/" + escrow()
          + "/" + vouchers(b().accounts[BOB]) + "/" + supply();
    }
  }

  @ParameterizedTest
  @MethodSource("suites")
  void aTokenCrossesAsAVoucherAndReturnsReleasingTheEscrowOnce(CryptoSuite suite) {
    Setup s = Setup.of(suite);
    Address alice = s.a().accounts[ALICE];
    Address bob = s.b().accounts[BOB];
    Tuple out = packetOf(succeeds(s.sendFromA(300, bob.toString())));
    assertEquals(longs(700, 300, 0), longs(s.tokens(alice), s.escrow(), s.supply()),
        "escrowed when sent, nothing minted yet");
    TransactionResult received = succeeds(s.aToB().receive(out));
    assertArrayEquals(new byte[] {1}, acknowledgementOf(received));
    assertEquals(300, s.vouchers(bob));
    succeeds(s.aToB().acknowledge(out, received));
    assertEquals(700, s.tokens(alice), "no refund on success");
    s.conserved();

    CrossChainRoute back = s.aToB().back();
    Tuple home = packetOf(succeeds(s.sendFromB(100, alice.toString())));
    assertEquals(longs(200, 200, 300), longs(s.vouchers(bob), s.supply(), s.escrow()),
        "burnt when sent back; the escrow waits for the packet");
    // The packet with its amount doubled: the proof of what A's router committed refuses it.
    Tuple payload = home.get(4);
    Tuple data = PACKET_DATA.decode((byte[]) payload.get(4)).get(0);
    byte[] inflated = PACKET_DATA.encode(Tuple.singleton(Tuple.of(data.get(0), data.get(1),
        data.get(2), BigInteger.valueOf(200), data.get(4)))).array();
    String inFlight = s.balances();
    assertReverts("holds", back.receive(with(home, 4, Tuple.of(payload.get(0), payload.get(1),
        payload.get(2), payload.get(3), inflated))));
    assertEquals(inFlight, s.balances(), "a forgery moves nothing");
    TransactionResult returned = succeeds(back.receive(home));
    assertArrayEquals(new byte[] {1}, acknowledgementOf(returned));
    assertEquals(longs(800, 200, 200), longs(s.tokens(alice), s.escrow(), s.supply()));
    s.conserved();

    String before = s.balances();
    s.a().nextBlock();
    assertReverts("already received", back.receive(home));
    assertEquals(before, s.balances(), "the escrow is released once");
    succeeds(back.acknowledge(home, returned));
    assertEquals(before, s.balances(), "no refund on success");
    s.conserved();
  }

  @ParameterizedTest
  @MethodSource("suites")
  void anImpostorClaimingAReturnReleasesNoEscrow(CryptoSuite suite) {
    Setup s = Setup.of(suite);
    TransactionResult sent = succeeds(s.sendFromA(300, s.b().accounts[BOB].toString()));
    succeeds(s.aToB().receive(packetOf(sent)));
    // A contract on B that is not A's peer sends, as itself, what a return of the token from
    // it would look like: its own port and client before the token's address.
    PortApp.install(s.b(), PortApp.OTHER, PortApp.Mode.ACKNOWLEDGE);
    Address mallory = s.a().accounts[MALLORY];
    byte[] claim = PACKET_DATA.encode(Tuple.singleton(Tuple.of(PortApp.OTHER + "/" + ON_B + "/"
        + s.token(), PortApp.OTHER.toString(), mallory.toString(), BigInteger.valueOf(300), "")))
        .array();
    Tuple forged = packetOf(succeeds(s.b().send(0, PortApp.OTHER, CrossChainPair.SEND
        .encodeCallWithArgs(ON_B, s.timeout(),
            s.appA().toString(), VERSION, ENCODING, claim).array())));
    String before = s.balances();
    TransactionResult received = succeeds(s.aToB().back().receive(forged));
    assertArrayEquals(PacketCommitment.errorAcknowledgement(s.a().suite),
        acknowledgementOf(received));
    assertEquals("the packet's source port is not this client's transfer peer",
        refusalOf(received));
    assertEquals(0, s.tokens(mallory));
    assertEquals(before, s.balances());
    s.conserved();
  }

  @ParameterizedTest
  @MethodSource("suites")
  void aTransferTheReceiverRefusesIsRefunded(CryptoSuite suite) {
    Setup s = Setup.of(suite);
    Address alice = s.a().accounts[ALICE];
    Tuple toNobody = packetOf(succeeds(s.sendFromA(100,
        "0x0000000000000000000000000000000000000000")));
    Tuple toAName = packetOf(succeeds(s.sendFromA(50, "bob")));
    assertEquals(longs(850, 150, 0), longs(s.tokens(alice), s.escrow(), s.supply()));
    TransactionResult nobody = succeeds(s.aToB().receive(toNobody));
    assertEquals("the receiver cannot take vouchers", refusalOf(nobody));
    TransactionResult name = succeeds(s.aToB().receive(toAName));
    assertEquals("the receiver is not an address in 0x-hex", refusalOf(name));
    assertEquals(0, s.supply(), "nothing minted");
    succeeds(s.aToB().acknowledge(toNobody, nobody));
    assertEquals(longs(950, 50), longs(s.tokens(alice), s.escrow()), "refunded once");
    succeeds(s.aToB().acknowledge(toAName, name));
    assertEquals(longs(ALICE_TOKENS, 0), longs(s.tokens(alice), s.escrow()));
    assertReverts("no commitment", s.aToB().acknowledge(toAName, name));
    assertEquals(ALICE_TOKENS, s.tokens(alice), "a second acknowledgement refunds nothing");
    s.conserved();
  }

  @ParameterizedTest
  @MethodSource("suites")
  void aTransferTimedOutIsRefundedTokensAndVouchersAlike(CryptoSuite suite) {
    Setup s = Setup.of(suite);
    Address alice = s.a().accounts[ALICE];
    Address bob = s.b().accounts[BOB];
    Tuple lost = packetOf(succeeds(s.sendFromA(100, bob.toString())));
    succeeds(s.aToB().timeOut(lost));
    assertEquals(longs(ALICE_TOKENS, 0), longs(s.tokens(alice), s.escrow()),
        "the escrow went back");
    assertReverts("timed out", s.aToB().receive(lost));
    assertEquals(0, s.supply(), "a timed-out packet is never received");

    Tuple out = packetOf(succeeds(s.sendFromA(300, bob.toString())));
    succeeds(s.aToB().acknowledge(out, succeeds(s.aToB().receive(out))));
    Tuple home = packetOf(succeeds(s.sendFromB(120, alice.toString())));
    assertEquals(180, s.vouchers(bob));
    succeeds(s.aToB().back().timeOut(home));
    assertEquals(longs(300, 300, 300), longs(s.vouchers(bob), s.supply(), s.escrow()),
        "the burnt vouchers minted again");
    assertEquals(700, s.tokens(alice));
    s.conserved();
  }

  /** Several balances compared as one value, so that a failure shows them all. */
  private static List<Long> longs(long... values) {
    return Arrays.stream(values).boxed().toList();
  }
}
