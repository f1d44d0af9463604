package io.chorus.state.system;

import io.chorus.codec.Bytes;
import io.chorus.crypto.Keccak256;
import io.chorus.evm.Address;
import io.chorus.evm.Journal;
import io.chorus.evm.Log;
import io.chorus.evm.NativeContracts;
import io.chorus.evm.Result;
import io.chorus.evm.StateReader;
import io.chorus.evm.Word;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The storage of one system contract as named slots, each access metered. A slot's key is the
 * keccak of its name and keys, as Solidity derives mapping slots, so no two names collide and
 * the data sits in the account's storage trie like any contract's: the state root covers it and
 * {@code eth_getProof} proves it.
 */
final class SystemStorage {
  /** What a slot read costs: a cold SLOAD. */
  static final long READ_GAS = 2_100;
  /** What a slot write costs: a fresh SSTORE. */
  static final long WRITE_GAS = 20_000;
  /** LOG's costs: a base, per topic and per data byte. */
  static final long LOG_GAS = 375;
  static final long LOG_TOPIC_GAS = 375;
  static final long LOG_DATA_BYTE_GAS = 8;
  /** What reaching another account costs (its code, a call to it): a cold access, as CALL's. */
  static final long ACCOUNT_GAS = 2_600;

  private final Address address;
  private final StateReader reader;
  private final Journal journal;
  /** How this contract calls an application contract; null where none can be called. */
  private final NativeContracts.Outcall outcall;
  private long gasLeft;

  private SystemStorage(Address address, StateReader reader, Journal journal,
      NativeContracts.Outcall outcall, long gas) {
    this.address = address;
    this.reader = reader;
    this.journal = journal;
    this.outcall = outcall;
    this.gasLeft = gas;
  }

  /** Reads and writes through a transaction's journal, within {@code gas}. */
  static SystemStorage writable(Address address, Journal journal, long gas) {
    return new SystemStorage(address, null, journal, null, gas);
  }

  /**
   * Reads and writes through a transaction's journal within {@code gas}, and calls contracts
   * through {@code outcall}: a message call of the EVM's that runs it.
   */
  static SystemStorage calling(Address address, Journal journal, long gas,
      NativeContracts.Outcall outcall) {
    return new SystemStorage(address, null, journal, outcall, gas);
  }

  /** Reads committed state, unmetered: for the node itself (admission, schedules, RPC). */
  static SystemStorage readOnly(Address address, StateReader reader) {
    return new SystemStorage(address, reader, null, null, Long.MAX_VALUE);
  }

  /** The gas not spent yet. */
  long gasLeft() {
    return gasLeft;
  }

  /** A slot named {@code name} with keys: addresses, words, longs, byte arrays or strings. */
  static Word slot(String name, Object... keys) {
    ByteArrayOutputStream preimage = new ByteArrayOutputStream();
    preimage.writeBytes(name.getBytes(StandardCharsets.UTF_8));
    for (Object key : keys) {
      preimage.write(0); // separates the name and keys, so "ab"+"c" differs from "a"+"bc"
      switch (key) {
        case Address a -> preimage.writeBytes(a.toArray());
        case Word w -> preimage.writeBytes(w.toBytes());
        case Long l -> preimage.writeBytes(Word.of(l).toBytes());
        case Integer i -> preimage.writeBytes(Word.of(i).toBytes());
        case byte[] b -> preimage.writeBytes(b);
        default -> throw new IllegalArgumentException("no slot key of type " + key.getClass());
      }
    }
    return Word.fromBytes(Keccak256.INSTANCE.hash(preimage.toByteArray()));
  }

  Word read(Word slot) {
    charge(READ_GAS);
    return journal != null ? journal.storage(address, slot) : reader.storage(address, slot);
  }

  /**
   * A slot of another system contract, metered as this one's reads: for a rule that consults
   * another contract's data (the receivables contract reads roles from the permissions one).
   */
  Word readOf(Address contract, Word slot) {
    charge(READ_GAS);
    return journal != null ? journal.storage(contract, slot) : reader.storage(contract, slot);
  }

  long readLong(Word slot) {
    return read(slot).toBigInteger().longValueExact();
  }

  BigInteger readBig(Word slot) {
    return read(slot).toBigInteger();
  }

  Address readAddress(Word slot) {
    return Address.fromWord(read(slot).toBytes());
  }

  void write(Word slot, Word value) {
    if (journal == null) {
      throw new IllegalStateException("a read-only view of " + address + " cannot write");
    }
    charge(WRITE_GAS);
    journal.setStorage(address, slot, value);
  }

  void write(Word slot, long value) {
    write(slot, Word.of(value));
  }

  void write(Word slot, BigInteger value) {
    write(slot, Word.fromBigInteger(value));
  }

  void write(Word slot, Address value) {
    byte[] word = new byte[32];
    value.copyTo(word, 12);
    write(slot, Word.fromBytes(word));
  }

  /** Bytes of any length: the length in one slot, then 32-byte chunks. */
  void writeBytes(String name, Object key, byte[] value) {
    write(slot(name + ".length", key), value.length);
    for (int i = 0; i * 32 < value.length; i++) {
      byte[] chunk = new byte[32];
      System.arraycopy(value, i * 32, chunk, 0, Math.min(32, value.length - i * 32));
      write(slot(name, key, i), Word.fromBytes(chunk));
    }
  }

  byte[] readBytes(String name, Object key) {
    int length = Math.toIntExact(readLong(slot(name + ".length", key)));
    byte[] value = new byte[length];
    for (int i = 0; i * 32 < length; i++) {
      System.arraycopy(read(slot(name, key, i)).toBytes(), 0, value, i * 32,
          Math.min(32, length - i * 32));
    }
    return length == 0 ? Bytes.EMPTY : value;
  }

  /**
   * Emits an event of this contract, charged as LOG is: the caller sees it in the receipt and
   * through {@code eth_getLogs} like any contract's.
   */
  void log(List<Word> topics, byte[] data) {
    if (journal == null) {
      throw new IllegalStateException("a read-only view of " + address + " cannot log");
    }
    charge(LOG_GAS + LOG_TOPIC_GAS * topics.size() + LOG_DATA_BYTE_GAS * data.length);
    journal.addLog(new Log(address, List.copyOf(topics), data));
  }

  /** Whether {@code account} holds code, charged as EXTCODESIZE of a cold account. */
  boolean hasCode(Address account) {
    if (journal == null) {
      throw new IllegalStateException("a read-only view of " + address + " reads no code");
    }
    charge(ACCOUNT_GAS);
    return journal.code(account).size() > 0;
  }

  /**
   * Calls contract {@code to} with exactly {@code gas}: a CALL with no value from this contract,
   * one depth below it. The whole bound is taken before the call, so that no caller can make
   * the callee fail by giving this contract less; what the callee leaves comes back. Its writes
   * are undone when it fails; this contract's stand.
   */
  Result callOut(Address to, byte[] input, long gas) {
    if (outcall == null) {
      throw new IllegalStateException(address + " cannot call contracts here");
    }
    charge(ACCOUNT_GAS);
    charge(gas);
    Result result = outcall.call(to, input, gas);
    gasLeft += result.gasLeft();
    return result;
  }

  /** A point to undo a call's writes back to ({@link #revertTo}), as a frame's snapshot. */
  int snapshot() {
    return journal.snapshot();
  }

  /**
   * Undoes every write and log since {@code snapshot}: a callee's that succeeded but answered
   * what this contract refuses.
   */
  void revertTo(int snapshot) {
    journal.revertTo(snapshot);
  }

  /** Charges {@code gas} for work that is not a storage access (native verification). */
  void charge(long gas) {
    if (gasLeft < gas) {
      gasLeft = 0;
      throw new OutOfGas();
    }
    gasLeft -= gas;
  }

  /** The call ran out of gas: all of it is spent and its writes undone. */
  static final class OutOfGas extends RuntimeException {
    private static final long serialVersionUID = 1L;

    OutOfGas() {
      super("out of gas", null, false, false);
    }
  }
}
