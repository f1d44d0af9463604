package io.chorus.state.system;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.esaulpaugh.headlong.abi.Function;
import com.esaulpaugh.headlong.abi.Tuple;
import io.chorus.crypto.CryptoSuite;
import io.chorus.evm.Address;
import io.chorus.evm.Log;
import io.chorus.state.TransactionResult;
import java.math.BigInteger;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The cross-chain system contract on a chain run by the real state transition, following a
 * second such chain in the other suite ({@link SourceBlocks}: headers over its real state roots,
 * its validator account 5 sealing). Method: clients are created by vote only, moved forward by
 * transactions, and every refusal of the light client is asserted as the revert reason the
 * transaction returns, with the client's stored state unchanged by it.
 */
class CrossChainContractTest {
  private static final String CLIENT = "chorus-client-0";
  private static final String COUNTERPARTY = "chorus-client-7";
  private static final Function SUBMIT = Function.parse("submitTrustedHeader(string,bytes,bytes)");
  private static final Function UPDATE = Function.parse("updateClient(string,bytes,bytes,bytes)");
  private static final Function MISBEHAVIOUR =
      Function.parse("submitMisbehaviour(string,bytes,bytes,bytes,bytes)");

  /** The source chain's suite; the destination runs the other one. */
  static Stream<CryptoSuite> suites() {
    return Stream.of(CryptoSuite.ethereum(), CryptoSuite.sm());
  }

  private record Chains(NotaryChain destination, SourceBlocks source) {}

  private static Chains chains(CryptoSuite sourceSuite) {
    CryptoSuite other = sourceSuite.name().equals("sm") ? CryptoSuite.ethereum()
        : CryptoSuite.sm();
    return new Chains(new NotaryChain(other), new SourceBlocks(new NotaryChain(sourceSuite)));
  }

  private static void vote(Chains c, SourceBlocks.Block trusted) {
    c.destination().pass(ProposalKind.CROSSCHAIN_CLIENT, ProposalKind.CROSSCHAIN_CLIENT.encode(
        CLIENT, NotaryChain.CHAIN_ID, c.source().chain.suite.name().equals("sm") ? 1 : 0,
        c.source().source.genesisHash(), BigInteger.valueOf(trusted.number()),
        c.source().chain.suite.hash(trusted.header()), COUNTERPARTY));
  }

  private static TransactionResult send(Chains c, Function f, Object... args) {
    return c.destination().send(0, SystemContracts.CROSSCHAIN, f.encodeCallWithArgs(args)
        .array());
  }

  private static void assertReverts(String expected, TransactionResult result) {
    assertTrue(!result.success(), "the call should have reverted");
    String reason = NotaryChain.reason(result);
    assertTrue(reason.contains(expected), () -> "reverted, but for: " + reason);
  }

  private static TransactionResult submit(Chains c, SourceBlocks.Block block) {
    return send(c, SUBMIT, CLIENT, block.header(), c.source().forCreate(block).encode());
  }

  private static TransactionResult update(Chains c, SourceBlocks.Block block, long changes,
      int... signers) {
    return send(c, UPDATE, CLIENT, block.header(), c.source().certificate(block, signers),
        c.source().forUpdate(block, changes).encode());
  }

  /** A client created at the source's current block. */
  private static SourceBlocks.Block created(Chains c) {
    SourceBlocks.Block trusted = c.source().seal();
    vote(c, trusted);
    TransactionResult result = submit(c, trusted);
    assertTrue(result.success(), () -> NotaryChain.reason(result));
    return trusted;
  }

  private static Tuple clientState(Chains c) {
    return c.destination().viewOf(SystemContracts.CROSSCHAIN, "clientState(string)",
        "(uint8,uint256,uint8,bytes32,uint64,bytes32,uint64,uint64,string)", CLIENT);
  }

  private static long height(Chains c) {
    return ((BigInteger) clientState(c).get(4)).longValueExact();
  }

  private static int status(Chains c) {
    return clientState(c).get(0);
  }

  @ParameterizedTest
  @MethodSource("suites")
  void aClientIsCreatedByVoteAndItsHeaderOnly(CryptoSuite suite) {
    Chains c = chains(suite);
    SourceBlocks.Block trusted = c.source().seal();
    assertReverts("awaits no trusted header: it is none", submit(c, trusted));
    vote(c, trusted);
    assertEquals(1, status(c));
    assertEquals(trusted.number(), height(c), "a voted client reports the height it awaits");
    assertArrayEquals(suite.hash(trusted.header()), (byte[]) clientState(c).get(5));
    c.source().chain.nextBlock();
    assertReverts("the vote trusted", submit(c, c.source().seal()));
    TransactionResult created = submit(c, trusted);
    assertTrue(created.success(), () -> NotaryChain.reason(created));
    Tuple state = clientState(c);
    assertEquals(2, status(c));
    assertEquals(NotaryChain.CHAIN_ID, state.get(1));
    assertEquals(trusted.number(), height(c));
    assertArrayEquals(suite.hash(trusted.header()), (byte[]) state.get(5));
    assertEquals(COUNTERPARTY, state.get(8));
    assertEquals(1, created.logs().size());
    assertEquals(Abi.topic0(CrossChainContract.CLIENT_CREATED), created.logs().get(0).topics()
        .get(0));
    assertReverts("it is active", submit(c, trusted));
  }

  @ParameterizedTest
  @MethodSource("suites")
  void updatesMoveTheClientForwardAndKeepTheStateRoots(CryptoSuite suite) {
    Chains c = chains(suite);
    SourceBlocks.Block trusted = created(c);
    c.source().chain.nextBlock();
    c.source().chain.nextBlock();
    SourceBlocks.Block next = c.source().seal();
    TransactionResult result = update(c, next, 0, 5);
    assertTrue(result.success(), () -> NotaryChain.reason(result));
    assertEquals(BigInteger.valueOf(next.number()),
        Function.parse("f()", "(uint64)").getOutputs().decode(result.output()).get(0));
    assertEquals(next.number(), height(c));
    assertEquals(BigInteger.valueOf(next.number()), c.destination().viewOf(SystemContracts.CROSSCHAIN, 
        "verifiedHeight(string)", "(uint64)", CLIENT).get(0));
    assertArrayEquals(next.state().rootHash(), c.destination().viewOf(SystemContracts.CROSSCHAIN, 
        "stateRootAt(string,uint64)", "(bytes32)", CLIENT, BigInteger.valueOf(next.number()))
        .get(0));
    assertArrayEquals(trusted.state().rootHash(), c.destination().viewOf(SystemContracts.CROSSCHAIN, 
        "stateRootAt(string,uint64)", "(bytes32)", CLIENT,
        BigInteger.valueOf(trusted.number())).get(0));
    assertTrue(c.destination().viewRefusedBy(SystemContracts.CROSSCHAIN, "stateRootAt(string,uint64)", CLIENT,
        BigInteger.valueOf(next.number() - 1)).contains("has not verified block"));
    Log log = result.logs().get(0);
    assertEquals(SystemContracts.CROSSCHAIN, log.address());
    Tuple logged = CrossChainContract.CLIENT_UPDATED.getNonIndexedParams().decode(log.data());
    assertEquals(CLIENT, logged.get(0));
    assertArrayEquals(next.state().rootHash(), (byte[]) logged.get(3));
  }

  @ParameterizedTest
  @MethodSource("suites")
  void theLightClientsRefusalsRevertWithItsReasons(CryptoSuite suite) {
    Chains c = chains(suite);
    SourceBlocks.Block trusted = created(c);
    c.source().chain.nextBlock();
    SourceBlocks.Block next = c.source().seal();
    assertReverts("does not prove it final", update(c, next, 0, 0));
    assertReverts("malformed", send(c, UPDATE, CLIENT, next.header(), new byte[] {1, 2},
        c.source().forUpdate(next, 0).encode()));
    assertTrue(update(c, next, 0, 5).success());
    assertReverts("does not move back", update(c, backwards(c, trusted), 0, 5));
    c.source().chain.pass(ProposalKind.ADD_VALIDATOR, ProposalKind.ADD_VALIDATOR.encode(
        c.source().chain.keys[6].publicKey()));
    long changeBlock = c.source().chain.number;
    c.source().chain.nextBlock();
    assertReverts("update to block " + changeBlock + " first",
        update(c, c.source().seal(), 0, 5, 6));
    assertEquals(next.number(), height(c));
    assertEquals(2, status(c));
    assertReverts("is not active: it is none", send(c, UPDATE, "chorus-client-x", next.header(), new byte[0],
        new byte[0])); // an unknown id: nothing to update
  }

  /** Block {@code trusted.number() - 1} does not exist: an earlier block, forged by account 5. */
  private static SourceBlocks.Block backwards(Chains c, SourceBlocks.Block trusted) {
    long number = c.source().chain.number;
    c.source().chain.number = trusted.number() - 1;
    SourceBlocks.Block earlier = c.source().seal();
    c.source().chain.number = number;
    return earlier;
  }

  @ParameterizedTest
  @MethodSource("suites")
  void twoCertifiedBlocksAtOneHeightFreezeTheClientUntilAVoteReplacesIt(CryptoSuite suite) {
    Chains c = chains(suite);
    created(c);
    c.source().chain.nextBlock();
    SourceBlocks.Block one = c.source().seal();
    SourceBlocks.Block twin = c.source().seal("twin");
    byte[] oneSealed = c.source().certificate(one, 5);
    assertReverts("does not prove it final", send(c, MISBEHAVIOUR, CLIENT, one.header(),
        oneSealed, twin.header(), c.source().certificate(twin, 0)));
    assertEquals(2, status(c), "a forged conflict freezes nothing");
    TransactionResult frozen = send(c, MISBEHAVIOUR, CLIENT, one.header(), oneSealed,
        twin.header(), c.source().certificate(twin, 5));
    assertTrue(frozen.success(), () -> NotaryChain.reason(frozen));
    assertEquals(3, status(c));
    Address validator = c.source().chain.accounts[5];
    Tuple evidence = c.destination().viewOf(SystemContracts.CROSSCHAIN, "evidence(string)",
        "(uint64,bytes32,address[],bytes32,address[])", CLIENT);
    assertEquals(BigInteger.valueOf(one.number()), evidence.get(0));
    assertArrayEquals(suite.hash(twin.header()), (byte[]) evidence.get(3));
    assertEquals(List.of(validator), List.of(
        (com.esaulpaugh.headlong.abi.Address[]) evidence.get(4)).stream().map(Abi::fromAbi)
        .toList());
    Tuple logged = CrossChainContract.CLIENT_FROZEN.getNonIndexedParams().decode(
        frozen.logs().get(0).data());
    assertEquals(validator, Abi.fromAbi(((com.esaulpaugh.headlong.abi.Address[])
        logged.get(4))[0]));
    assertReverts("the client is frozen", update(c, one, 0, 5));
    SourceBlocks.Block fresh = c.source().seal();
    vote(c, fresh);
    assertEquals(1, status(c), "a vote replaces the frozen client");
    assertTrue(c.destination().viewRefusedBy(SystemContracts.CROSSCHAIN, "stateRootAt(string,uint64)", CLIENT,
        BigInteger.valueOf(one.number())).contains("has verified nothing"));
  }
}
