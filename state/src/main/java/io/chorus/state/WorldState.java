package io.chorus.state;

import io.chorus.codec.Bytes;
import io.chorus.codec.Hex;
import io.chorus.codec.Rlp;
import io.chorus.codec.RlpReader;
import io.chorus.crypto.HashFunction;
import io.chorus.evm.AccountChange;
import io.chorus.evm.AccountInfo;
import io.chorus.evm.Address;
import io.chorus.evm.StateReader;
import io.chorus.evm.Word;
import io.chorus.trie.MerklePatriciaTrie;
import io.chorus.trie.NodeStore;
import io.chorus.trie.SecureTrie;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The world state as Ethereum lays it out: a secure trie of accounts
 * {@code [nonce, balance, storageRoot, codeHash]}, a secure storage trie per account, and code
 * kept in the node store under its hash. All hashing is the chain's suite hash, so the root
 * equals Ethereum's for the same data on an {@code ethereum} chain.
 */
public final class WorldState implements StateReader {
  private final HashFunction hash;
  private final NodeStore store;
  private final SecureTrie accounts;
  private final byte[] emptyRoot;
  private final byte[] emptyCodeHash;
  private final Map<Address, SecureTrie> openStorage = new HashMap<>();

  /** An empty world state over {@code store}. */
  public WorldState(HashFunction hash, NodeStore store) {
    this(hash, store, MerklePatriciaTrie.emptyRoot(hash));
  }

  /** The world state with root {@code stateRoot} in {@code store}. */
  public WorldState(HashFunction hash, NodeStore store, byte[] stateRoot) {
    this.hash = hash;
    this.store = store;
    this.emptyRoot = MerklePatriciaTrie.emptyRoot(hash);
    this.emptyCodeHash = hash.hash(Bytes.EMPTY);
    this.accounts = Arrays.equals(stateRoot, emptyRoot) ? new SecureTrie(hash, store)
        : new SecureTrie(hash, store, stateRoot);
  }

  /** The account's header with its storage root: what the account trie holds. */
  private record Header(long nonce, BigInteger balance, byte[] storageRoot, byte[] codeHash) {}

  private Header header(Address address) {
    Optional<byte[]> encoded = accounts.get(address.toArray());
    if (encoded.isEmpty()) {
      return null;
    }
    RlpReader fields = RlpReader.of(encoded.get()).readList();
    Header h = new Header(fields.readUnsignedLong("nonce"), fields.readBigInteger("balance", 32),
        fields.readBytes(32, "storageRoot"), fields.readBytes(32, "codeHash"));
    fields.requireEnd("account " + address);
    return h;
  }

  @Override
  public AccountInfo account(Address address) {
    Header h = header(address);
    return h == null ? null : new AccountInfo(h.nonce(), h.balance(), h.codeHash(),
        !Arrays.equals(h.storageRoot(), emptyRoot));
  }

  @Override
  public byte[] code(byte[] codeHash) {
    if (Arrays.equals(codeHash, emptyCodeHash)) {
      return Bytes.EMPTY;
    }
    return store.get(codeHash).orElseThrow(() -> new IllegalStateException(
        "code " + Hex.encode0x(codeHash) + " missing from the node store"));
  }

  /** The code of an account; empty when it has none or does not exist. */
  public byte[] code(Address address) {
    Header h = header(address);
    return h == null ? Bytes.EMPTY : code(h.codeHash());
  }

  @Override
  public Word storage(Address address, Word key) {
    SecureTrie trie = storageTrie(address);
    if (trie == null) {
      return Word.ZERO;
    }
    return trie.get(key.toBytes()).map(v -> Word.fromBytes(RlpReader.of(v).readBytes()))
        .orElse(Word.ZERO);
  }

  private SecureTrie storageTrie(Address address) {
    SecureTrie trie = openStorage.get(address);
    if (trie == null) {
      Header h = header(address);
      if (h == null || Arrays.equals(h.storageRoot(), emptyRoot)) {
        return null;
      }
      trie = new SecureTrie(hash, store, h.storageRoot());
      openStorage.put(address, trie);
    }
    return trie;
  }

  /**
   * An account's Merkle proof (EIP-1186): the account trie's nodes from the root to the account,
   * or to where it is shown absent; its storage root (the empty root when it has no storage);
   * and one proof per storage key, from that root.
   */
  public record Proof(List<byte[]> accountProof, byte[] storageRoot,
      List<List<byte[]>> storageProofs) {}

  public Proof prove(Address address, List<Word> storageKeys) {
    Header h = header(address);
    SecureTrie storage = storageTrie(address);
    List<List<byte[]>> storageProofs = new java.util.ArrayList<>(storageKeys.size());
    for (Word key : storageKeys) {
      storageProofs.add(storage == null ? List.of() : storage.prove(key.toBytes()));
    }
    return new Proof(accounts.prove(address.toArray()), h == null ? emptyRoot : h.storageRoot(),
        storageProofs);
  }

  /** Writes an account whole, as a genesis or test pre-state does. */
  public void put(Address address, long nonce, BigInteger balance, byte[] code,
      Map<Word, Word> storage) {
    apply(new AccountChange(address, true, 0, BigInteger.ZERO, null, Map.of()));
    apply(new AccountChange(address, false, nonce, balance, code, storage));
  }

  /** Applies one transaction's changes, as {@link io.chorus.evm.Journal#finish()} lists them. */
  public void apply(List<AccountChange> changes) {
    for (AccountChange change : changes) {
      apply(change);
    }
  }

  private void apply(AccountChange change) {
    Address address = change.address();
    if (change.deleted()) {
      accounts.delete(address.toArray());
      openStorage.remove(address);
      return;
    }
    Header old = header(address);
    byte[] storageRoot = old == null ? emptyRoot : old.storageRoot();
    if (!change.storage().isEmpty()) {
      SecureTrie trie = old == null ? null : storageTrie(address);
      if (trie == null) {
        trie = new SecureTrie(hash, store);
        openStorage.put(address, trie);
      }
      for (Map.Entry<Word, Word> slot : change.storage().entrySet()) {
        byte[] key = slot.getKey().toBytes();
        if (slot.getValue().isZero()) {
          trie.delete(key);
        } else {
          trie.put(key, Rlp.encodeBytes(Bytes.trimLeadingZeros(slot.getValue().toBytes())));
        }
      }
      storageRoot = trie.commit();
    }
    byte[] codeHash = old == null ? emptyCodeHash : old.codeHash();
    if (change.code() != null) {
      codeHash = hash.hash(change.code());
      if (change.code().length > 0) {
        store.put(codeHash, change.code());
      }
    }
    accounts.put(address.toArray(), Rlp.encodeList(
        Rlp.encodeUnsignedLong(change.nonce()),
        Rlp.encodeBigInteger(change.balance()),
        Rlp.encodeBytes(storageRoot),
        Rlp.encodeBytes(codeHash)));
  }

  /** The state root, committing every pending node to the store. */
  public byte[] commit() {
    return accounts.commit();
  }

  public byte[] rootHash() {
    return accounts.rootHash();
  }
}
