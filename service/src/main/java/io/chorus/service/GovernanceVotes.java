package io.chorus.service;

import io.chorus.evm.Address;
import io.chorus.evm.Log;
import io.chorus.evm.Word;
import io.chorus.ledger.Receipt;
import io.chorus.state.system.Governance;
import io.chorus.state.system.SystemContracts;
import io.chorus.storage.ChainStore;
import io.chorus.storage.LogEntry;
import io.chorus.storage.LogFilter;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which transactions made a proposal and cast its votes, from the governance contract's
 * {@code Proposed} and {@code Voted} events in the chain's log index. The state says how each
 * member voted; only the events say in which transaction.
 */
final class GovernanceVotes {
  /** The transaction that emitted an event, and its block. */
  record Cast(byte[] transactionHash, long blockNumber) {}

  private final ChainStore store;

  GovernanceVotes(ChainStore store) {
    this.store = store;
  }

  /** The transaction that made proposal {@code p}: its event is in the block it records. */
  Optional<Cast> proposed(Governance.Proposal p) {
    return store.logs(filter(p.createdAt(), p.createdAt(), Governance.PROPOSED_TOPIC, p.id()))
        .stream().findFirst().map(GovernanceVotes::cast);
  }

  /**
   * The vote of each of {@code voters} on proposal {@code p}. Votes lie between the proposal's
   * block and its expiry (or the head); the range is read in the steps the log index allows,
   * and no further once every voter is found.
   */
  Map<Address, Cast> votes(Governance.Proposal p, long head, List<Address> voters) {
    Set<Address> wanted = new HashSet<>(voters);
    Map<Address, Cast> found = new HashMap<>();
    long last = Math.min(p.expiresAt(), head);
    for (long from = p.createdAt(); from <= last && !wanted.isEmpty();
        from += ChainStore.LOG_RANGE_BLOCKS_MAX) {
      long to = Math.min(last, from + ChainStore.LOG_RANGE_BLOCKS_MAX - 1);
      for (LogEntry entry : store.logs(filter(from, to, Governance.VOTED_TOPIC, p.id()))) {
        Address member = Address.fromWord(entry.log().topics().get(2).toBytes());
        if (wanted.remove(member)) {
          found.put(member, cast(entry));
        }
      }
    }
    return found;
  }

  /** The id a successful {@code propose} transaction gave its proposal, from its event. */
  Optional<Long> proposalId(TransactionSubmitter.Included included) {
    List<Receipt> receipts = store.receipts(included.blockHash()).orElseThrow(() ->
        new IllegalStateException("block " + included.blockNumber() + " has no receipts"));
    for (Log log : receipts.get(included.index()).logs()) {
      if (log.address().equals(SystemContracts.GOVERNANCE) && log.topics().size() > 1
          && log.topics().get(0).equals(Governance.PROPOSED_TOPIC)) {
        return Optional.of(log.topics().get(1).toBigInteger().longValueExact());
      }
    }
    return Optional.empty();
  }

  private static LogFilter filter(long from, long to, Word event, long id) {
    return new LogFilter(from, to, Set.of(SystemContracts.GOVERNANCE),
        List.of(Set.of(event), Set.of(Word.of(id))));
  }

  private static Cast cast(LogEntry entry) {
    return new Cast(entry.transactionHash(), entry.blockNumber());
  }
}
