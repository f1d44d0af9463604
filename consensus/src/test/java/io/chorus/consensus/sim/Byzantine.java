package io.chorus.consensus.sim;

import io.chorus.codec.ByteKey;
import io.chorus.consensus.Commit;
import io.chorus.consensus.Message;
import io.chorus.consensus.MessageCodec;
import io.chorus.consensus.Prepare;
import io.chorus.consensus.Prepared;
import io.chorus.consensus.Proposal;
import io.chorus.consensus.RoundChange;
import io.chorus.consensus.SignatureVerifier;
import io.chorus.consensus.SignedMessage;
import io.chorus.consensus.ValidatorSet;
import io.chorus.consensus.sim.SimOptions.Behaviour;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * What a Byzantine validator sends to one peer in place of an honest broadcast. It runs an honest
 * core to know what to say, then lies per recipient: conflicting votes, invalid blocks, messages
 * under another validator's name (it cannot make their signature) and replays of old messages.
 * It knows only its own signing key.
 */
final class Byzantine {
  private final SplittableRandom random;
  private final SignatureVerifier verifier;
  private final ValidatorSet validators;
  /** The behaviours that changed at least one message this run: what it really exercised. */
  private final EnumSet<Behaviour> used = EnumSet.noneOf(Behaviour.class);

  Byzantine(SplittableRandom random, SignatureVerifier verifier, ValidatorSet validators) {
    this.random = random;
    this.verifier = verifier;
    this.validators = validators;
  }

  /** The wire messages {@code node} sends to one peer for one of its honest broadcasts. */
  List<byte[]> forPeer(SimNode node, Set<Behaviour> behaviours, SignedMessage honest) {
    List<byte[]> out = new ArrayList<>(2);
    if (behaviours.contains(Behaviour.SILENT)) {
      used.add(Behaviour.SILENT);
      return out;
    }
    SignedMessage sent = honest;
    if (behaviours.contains(Behaviour.EQUIVOCATE) && random.nextBoolean()) {
      used.add(Behaviour.EQUIVOCATE);
      sent = SignedMessage.sign(conflicting(honest.payload(), node), node.signer, verifier);
    }
    if (!(behaviours.contains(Behaviour.WITHHOLD) && random.nextBoolean())) {
      out.add(MessageCodec.encode(sent));
    } else {
      used.add(Behaviour.WITHHOLD);
    }
    if (behaviours.contains(Behaviour.FORGE) && random.nextInt(3) == 0) {
      used.add(Behaviour.FORGE);
      ByteKey victim = validators.get(random.nextInt(validators.size())).address();
      Message lie = conflicting(honest.payload(), node);
      SignedMessage signedByMe = SignedMessage.sign(lie, node.signer, verifier);
      out.add(MessageCodec.encode(new SignedMessage(lie, victim, signedByMe.signature())));
    }
    if (behaviours.contains(Behaviour.REPLAY) && !node.seen.isEmpty() && random.nextInt(4) == 0) {
      used.add(Behaviour.REPLAY);
      out.add(node.seen.get(random.nextInt(node.seen.size())));
    }
    return out;
  }

  /**
   * The message a Byzantine node means to send to everyone before any per-peer lie: with
   * {@link Behaviour#IGNORE_PREPARED} its later-round proposals carry a fresh block instead of the
   * prepared one the justification demands (the attack the round-change rule exists to stop);
   * with {@link Behaviour#INVALID_PAYLOAD} half its proposals carry an invalid block, the same
   * one for every peer, so that a core which skipped validation could finalize it.
   */
  SignedMessage rewrite(SimNode node, Set<Behaviour> behaviours, SignedMessage honest) {
    if (!(honest.payload() instanceof Proposal p)) {
      return honest;
    }
    byte[] block = p.block();
    List<SignedMessage> prepares = p.prepares();
    if (behaviours.contains(Behaviour.IGNORE_PREPARED) && p.round() > 0) {
      if (!prepares.isEmpty()) {
        used.add(Behaviour.IGNORE_PREPARED); // a lie only when a block was prepared
      }
      // As a proposal whose round changes report nothing prepared would look.
      block = SimBlocks.make(p.height(), p.round(), node.blocks.firstValidTime(p.height()),
          random, true);
      prepares = List.of();
    }
    if (behaviours.contains(Behaviour.INVALID_PAYLOAD) && random.nextBoolean()) {
      used.add(Behaviour.INVALID_PAYLOAD);
      block = SimBlocks.make(p.height(), p.round(), node.blocks.firstValidTime(p.height()),
          random, false);
    }
    if (block == p.block()) {
      return honest;
    }
    return SignedMessage.sign(new Proposal(p.height(), p.round(), block, p.roundChanges(),
        prepares), node.signer, verifier);
  }

  /** The behaviours that changed at least one message so far. */
  Set<Behaviour> used() {
    return EnumSet.copyOf(used);
  }

  /** Remembers a received message for later replay, keeping a bounded random sample. */
  void remember(SimNode node, byte[] bytes) {
    if (node.seen.size() < 64) {
      node.seen.add(bytes);
    } else if (random.nextInt(8) == 0) {
      node.seen.set(random.nextInt(64), bytes);
    }
  }

  private Message conflicting(Message m, SimNode node) {
    long h = m.height();
    int r = m.round();
    byte[] otherBlock = SimBlocks.make(h, r, node.blocks.firstValidTime(h), random, true);
    byte[] otherDigest = verifier.hash(otherBlock);
    return switch (m) {
      case Proposal p -> new Proposal(h, r, otherBlock, p.roundChanges(), p.prepares());
      case Prepare p -> new Prepare(h, r, otherDigest);
      case Commit c -> new Commit(h, r, otherDigest,
          node.signer.sign(verifier.hash(MessageCodec.sealBody(h, r, otherDigest))));
      case RoundChange rc -> random.nextBoolean()
          ? new RoundChange(h, r, Optional.empty(), Optional.empty())
          : new RoundChange(h, r, Optional.of(new Prepared(Math.max(0, r - 1), otherDigest)),
              rc.proof());
    };
  }
}
