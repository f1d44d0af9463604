package io.chorus.consensus;

import io.chorus.consensus.sim.FakeAuth;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;

/**
 * A hand-driven cluster for focused tests: messages wait in a list until the test delivers them,
 * each to every other node, filtered by a predicate (to, message) so a test can cut links.
 */
final class Cluster {
  static final Config CONFIG = new Config(1_000, 0, 2_000, 16_000);

  final FakeAuth auth;
  final QbftCore[] cores;
  final List<SignedMessage> inFlight = new ArrayList<>();
  final List<List<Action.Finalized>> finalized = new ArrayList<>();
  final List<ConsensusState> persisted = new ArrayList<>();
  final TestBlocks blocks;
  long now;

  Cluster(int n) {
    auth = new FakeAuth(n, 42);
    blocks = new TestBlocks(auth);
    cores = new QbftCore[n];
    for (int i = 0; i < n; i++) {
      cores[i] = QbftCore.create(CONFIG, auth.signer(i), auth, blocks, 1, auth.validators());
      finalized.add(new ArrayList<>());
      persisted.add(null);
    }
  }

  void startAll() {
    for (int i = 0; i < cores.length; i++) {
      take(i, cores[i].start(now));
    }
  }

  /**
   * Carries out a node's actions: broadcasts go in flight (each covered by the node's state
   * persisted before it, or the test fails), finalized blocks are recorded.
   */
  void take(int node, List<Action> actions) {
    for (Action a : actions) {
      switch (a) {
        case Action.Broadcast b -> {
          Verify.that(persisted.get(node) != null
              && persisted.get(node).covers(b.message().payload()), "sent before persisted");
          inFlight.add(b.message());
        }
        case Action.Persist p -> persisted.set(node, p.state());
        case Action.Finalized f -> finalized.get(node).add(f);
        case Action.Behind b -> { }
      }
    }
  }

  /** Delivers everything in flight (and what it causes) where {@code link} allows. */
  void deliver(BiPredicate<Integer, SignedMessage> link) {
    while (!inFlight.isEmpty()) {
      List<SignedMessage> batch = new ArrayList<>(inFlight);
      inFlight.clear();
      for (SignedMessage m : batch) {
        for (int to = 0; to < cores.length; to++) {
          if (cores[to] != null && !auth.validators().get(to).address().equals(m.author())
              && link.test(to, m)) {
            take(to, cores[to].onMessageBytes(MessageCodec.encode(m), now));
          }
        }
      }
    }
  }

  void deliverAll() {
    deliver((to, m) -> true);
  }

  void tickAll(long at) {
    now = at;
    for (int i = 0; i < cores.length; i++) {
      if (cores[i] != null) {
        take(i, cores[i].onTick(now));
      }
    }
  }

  int indexOf(SignedMessage m) {
    return auth.validators().indexOf(m.author());
  }

  /** Tiny valid blocks; {@link #work} says whether proposers go at once. */
  static final class TestBlocks implements BlockSource {
    private final FakeAuth auth;
    boolean work = true;
    /** What {@link #proposeNotBeforeMillis} answers, with work and without. */
    long notBeforeMillis = Long.MIN_VALUE;
    long notBeforeIdleMillis = Long.MIN_VALUE;
    int built;

    TestBlocks(FakeAuth auth) {
      this.auth = auth;
    }

    @Override
    public boolean hasWork(long height) {
      return work;
    }

    @Override
    public long proposeNotBeforeMillis(long height, boolean withWork) {
      return withWork ? notBeforeMillis : notBeforeIdleMillis;
    }

    @Override
    public byte[] build(long height, int round, long nowMillis) {
      built++;
      return new byte[] {(byte) height, (byte) round, (byte) built, 1};
    }

    @Override
    public boolean validate(long height, byte[] payload, long nowMillis) {
      return payload.length == 4 && payload[0] == (byte) height && payload[3] == 1;
    }

    @Override
    public byte[] digest(byte[] payload) {
      return auth.hash(payload);
    }
  }
}
