package io.chorus.receivables;

import io.chorus.chain.Blockchain;
import io.chorus.crypto.EnvelopeException;
import io.chorus.crypto.ValueCommitments;
import io.chorus.crypto.ValueCommitments.Opening;
import io.chorus.evm.Address;
import io.chorus.evm.Log;
import io.chorus.evm.StateReader;
import io.chorus.evm.Word;
import io.chorus.rpc.rest.Caller;
import io.chorus.service.TransactionSubmitter;
import io.chorus.state.system.Receivables;
import io.chorus.state.system.SystemContracts;
import io.chorus.storage.ChainStore;
import io.chorus.storage.LogEntry;
import io.chorus.storage.LogFilter;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a confidential piece holds, as one caller may know it: the latest {@code Opened} event
 * of the piece whose envelope the caller's account key (in the node's keystore) opens, and
 * whose first opening opens the piece's current commitment. Envelopes are bound to the
 * commitment they open, so one sealed before a split (for an amount the piece no longer holds)
 * no longer opens; a second opening in the envelope is an offer's price, kept when it opens the
 * piece's price commitment. The events are found by the node's log index (the contract's
 * address, the event and the piece id), newest blocks first, from the piece's first block.
 */
final class Openings {
  /** A caller's openings of a piece: its value, and the price of its offer or financing. */
  record Opened(Opening value, Optional<Opening> price) {}

  private final Blockchain chain;
  private final TransactionSubmitter submitter;

  Openings(Blockchain chain, TransactionSubmitter submitter) {
    this.chain = chain;
    this.submitter = submitter;
  }

  /**
   * The caller's openings of {@code piece} in {@code state}; empty when its key opens none
   * that holds now (it is no party, or no party shared the amount with it).
   *
   * @param fromBlock the piece's first block: no opening of it is older
   * @throws io.chorus.rpc.rest.Problem 409 when the node holds no key for the caller's account
   */
  Optional<Opened> find(Caller caller, StateReader state, Receivables.Piece piece,
      long fromBlock) {
    byte[] commitment = piece.commitment();
    byte[] priceCommitment = Receivables.priceCommitment(state, piece.id());
    submitter.publicKey(caller); // a locked account is told so, not told it is no party
    Address account = caller.account();
    long to = chain.head().number();
    while (to >= fromBlock) {
      long from = Math.max(fromBlock, to - ChainStore.LOG_RANGE_BLOCKS_MAX + 1);
      List<LogEntry> entries = chain.store().logs(new LogFilter(from, to,
          Set.of(SystemContracts.RECEIVABLES), List.of(
              Set.of(Receivables.Event.OPENED.topic()), Set.of(Word.of(piece.id())))));
      for (LogEntry entry : entries.reversed()) {
        Optional<Opened> opened = open(caller, account, entry.log(), commitment,
            priceCommitment);
        if (opened.isPresent()) {
          return opened;
        }
      }
      to = from - 1;
    }
    return Optional.empty();
  }

  private Optional<Opened> open(Caller caller, Address account, Log log, byte[] commitment,
      byte[] priceCommitment) {
    ValueCommitments commitments = chain.suite().commitments();
    Optional<byte[]> sealed = sealedOpenings(log);
    if (sealed.isEmpty() || !sealedFor(sealed.get(), account)) {
      return Optional.empty();
    }
    byte[] payload;
    try {
      payload = submitter.open(caller, sealed.get(), commitment);
    } catch (EnvelopeException e) {
      return Optional.empty(); // bound to an older commitment of the piece
    }
    if (payload.length < Opening.BYTES || payload.length % Opening.BYTES != 0) {
      return Optional.empty();
    }
    Opening value = Opening.decode(Arrays.copyOf(payload, Opening.BYTES));
    if (!commitments.opens(commitment, value)) {
      return Optional.empty();
    }
    Optional<Opening> price = Optional.empty();
    if (payload.length >= 2 * Opening.BYTES && priceCommitment.length != 0) {
      Opening candidate = Opening.decode(Arrays.copyOfRange(payload, Opening.BYTES,
          2 * Opening.BYTES));
      if (commitments.opens(priceCommitment, candidate)) {
        price = Optional.of(candidate);
      }
    }
    return Optional.of(new Opened(value, price));
  }

  private boolean sealedFor(byte[] sealed, Address account) {
    try {
      return chain.suite().envelope().recipients(sealed).stream()
          .anyMatch(r -> Arrays.equals(r, account.toArray()));
    } catch (EnvelopeException e) {
      return false;
    }
  }

  /** The {@code bytes openings} of an {@code Opened} log: abi.encode(bytes). */
  private static Optional<byte[]> sealedOpenings(Log log) {
    byte[] data = log.data();
    int word = 32;
    if (data.length < 2 * word
        || !new BigInteger(1, Arrays.copyOf(data, word)).equals(BigInteger.valueOf(word))) {
      return Optional.empty();
    }
    BigInteger length = new BigInteger(1, Arrays.copyOfRange(data, word, 2 * word));
    if (length.compareTo(BigInteger.valueOf(data.length - 2L * word)) > 0) {
      return Optional.empty();
    }
    return Optional.of(Arrays.copyOfRange(data, 2 * word, 2 * word + length.intValue()));
  }
}
