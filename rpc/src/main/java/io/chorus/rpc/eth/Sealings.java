package io.chorus.rpc.eth;

import io.chorus.chain.Blockchain;
import io.chorus.codec.ByteKey;
import io.chorus.consensus.CommitCertificate;
import io.chorus.consensus.MalformedMessageException;
import io.chorus.consensus.ValidatorSet;
import io.chorus.crypto.CryptoSuite;
import io.chorus.evm.Address;
import io.chorus.ledger.BlockHeader;
import io.chorus.state.WorldState;
import io.chorus.state.system.Governance;
import io.chorus.state.system.SystemContracts;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * How each block was sealed, read from the chain: its height's validator set as governance kept
 * it (the state after the block before) and its stored commit certificate. Blocks are final
 * once stored (BFT, and a dev chain never forks), so a height's record is computed once and kept
 * for the most recent {@link #KEPT_MAX} heights: a console polling every second costs one block
 * read per new block.
 */
final class Sealings {
  /**
   * Records kept, the highest heights: the longest look-back of {@code chorus_validatorHealth}.
   * An older block asked for is read, and dropped again at once.
   */
  static final int KEPT_MAX = ConsensusApi.WINDOW_MAX;

  /**
   * One block's sealing.
   *
   * @param validators the set that decided it in proposer order; null for genesis and for a
   *     dev chain whose governance lists no validator
   * @param round the round that decided it, or -1 when it has no certificate (genesis, dev)
   * @param proposer the round's proposer; for a block without certificate its coinbase (the
   *     dev producer), null for genesis
   * @param signers who sealed its certificate, in the certificate's order; empty without one
   */
  record Sealing(long number, byte[] hash, ValidatorSet validators, int round, Address proposer,
      Set<Address> signers) {
    boolean certified() {
      return round >= 0;
    }

    /** Whether {@code validator} was one of the validators of this height. */
    boolean member(Address validator) {
      return validators != null && validators.contains(new ByteKey(validator.toArray()));
    }
  }

  private final Blockchain chain;
  private final CryptoSuite suite;
  private final TreeMap<Long, Sealing> kept = new TreeMap<>();
  /** The last set read, by the governance storage root it came from: most heights share one. */
  private byte[] lastGovernanceRoot;
  private ValidatorSet lastSet;
  /** Blocks read so far (not served from {@link #kept}): tests check the cache with it. */
  private long blocksRead;

  Sealings(Blockchain chain) {
    this.chain = chain;
    this.suite = chain.suite();
  }

  /** The record of canonical block {@code number}, which must be stored. */
  synchronized Sealing at(long number) {
    Sealing known = kept.get(number);
    if (known != null) {
      return known;
    }
    BlockHeader header = header(number);
    Sealing read = read(header);
    kept.put(number, read);
    while (kept.size() > KEPT_MAX) {
      kept.pollFirstEntry();
    }
    return read;
  }

  synchronized long blocksRead() {
    return blocksRead;
  }

  /**
   * The validators of the height after {@code header}: governance's list in the state after
   * that block; null when it lists none (a dev chain whose genesis names no validator).
   */
  synchronized ValidatorSet after(BlockHeader header) {
    WorldState state = chain.stateAt(header);
    byte[] root = state.storageRoot(SystemContracts.GOVERNANCE);
    if (lastGovernanceRoot != null && Arrays.equals(root, lastGovernanceRoot)) {
      return lastSet;
    }
    List<ValidatorSet.Validator> members = new ArrayList<>();
    for (byte[] key : Governance.validators(state)) {
      members.add(new ValidatorSet.Validator(new ByteKey(suite.address(key)), key));
    }
    lastSet = members.isEmpty() ? null : new ValidatorSet(members);
    lastGovernanceRoot = root;
    return lastSet;
  }

  private Sealing read(BlockHeader header) {
    blocksRead++;
    long number = header.number();
    byte[] hash = chain.hashOf(header);
    if (number == 0) {
      return new Sealing(0, hash, null, -1, null, Set.of());
    }
    ValidatorSet validators = after(header(number - 1));
    byte[] proof = chain.store().finalityProof(number).orElse(null);
    if (proof == null) {
      return new Sealing(number, hash, validators, -1, header.coinbase(), Set.of());
    }
    CommitCertificate certificate;
    try {
      certificate = CommitCertificate.decode(proof);
    } catch (MalformedMessageException e) {
      throw new IllegalStateException("the stored certificate of block " + number
          + " does not decode: " + e.getMessage(), e);
    }
    if (validators == null) {
      throw new IllegalStateException("block " + number + " has a commit certificate but its"
          + " height has no validators");
    }
    Set<Address> signers = new LinkedHashSet<>();
    for (CommitCertificate.Seal seal : certificate.seals()) {
      signers.add(Address.of(seal.address().bytes()));
    }
    Address proposer = Address.of(validators.proposer(number, certificate.round()).bytes());
    return new Sealing(number, hash, validators, certificate.round(), proposer,
        Collections.unmodifiableSet(signers));
  }

  private BlockHeader header(long number) {
    return chain.store().canonicalHash(number).flatMap(chain.store()::headerByHash)
        .orElseThrow(() -> new IllegalStateException("block " + number + " is not stored"));
  }

  /** Addresses of a set in proposer order. */
  static List<Address> addresses(ValidatorSet validators) {
    if (validators == null) {
      return List.of();
    }
    List<Address> out = new ArrayList<>(validators.size());
    for (ValidatorSet.Validator v : validators.validators()) {
      out.add(Address.of(v.address().bytes()));
    }
    return out;
  }

}
