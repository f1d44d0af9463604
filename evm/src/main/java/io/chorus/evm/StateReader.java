package io.chorus.evm;

/**
 * The committed world state the EVM reads through: a trie-backed database in a node, a map in a
 * test. Reads only; every change goes through the {@link Journal} and comes back out as
 * {@link AccountChange}s for the owner to commit.
 */
public interface StateReader {

  /** The account at {@code address}, or null when none exists. */
  AccountInfo account(Address address);

  /**
   * The code whose hash (an {@link AccountInfo#codeHash()}) is {@code codeHash}: empty for the
   * hash of no code. Code is content-addressed, so no second account lookup is needed.
   */
  byte[] code(byte[] codeHash);

  /** A storage slot of an existing account; {@link Word#ZERO} when unset. */
  Word storage(Address address, Word key);
}
