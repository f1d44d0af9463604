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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The world state as Ethereum lays it out: a secure trie of accounts
 * {@code [nonce, balance, storageRoot, codeHash]}, a secure storage trie per account, and code
 * kept in the node store under its hash. All hashing is the chain's suite hash, so the root
 * equals Ethereum's for the same data on an {@code ethereum} chain.
 *
 * <p>Changes are buffered per account until {@link #commit} (or {@link #rootHash}) writes them
 * into the tries: a block of thousands of transactions to one contract then hashes its storage
 * trie once, not once per transaction, and an account read by every transaction is decoded
 * from the trie once. Receipts since Byzantium carry no intermediate state root, so nothing
 * needs the root between transactions.
 */
public final class WorldState implements StateReader {
  private final HashFunction hash;
  private final NodeStore store;
  private final SecureTrie accounts;
  private final byte[] emptyRoot;
  private final byte[] emptyCodeHash;
  private final Map<Address, SecureTrie> openStorage = new HashMap<>();
  /** Headers read from the account trie since the last flush; a null value: no account. */
  private final Map<Address, Header> loaded = new HashMap<>();
  /** Accounts written since the last flush. */
  private final Map<Address, Pending> pending = new HashMap<>();
  /** What the flushes since this state was opened changed: see {@link #changes()}. */
  private final Set<Address> changedAccounts = new HashSet<>();
  private final Map<Address, Set<Word>> changedSlots = new HashMap<>();

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

  /**
   * An account written since the last flush: its header fields, whether it was deleted (and
   * not created again), whether its storage starts empty rather than from the trie, and the
   * slots written (zero deletes).
   */
  private static final class Pending {
    long nonce;
    BigInteger balance;
    byte[] codeHash;
    boolean deleted;
    boolean storageCleared;
    final Map<Word, Word> storage = new HashMap<>();
    /** How many buffered slots hold a non-zero value: asked on every account read. */
    int nonZeroSlots;

    void write(Word key, Word value) {
      Word old = storage.put(key, value);
      nonZeroSlots += (value.isZero() ? 0 : 1) - (old == null || old.isZero() ? 0 : 1);
    }

    void clearStorage() {
      storage.clear();
      nonZeroSlots = 0;
    }
  }

  private Header stored(Address address) {
    if (loaded.containsKey(address)) {
      return loaded.get(address);
    }
    Optional<byte[]> encoded = accounts.get(address.toArray());
    Header h = null;
    if (encoded.isPresent()) {
      RlpReader fields = RlpReader.of(encoded.get()).readList();
      h = new Header(fields.readUnsignedLong("nonce"), fields.readBigInteger("balance", 32),
          fields.readBytes(32, "storageRoot"), fields.readBytes(32, "codeHash"));
      fields.requireEnd("account " + address);
    }
    loaded.put(address, h);
    return h;
  }

  /** The root of the account's storage trie as committed (the empty trie's for no account). */
  public byte[] storageRoot(Address address) {
    flush();
    Header h = stored(address);
    return h == null ? emptyRoot.clone() : h.storageRoot().clone();
  }

  @Override
  public AccountInfo account(Address address) {
    Pending p = pending.get(address);
    if (p == null) {
      Header h = stored(address);
      return h == null ? null : new AccountInfo(h.nonce(), h.balance(), h.codeHash(),
          !Arrays.equals(h.storageRoot(), emptyRoot));
    }
    return p.deleted ? null : new AccountInfo(p.nonce, p.balance, p.codeHash,
        hasStorage(address, p));
  }

  // Whether the account's storage, with the buffered writes, holds any non-zero slot.
  private boolean hasStorage(Address address, Pending p) {
    if (p.nonZeroSlots > 0) {
      return true;
    }
    if (p.storageCleared) {
      return false;
    }
    Header h = stored(address);
    if (h == null || Arrays.equals(h.storageRoot(), emptyRoot)) {
      return false;
    }
    if (p.storage.isEmpty()) {
      return true;
    }
    // Only deletions are buffered: whether slots remain needs the trie with them applied.
    SecureTrie trial = new SecureTrie(hash, store, h.storageRoot());
    p.storage.keySet().forEach(k -> trial.delete(k.toBytes()));
    return !Arrays.equals(trial.rootHash(), emptyRoot);
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
    AccountInfo a = account(address);
    return a == null ? Bytes.EMPTY : code(a.codeHash());
  }

  @Override
  public Word storage(Address address, Word key) {
    Pending p = pending.get(address);
    if (p != null) {
      Word written = p.storage.get(key);
      if (written != null) {
        return written;
      }
      if (p.deleted || p.storageCleared) {
        return Word.ZERO;
      }
    }
    SecureTrie trie = storageTrie(address);
    if (trie == null) {
      return Word.ZERO;
    }
    return trie.get(key.toBytes()).map(v -> Word.fromBytes(RlpReader.of(v).readBytes()))
        .orElse(Word.ZERO);
  }

  // The storage trie as of the last flush, or null when the account had none.
  private SecureTrie storageTrie(Address address) {
    SecureTrie trie = openStorage.get(address);
    if (trie == null) {
      Header h = stored(address);
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
    flush();
    Header h = stored(address);
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
    Pending p = pending.get(address);
    if (p == null) {
      p = new Pending();
      Header old = stored(address);
      p.codeHash = old == null ? emptyCodeHash : old.codeHash();
      p.storageCleared = old == null;
      pending.put(address, p);
    }
    if (change.deleted()) {
      p.deleted = true;
      p.storageCleared = true;
      p.clearStorage();
      p.codeHash = emptyCodeHash;
      return;
    }
    p.deleted = false;
    p.nonce = change.nonce();
    p.balance = change.balance();
    if (change.code() != null) {
      p.codeHash = hash.hash(change.code());
      if (change.code().length > 0) {
        store.put(p.codeHash, change.code());
      }
    }
    change.storage().forEach(p::write);
  }

  /** Writes the buffered accounts into the tries (their storage tries committed). */
  private void flush() {
    for (Map.Entry<Address, Pending> entry : pending.entrySet()) {
      Address address = entry.getKey();
      Pending p = entry.getValue();
      Header old = stored(address);
      if (p.deleted) {
        if (old != null) {
          changedAccounts.add(address);
        }
        accounts.delete(address.toArray());
        openStorage.remove(address);
        continue;
      }
      if (old == null || old.nonce() != p.nonce || !old.balance().equals(p.balance)
          || !Arrays.equals(old.codeHash(), p.codeHash)) {
        changedAccounts.add(address);
      }
      SecureTrie trie = p.storageCleared ? null : storageTrie(address);
      byte[] storageRoot = trie == null ? emptyRoot : trie.rootHash();
      if (!p.storage.isEmpty()) {
        if (trie == null) {
          trie = new SecureTrie(hash, store);
        }
        for (Map.Entry<Word, Word> slot : p.storage.entrySet()) {
          byte[] key = slot.getKey().toBytes();
          // Read before the write: each slot is written once per flush, so this is its old value.
          if (!slot.getValue().equals(p.storageCleared ? Word.ZERO : slotValue(trie, key))) {
            changedSlots.computeIfAbsent(address, a -> new HashSet<>()).add(slot.getKey());
          }
          if (slot.getValue().isZero()) {
            trie.delete(key);
          } else {
            trie.put(key, Rlp.encodeBytes(Bytes.trimLeadingZeros(slot.getValue().toBytes())));
          }
        }
        storageRoot = trie.commit();
      }
      if (trie == null) {
        openStorage.remove(address);
      } else {
        openStorage.put(address, trie);
      }
      accounts.put(address.toArray(), Rlp.encodeList(
          Rlp.encodeUnsignedLong(p.nonce),
          Rlp.encodeBigInteger(p.balance),
          Rlp.encodeBytes(storageRoot),
          Rlp.encodeBytes(p.codeHash)));
    }
    pending.clear();
    loaded.clear();
  }

  private static Word slotValue(SecureTrie trie, byte[] key) {
    return trie.get(key).map(v -> Word.fromBytes(RlpReader.of(v).readBytes())).orElse(Word.ZERO);
  }

  /**
   * The accounts and slots whose values the writes committed so far (by {@link #commit},
   * {@link #rootHash} and the other reads that flush) changed since this state was opened: a
   * block's changes when the state was opened on its parent. Slots of an account deleted, or
   * deleted and created again, are not listed beyond those written after: under EIP-6780 only an
   * account created in the same transaction is deleted, and it had no earlier storage.
   */
  public StateChanges changes() {
    flush();
    Map<Address, Set<Word>> slots = new HashMap<>();
    changedSlots.forEach((address, keys) -> slots.put(address, Set.copyOf(keys)));
    return new StateChanges(changedAccounts, slots);
  }

  /** The state root, committing every pending node to the store. */
  public byte[] commit() {
    flush();
    return accounts.commit();
  }

  public byte[] rootHash() {
    flush();
    return accounts.rootHash();
  }
}
