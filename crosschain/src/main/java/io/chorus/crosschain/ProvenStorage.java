package io.chorus.crosschain;

import io.chorus.codec.ByteKey;
import io.chorus.codec.Hex;
import io.chorus.codec.RlpException;
import io.chorus.codec.RlpReader;
import io.chorus.crypto.CryptoSuite;
import io.chorus.trie.InvalidProofException;
import io.chorus.trie.MerklePatriciaTrie;
import io.chorus.trie.SecureTrie;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The storage of one account as an {@link AccountProof} shows it under a verified state root.
 * Paths are checked by the trie's strict verifier: every node must hash to its parent's
 * reference, the path must end at the key's leaf or show it absent, and no node may be missing
 * or left over. A slot is read only through its own proof, and {@link #requireAllRead} refuses
 * proofs of slots nobody read, so a proof carries no claim the checker ignores.
 */
final class ProvenStorage {
  private final CryptoSuite suite;
  private final AccountProof proof;
  private final byte[] storageRoot;
  private final Set<ByteKey> read = new HashSet<>();

  private ProvenStorage(CryptoSuite suite, AccountProof proof, byte[] storageRoot) {
    this.suite = suite;
    this.proof = proof;
    this.storageRoot = storageRoot;
  }

  /**
   * The storage of {@code account} under {@code stateRoot}; an account proven absent has empty
   * storage.
   *
   * @throws CrossChainException when the proof is of another account or does not lead from the
   *     root
   */
  static ProvenStorage open(CryptoSuite suite, byte[] stateRoot, byte[] account,
      AccountProof proof) {
    if (!java.util.Arrays.equals(proof.address(), account)) {
      throw new CrossChainException("the proof is of account " + Hex.encode0x(proof.address())
          + ", not " + Hex.encode0x(account));
    }
    Optional<byte[]> value;
    try {
      value = SecureTrie.verifyProof(suite.hashFunction(), stateRoot, account,
          proof.accountNodes());
    } catch (InvalidProofException | RlpException e) {
      throw new CrossChainException("the proof of account " + Hex.encode0x(account)
          + " does not lead from the state root " + Hex.encode0x(stateRoot) + ": "
          + e.getMessage());
    }
    if (value.isEmpty()) {
      return new ProvenStorage(suite, proof, MerklePatriciaTrie.emptyRoot(suite.hashFunction()));
    }
    try {
      RlpReader whole = RlpReader.of(value.get());
      RlpReader in = whole.readList();
      whole.requireEnd("account");
      in.readBigInteger("nonce", 8);
      in.readBigInteger("balance", 32);
      byte[] storageRoot = in.readBytes(32, "storageRoot");
      in.readBytes(32, "codeHash");
      in.requireEnd("account");
      return new ProvenStorage(suite, proof, storageRoot);
    } catch (RlpException e) {
      throw new CrossChainException("the proven account " + Hex.encode0x(account)
          + " is malformed: " + e.getMessage());
    }
  }

  /**
   * A slot's 32-byte value, all zero when the slot is proven empty.
   *
   * @throws CrossChainException when the proof has no path for the slot or the path does not
   *     lead from the account's storage root
   */
  byte[] word(byte[] slot) {
    ByteKey key = new ByteKey(slot);
    List<byte[]> nodes = proof.slots().get(key);
    if (nodes == null) {
      throw new CrossChainException("the proof has no path for storage slot "
          + Hex.encode0x(slot) + " of " + Hex.encode0x(proof.address()));
    }
    read.add(key);
    Optional<byte[]> value;
    try {
      value = SecureTrie.verifyProof(suite.hashFunction(), storageRoot, slot, nodes);
    } catch (InvalidProofException | RlpException e) {
      throw new CrossChainException("the proof of storage slot " + Hex.encode0x(slot) + " of "
          + Hex.encode0x(proof.address()) + " does not lead from its storage root: "
          + e.getMessage());
    }
    byte[] word = new byte[32];
    if (value.isEmpty()) {
      return word;
    }
    byte[] bytes;
    try {
      RlpReader whole = RlpReader.of(value.get());
      bytes = whole.readBytes();
      whole.requireEnd("storage value");
    } catch (RlpException e) {
      throw new CrossChainException("storage slot " + Hex.encode0x(slot) + " holds malformed"
          + " RLP: " + e.getMessage());
    }
    // Storage keeps a word without its leading zeros and deletes zero: anything else is not
    // what a chain writes.
    if (bytes.length == 0 || bytes.length > 32 || bytes[0] == 0) {
      throw new CrossChainException("storage slot " + Hex.encode0x(slot) + " holds "
          + Hex.encode0x(bytes) + ", not a trimmed non-zero word");
    }
    System.arraycopy(bytes, 0, word, 32 - bytes.length, bytes.length);
    return word;
  }

  /** A slot's value as a count or block number. */
  long number(byte[] slot) {
    byte[] word = word(slot);
    for (int i = 0; i < 24; i++) {
      if (word[i] != 0) {
        throw new CrossChainException("storage slot " + Hex.encode0x(slot) + " holds "
            + Hex.encode0x(word) + ", more than a 64-bit number");
      }
    }
    long value = 0;
    for (int i = 24; i < 32; i++) {
      value = value << 8 | (word[i] & 0xff);
    }
    if (value < 0) {
      throw new CrossChainException("storage slot " + Hex.encode0x(slot) + " holds a number"
          + " beyond 2^63");
    }
    return value;
  }

  /** Refuses the proof when it proves slots that were not read. */
  void requireAllRead() {
    for (ByteKey slot : proof.slots().keySet()) {
      if (!read.contains(slot)) {
        throw new CrossChainException("the proof carries storage slot " + slot + " of "
            + Hex.encode0x(proof.address()) + ", which this check does not read");
      }
    }
  }
}
