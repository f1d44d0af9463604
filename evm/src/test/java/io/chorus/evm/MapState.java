package io.chorus.evm;

import io.chorus.crypto.Keccak256;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A committed world state in plain maps, for tests: each account's nonce, balance, code and
 * storage. Code hashes are keccak-256 (the Ethereum suite); {@code hasStorage} is true iff a slot
 * holds a non-zero value.
 */
final class MapState implements StateReader {
  private static final class Account {
    long nonce;
    BigInteger balance = BigInteger.ZERO;
    byte[] code = new byte[0];
    // Hashed once in put: the EVM asks for an account's header on every touch, and rehashing
    // up to 4 KiB of code each time was an eighth of the EVM fuzz target's time on fresh inputs.
    byte[] codeHash;
    final Map<Word, Word> storage = new HashMap<>();
  }

  private final Map<Address, Account> accounts = new HashMap<>();

  /** Creates or replaces an account's header and code (storage is kept). */
  MapState put(Address address, long nonce, BigInteger balance, byte[] code) {
    Account a = accounts.computeIfAbsent(address, k -> new Account());
    a.nonce = nonce;
    a.balance = balance;
    a.code = code.clone();
    a.codeHash = Keccak256.INSTANCE.hash(a.code);
    return this;
  }

  /** Sets a slot of an account that {@link #put} made; zero deletes it. */
  MapState putStorage(Address address, Word key, Word value) {
    Account a = accounts.get(address);
    if (a == null) {
      throw new IllegalStateException("no account " + address);
    }
    if (value.isZero()) {
      a.storage.remove(key);
    } else {
      a.storage.put(key, value);
    }
    return this;
  }

  /** The sum of every balance: what no transaction may increase. */
  BigInteger totalBalance() {
    return accounts.values().stream().map(a -> a.balance).reduce(BigInteger.ZERO,
        BigInteger::add);
  }

  @Override
  public AccountInfo account(Address address) {
    Account a = accounts.get(address);
    if (a == null) {
      return null;
    }
    boolean hasStorage = a.storage.values().stream().anyMatch(v -> !v.isZero());
    return new AccountInfo(a.nonce, a.balance, a.codeHash.clone(), hasStorage);
  }

  @Override
  public byte[] code(byte[] codeHash) {
    for (Account a : accounts.values()) {
      if (Arrays.equals(a.codeHash, codeHash)) {
        return a.code.clone();
      }
    }
    return new byte[0];
  }

  @Override
  public Word storage(Address address, Word key) {
    Account a = accounts.get(address);
    return a == null ? Word.ZERO : a.storage.getOrDefault(key, Word.ZERO);
  }
}
