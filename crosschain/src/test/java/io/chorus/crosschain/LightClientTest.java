package io.chorus.crosschain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chorus.codec.ByteKey;
import io.chorus.codec.Rlp;
import io.chorus.consensus.CommitCertificate;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.KeyPair;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The light client against forgeries, in both suites, on a source chain built by hand with real
 * keys and tries ({@link SourceFixture}): each refusal is asserted with the reason it gives, so
 * a check that stopped running, or refused for another reason, fails the test. Each case starts
 * from a client created at block 1 of a four-validator chain (quorum 3).
 */
class LightClientTest {
  static Stream<CryptoSuite> suites() {
    return Stream.of(CryptoSuite.ethereum(), CryptoSuite.sm());
  }

  private static SourceFixture source(CryptoSuite suite) {
    return new SourceFixture(suite, 77, "source");
  }

  private static ClientOwner created(SourceFixture source) {
    SourceFixture.Block trusted = source.block(1, 1_000);
    return new ClientOwner(LightClient.create(source.chain, trusted.header(),
        source.forCreate(trusted)));
  }

  private static String refusal(Runnable update) {
    return assertThrows(CrossChainException.class, update::run).getMessage();
  }

  private static void assertRefused(String expected, Runnable update) {
    String message = refusal(update);
    assertTrue(message.contains(expected), () -> "refused, but for: " + message);
  }

  @ParameterizedTest
  @MethodSource("suites")
  void followsCertifiedBlocksAndRecordsTheirSigners(CryptoSuite suite) {
    SourceFixture source = source(suite);
    ClientOwner owner = created(source);
    SourceFixture.Block two = source.block(2, 1_002);
    Update.Advanced advanced = assertInstanceOf(Update.Advanced.class,
        owner.update(source, two, 1, 3, 4));
    assertEquals(2, owner.client.latestHeight());
    assertArrayEquals(suite.hash(two.header()), owner.client.latestHash());
    assertArrayEquals(two.state().rootHash(), advanced.state().stateRoot());
    assertEquals(BigInteger.valueOf(0b1101), advanced.state().signers());
    assertInstanceOf(Update.Advanced.class, owner.update(source, source.block(9, 1_009), 2, 3,
        4, 1));
    assertEquals(9, owner.client.latestHeight());
  }

  @ParameterizedTest
  @MethodSource("suites")
  void refusesTooFewSigners(CryptoSuite suite) {
    SourceFixture source = source(suite);
    ClientOwner owner = created(source);
    assertRefused("2 seals, quorum is 3", () -> owner.update(source, source.block(2, 1_002),
        1, 2));
    assertEquals(1, owner.client.latestHeight());
  }

  @ParameterizedTest
  @MethodSource("suites")
  void refusesASealByANonMember(CryptoSuite suite) {
    SourceFixture source = source(suite);
    ClientOwner owner = created(source);
    assertRefused("seal by non-validator", () -> owner.update(source,
        source.block(2, 1_002), 1, 2, 5));
  }

  @ParameterizedTest
  @MethodSource("suites")
  void refusesTheSameSignerTwice(CryptoSuite suite) {
    SourceFixture source = source(suite);
    ClientOwner owner = created(source);
    assertRefused("two seals by", () -> owner.update(source, source.block(2, 1_002), 1, 2,
        2));
  }

  @ParameterizedTest
  @MethodSource("suites")
  void refusesACertificateMadeOnAnotherChainWithTheSameKeys(CryptoSuite suite) {
    SourceFixture source = source(suite);
    ClientOwner owner = created(source);
    SourceFixture.Block two = source.block(2, 1_002);
    // The same validators' keys sealing the same header, for a chain with another id or
    // another genesis block.
    SourceChain otherId = new SourceChain(BigInteger.valueOf(78), suite,
        source.chain.genesisHash());
    SourceChain otherGenesis = new SourceChain(source.chain.chainId(), suite,
        suite.hash(new byte[] {1}));
    for (SourceChain other : List.of(otherId, otherGenesis)) {
      byte[] certificate = source.certificate(two, source.keys(1, 2, 3), other.verifier());
      assertRefused("bad seal signature", () -> owner.update(two.header(), certificate,
          source.forUpdate(two, 0)));
    }
  }

  @ParameterizedTest
  @MethodSource("suites")
  void refusesABlockOfTheSameChainInTheOtherSuite(CryptoSuite suite) {
    SourceFixture source = source(suite);
    ClientOwner owner = created(source);
    CryptoSuite other = suite.name().equals("sm") ? CryptoSuite.ethereum() : CryptoSuite.sm();
    // A twin: the same chain id, genesis hash and key seeds, run in the other suite. Its
    // state's proofs hash the other way, so they lead nowhere from a root of this suite.
    SourceFixture twin = new SourceFixture(other, 77, "source", source.chain.genesisHash());
    SourceFixture.Block twinTwo = twin.block(2, 1_002);
    assertRefused("does not lead from the state root", () -> owner.update(twinTwo.header(),
        twin.certificate(twinTwo, twin.keys(1, 2, 3)), twin.forUpdate(twinTwo, 0)));
    // Its header over this chain's state, so that only the seals are left to check: sealed as
    // the twin seals (its suite's hash of the header), or over this suite's hash, both by keys
    // of the other curve.
    SourceFixture.Block mine = source.block(2, 1_002);
    SourceFixture.Block two = twin.block(2, 1_002, "", mine.state().rootHash());
    AccountProof governance = source.forUpdate(mine, 0);
    byte[] certificate = twin.certificate(two, twin.keys(1, 2, 3));
    assertRefused("the certificate seals block", () -> owner.update(two.header(),
        certificate, governance));
    byte[] rehashed = reseal(twin, two, twin.keys(1, 2, 3), source.suite);
    assertRefused("seal by non-validator", () -> owner.update(two.header(), rehashed,
        governance));
  }

  @ParameterizedTest
  @MethodSource("suites")
  void refusesACertificateForAnotherBlockOrHeight(CryptoSuite suite) {
    SourceFixture source = source(suite);
    ClientOwner owner = created(source);
    SourceFixture.Block two = source.block(2, 1_002);
    SourceFixture.Block three = source.block(3, 1_003);
    assertRefused("the certificate is for height 3", () -> owner.update(two.header(),
        source.certificate(three, source.keys(1, 2, 3)), source.forUpdate(two, 0)));
    SourceFixture.Block twoB = source.block(2, 1_002, "other");
    assertRefused("the certificate seals block", () -> owner.update(two.header(),
        source.certificate(twoB, source.keys(1, 2, 3)), source.forUpdate(two, 0)));
  }

  @ParameterizedTest
  @MethodSource("suites")
  void neverMovesBackwards(CryptoSuite suite) {
    SourceFixture source = source(suite);
    ClientOwner owner = created(source);
    SourceFixture.Block three = source.block(3, 1_003);
    SourceFixture.Block five = source.block(5, 1_005);
    owner.update(source, five, 1, 2, 3);
    assertRefused("does not move back to block 3", () -> owner.update(source, three, 1, 2,
        3));
    // The block it verified, again: nothing changes.
    assertInstanceOf(Update.Known.class, owner.update(source, five, 2, 3, 4));
    assertEquals(5, owner.client.latestHeight());
  }

  @ParameterizedTest
  @MethodSource("suites")
  void refusesTimeThatDoesNotAdvance(CryptoSuite suite) {
    SourceFixture source = source(suite);
    ClientOwner owner = created(source);
    owner.update(source, source.block(2, 1_002), 1, 2, 3);
    assertRefused("has time 1002, not after 1002", () -> owner.update(source,
        source.block(3, 1_002), 1, 2, 3));
  }

  @ParameterizedTest
  @MethodSource("suites")
  void refusesZeroAndEmptyStateRoots(CryptoSuite suite) {
    SourceFixture source = source(suite);
    ClientOwner owner = created(source);
    SourceFixture.Block zero = source.block(2, 1_002, "", new byte[32]);
    assertRefused("all-zero state root", () -> owner.update(source, zero, 1, 2, 3));
    SourceFixture.Block empty = source.block(2, 1_002, "", io.chorus.trie.MerklePatriciaTrie
        .emptyRoot(suite.hashFunction()));
    assertRefused("the empty trie's state root", () -> owner.update(source, empty, 1, 2, 3));
    SourceFixture.Block trusted = source.block(4, 1_004, "", new byte[32]);
    assertRefused("all-zero state root", () -> LightClient.create(source.chain,
        trusted.header(), source.forCreate(source.block(4, 1_004))));
  }

  @ParameterizedTest
  @MethodSource("suites")
  void createsFromBlockZeroOnlyWhenItIsTheGenesisBlock(CryptoSuite suite) {
    SourceFixture source = source(suite);
    SourceFixture.Block zero = source.block(0, 900);
    assertRefused("not to the chain's genesis hash", () -> LightClient.create(source.chain,
        zero.header(), source.forCreate(zero)));
    SourceChain genesis = new SourceChain(source.chain.chainId(), suite,
        suite.hash(zero.header()));
    assertEquals(4, LightClient.create(genesis, zero.header(), source.forCreate(zero))
        .client().validators().size());
  }

  @ParameterizedTest
  @MethodSource("suites")
  void followsAValidatorSetChangeOnlyThroughItsOwnBlock(CryptoSuite suite) {
    SourceFixture source = source(suite);
    ClientOwner owner = created(source);
    owner.update(source, source.block(2, 1_002), 1, 2, 3);
    source.changeValidators(4, 1, 2, 3); // validator 4 removed by the state of block 4
    SourceFixture.Block four = source.block(4, 1_004);
    SourceFixture.Block six = source.block(6, 1_006);
    // Block 6, past the change, sealed by the new set or the old: refused until block 4.
    assertRefused("update to block 4 first", () -> owner.update(source, six, 1, 2));
    assertRefused("update to block 4 first", () -> owner.update(source, six, 1, 2, 3));
    // The change block is decided by the old set; its state gives the new one.
    owner.update(source, four, 2, 3, 4);
    assertEquals(1, owner.client.changes());
    assertEquals(4, owner.client.validatorsAfter());
    assertEquals(3, owner.client.validators().size());
    assertInstanceOf(Update.Advanced.class, owner.update(source, six, 1, 3));
    // The removed member's seal no longer counts, with the others' or with old-set colleagues.
    SourceFixture.Block seven = source.block(7, 1_007);
    assertRefused("seal by non-validator", () -> owner.update(source, seven, 1, 4));
    assertRefused("seal by non-validator", () -> owner.update(source, seven, 2, 3, 4));
  }

  @ParameterizedTest
  @MethodSource("suites")
  void refusesToSkipOneOfTwoChanges(CryptoSuite suite) {
    SourceFixture source = source(suite);
    ClientOwner owner = created(source);
    source.changeValidators(3, 1, 2, 3, 4, 5);
    SourceFixture.Block three = source.block(3, 1_003);
    source.changeValidators(5, 2, 3, 4, 5);
    SourceFixture.Block five = source.block(5, 1_005);
    // Block 5 is itself a change block, but the one at 3 comes first.
    assertRefused("update to block 3 first", () -> owner.update(source, five, 1, 2, 3));
    owner.update(source, three, 1, 2, 3);
    assertEquals(5, owner.client.validators().size());
    owner.update(source, five, 1, 2, 3, 4);
    assertEquals(2, owner.client.changes());
    assertEquals(4, owner.client.validators().size());
  }

  @ParameterizedTest
  @MethodSource("suites")
  void refusesAGovernanceProofFromAnotherState(CryptoSuite suite) {
    SourceFixture source = source(suite);
    ClientOwner owner = created(source);
    SourceFixture.Block three = source.block(3, 1_003);
    source.changeValidators(4, 1, 2, 3);
    SourceFixture.Block six = source.block(6, 1_006);
    // A relayer hiding the change by proving block 3's count (0) against block 6's root.
    assertRefused("does not lead from the state root", () -> owner.update(six.header(),
        source.certificate(six, source.keys(1, 2, 3)), source.forUpdate(three, 0)));
    // Or by leaving out the slot that names the change's block.
    assertRefused("no path for storage slot", () -> owner.update(six.header(),
        source.certificate(six, source.keys(1, 2, 3)),
        source.governanceProof(six, List.of(GovernanceSlots.changes()))));
    // A proof carrying a slot the update does not read is refused too.
    assertRefused("which this check does not read", () -> owner.update(three.header(),
        source.certificate(three, source.keys(1, 2, 3)), source.governanceProof(three,
            List.of(GovernanceSlots.changes(), GovernanceSlots.validatorCount()))));
  }

  @ParameterizedTest
  @MethodSource("suites")
  void aSecondCertifiedBlockAtAVerifiedHeightFreezesWithEvidence(CryptoSuite suite) {
    SourceFixture source = source(suite);
    ClientOwner owner = created(source);
    SourceFixture.Block three = source.block(3, 1_003);
    SourceFixture.Block fork = source.block(3, 1_003, "fork");
    owner.update(source, three, 1, 2, 3);
    Update.Frozen frozen = assertInstanceOf(Update.Frozen.class, owner.update(source, fork, 2,
        3, 4));
    Evidence evidence = frozen.client().frozen().orElseThrow();
    assertEquals(3, evidence.height());
    assertArrayEquals(suite.hash(three.header()), evidence.firstBlock());
    assertArrayEquals(suite.hash(fork.header()), evidence.secondBlock());
    assertEquals(addresses(source, 1, 2, 3), evidence.firstSigners());
    assertEquals(addresses(source, 2, 3, 4), evidence.secondSigners());
    assertEquals(addresses(source, 2, 3), evidence.equivocators());
    assertRefused("the client is frozen", () -> owner.update(source, source.block(4, 1_004),
        1, 2, 3));
    assertRefused("the client is frozen", () -> owner.client.verifyNonMembership(owner, 3,
        SourceFixture.ROUTER, new byte[32], source.routerProof(three, new byte[32])));
  }

  @ParameterizedTest
  @MethodSource("suites")
  void misbehaviourAheadOfTheClientFreezesIt(CryptoSuite suite) {
    SourceFixture source = source(suite);
    ClientOwner owner = created(source);
    SourceFixture.Block a = source.block(8, 1_008, "a");
    SourceFixture.Block b = source.block(8, 1_008, "b");
    LightClient frozen = owner.client.misbehaviour(a.header(),
        source.certificate(a, source.keys(1, 2, 3)), b.header(),
        source.certificate(b, source.keys(4, 3, 1)));
    assertEquals(addresses(source, 1, 3), frozen.frozen().orElseThrow().equivocators());
  }

  @ParameterizedTest
  @MethodSource("suites")
  void forgedMisbehaviourFreezesNothing(CryptoSuite suite) {
    SourceFixture source = source(suite);
    ClientOwner owner = created(source);
    SourceFixture.Block a = source.block(8, 1_008, "a");
    SourceFixture.Block b = source.block(8, 1_008, "b");
    byte[] good = source.certificate(a, source.keys(1, 2, 3));
    assertRefused("2 seals, quorum is 3", () -> owner.client.misbehaviour(a.header(), good,
        b.header(), source.certificate(b, source.keys(1, 2))));
    assertRefused("seal by non-validator", () -> owner.client.misbehaviour(a.header(), good,
        b.header(), source.certificate(b, source.keys(5, 6, 1))));
    assertRefused("no conflict", () -> owner.client.misbehaviour(a.header(), good,
        a.header(), source.certificate(a, source.keys(2, 3, 4))));
    SourceFixture.Block nine = source.block(9, 1_009, "b");
    assertRefused("two blocks at one height", () -> owner.client.misbehaviour(a.header(),
        good, nine.header(), source.certificate(nine, source.keys(1, 2, 3))));
    // A conflict below the change the client follows is decided by a set it no longer holds.
    owner.update(source, source.block(2, 1_002), 1, 2, 3);
    source.changeValidators(4, 1, 2, 3);
    SourceFixture.Block four = source.block(4, 1_004);
    owner.update(source, four, 1, 2, 3);
    SourceFixture.Block fourB = source.block(4, 1_004, "b");
    assertRefused("no longer holds", () -> owner.update(source, fourB, 1, 2, 3));
    assertTrue(owner.client.frozen().isEmpty());
  }

  @ParameterizedTest
  @MethodSource("suites")
  void refusesMalformedInput(CryptoSuite suite) {
    SourceFixture source = source(suite);
    ClientOwner owner = created(source);
    SourceFixture.Block two = source.block(2, 1_002);
    byte[] certificate = source.certificate(two, source.keys(1, 2, 3));
    AccountProof governance = source.forUpdate(two, 0);
    assertRefused("the header is malformed", () -> owner.update(
        java.util.Arrays.copyOf(two.header(), two.header().length - 1), certificate,
        governance));
    assertRefused("the header is 2049 bytes", () -> owner.update(new byte[2_049], certificate,
        governance));
    assertRefused("the commit certificate is malformed", () -> owner.update(two.header(),
        Rlp.encodeList(), governance));
  }

  private static List<ByteKey> addresses(SourceFixture source, int... numbers) {
    List<ByteKey> out = new ArrayList<>();
    for (KeyPair k : source.keys(numbers)) {
      out.add(new ByteKey(source.suite.address(k.publicKey())));
    }
    return out;
  }

  /** Seals by {@code signers} of their suite over {@code hashSuite}'s hash of the header. */
  private static byte[] reseal(SourceFixture twin, SourceFixture.Block block,
      List<KeyPair> signers, CryptoSuite hashSuite) {
    byte[] hash = hashSuite.hash(block.header());
    byte[] sealed = twin.chain.verifier().hash(io.chorus.consensus.MessageCodec.sealBody(
        block.number(), 0, hash));
    List<CommitCertificate.Seal> seals = new ArrayList<>();
    for (KeyPair k : signers) {
      seals.add(new CommitCertificate.Seal(new ByteKey(twin.suite.address(k.publicKey())),
          twin.suite.sign(sealed, k)));
    }
    return new CommitCertificate(block.number(), 0, hash, seals).encode();
  }
}
