package io.chorus.chain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chorus.codec.Hex;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.KeyPair;
import io.chorus.ledger.Genesis;
import io.chorus.ledger.TxPool;
import io.chorus.state.system.Governance;
import io.chorus.state.system.ProposalKind;
import io.chorus.tx.Transaction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Organisations' data keys on chain: listed by the genesis file, added and rotated by a vote
 * of kind {@code org-data-key} that takes effect at the next block boundary, and refused when
 * the name or the key could not be sealed for (off the curve, wrong length, the key it has
 * already). Method: the committee of {@link GovernanceTest} votes through real blocks; the keys
 * are read back from the state at the head as a capturer reads them.
 */
class OrganisationDataKeyTest {
  private static final CryptoSuite SUITE = CryptoSuite.ethereum();
  private static final SecureRandom RANDOM = new SecureRandom();

  @TempDir Path dir;
  private final GovernanceTest committee = new GovernanceTest();

  private static Genesis genesis(Map<String, byte[]> keys) {
    Genesis plain = GovernanceTest.genesis(false);
    return new Genesis(plain.chainId(), plain.suite(), plain.feeMode(), plain.gasLimit(),
        plain.blockIntervalMs(), plain.timestamp(), plain.extraData(), plain.validators(),
        plain.alloc(), plain.consortium().withOrganisationDataKeys(keys));
  }

  private Blockchain chain;

  private void propose(int member, String organisation, byte[] key) {
    assertTrue(GovernanceTest.block(chain, proposal(member, organisation, key)).receipts()
        .get(0).success(), "proposed");
  }

  @Test
  void aVoteAddsAnOrganisationsKeyAndAnotherRotatesItAtTheNextBoundary() {
    KeyPair org0 = SUITE.generateKeyPair(RANDOM);
    KeyPair org1 = SUITE.generateKeyPair(RANDOM);
    KeyPair org0Rotated = SUITE.generateKeyPair(RANDOM);
    try (Blockchain opened = Blockchain.open(dir, genesis(Map.of("org0", org0.publicKey())),
        TxPool.Limits.defaults())) {
      chain = opened;
      assertArrayEquals(org0.publicKey(), key("org0"), "from the genesis file");
      assertNull(key("org1"));

      propose(0, "org1", org1.publicKey());
      GovernanceTest.block(chain, committee.governance(1, Governance.voteCall(1, true)));
      assertEquals(Governance.Status.PASSED, GovernanceTest.proposal(chain, 1).status());
      assertNull(key("org1"), "passed, applied only at the next block boundary");
      GovernanceTest.block(chain);
      assertArrayEquals(org1.publicKey(), key("org1"));

      propose(2, "org0", org0Rotated.publicKey());
      GovernanceTest.block(chain, committee.governance(0, Governance.voteCall(2, true)));
      GovernanceTest.block(chain);
      assertArrayEquals(org0Rotated.publicKey(), key("org0"), "rotated");
      Map<String, byte[]> all = Governance.organisationDataKeys(chain.stateAt(chain.head()));
      assertEquals(List.of("org0", "org1"), List.copyOf(all.keySet()),
          "a rotation keeps the organisation's place");
      assertArrayEquals(org1.publicKey(), all.get("org1"));
    }
  }

  @Test
  void aProposalThatCouldNotBeSealedForIsRefusedWithItsReason() {
    KeyPair org0 = SUITE.generateKeyPair(RANDOM);
    try (Blockchain opened = Blockchain.open(dir, genesis(Map.of("org0", org0.publicKey())),
        TxPool.Limits.defaults())) {
      chain = opened;
      byte[] offCurve = new byte[64];
      Arrays.fill(offCurve, (byte) 1);
      byte[] good = SUITE.generateKeyPair(RANDOM).publicKey();
      List<String> reasons = GovernanceTest.revertReasons(chain,
          proposal(0, "org0", org0.publicKey()),
          proposal(0, "org1", Arrays.copyOf(good, 63)),
          proposal(0, "org1", offCurve),
          proposal(0, " org1", good),
          proposal(0, "o".repeat(65), good),
          proposal(0, "org\n1", good),
          proposal(3, "org1", good));
      assertEquals("org0 has this data key already", reasons.get(0));
      assertEquals("the data key of org1 is a 64-byte public key (x || y), got 63 bytes",
          reasons.get(1));
      assertTrue(reasons.get(2).startsWith("the data key of org1 is not a public key of the"
          + " chain's suite"), reasons.get(2));
      for (String reason : reasons.subList(3, 6)) {
        assertTrue(reason.startsWith("an organisation's name is its certificates' subject O"),
            reason);
      }
      assertTrue(reasons.get(6).endsWith("is not a member of the governance committee"),
          reasons.get(6));
      assertEquals(List.of("org0"), List.copyOf(Governance.organisationDataKeys(
          chain.stateAt(chain.head())).keySet()));
    }
  }

  @Test
  void theGenesisFileListsTheKeysAndRefusesOneOffTheCurve() throws Exception {
    KeyPair org0 = SUITE.generateKeyPair(RANDOM);
    Genesis genesis = genesis(Map.of("org0", org0.publicKey()));
    Path file = dir.resolve("genesis.json");
    GenesisFile.write(genesis, file);
    Genesis read = GenesisFile.read(file);
    assertArrayEquals(org0.publicKey(), read.consortium().organisationDataKeys().get("org0"));
    assertEquals(1, read.consortium().organisationDataKeys().size());
    try (Blockchain a = Blockchain.open(dir.resolve("a"), genesis, TxPool.Limits.defaults());
        Blockchain b = Blockchain.open(dir.resolve("b"), read, TxPool.Limits.defaults())) {
      assertArrayEquals(a.hashOf(a.head()), b.hashOf(b.head()), "same genesis block");
      assertArrayEquals(org0.publicKey(), Governance.organisationDataKey(
          b.stateAt(b.head()), "org0"));
    }
    String text = Files.readString(file);
    byte[] offCurve = new byte[64];
    Arrays.fill(offCurve, (byte) 1);
    Files.writeString(file, text.replace(Hex.encode0x(org0.publicKey()),
        Hex.encode0x(offCurve)));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> GenesisFile.read(file));
    assertTrue(e.getMessage().contains("organisations.org0.dataKey is not a public key of suite"
        + " ethereum"), e.getMessage());
    Files.writeString(file, text.replace("\"dataKey\"", "\"datakey\""));
    e = assertThrows(IllegalArgumentException.class, () -> GenesisFile.read(file));
    assertTrue(e.getMessage().contains("unknown field 'datakey' in organisations.org0"),
        e.getMessage());
  }

  // A proposal's transaction, which the test expects to pass or to be refused.
  private Transaction proposal(int member, String organisation, byte[] key) {
    return committee.governance(member, Governance.proposeCall(ProposalKind.ORG_DATA_KEY,
        ProposalKind.ORG_DATA_KEY.encode(organisation, key), 10));
  }

  private byte[] key(String organisation) {
    return Governance.organisationDataKey(chain.stateAt(chain.head()), organisation);
  }
}
