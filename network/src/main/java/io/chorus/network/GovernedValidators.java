package io.chorus.network;

import io.chorus.chain.Blockchain;
import io.chorus.codec.ByteKey;
import io.chorus.consensus.ValidatorSet;
import io.chorus.crypto.CryptoSuite;
import io.chorus.ledger.BlockHeader;
import io.chorus.state.system.Governance;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The validator set of each height as the ledger holds it: the governance contract's list in the
 * state after block h - 1 decides block h. Votes change it at a block boundary, and every node
 * reads the same set for the same height from the same state root.
 */
final class GovernedValidators implements ValidatorSchedule {
  private final Blockchain chain;
  private final CryptoSuite suite;
  /** The last set read, keyed by the state root it came from: most heights share one. */
  private volatile Cached last;

  private record Cached(byte[] stateRoot, ValidatorSet validators) {}

  GovernedValidators(Blockchain chain) {
    this.chain = chain;
    this.suite = chain.suite();
  }

  /** The block before {@code height}, whose state holds that height's chain parameters. */
  static BlockHeader parent(Blockchain chain, long height) {
    return chain.store().canonicalHash(height - 1)
        .flatMap(hash -> chain.store().headerByHash(hash))
        .orElseThrow(() -> new IllegalStateException("the parameters of height " + height
            + " need block " + (height - 1) + ", which is not stored"));
  }

  @Override
  public ValidatorSet at(long height) {
    if (height < 1) {
      throw new IllegalArgumentException("validators are asked for heights from 1, got "
          + height);
    }
    BlockHeader parent = parent(chain, height);
    Cached cached = last;
    if (cached != null && Arrays.equals(cached.stateRoot(), parent.stateRoot())) {
      return cached.validators();
    }
    List<ValidatorSet.Validator> members = new ArrayList<>();
    for (byte[] key : Governance.validators(chain.stateAt(parent))) {
      members.add(new ValidatorSet.Validator(new ByteKey(suite.address(key)), key));
    }
    ValidatorSet validators = new ValidatorSet(members);
    last = new Cached(parent.stateRoot(), validators);
    return validators;
  }
}
