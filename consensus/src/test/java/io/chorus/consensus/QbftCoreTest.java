package io.chorus.consensus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chorus.consensus.sim.FakeAuth;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Goal: each rule of the core, seen alone. Method: a hand-driven {@link Cluster} of 4 validators
 * (f = 1, quorum 3) where the test chooses which messages arrive; height 1's round-0 proposer is
 * validator 1, round 1's is validator 2.
 */
class QbftCoreTest {

  @Test
  void fourHonestValidatorsFinalizeOneBlockWithAValidCertificate() {
    Cluster c = new Cluster(4);
    c.startAll();
    c.deliverAll();
    byte[] first = c.finalized.get(0).getFirst().payload();
    for (int i = 0; i < 4; i++) {
      Action.Finalized f = c.finalized.get(i).getFirst();
      assertEquals(1, f.height());
      assertArrayEquals(first, f.payload());
      assertEquals(Optional.empty(), f.certificate().verify(c.auth.validators(), c.auth));
      assertEquals(0, f.certificate().round());
    }
    assertEquals(1, c.cores[0].count(Counter.FINALIZED));
  }

  @Test
  void crashedProposerIsReplacedThroughARoundChange() {
    Cluster c = new Cluster(4);
    c.cores[1] = null;
    startLive(c);
    c.deliverAll();
    assertTrue(c.finalized.get(0).isEmpty());
    c.tickAll(Cluster.CONFIG.blockIntervalMillis() + Cluster.CONFIG.roundTimeoutMillis(0));
    c.deliverAll();
    for (int i : new int[] {0, 2, 3}) {
      assertEquals(1, c.finalized.get(i).size(), "validator " + i);
      assertEquals(1, c.finalized.get(i).getFirst().certificate().round());
      assertEquals(1, c.cores[i].count(Counter.ROUND_CHANGES));
    }
  }

  @Test
  void theProposerWaitsForTheBlockSourceWithoutBeingReplaced() {
    Cluster c = new Cluster(4);
    long notBefore = 2 * (Cluster.CONFIG.blockIntervalMillis()
        + Cluster.CONFIG.roundTimeoutMillis(0));
    c.blocks.notBeforeMillis = notBefore;
    c.blocks.notBeforeIdleMillis = notBefore;
    c.startAll();
    assertTrue(c.inFlight.isEmpty(), "proposed before the block source allows");
    assertEquals(notBefore, c.cores[1].wakeAtMillis());
    c.tickAll(notBefore - 1);
    c.deliverAll();
    for (int i = 0; i < 4; i++) {
      assertEquals(0, c.cores[i].count(Counter.ROUND_CHANGES), "validator " + i
          + " gave up on a proposer waiting for its block source");
    }
    c.tickAll(notBefore);
    c.deliverAll();
    for (int i = 0; i < 4; i++) {
      assertEquals(0, c.finalized.get(i).getFirst().certificate().round(), "validator " + i);
    }
  }

  @Test
  void aPreparedBlockIsProposedAgainInTheNextRound() {
    Cluster c = preparedEverywhereThenRoundOne();
    byte[] prepared = c.persisted.get(0).proof().orElseThrow().block();
    int built = c.blocks.built;
    c.deliverAll();
    for (int i = 0; i < 4; i++) {
      Action.Finalized f = c.finalized.get(i).getFirst();
      assertArrayEquals(prepared, f.payload(), "validator " + i + " finalized another block");
      assertEquals(1, f.certificate().round());
    }
    assertEquals(built, c.blocks.built, "the round-1 proposer built a new block");
  }

  @Test
  void aProposalIgnoringThePreparedBlockIsRejected() {
    Cluster c = preparedEverywhereThenRoundOne();
    List<SignedMessage> roundChanges = stripped(c.inFlight);
    PreparedProof proof = c.persisted.get(0).proof().orElseThrow();
    byte[] other = {1, 1, 99, 1};
    SignedMessage lie = SignedMessage.sign(
        new Proposal(1, 1, other, roundChanges, proof.prepares()), c.auth.signer(2), c.auth);
    List<Action> actions = c.cores[0].onMessage(lie, c.now);
    assertEquals(1, c.cores[0].count(Counter.INVALID_PROPOSAL));
    assertTrue(actions.stream().noneMatch(a -> a instanceof Action.Broadcast b
        && b.message().payload() instanceof Prepare));
  }

  @Test
  void aProposalWithoutAQuorumOfRoundChangesIsRejected() {
    Cluster c = new Cluster(4);
    c.cores[1] = null;
    startLive(c);
    c.deliverAll();
    c.tickAll(Cluster.CONFIG.blockIntervalMillis() + Cluster.CONFIG.roundTimeoutMillis(0));
    List<SignedMessage> two = stripped(c.inFlight).subList(0, 2);
    SignedMessage early = SignedMessage.sign(
        new Proposal(1, 1, new byte[] {1, 1, 7, 1}, two, List.of()), c.auth.signer(2), c.auth);
    c.cores[0].onMessage(early, c.now);
    assertEquals(1, c.cores[0].count(Counter.INVALID_PROPOSAL));
    SignedMessage notProposer = SignedMessage.sign(
        new Proposal(1, 1, new byte[] {1, 1, 7, 1}, stripped(c.inFlight), List.of()),
        c.auth.signer(3), c.auth);
    c.cores[0].onMessage(notProposer, c.now);
    assertEquals(2, c.cores[0].count(Counter.INVALID_PROPOSAL));
  }

  @Test
  void forgedDuplicateAndOutsiderMessagesAreDroppedAndCounted() {
    Cluster c = new Cluster(4);
    c.startAll();
    SignedMessage proposal = c.inFlight.getFirst();
    QbftCore core = c.cores[0];
    core.onMessage(proposal, 0);
    core.onMessage(proposal, 0);
    assertEquals(1, core.count(Counter.DUPLICATE));
    SignedMessage forged = new SignedMessage(proposal.payload(),
        c.auth.validators().get(1).address(), c.auth.signer(3).sign(new byte[32]));
    core.onMessage(forged, 0);
    FakeAuth outsiders = new FakeAuth(5, 42);
    core.onMessage(SignedMessage.sign(proposal.payload(), outsiders.signer(4), outsiders), 0);
    core.onMessageBytes(new byte[] {1, 2, 3}, 0);
    assertEquals(1, core.count(Counter.BAD_SIGNATURE));
    assertEquals(1, core.count(Counter.NON_VALIDATOR));
    assertEquals(1, core.count(Counter.MALFORMED));
  }

  @Test
  void fPlusOneValidatorsAtALaterHeightMeanBehind() {
    Cluster c = new Cluster(4);
    c.startAll();
    List<Action> actions = new ArrayList<>();
    for (int author : new int[] {2, 3}) {
      Message later = new RoundChange(9, 1, Optional.empty(), Optional.empty());
      actions.addAll(c.cores[0].onMessage(
          SignedMessage.sign(later, c.auth.signer(author), c.auth), 0));
    }
    assertEquals(List.of(new Action.Behind(9)), actions);
  }

  @Test
  void futureHeightMessagesAreBoundedPerSenderAndReplayedOnArrival() {
    Cluster c = new Cluster(4);
    c.startAll();
    QbftCore core = c.cores[0];
    int sent = Limits.MESSAGES_PER_SENDER_MAX + 4;
    for (int round = 1; round <= sent; round++) {
      Message early = new RoundChange(2, round, Optional.empty(), Optional.empty());
      core.onMessage(SignedMessage.sign(early, c.auth.signer(2), c.auth), 0);
    }
    assertEquals(Limits.MESSAGES_PER_SENDER_MAX, core.count(Counter.FUTURE_BUFFERED));
    assertEquals(4, core.count(Counter.FUTURE_DROPPED));
    core.advanceTo(2, c.auth.validators(), 10);
    long replayedBeyondWindow = Limits.MESSAGES_PER_SENDER_MAX - Limits.FUTURE_ROUNDS_MAX;
    assertEquals(4 + replayedBeyondWindow, core.count(Counter.FUTURE_DROPPED));
  }

  @Test
  void eachHeightRunsWithTheTimingItIsGiven() {
    Cluster c = new Cluster(4);
    c.blocks.work = false;
    c.startAll();
    for (QbftCore core : c.cores) {
      core.advanceTo(2, c.auth.validators(), new Config(7_000, 0, 20_000, 60_000), 100);
      // The proposer waits out the new block interval for work; the others, that plus the
      // new round timeout. The old timing would give 1,100 and 3,100.
      assertTrue(Set.of(7_100L, 27_100L).contains(core.wakeAtMillis()),
          "wakes at " + core.wakeAtMillis());
    }
  }

  @Test
  void aBusyProposerWaitsTheBusyIntervalAndAnIdleOneTheBlockInterval() {
    Cluster c = new Cluster(4);
    c.startAll();
    c.deliverAll();
    Config timing = new Config(7_000, 300, 20_000, 60_000);
    QbftCore proposer = c.cores[2]; // height 2's round-0 proposer
    assertTrue(proposer.advanceTo(2, c.auth.validators(), timing, 100).stream()
        .noneMatch(a -> a instanceof Action.Broadcast), "proposed before the busy interval");
    assertEquals(400, proposer.wakeAtMillis());
    assertTrue(proposer.onTick(399).stream().noneMatch(a -> a instanceof Action.Broadcast));
    Action.Broadcast sent = (Action.Broadcast) proposer.onTick(400).stream()
        .filter(a -> a instanceof Action.Broadcast).findFirst().orElseThrow();
    assertInstanceOf(Proposal.class, sent.message().payload());

    Cluster idle = new Cluster(4);
    idle.startAll();
    idle.deliverAll();
    idle.blocks.work = false;
    QbftCore waiting = idle.cores[2];
    waiting.advanceTo(2, idle.auth.validators(), timing, 100);
    assertEquals(7_100, waiting.wakeAtMillis());
    assertTrue(waiting.onTick(400).stream().noneMatch(a -> a instanceof Action.Broadcast));
  }

  @Test
  void aRestartedValidatorResumesInTheNextRoundWithItsPreparedValue() {
    Cluster c = preparedEverywhereThenRoundOne();
    ConsensusState saved = ConsensusState.decode(c.persisted.get(3).encode());
    assertEquals(1, saved.round());
    QbftCore restarted = QbftCore.restore(Cluster.CONFIG, c.auth.signer(3), c.auth, c.blocks,
        saved, 1, c.auth.validators());
    List<Action> actions = restarted.start(c.now);
    assertInstanceOf(Action.Persist.class, actions.getFirst());
    assertEquals(2, ((Action.Persist) actions.getFirst()).state().round());
    RoundChange rc = (RoundChange) ((Action.Broadcast) actions.get(1)).message().payload();
    assertEquals(2, rc.round());
    assertEquals(0, rc.prepared().orElseThrow().round());
  }

  @Test
  void aSpentStateStartsTheNextHeightAfresh() {
    Cluster c = new Cluster(4);
    ConsensusState old = new ConsensusState(1, 5, Optional.empty(), Optional.empty());
    QbftCore core = QbftCore.restore(Cluster.CONFIG, c.auth.signer(0), c.auth, c.blocks, old, 2,
        c.auth.validators());
    core.start(0);
    assertEquals(2, core.height());
    assertEquals(0, core.round());
  }

  /** All four prepare validator 1's block in round 0, no commit arrives, all time out. */
  private static Cluster preparedEverywhereThenRoundOne() {
    Cluster c = new Cluster(4);
    c.startAll();
    c.deliver((to, m) -> !(m.payload() instanceof Commit));
    for (int i = 0; i < 4; i++) {
      assertTrue(c.persisted.get(i).prepared().isPresent(), "validator " + i + " prepared");
      assertTrue(c.finalized.get(i).isEmpty());
    }
    c.tickAll(Cluster.CONFIG.blockIntervalMillis() + Cluster.CONFIG.roundTimeoutMillis(0));
    return c;
  }

  private static void startLive(Cluster c) {
    for (int i = 0; i < c.cores.length; i++) {
      if (c.cores[i] != null) {
        c.take(i, c.cores[i].start(c.now));
      }
    }
  }

  private static List<SignedMessage> stripped(List<SignedMessage> messages) {
    List<SignedMessage> out = new ArrayList<>();
    for (SignedMessage m : messages) {
      if (m.payload() instanceof RoundChange rc) {
        out.add(new SignedMessage(rc.withoutProof(), m.author(), m.signature()));
      }
    }
    return out;
  }
}
