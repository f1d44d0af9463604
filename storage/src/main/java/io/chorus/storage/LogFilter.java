package io.chorus.storage;

import io.chorus.evm.Address;
import io.chorus.evm.Log;
import io.chorus.evm.Word;
import io.chorus.ledger.LogCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What {@link ChainStore#logs} looks for, with the semantics of Ethereum's {@code eth_getLogs}: a
 * log matches when it lies in blocks {@code fromBlock} to {@code toBlock} (inclusive), its address
 * is one of {@code addresses} (an empty set allows any), and for each topic position {@code i}
 * the log's {@code i}-th topic is one of {@code topics.get(i)} (an empty set allows any). As in
 * go-ethereum, a filter with {@code n} topic positions only matches logs with at least {@code n}
 * topics, wildcards included. A null set is taken as empty.
 */
public record LogFilter(long fromBlock, long toBlock, Set<Address> addresses,
    List<Set<Word>> topics) {
  /** The most addresses, or alternatives at one topic position, a filter may list. */
  public static final int ALTERNATIVES_MAX = 1_000;

  /**
   * Validates and copies the filter.
   *
   * @throws IllegalArgumentException with a message fit for the caller of {@code eth_getLogs}
   */
  public LogFilter {
    if (fromBlock < 0) {
      throw new IllegalArgumentException("fromBlock must not be negative, got " + fromBlock);
    }
    if (fromBlock > toBlock) {
      throw new IllegalArgumentException("fromBlock " + fromBlock + " is after toBlock "
          + toBlock);
    }
    addresses = copy("addresses", addresses);
    if (topics == null) {
      topics = List.of();
    }
    if (topics.size() > LogCodec.TOPICS_MAX) {
      throw new IllegalArgumentException("a log has at most " + LogCodec.TOPICS_MAX
          + " topics, but the filter has " + topics.size() + " topic positions");
    }
    List<Set<Word>> copied = new ArrayList<>(topics.size());
    for (int i = 0; i < topics.size(); i++) {
      copied.add(copy("topic position " + i, topics.get(i)));
    }
    topics = List.copyOf(copied);
  }

  /** Whether {@code log} satisfies the address and topic conditions (not the block range). */
  public boolean matches(Log log) {
    if (!addresses.isEmpty() && !addresses.contains(log.address())) {
      return false;
    }
    if (topics.size() > log.topics().size()) {
      return false;
    }
    for (int i = 0; i < topics.size(); i++) {
      Set<Word> allowed = topics.get(i);
      if (!allowed.isEmpty() && !allowed.contains(log.topics().get(i))) {
        return false;
      }
    }
    return true;
  }

  /** Whether some address or topic position is restricted, so the log index can answer. */
  boolean isSelective() {
    return !addresses.isEmpty() || topics.stream().anyMatch(t -> !t.isEmpty());
  }

  private static <T> Set<T> copy(String what, Set<T> values) {
    if (values == null) {
      return Set.of();
    }
    if (values.size() > ALTERNATIVES_MAX) {
      throw new IllegalArgumentException(what + " has " + values.size()
          + " alternatives, more than " + ALTERNATIVES_MAX);
    }
    for (T value : values) {
      if (value == null) {
        throw new IllegalArgumentException(what + " must not contain null");
      }
    }
    return Set.copyOf(values);
  }
}
