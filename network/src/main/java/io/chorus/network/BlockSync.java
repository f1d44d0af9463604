package io.chorus.network;

import io.chorus.chain.Blockchain;
import io.chorus.codec.ByteKey;
import io.chorus.codec.Rlp;
import io.chorus.codec.RlpException;
import io.chorus.codec.RlpReader;
import io.chorus.consensus.CommitCertificate;
import io.chorus.consensus.MalformedMessageException;
import io.chorus.consensus.SignatureVerifier;
import io.chorus.ledger.Block;
import io.chorus.ledger.BlockHeader;
import io.chorus.ledger.InvalidBlockException;
import io.chorus.tx.TransactionException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Brings a member that is behind (restarted, new, or cut off) up to its peers: members tell each
 * other their heads every second; one that sees a peer ahead for a while (or whose consensus core
 * says so) asks that peer for the next blocks with their commit certificates, checks each
 * certificate against the validator set, executes the block, and appends it. One request is out
 * at a time and bounded in blocks and bytes, so a member far behind costs its peers little.
 *
 * <p>Everything but {@link #serve} runs on the consensus thread.
 */
final class BlockSync {
  private static final System.Logger LOG = System.getLogger(BlockSync.class.getName());
  static final int BLOCKS_PER_REQUEST_MAX = 64;
  static final int RESPONSE_BYTES_MAX = 8 * 1024 * 1024;
  static final long REQUEST_TIMEOUT_MILLIS = 5_000;
  static final long STATUS_INTERVAL_MILLIS = 1_000;
  /** How long a peer must stay ahead before syncing: consensus usually catches up first. */
  static final long AHEAD_GRACE_MILLIS = 1_000;
  static final long PROGRESS_LOG_MILLIS = 5_000;

  private final Blockchain chain;
  private final ValidatorSchedule validators;
  private final SignatureVerifier verifier;
  private final ConsensusDriver driver;
  private final Peers peers;
  private final Map<ByteKey, Long> peerHeads = new ConcurrentHashMap<>(); // status reads it
  private long nextStatusMillis;
  private long aheadSinceMillis;
  private boolean behindHint;
  private Request outstanding;
  // Written on the consensus thread only; status pages read them.
  private volatile long syncedBlocks;
  private volatile long refusedBlocks;
  private volatile double blocksPerSecond; // over the last progress period; status reads it
  private long progressSinceMillis;
  private long progressSinceHead;

  private record Request(ByteKey peer, long from, long deadlineMillis) {}

  BlockSync(Blockchain chain, ValidatorSchedule validators, SignatureVerifier verifier,
      ConsensusDriver driver, Peers peers) {
    this.chain = chain;
    this.validators = validators;
    this.verifier = verifier;
    this.driver = driver;
    this.peers = peers;
  }

  void tick(long nowMillis) {
    if (nowMillis >= nextStatusMillis) {
      broadcastStatus();
      nextStatusMillis = nowMillis + STATUS_INTERVAL_MILLIS;
    }
    if (outstanding != null && nowMillis > outstanding.deadlineMillis()) {
      LOG.log(Level.WARNING, "peer " + outstanding.peer() + " did not answer a block request"
          + " in time; asking again");
      outstanding = null;
    }
    maybeRequest(nowMillis);
  }

  /** The consensus core saw f + 1 validators working on {@code height} or later. */
  void behind(long height) {
    behindHint = true;
  }

  /** This member appended a block by consensus: tell the peers at once. */
  void onCommitted() {
    broadcastStatus();
  }

  void onStatus(ByteKey peer, byte[] payload) {
    try {
      RlpReader r = RlpReader.of(payload).readList();
      peerHeads.put(peer, r.readUnsignedLong("head"));
    } catch (RlpException e) {
      LOG.log(Level.DEBUG, "malformed status from " + peer + ": " + e.getMessage());
    }
  }

  void onPeerDisconnected(ByteKey peer) {
    peerHeads.remove(peer);
    if (outstanding != null && outstanding.peer().equals(peer)) {
      outstanding = null;
    }
  }

  /** Answers a peer's request from the store; runs on the network's delivery thread. */
  void serve(ByteKey peer, byte[] payload) {
    long from;
    long count;
    try {
      RlpReader r = RlpReader.of(payload).readList();
      from = r.readUnsignedLong("from");
      count = Math.min(BLOCKS_PER_REQUEST_MAX, r.readUnsignedLong("count"));
    } catch (RlpException e) {
      LOG.log(Level.DEBUG, "malformed block request from " + peer + ": " + e.getMessage());
      return;
    }
    List<byte[]> items = new ArrayList<>();
    long bytes = 0;
    for (long n = from; n < from + count && n > 0; n++) {
      Optional<Block> block = chain.store().blockByNumber(n);
      Optional<byte[]> proof = chain.store().finalityProof(n);
      if (block.isEmpty() || proof.isEmpty()) {
        break;
      }
      byte[] item = Rlp.encodeList(List.of(Rlp.encodeBytes(block.get().encode()),
          Rlp.encodeBytes(proof.get())));
      if (!items.isEmpty() && bytes + item.length > RESPONSE_BYTES_MAX) {
        break;
      }
      bytes += item.length;
      items.add(item);
    }
    peers.send(peer, MessageType.BLOCKS, Rlp.encodeList(items));
  }

  void onBlocks(ByteKey peer, byte[] payload) {
    if (outstanding != null && outstanding.peer().equals(peer)) {
      outstanding = null;
    }
    long before = chain.head().number();
    try {
      RlpReader list = RlpReader.of(payload).readList();
      while (list.hasNext()) {
        RlpReader item = list.readList();
        Block block = Block.decode(item.readBytes());
        byte[] proof = item.readBytes();
        if (block.header().number() <= chain.head().number()) {
          continue; // consensus got there first
        }
        append(block, proof);
      }
    } catch (RlpException | MalformedMessageException | TransactionException
        | InvalidBlockException e) {
      refusedBlocks++;
      LOG.log(Level.WARNING, "refused blocks from " + peer + ": " + e.getMessage());
    }
    long appended = chain.head().number() - before;
    if (appended > 0) {
      syncedBlocks += appended;
      behindHint = false;
      driver.onHeadAdvanced();
      logProgress(System.currentTimeMillis());
    }
  }

  long syncedBlocks() {
    return syncedBlocks;
  }

  long refusedBlocks() {
    return refusedBlocks;
  }

  /** Blocks appended per second by sync over its last progress period (5 s). */
  double blocksPerSecond() {
    return blocksPerSecond;
  }

  /** The head {@code peer} last announced; -1 when it announced none since it connected. */
  long peerHead(ByteKey peer) {
    return peerHeads.getOrDefault(peer, -1L);
  }

  /** The highest head a peer reported, for status pages. */
  long bestPeerHead() {
    return peerHeads.values().stream().mapToLong(Long::longValue).max().orElse(0);
  }

  private void append(Block block, byte[] proof) {
    BlockHeader header = block.header();
    if (header.number() != chain.head().number() + 1) {
      throw new InvalidBlockException("block " + header.number() + " does not follow head "
          + chain.head().number());
    }
    CommitCertificate certificate = CommitCertificate.decode(proof);
    byte[] hash = chain.hashOf(header);
    if (certificate.height() != header.number()
        || !Arrays.equals(certificate.blockDigest(), hash)) {
      throw new InvalidBlockException("the certificate of block " + header.number()
          + " is for another block");
    }
    Optional<String> wrong = certificate.verify(validators.at(header.number()), verifier);
    if (wrong.isPresent()) {
      throw new InvalidBlockException("block " + header.number() + " is not proven final: "
          + wrong.get());
    }
    chain.commit(chain.validate(block), proof);
  }

  private void maybeRequest(long nowMillis) {
    long head = chain.head().number();
    ByteKey best = null;
    long bestHead = head;
    for (Map.Entry<ByteKey, Long> e : peerHeads.entrySet()) {
      if (e.getValue() > bestHead) {
        best = e.getKey();
        bestHead = e.getValue();
      }
    }
    if (best == null) {
      aheadSinceMillis = 0;
      return;
    }
    if (aheadSinceMillis == 0) {
      aheadSinceMillis = nowMillis;
      progressSinceMillis = nowMillis;
      progressSinceHead = head;
    }
    boolean waitedEnough = behindHint || nowMillis - aheadSinceMillis >= AHEAD_GRACE_MILLIS;
    if (waitedEnough && outstanding == null) {
      long count = Math.min(BLOCKS_PER_REQUEST_MAX, bestHead - head);
      if (peers.send(best, MessageType.GET_BLOCKS, Rlp.encodeList(List.of(
          Rlp.encodeUnsignedLong(head + 1), Rlp.encodeUnsignedLong(count))))) {
        outstanding = new Request(best, head + 1, nowMillis + REQUEST_TIMEOUT_MILLIS);
      }
    }
  }

  private void logProgress(long nowMillis) {
    if (nowMillis - progressSinceMillis < PROGRESS_LOG_MILLIS) {
      return;
    }
    long head = chain.head().number();
    double perSecond = (head - progressSinceHead) * 1000.0 / (nowMillis - progressSinceMillis);
    blocksPerSecond = perSecond;
    long left = Math.max(0, bestPeerHead() - head);
    LOG.log(Level.INFO, String.format("syncing: block %d of %d, %.1f blocks/s, ETA %s", head,
        bestPeerHead(), perSecond, perSecond > 0 ? Math.round(left / perSecond) + " s" : "?"));
    progressSinceMillis = nowMillis;
    progressSinceHead = head;
  }

  private void broadcastStatus() {
    BlockHeader head = chain.head();
    peers.broadcast(MessageType.STATUS, Rlp.encodeList(List.of(
        Rlp.encodeUnsignedLong(head.number()), Rlp.encodeBytes(chain.hashOf(head)))));
  }
}
