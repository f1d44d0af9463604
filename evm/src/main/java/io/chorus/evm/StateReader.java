package io.chorus.evm;

/**
 * The committed world state the EVM reads through: a trie-backed database in a node, a map in a
 * test. Reads only; every change goes through the {@link Journal} and comes back out as
 * {@link AccountChange}s for the owner to commit.
 */
public interface StateReader {

  /** The account at {@code address}, or null when none exists. */
  AccountInfo account(Address address);

  /** The code of an existing account (empty when it has none). */
  byte[] code(Address address);

  /** A storage slot of an existing account; {@link Word#ZERO} when unset. */
  Word storage(Address address, Word key);
}
