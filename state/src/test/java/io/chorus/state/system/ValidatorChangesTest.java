package io.chorus.state.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chorus.crosschain.ConsensusState;
import io.chorus.crosschain.CrossChainException;
import io.chorus.crosschain.GovernanceSlots;
import io.chorus.crosschain.LightClient;
import io.chorus.crosschain.Update;
import io.chorus.crypto.CryptoSuite;
import io.chorus.evm.Address;
import io.chorus.evm.Word;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The governance contract keeps the history of validator-set changes that light clients of the
 * chain follow ({@code validatorChanges} and {@code validatorChangedAt[n]}), and a light client
 * really follows a chain through it. Method: proposals are passed on a chain run by the real
 * state transition ({@link NotaryChain}, one genesis validator, account 5); the slots are read
 * where {@link GovernanceSlots} says they are, and a {@link LightClient} is driven over headers
 * of the chain's real state roots ({@link SourceBlocks}).
 */
class ValidatorChangesTest {
  static Stream<CryptoSuite> suites() {
    return Stream.of(CryptoSuite.ethereum(), CryptoSuite.sm());
  }

  private static long slot(NotaryChain chain, byte[] slot) {
    return chain.state.storage(SystemContracts.GOVERNANCE, Word.fromBytes(slot))
        .toBigInteger().longValueExact();
  }

  private static byte[] add(NotaryChain chain, int account) {
    return ProposalKind.ADD_VALIDATOR.encode(chain.keys[account].publicKey());
  }

  private static byte[] remove(NotaryChain chain, int account) {
    return ProposalKind.REMOVE_VALIDATOR.encode(chain.accounts[account]);
  }

  @ParameterizedTest
  @MethodSource("suites")
  void countsEachBlockThatChangedTheSetAndRecordsIt(CryptoSuite suite) {
    NotaryChain chain = new NotaryChain(suite);
    assertEquals(0, slot(chain, GovernanceSlots.changes()), "genesis writes no change");
    chain.pass(ProposalKind.ADD_VALIDATOR, add(chain, 6));
    long first = chain.number;
    assertEquals(1, slot(chain, GovernanceSlots.changes()));
    assertEquals(first, slot(chain, GovernanceSlots.changedAt(1)));
    chain.nextBlock();
    // Two validator proposals enacted by one block: one step for a client, counted once.
    chain.propose(ProposalKind.ADD_VALIDATOR, add(chain, 7));
    chain.propose(ProposalKind.REMOVE_VALIDATOR, remove(chain, 5));
    chain.nextBlock();
    long second = chain.number;
    assertEquals(2, slot(chain, GovernanceSlots.changes()));
    assertEquals(first, slot(chain, GovernanceSlots.changedAt(1)));
    assertEquals(second, slot(chain, GovernanceSlots.changedAt(2)));
    assertEquals(0, slot(chain, GovernanceSlots.changedAt(3)));
    assertEquals(2, Governance.validatorChanges(chain.state));
    assertEquals(second, Governance.validatorChangedAt(chain.state, 2));
    chain.pass(ProposalKind.ADD_MEMBER, ProposalKind.ADD_MEMBER.encode(chain.accounts[0],
        BigInteger.ONE));
    assertEquals(2, slot(chain, GovernanceSlots.changes()), "a member is not a validator");
  }

  @ParameterizedTest
  @MethodSource("suites")
  void aValidatorProposalThatFailsIsNoChange(CryptoSuite suite) {
    NotaryChain chain = new NotaryChain(suite);
    long id = chain.propose(ProposalKind.ADD_VALIDATOR, add(chain, 6));
    chain.propose(ProposalKind.ADD_VALIDATOR, add(chain, 6)); // already added when it applies
    chain.nextBlock();
    assertEquals(Governance.Status.EXECUTED, Governance.proposal(chain.state, id, chain.number)
        .status());
    assertEquals(Governance.Status.FAILED, Governance.proposal(chain.state, id + 1,
        chain.number).status());
    assertEquals(1, slot(chain, GovernanceSlots.changes()));
  }

  @ParameterizedTest
  @MethodSource("suites")
  void theValidatorSetLivesWhereGovernanceSlotsSaysSoClientsReadIt(CryptoSuite suite) {
    NotaryChain chain = new NotaryChain(suite);
    chain.pass(ProposalKind.ADD_VALIDATOR, add(chain, 6));
    List<byte[]> keys = Governance.validators(chain.state);
    assertEquals(2, slot(chain, GovernanceSlots.validatorCount()));
    for (int i = 0; i < keys.size(); i++) {
      assertEquals(64, slot(chain, GovernanceSlots.validatorLength(i)));
      byte[] key = new byte[64];
      System.arraycopy(chain.state.storage(SystemContracts.GOVERNANCE,
          Word.fromBytes(GovernanceSlots.validatorChunk(i, 0))).toBytes(), 0, key, 0, 32);
      System.arraycopy(chain.state.storage(SystemContracts.GOVERNANCE,
          Word.fromBytes(GovernanceSlots.validatorChunk(i, 1))).toBytes(), 0, key, 32, 32);
      assertEquals(Address.of(suite.address(keys.get(i))), Address.of(suite.address(key)));
    }
  }

  /**
   * Account 5 validates alone; governance adds 6 (the client must take that block, then wants
   * both seals), then removes 5 (after which a seal by 5 alone is no longer enough).
   */
  @ParameterizedTest
  @MethodSource("suites")
  void aLightClientFollowsTheChangesGovernanceWrote(CryptoSuite suite) {
    NotaryChain chain = new NotaryChain(suite);
    SourceBlocks blocks = new SourceBlocks(chain);
    Map<Long, ConsensusState> kept = new HashMap<>();
    SourceBlocks.Block trusted = blocks.seal();
    Update.Advanced created = LightClient.create(blocks.source, trusted.header(),
        blocks.forCreate(trusted));
    LightClient client = created.client();
    kept.put(trusted.number(), created.state());
    assertEquals(1, client.validators().size());

    chain.propose(ProposalKind.ADD_VALIDATOR, add(chain, 6));
    chain.nextBlock();
    SourceBlocks.Block change = blocks.seal();
    chain.nextBlock();
    SourceBlocks.Block after = blocks.seal();
    String skipped = assertThrows(CrossChainException.class, () -> created.client().update(
        after.header(), blocks.certificate(after, 5, 6), blocks.forUpdate(after, 0),
        h -> Optional.ofNullable(kept.get(h)))).getMessage();
    assertTrue(skipped.contains("update to block " + change.number() + " first"), skipped);

    client = advance(client, kept, change, blocks.certificate(change, 5),
        blocks.forUpdate(change, 0));
    assertEquals(1, client.changes());
    assertEquals(2, client.validators().size());
    LightClient afterAdd = client;
    String tooFew = assertThrows(CrossChainException.class, () -> afterAdd.update(
        after.header(), blocks.certificate(after, 5), blocks.forUpdate(after, 1),
        h -> Optional.ofNullable(kept.get(h)))).getMessage();
    assertTrue(tooFew.contains("quorum is 2"), tooFew);
    client = advance(client, kept, after, blocks.certificate(after, 6, 5),
        blocks.forUpdate(after, 1));

    chain.propose(ProposalKind.REMOVE_VALIDATOR, remove(chain, 5));
    chain.nextBlock();
    SourceBlocks.Block removal = blocks.seal();
    client = advance(client, kept, removal, blocks.certificate(removal, 5, 6),
        blocks.forUpdate(removal, 1));
    chain.nextBlock();
    SourceBlocks.Block next = blocks.seal();
    LightClient afterRemove = client;
    String removed = assertThrows(CrossChainException.class, () -> afterRemove.update(
        next.header(), blocks.certificate(next, 5), blocks.forUpdate(next, 2),
        h -> Optional.ofNullable(kept.get(h)))).getMessage();
    assertTrue(removed.contains("does not prove it final"), removed);
    client = advance(client, kept, next, blocks.certificate(next, 6), blocks.forUpdate(next, 2));
    assertEquals(next.number(), client.latestHeight());
    assertEquals(2, client.changes());
  }

  private static LightClient advance(LightClient client, Map<Long, ConsensusState> kept,
      SourceBlocks.Block block, byte[] certificate, io.chorus.crosschain.AccountProof proof) {
    Update.Advanced advanced = assertInstanceOf(Update.Advanced.class, client.update(
        block.header(), certificate, proof, h -> Optional.ofNullable(kept.get(h))));
    kept.put(block.number(), advanced.state());
    return advanced.client();
  }
}
