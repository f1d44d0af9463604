package io.chorus.crosschain;

import io.chorus.codec.Hex;
import io.chorus.crypto.CryptoSuite;
import io.chorus.trie.MerklePatriciaTrie;
import java.util.Arrays;

/**
 * Roots a client refuses to trust: all zero (a default value, which made Nomad's bridge accept
 * any message) and the empty trie's (a state that holds nothing proves only absence, so a
 * timeout could be proven against it).
 */
final class StateRoots {
  private StateRoots() {}

  static boolean isZero(byte[] bytes) {
    for (byte b : bytes) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  static void requireUsable(CryptoSuite suite, SourceHeader header) {
    byte[] root = header.stateRoot();
    if (isZero(root)) {
      throw new CrossChainException(header + " has an all-zero state root");
    }
    if (Arrays.equals(root, MerklePatriciaTrie.emptyRoot(suite.hashFunction()))) {
      throw new CrossChainException(header + " has the empty trie's state root "
          + Hex.encode0x(root) + ": a chain's state holds at least its system contracts");
    }
  }
}
