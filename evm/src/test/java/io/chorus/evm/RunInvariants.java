package io.chorus.evm;

import io.chorus.codec.Hex;
import java.math.BigInteger;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * What every call must satisfy whatever its code, calldata and gas: shared by the property and
 * fuzz tests. A violation throws {@link AssertionError}; so does anything the EVM throws.
 */
final class RunInvariants {
  static final Address EMPTY = Address.parse("0x00000000000000000000000000000000000000e0");
  static final BigInteger SENDER_BALANCE = Harness.ETHER.multiply(BigInteger.TEN);
  /** Committed slots of {@link Harness#CONTRACT}, so SSTORE's reset and refund paths run. */
  static final Map<Word, Word> SLOTS = Map.of(Word.ZERO, Word.of(1), Word.of(1), Word.of(2));

  private RunInvariants() {}

  /**
   * Sender, {@link Harness#CONTRACT} running {@code code}, {@link Harness#OTHER} running
   * {@code otherCode}, and an existing empty account that EIP-161 deletes once touched.
   */
  static MapState world(byte[] code, byte[] otherCode) {
    MapState state = new MapState()
        .put(Harness.SENDER, 0, SENDER_BALANCE, new byte[0])
        .put(Harness.CONTRACT, 1, Harness.ETHER, code)
        .put(Harness.OTHER, 1, BigInteger.valueOf(1_000), otherCode)
        .put(EMPTY, 0, BigInteger.ZERO, new byte[0]);
    SLOTS.forEach((k, v) -> state.putStorage(Harness.CONTRACT, k, v));
    return state;
  }

  /**
   * Calls {@link Harness#CONTRACT} in a fresh transaction over {@link #world}, checks every
   * invariant and returns a fingerprint of the outcome (equal runs give equal fingerprints).
   */
  static String check(byte[] code, byte[] otherCode, byte[] calldata, long gas) {
    return check(code, otherCode, calldata, gas, null);
  }

  /** As {@link #check(byte[], byte[], byte[], long)}, watched by {@code tracer} (or none). */
  static String check(byte[] code, byte[] otherCode, byte[] calldata, long gas, Tracer tracer) {
    MapState state = world(code, otherCode);
    Harness h = new Harness(state, Harness.BLOCK, tracer);
    Result r = h.call(Harness.CONTRACT, calldata, gas);
    int status = r.status();
    // Messages are built only on failure: hex-encoding the code for every run cost the fuzz
    // target a tenth of its pace.
    Supplier<String> where = () -> Status.name(status) + " for code " + Hex.encode(code)
        + ", calldata " + Hex.encode(calldata) + ", gas " + gas;
    require(status >= Status.SUCCESS && status <= Status.NONCE_OVERFLOW,
        () -> "undefined status " + where.get());
    require(r.gasLeft() >= 0 && r.gasLeft() <= gas,
        () -> "gas left " + r.gasLeft() + " " + where.get());
    require(r.created() == null, () -> "a call reports a created address " + where.get());
    if (Status.isExceptional(status)) {
      require(r.gasLeft() == 0 && r.output().length == 0,
          () -> "an exceptional halt kept gas or output " + where.get());
    }
    Journal j = h.journal;
    if (status != Status.SUCCESS) {
      // Nothing of a failed call survives: compare the getters with the committed state.
      require(j.logs().isEmpty() && j.refund() == 0,
          () -> "logs or refund survive " + where.get());
      for (Address a : List.of(Harness.SENDER, Harness.CONTRACT, Harness.OTHER, EMPTY)) {
        require(j.balance(a).equals(state.account(a).balance())
            && j.nonce(a) == state.account(a).nonce(),
            () -> "account " + a + " changed " + where.get());
      }
      SLOTS.forEach((k, v) -> require(j.storage(Harness.CONTRACT, k).equals(v),
          () -> "slot " + k + " changed " + where.get()));
    }
    List<Log> logs = j.logs();
    long refund = j.refund();
    List<AccountChange> changes = j.finish();
    if (status != Status.SUCCESS) {
      require(changes.isEmpty(),
          () -> "a failed call commits " + changes.size() + " changes " + where.get());
    }
    checkChanges(state, changes, where);
    return status + "/" + r.gasLeft() + "/" + Hex.encode(r.output()) + "/" + logs.size() + "/"
        + refund + "/" + render(changes);
  }

  /** No ether is minted, nonces never fall, deployed code obeys EIP-170 and EIP-3541. */
  private static void checkChanges(MapState state, List<AccountChange> changes,
      Supplier<String> where) {
    Map<Address, BigInteger> balances = new HashMap<>();
    for (AccountChange c : changes) {
      AccountInfo before = state.account(c.address());
      balances.put(c.address(), c.deleted() ? BigInteger.ZERO : c.balance());
      if (c.deleted()) {
        continue;
      }
      require(before == null || Long.compareUnsigned(c.nonce(), before.nonce()) >= 0,
          () -> "nonce of " + c.address() + " fell " + where.get());
      if (c.code() != null) {
        require(c.code().length <= Limits.CODE_BYTES_MAX
            && (c.code().length == 0 || c.code()[0] != (byte) 0xEF),
            () -> "bad code deployed at " + c.address() + " " + where.get());
      }
    }
    BigInteger total = state.totalBalance();
    for (Map.Entry<Address, BigInteger> e : balances.entrySet()) {
      AccountInfo before = state.account(e.getKey());
      total = total.subtract(before == null ? BigInteger.ZERO : before.balance())
          .add(e.getValue());
    }
    require(total.compareTo(state.totalBalance()) <= 0,
        () -> "ether was minted " + where.get());
  }

  private static String render(List<AccountChange> changes) {
    return changes.stream().sorted(Comparator.comparing(AccountChange::address))
        .map(c -> c.address() + ":" + c.deleted() + ":" + c.nonce() + ":" + c.balance() + ":"
            + (c.code() == null ? "-" : Hex.encode(c.code())) + ":"
            + new TreeMap<>(c.storage()))
        .collect(Collectors.joining(","));
  }

  private static void require(boolean condition, Supplier<String> message) {
    if (!condition) {
      throw new AssertionError(message.get());
    }
  }
}
