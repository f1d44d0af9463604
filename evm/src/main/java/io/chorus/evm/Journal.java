package io.chorus.evm;

import io.chorus.crypto.HashFunction;
import io.chorus.evm.precompile.Precompiles;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One transaction's view of the world state: every account, slot and substate item (warm sets,
 * transient storage, logs, refund, self-destructs, EIP-161 touches) as an overlay on a
 * {@link StateReader}, with an undo log so a failed or reverted call frame rolls back exactly
 * what it did. {@link #finish()} applies the end-of-transaction deletions and hands the net
 * changes to the owner of the committed state.
 */
public final class Journal {
  private final StateReader reader;
  private final HashFunction codeHasher;
  private final byte[] emptyCodeHash;
  private final Map<Address, Account> accounts = new LinkedHashMap<>();
  private final ArrayList<Runnable> undo = new ArrayList<>();
  private final ArrayList<Log> logs = new ArrayList<>();
  private long refund;

  public Journal(StateReader reader, HashFunction codeHasher) {
    this.reader = reader;
    this.codeHasher = codeHasher;
    this.emptyCodeHash = codeHasher.hash(new byte[0]);
  }

  /** An account as this transaction sees it; {@code exists} is false for an absent one. */
  private static final class Account {
    final Address address;
    boolean exists;
    long nonce;
    BigInteger balance;
    byte[] codeHash;
    Code code;
    boolean committedStorage;
    boolean modified;
    boolean codeChanged;
    boolean created;
    boolean destroyed;
    boolean touched;
    boolean warm;
    final HashMap<Word, Word> storage = new HashMap<>();
    final HashMap<Word, Word> original = new HashMap<>();
    HashSet<Word> warmSlots;
    HashMap<Word, Word> transientStorage;

    Account(Address address) {
      this.address = address;
    }
  }

  private Account account(Address address) {
    Account a = accounts.get(address);
    if (a == null) {
      a = new Account(address);
      AccountInfo info = reader.account(address);
      if (info != null) {
        a.exists = true;
        a.nonce = info.nonce();
        a.balance = info.balance();
        a.codeHash = info.codeHash();
        a.committedStorage = info.hasStorage();
      } else {
        a.balance = BigInteger.ZERO;
        a.codeHash = emptyCodeHash;
        a.code = Code.EMPTY;
      }
      accounts.put(address, a);
    }
    return a;
  }

  public boolean exists(Address address) {
    return account(address).exists;
  }

  /** EIP-161 "dead": absent, or with nonce 0, balance 0 and no code. */
  public boolean isDead(Address address) {
    Account a = account(address);
    return !a.exists || isEmpty(a);
  }

  private boolean isEmpty(Account a) {
    return a.nonce == 0 && a.balance.signum() == 0 && code(a).size() == 0;
  }

  public BigInteger balance(Address address) {
    return account(address).balance;
  }

  public long nonce(Address address) {
    return account(address).nonce;
  }

  public Code code(Address address) {
    return code(account(address));
  }

  private Code code(Account a) {
    if (a.code == null) {
      byte[] bytes = reader.code(a.codeHash);
      a.code = bytes.length == 0 ? Code.EMPTY : new Code(bytes);
    }
    return a.code;
  }

  /** The hash of an existing account's code (EXTCODEHASH answers 0 for dead ones itself). */
  public byte[] codeHash(Address address) {
    return account(address).codeHash;
  }

  /**
   * EIP-684 and EIP-7610: a creation may not land on an account that has a nonce, code or
   * storage.
   */
  public boolean hasCollision(Address address) {
    Account a = account(address);
    return a.nonce != 0 || code(a).size() != 0 || a.committedStorage;
  }

  public Word storage(Address address, Word key) {
    Account a = account(address);
    Word value = a.storage.get(key);
    return value != null ? value : original(a, key);
  }

  /** The slot's value when the transaction began (EIP-2200's "original value"). */
  public Word originalStorage(Address address, Word key) {
    return original(account(address), key);
  }

  private Word original(Account a, Word key) {
    Word value = a.original.get(key);
    if (value == null) {
      value = a.committedStorage ? reader.storage(a.address, key) : Word.ZERO;
      a.original.put(key, value);
    }
    return value;
  }

  public void setStorage(Address address, Word key, Word value) {
    Account a = account(address);
    Word previous = a.storage.put(key, value);
    boolean wasModified = a.modified;
    a.modified = true;
    undo.add(() -> {
      if (previous == null) {
        a.storage.remove(key);
      } else {
        a.storage.put(key, previous);
      }
      a.modified = wasModified;
    });
  }

  public Word transientStorage(Address address, Word key) {
    HashMap<Word, Word> slots = account(address).transientStorage;
    Word value = slots == null ? null : slots.get(key);
    return value == null ? Word.ZERO : value;
  }

  public void setTransientStorage(Address address, Word key, Word value) {
    Account a = account(address);
    if (a.transientStorage == null) {
      a.transientStorage = new HashMap<>();
    }
    HashMap<Word, Word> slots = a.transientStorage;
    Word previous = slots.put(key, value);
    undo.add(() -> {
      if (previous == null) {
        slots.remove(key);
      } else {
        slots.put(key, previous);
      }
    });
  }

  /** Adds to a balance, creating the account if absent; touches it even for zero (EIP-161). */
  public void addBalance(Address address, BigInteger amount) {
    Account a = account(address);
    touch(a);
    if (amount.signum() != 0 || !a.exists) {
      setBalance(a, a.balance.add(amount));
    }
  }

  /** Subtracts from a balance the caller has checked covers it. */
  public void subBalance(Address address, BigInteger amount) {
    Account a = account(address);
    touch(a);
    if (amount.signum() != 0) {
      if (a.balance.compareTo(amount) < 0) {
        throw new IllegalStateException("balance of " + address + " below " + amount);
      }
      setBalance(a, a.balance.subtract(amount));
    }
  }

  private void setBalance(Account a, BigInteger balance) {
    BigInteger previous = a.balance;
    boolean wasModified = a.modified;
    boolean existed = a.exists;
    a.balance = balance;
    a.modified = true;
    a.exists = true;
    undo.add(() -> {
      a.balance = previous;
      a.modified = wasModified;
      a.exists = existed;
    });
  }

  /** Sets the nonce of an existing (or just created) account. */
  public void setNonce(Address address, long nonce) {
    Account a = account(address);
    long previous = a.nonce;
    boolean wasModified = a.modified;
    boolean existed = a.exists;
    a.nonce = nonce;
    a.modified = true;
    a.exists = true;
    undo.add(() -> {
      a.nonce = previous;
      a.modified = wasModified;
      a.exists = existed;
    });
  }

  public void setCode(Address address, byte[] code) {
    Account a = account(address);
    Code previousCode = code(a);
    byte[] previousHash = a.codeHash;
    boolean wasChanged = a.codeChanged;
    a.code = code.length == 0 ? Code.EMPTY : new Code(code);
    a.codeHash = codeHasher.hash(code);
    a.codeChanged = true;
    a.modified = true;
    undo.add(() -> {
      a.code = previousCode;
      a.codeHash = previousHash;
      a.codeChanged = wasChanged;
    });
  }

  /**
   * Makes a contract account at {@code address} (the caller has ruled out a collision): it keeps
   * any balance already sent there and counts as created in this transaction (EIP-6780).
   */
  public void createContract(Address address) {
    Account a = account(address);
    boolean wasCreated = a.created;
    boolean existed = a.exists;
    boolean wasModified = a.modified;
    a.created = true;
    a.exists = true;
    a.modified = true;
    undo.add(() -> {
      a.created = wasCreated;
      a.exists = existed;
      a.modified = wasModified;
    });
  }

  /**
   * EIP-6780: only an account created in this transaction is destroyed; its balance is gone at
   * once (what it sends to itself is burned), the account itself at the end of the transaction.
   */
  public void selfDestruct(Address address) {
    Account a = account(address);
    if (!a.created) {
      return;
    }
    if (!a.destroyed) {
      a.destroyed = true;
      undo.add(() -> a.destroyed = false);
    }
    if (a.balance.signum() != 0) {
      setBalance(a, BigInteger.ZERO);
    }
  }

  public void touch(Address address) {
    touch(account(address));
  }

  private void touch(Account a) {
    if (!a.touched) {
      a.touched = true;
      undo.add(() -> a.touched = false);
    }
  }

  /** Marks an account warm (EIP-2929); true when it was cold. Precompiles are always warm. */
  public boolean warmAccount(Address address) {
    if (Precompiles.at(address.precompileIndex()) != null) {
      return false; // warm from every transaction's start (EIP-2929): no state to read for it
    }
    Account a = account(address);
    if (a.warm) {
      return false;
    }
    a.warm = true;
    undo.add(() -> a.warm = false);
    return true;
  }

  /** Marks a storage slot warm (EIP-2929); true when it was cold. */
  public boolean warmSlot(Address address, Word key) {
    Account a = account(address);
    if (a.warmSlots == null) {
      a.warmSlots = new HashSet<>();
    }
    HashSet<Word> slots = a.warmSlots;
    if (!slots.add(key)) {
      return false;
    }
    undo.add(() -> slots.remove(key));
    return true;
  }

  public void addLog(Log log) {
    logs.add(log);
    undo.add(() -> logs.remove(logs.size() - 1));
  }

  public List<Log> logs() {
    return List.copyOf(logs);
  }

  public void addRefund(long delta) {
    long previous = refund;
    refund += delta;
    undo.add(() -> refund = previous);
  }

  public long refund() {
    return refund;
  }

  /** A point to roll back to with {@link #revertTo(int)}. */
  public int snapshot() {
    return undo.size();
  }

  public void revertTo(int snapshot) {
    for (int i = undo.size() - 1; i >= snapshot; i--) {
      undo.remove(i).run();
    }
  }

  /**
   * Ends the transaction: destroys self-destructed accounts and deletes touched empty ones
   * (EIP-161), and returns the net change of every account that changed. The journal is spent.
   */
  public List<AccountChange> finish() {
    List<AccountChange> changes = new ArrayList<>();
    for (Account a : accounts.values()) {
      boolean delete = a.destroyed || (a.touched && a.exists && isEmpty(a));
      if (delete) {
        changes.add(new AccountChange(a.address, true, 0, BigInteger.ZERO, null, Map.of()));
      } else if (a.exists && a.modified) {
        Map<Word, Word> written = new HashMap<>();
        for (Map.Entry<Word, Word> slot : a.storage.entrySet()) {
          if (!slot.getValue().equals(original(a, slot.getKey()))) {
            written.put(slot.getKey(), slot.getValue());
          }
        }
        changes.add(new AccountChange(a.address, false, a.nonce, a.balance,
            a.codeChanged ? a.code.bytes() : null, written));
      }
    }
    undo.clear();
    return changes;
  }
}
