package io.chorus.network;

import io.chorus.chain.BlockProducer;
import io.chorus.chain.Blockchain;
import io.chorus.codec.ByteKey;
import io.chorus.consensus.Config;
import io.chorus.consensus.ConsensusState;
import io.chorus.consensus.CryptoSigner;
import io.chorus.consensus.CryptoVerifier;
import io.chorus.consensus.QbftCore;
import io.chorus.consensus.ValidatorSet;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.KeyPair;
import io.chorus.evm.Address;
import io.chorus.ledger.Genesis;
import io.chorus.state.system.Governance;
import io.chorus.p2p.NetworkConfig;
import io.chorus.p2p.NetworkCounters;
import io.chorus.p2p.PeerListener;
import io.chorus.p2p.PeerNetwork;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * This node as a member of a BFT network: the peer network, the consensus driver (voting from
 * the height at which the node is one of the validators governance keeps in the ledger), block
 * sync and transaction gossip, wired to one chain. It
 * takes the place of the dev producer: the chain does not know which one runs it.
 */
public final class NetworkMember implements BlockProducer {
  private static final System.Logger LOG = System.getLogger(NetworkMember.class.getName());
  /** A round waits this long (doubling per round) on top of the block interval in round 0. */
  static final long ROUND_TIMEOUT_MILLIS = 2_000;
  /**
   * A proposer with transactions waits this long from the height's start (at most the block
   * interval), so that under load blocks carry more: with 4 validators on 2 cores and load.js
   * at window 16, blocks went from ~190 to ~700 transactions and throughput rose by ~15 %;
   * 50 ms did as well, 250 ms worse in both throughput and latency (docs/performance.md).
   */
  static final long BUSY_INTERVAL_MILLIS = 100;
  static final long ROUND_TIMEOUT_MILLIS_MAX = 60_000;
  static final String STATE_FILE = "consensus-state";
  /** Requests for blocks waiting to be served; more are dropped. */
  static final int SYNC_REQUESTS_MAX = 16;

  private final Blockchain chain;
  private final NetworkConfig networkConfig;
  private final ConsensusStateFile stateFile;
  /** Heights up to this one see this member abstain, its state being unreadable; 0: none. */
  private final long abstainThroughHeight;
  private final ConsensusDriver driver;
  private final TxGossip gossip;
  private final ValidatorSchedule validators;
  private final ByteKey self;
  private final ThreadPoolExecutor syncServer =
      new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
          new ArrayBlockingQueue<>(SYNC_REQUESTS_MAX),
          r -> new Thread(r, "chorus-sync-serve"));
  private volatile PeerNetwork network;
  private BlockSync sync;
  /** The network once started; before that, messages have no one to go to. */
  private final Peers peers = new Peers() {
    @Override
    public void broadcast(int type, byte[] payload) {
      PeerNetwork started = network;
      if (started != null) {
        started.broadcast(type, payload);
      }
    }

    @Override
    public boolean send(ByteKey peer, int type, byte[] payload) {
      PeerNetwork started = network;
      return started != null && started.send(peer, type, payload);
    }
  };

  /**
   * Prepares a member; {@link #start} connects it.
   *
   * @param dataDir where the consensus state survives restarts (beside the chain)
   * @param clock the wall clock consensus deadlines and block timestamps read
   */
  public NetworkMember(Blockchain chain, KeyPair keys, NetworkConfig networkConfig,
      Path dataDir, InstantSource clock) {
    this(chain, keys, networkConfig, dataDir, clock, UnaryOperator.identity());
  }

  /**
   * As {@link #NetworkMember(Blockchain, KeyPair, NetworkConfig, Path, InstantSource)}, writing
   * the consensus state through {@code stateWriter} applied to the state file's writer: a test
   * makes writes fail with it.
   */
  public NetworkMember(Blockchain chain, KeyPair keys, NetworkConfig networkConfig,
      Path dataDir, InstantSource clock, UnaryOperator<StateWriter> stateWriter) {
    this.chain = chain;
    this.networkConfig = networkConfig;
    Genesis genesis = chain.genesis();
    CryptoSuite suite = genesis.cryptoSuite();
    this.validators = new GovernedValidators(chain);
    this.self = new ByteKey(suite.address(keys.publicKey()));
    ChainBlockSource blocks = new ChainBlockSource(chain, Address.of(self.bytes()));
    this.stateFile = ConsensusStateFile.open(dataDir.resolve(STATE_FILE));
    long abstainThrough = stateFile.unreadable() ? abstainThrough(chain) : 0;
    this.abstainThroughHeight = abstainThrough;
    this.driver = new ConsensusDriver(chain, blocks, validators, this::timing,
        next -> next > abstainThrough && validators.at(next).contains(self)
            ? core(genesis, keys, blocks, stateFile.latest(), next) : null,
        stateWriter.apply(stateFile), clock);
    this.gossip = new TxGossip(chain, peers);
  }

  /** What checks this chain's consensus signatures: bound to its id and genesis block. */
  public static CryptoVerifier verifier(Blockchain chain) {
    return CryptoVerifier.forChain(chain.suite(), chain.chainId(), chain.genesisHash());
  }

  /**
   * The last height at which a validator whose consensus state is unreadable may have voted:
   * it votes at a height only once it has stored the block before, so a vote it cannot recall
   * is at most one above its head. It abstains through that height and votes from the next,
   * once the others have finalized it (and sync brought it here): a vote at a final height can
   * no longer make a second block final. This trusts the chain beside the state to be the one
   * the state was written with, as {@link #core} does.
   */
  private static long abstainThrough(Blockchain chain) {
    long height = chain.head().number() + 1;
    LOG.log(Level.WARNING, "the consensus state is unreadable, so this validator cannot tell"
        + " what it voted at height " + height + ": it abstains there and votes from height "
        + (height + 1) + ", once the others have finalized " + height + " (see docs/network.md"
        + " to recover by hand)");
    return height;
  }

  /** The genesis validators as consensus sees them: addresses with their public keys. */
  public static ValidatorSet validatorSet(Genesis genesis) {
    CryptoSuite suite = genesis.cryptoSuite();
    List<ValidatorSet.Validator> members = new ArrayList<>();
    for (byte[] key : genesis.validators()) {
      members.add(new ValidatorSet.Validator(new ByteKey(suite.address(key)), key));
    }
    return new ValidatorSet(members);
  }

  private QbftCore core(Genesis genesis, KeyPair keys, ChainBlockSource blocks,
      Optional<ConsensusState> persisted, long next) {
    CryptoSuite suite = genesis.cryptoSuite();
    Config config = timing(next);
    ValidatorSet set = validators.at(next);
    if (persisted.isPresent() && persisted.get().height() <= next) {
      return QbftCore.restore(config, new CryptoSigner(suite, keys), verifier(chain),
          blocks, persisted.get(), next, set);
    }
    if (persisted.isPresent()) {
      // The chain was wiped under the state: those heights are final elsewhere; sync will
      // fetch them and this validator will not vote on them again.
      LOG.log(Level.WARNING, "consensus state for height " + persisted.get().height()
          + " is ahead of the chain's head " + (next - 1) + ": starting afresh");
    }
    return QbftCore.create(config, new CryptoSigner(suite, keys), verifier(chain),
        blocks, next, set);
  }

  /** The timing of {@code height}: the block interval in the state after the block before. */
  private Config timing(long height) {
    long blockInterval = Governance.blockIntervalMs(chain.stateAt(
        GovernedValidators.parent(chain, height)));
    return new Config(blockInterval, Math.min(BUSY_INTERVAL_MILLIS, blockInterval),
        ROUND_TIMEOUT_MILLIS, ROUND_TIMEOUT_MILLIS_MAX);
  }

  @Override
  public void start() {
    sync = new BlockSync(chain, validators, verifier(chain), driver, peers);
    try {
      network = PeerNetwork.start(networkConfig, new Listener());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen for peers on "
          + networkConfig.host() + ":" + networkConfig.port() + ": " + e.getMessage(), e);
    }
    chain.addListener(gossip);
    chain.addListener(new Blockchain.Listener() {
      @Override
      public void onPending(io.chorus.ledger.TxPool.Pooled transaction) {
        driver.onWork();
      }
    });
    driver.start(peers, sync);
  }

  /** One of the peer network's counters; zero before it starts. */
  public long networkCount(NetworkCounters.Counter counter) {
    PeerNetwork started = network;
    return started == null ? 0 : started.counters().get(counter);
  }

  /**
   * What {@code chorus status} and {@code /metrics} show of this member. Read from other
   * threads while consensus runs, so each figure is current but not a snapshot with the others.
   *
   * @param validator whether this member votes at {@code height}
   * @param consensusHalted whether consensus stopped on this member for good (it could not
   *     make its state durable): unhealthy until an operator restarts it
   * @param consensusHaltReason why, with what to do; empty while consensus runs
   * @param abstainThroughHeight while the head is below it, the height up to which this member
   *     does not vote because its consensus state was unreadable at start; 0 otherwise
   */
  public record Status(boolean validator, boolean consensusHalted, String consensusHaltReason,
      long abstainThroughHeight, int peers, long height, int round, long bestPeerHead,
      long blocksBehind, double syncBlocksPerSecond, long syncEtaSeconds, long syncedBlocks,
      long refusedBlocks, long invalidProposals, long gossipReceived, long gossipRefused,
      long droppedEvents, Map<String, Long> consensusCounters) {}

  public Status status() {
    QbftCore core = driver.core();
    Map<String, Long> counters = new TreeMap<>();
    if (core != null) {
      core.counters().forEach((k, v) -> counters.put(k.name().toLowerCase(Locale.ROOT), v));
    }
    long head = chain.head().number();
    long best = sync == null ? 0 : sync.bestPeerHead();
    long behind = Math.max(0, best - head);
    double rate = sync == null ? 0 : sync.blocksPerSecond();
    // ETA -1: behind, but sync has not measured its pace yet
    long eta = behind == 0 ? 0 : rate > 0 ? Math.round(behind / rate) : -1;
    Optional<String> halt = driver.haltReason();
    return new Status(core != null, halt.isPresent(), halt.orElse(""),
        head < abstainThroughHeight ? abstainThroughHeight : 0,
        network == null ? 0 : network.connectedPeers().size(),
        core == null ? head + 1 : core.height(), core == null ? 0 : core.round(), best, behind,
        behind == 0 ? 0 : rate, eta, sync == null ? 0 : sync.syncedBlocks(),
        sync == null ? 0 : sync.refusedBlocks(), driver.invalidBlocks(), gossip.received(),
        gossip.refused(), driver.droppedEvents() + gossip.droppedBatches(), counters);
  }

  /** This member's consensus address (its key's). */
  public ByteKey address() {
    return self;
  }

  /**
   * A peer as this member sees it now.
   *
   * @param head the head it last announced, -1 when none since its session began
   * @param certificates the TLS chain it presented, leaf first; empty when not connected
   */
  public record PeerLink(boolean connected, long head, List<X509Certificate> certificates) {
    public PeerLink {
      certificates = List.copyOf(certificates);
    }
  }

  /** The peers connected now, by chain address: for the nodes an organisation has. */
  public Set<ByteKey> connectedPeers() {
    PeerNetwork started = network;
    return started == null ? Set.of() : started.connectedPeers();
  }

  /** What this member sees now of {@code peer}: for the console's validator health. */
  public PeerLink peer(ByteKey peer) {
    PeerNetwork started = network;
    BlockSync syncing = sync;
    if (started == null || !started.isConnected(peer)) {
      return new PeerLink(false, -1, List.of());
    }
    return new PeerLink(true, syncing == null ? -1 : syncing.peerHead(peer),
        started.peerCertificates(peer));
  }

  /**
   * Reading and encoding a peer's blocks takes a while: it runs beside message delivery, so a
   * member far behind does not delay consensus messages; excess requests are dropped (the peer
   * asks again after its timeout).
   */
  private void serveBlocks(ByteKey peer, byte[] payload) {
    try {
      syncServer.execute(() -> sync.serve(peer, payload));
    } catch (RejectedExecutionException e) {
      LOG.log(Level.DEBUG, "busy serving blocks: dropped a request from " + peer);
    }
  }

  private final class Listener implements PeerListener {
    @Override
    public void onMessage(ByteKey peer, int type, byte[] payload) {
      switch (type) {
        case MessageType.CONSENSUS -> driver.onConsensusMessage(payload);
        case MessageType.TRANSACTIONS -> gossip.onTransactions(payload);
        case MessageType.STATUS -> driver.submit(() -> sync.onStatus(peer, payload));
        case MessageType.GET_BLOCKS -> serveBlocks(peer, payload);
        case MessageType.BLOCKS -> driver.submit(() -> sync.onBlocks(peer, payload));
        default -> LOG.log(Level.DEBUG, "unknown message type " + type + " from " + peer);
      }
    }

    @Override
    public void onPeerDisconnected(ByteKey peer) {
      driver.submit(() -> sync.onPeerDisconnected(peer));
    }
  }

  @Override
  public void close() {
    syncServer.shutdownNow();
    if (driver.stop()) {
      stateFile.close();
    }
    gossip.close();
    if (network != null) {
      network.close();
    }
  }
}
