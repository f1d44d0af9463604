package io.chorus.consensus;

import io.chorus.codec.ByteKey;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The proofs that carry a prepared value from one round to the next: checks of round changes and
 * proposal justifications, so the core can only be moved by what a quorum really signed.
 */
final class Justifier {
  private final SignatureVerifier verifier;
  private final BlockSource blocks;

  Justifier(SignatureVerifier verifier, BlockSource blocks) {
    this.verifier = verifier;
    this.blocks = blocks;
  }

  /**
   * Why a proposal is not justified, or empty. Round 0 needs nothing. A later round needs a
   * quorum of round changes for it; when one reports a prepared value, the block must be the one
   * of the highest prepared round, proven by a quorum of prepares for it.
   */
  Optional<String> checkProposal(Proposal p, byte[] digest, ValidatorSet validators) {
    if (p.round() == 0) {
      boolean bare = p.roundChanges().isEmpty() && p.prepares().isEmpty();
      return bare ? Optional.empty() : Optional.of("round 0 proposal with a justification");
    }
    Set<ByteKey> authors = new HashSet<>();
    Optional<Prepared> highest = Optional.empty();
    for (SignedMessage m : p.roundChanges()) {
      if (!(m.payload() instanceof RoundChange rc) || rc.height() != p.height()
          || rc.round() != p.round()) {
        return Optional.of("justification holds a message for another round");
      }
      if (!authors.add(m.author()) || !m.isAuthentic(validators, verifier)) {
        return Optional.of("round change repeated or not authentic: " + m.author());
      }
      if (rc.prepared().isPresent()
          && (highest.isEmpty() || rc.prepared().get().round() > highest.get().round())) {
        highest = rc.prepared();
      }
    }
    if (authors.size() < validators.quorum()) {
      return Optional.of(authors.size() + " round changes, quorum is " + validators.quorum());
    }
    if (highest.isEmpty()) {
      return p.prepares().isEmpty() ? Optional.empty() : Optional.of("unneeded prepares");
    }
    if (highest.get().round() >= p.round()) {
      return Optional.of("prepared round not below the proposal round");
    }
    return checkPrepares(p.height(), highest.get().round(), digest, p.prepares(), validators);
  }

  /**
   * Why a round change's prepared claim is not proven, or empty: the proof's block must have the
   * claimed digest and a quorum must have prepared it in the claimed round.
   */
  Optional<String> checkRoundChange(RoundChange rc, ValidatorSet validators) {
    if (rc.prepared().isEmpty()) {
      return rc.proof().isEmpty() ? Optional.empty() : Optional.of("proof without a claim");
    }
    if (rc.proof().isEmpty()) {
      return Optional.of("prepared claim without its proof");
    }
    Prepared claim = rc.prepared().get();
    PreparedProof proof = rc.proof().get();
    if (claim.round() >= rc.round()) {
      return Optional.of("prepared round not below the round");
    }
    if (!Arrays.equals(blocks.digest(proof.block()), claim.digest())) {
      return Optional.of("proof block does not have the claimed digest");
    }
    return checkPrepares(rc.height(), claim.round(), claim.digest(), proof.prepares(), validators);
  }

  private Optional<String> checkPrepares(long height, int round, byte[] digest,
      List<SignedMessage> prepares, ValidatorSet validators) {
    Set<ByteKey> authors = new HashSet<>();
    for (SignedMessage m : prepares) {
      if (!(m.payload() instanceof Prepare pr) || pr.height() != height || pr.round() != round
          || !Arrays.equals(pr.digest(), digest)) {
        return Optional.of("prepare certificate holds a vote for something else");
      }
      if (!authors.add(m.author()) || !m.isAuthentic(validators, verifier)) {
        return Optional.of("prepare repeated or not authentic: " + m.author());
      }
    }
    if (authors.size() < validators.quorum()) {
      return Optional.of(authors.size() + " prepares, quorum is " + validators.quorum());
    }
    return Optional.empty();
  }
}
