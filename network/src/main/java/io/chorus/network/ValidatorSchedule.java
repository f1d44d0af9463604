package io.chorus.network;

import io.chorus.consensus.ValidatorSet;

/**
 * The validator set of each height. A set changes only at a block boundary: the set that decides
 * (and whose seals certify) block h is fixed by the chain up to block h - 1, so every member
 * agrees on it and sync can check an old certificate against the set of its own height. Today
 * the genesis set holds for every height; governance by vote supplies one read from the chain.
 */
@FunctionalInterface
public interface ValidatorSchedule {
  /** The validators of {@code height} (≥ 1), given that block {@code height - 1} is stored. */
  ValidatorSet at(long height);

  /** The same set at every height. */
  static ValidatorSchedule fixed(ValidatorSet validators) {
    return height -> validators;
  }
}
