package io.chorus.bench;

import io.chorus.codec.Bytes;
import io.chorus.crypto.HashFunction;
import io.chorus.evm.AccountChange;
import io.chorus.evm.AccountInfo;
import io.chorus.evm.Address;
import io.chorus.evm.StateReader;
import io.chorus.evm.Word;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A committed world state in plain maps, for running the EVM in-process without a trie: what the
 * benchmarks deploy into and then only read from.
 */
final class MapState implements StateReader {
  private record Account(long nonce, BigInteger balance, byte[] code, byte[] codeHash,
      Map<Word, Word> storage) {}

  private final HashFunction codeHasher;
  private final Map<Address, Account> accounts = new HashMap<>();

  MapState(HashFunction codeHasher) {
    this.codeHasher = codeHasher;
  }

  /** Creates or replaces an account without code or storage. */
  void fund(Address address, BigInteger balance) {
    accounts.put(address, new Account(0, balance, Bytes.EMPTY, codeHasher.hash(Bytes.EMPTY),
        new HashMap<>()));
  }

  /** Commits what {@link io.chorus.evm.Journal#finish()} returned. */
  void apply(List<AccountChange> changes) {
    for (AccountChange change : changes) {
      if (change.deleted()) {
        accounts.remove(change.address());
        continue;
      }
      Account old = accounts.get(change.address());
      byte[] code = change.code() != null ? change.code() : old != null ? old.code : Bytes.EMPTY;
      Map<Word, Word> storage = old != null ? old.storage : new HashMap<>();
      change.storage().forEach((key, value) -> {
        if (value.isZero()) {
          storage.remove(key);
        } else {
          storage.put(key, value);
        }
      });
      accounts.put(change.address(), new Account(change.nonce(), change.balance(), code,
          codeHasher.hash(code), storage));
    }
  }

  @Override
  public AccountInfo account(Address address) {
    Account a = accounts.get(address);
    return a == null ? null
        : new AccountInfo(a.nonce, a.balance, a.codeHash, !a.storage.isEmpty());
  }

  @Override
  public byte[] code(byte[] codeHash) {
    for (Account a : accounts.values()) {
      if (Arrays.equals(a.codeHash, codeHash)) {
        return a.code;
      }
    }
    return Bytes.EMPTY;
  }

  @Override
  public Word storage(Address address, Word key) {
    Account a = accounts.get(address);
    return a == null ? Word.ZERO : a.storage.getOrDefault(key, Word.ZERO);
  }
}
