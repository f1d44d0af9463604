package io.chorus.consensus;

import io.chorus.codec.ByteKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The authenticated messages of one round of the current height: at most one of each kind per
 * validator (the first wins; a different second one is equivocation), so each map holds at most
 * n entries. Also what this validator itself did in the round.
 */
final class RoundVotes {
  /** How a vote was taken in. */
  enum Added { NEW, DUPLICATE, EQUIVOCATION }

  SignedMessage proposal;
  /** Digest of the proposal this validator accepted (prepared for) in this round, or null. */
  byte[] acceptedDigest;
  boolean proposed;
  boolean committed;
  final Map<ByteKey, SignedMessage> prepares = new LinkedHashMap<>();
  final Map<ByteKey, SignedMessage> commits = new LinkedHashMap<>();
  final Map<ByteKey, SignedMessage> roundChanges = new LinkedHashMap<>();

  static Added add(Map<ByteKey, SignedMessage> votes, SignedMessage vote) {
    SignedMessage held = votes.putIfAbsent(vote.author(), vote);
    if (held == null) {
      return Added.NEW;
    }
    return sameVote(held.payload(), vote.payload()) ? Added.DUPLICATE : Added.EQUIVOCATION;
  }

  /** The votes for {@code digest}. */
  static List<SignedMessage> matching(Map<ByteKey, SignedMessage> votes, byte[] digest) {
    List<SignedMessage> out = new ArrayList<>();
    for (SignedMessage vote : votes.values()) {
      if (Arrays.equals(digestOf(vote.payload()), digest)) {
        out.add(vote);
      }
    }
    return out;
  }

  private static boolean sameVote(Message a, Message b) {
    if (a instanceof RoundChange x && b instanceof RoundChange y) {
      return x.prepared().map(Prepared::round).equals(y.prepared().map(Prepared::round))
          && Arrays.equals(x.prepared().map(Prepared::digest).orElse(null),
              y.prepared().map(Prepared::digest).orElse(null));
    }
    return Arrays.equals(digestOf(a), digestOf(b));
  }

  private static byte[] digestOf(Message m) {
    return switch (m) {
      case Prepare p -> p.digest();
      case Commit c -> c.digest();
      case Proposal p -> p.block();
      case RoundChange rc -> new byte[0];
    };
  }
}
