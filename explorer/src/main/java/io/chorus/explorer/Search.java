package io.chorus.explorer;

import io.chorus.abi.Values;
import io.chorus.chain.Blockchain;
import io.chorus.codec.Hex;
import io.chorus.evm.AccountInfo;
import io.chorus.evm.Address;
import io.chorus.ledger.BlockHeader;
import io.chorus.ledger.TxPool;
import io.chorus.service.SearchMatch;
import io.chorus.service.SearchProvider;
import io.chorus.state.WorldState;
import io.chorus.state.system.SystemContracts;
import io.chorus.storage.ChainStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the console's search box resolves: a block number (decimal or 0x), a 32-byte hash (a
 * block's and a transaction's are both looked up), an address (an account or a contract, with
 * its registered name), a contract name (a case-insensitive prefix of a registered one), and
 * whatever the services' {@link SearchProvider}s find (a notarization record's id or digest).
 * A query that names nothing answers an empty list; only a malformed one is an error.
 */
final class Search {
  /** The most contract names one query answers. */
  static final int NAME_MATCHES_MAX = 20;

  private final Blockchain chain;
  private final ContractRegistry registry;
  private final List<SearchProvider> providers;

  Search(Blockchain chain, ContractRegistry registry, List<SearchProvider> providers) {
    this.chain = chain;
    this.registry = registry;
    this.providers = List.copyOf(providers);
  }

  /**
   * Every match for {@code query}: the chain's first (blocks, transactions, addresses,
   * contracts), then the providers', each in the order it gave them.
   *
   * @throws IllegalArgumentException when the query is empty, too long or holds control
   *     characters, saying which
   */
  List<SearchMatch> search(String query) {
    String q = checked(query);
    List<SearchMatch> out = new ArrayList<>();
    blockNumber(q).ifPresent(out::add);
    if (q.matches("0x[0-9a-fA-F]{64}")) {
      byte[] hash = Hex.decode(q);
      blockHash(hash).ifPresent(out::add);
      transaction(hash).ifPresent(out::add);
    }
    if (q.matches("0x[0-9a-fA-F]{40}")) {
      address(Address.parse(q)).ifPresent(out::add);
    }
    for (ContractRegistry.Entry entry : registry.byNamePrefix(q, NAME_MATCHES_MAX)) {
      out.add(new SearchMatch("contract", "Contract " + entry.name(), ids(
          "address", Values.checksummed(entry.address().toArray()), "name", entry.name(),
          "source", entry.source().label())));
    }
    for (SearchProvider provider : providers) {
      out.addAll(provider.search(q));
    }
    return out;
  }

  static String checked(String query) {
    if (query == null || query.isBlank()) {
      throw new IllegalArgumentException("the query is empty: send a block number or hash, a"
          + " transaction hash, an address, a contract name or a service's id");
    }
    String q = query.strip();
    if (q.length() > SearchProvider.QUERY_CHARS_MAX) {
      throw new IllegalArgumentException("the query is " + q.length() + " characters; at most "
          + SearchProvider.QUERY_CHARS_MAX + " are searched");
    }
    if (q.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException("the query holds control characters; send text");
    }
    return q;
  }

  private Optional<SearchMatch> blockNumber(String q) {
    long number;
    try {
      if (q.matches("[0-9]{1,19}")) {
        number = Long.parseLong(q);
      } else if (q.matches("0x[0-9a-fA-F]{1,15}")) {
        number = Long.parseLong(q.substring(2), 16);
      } else {
        return Optional.empty();
      }
    } catch (NumberFormatException beyondLong) {
      return Optional.empty();
    }
    return chain.store().canonicalHash(number).map(hash -> block(number, hash));
  }

  private Optional<SearchMatch> blockHash(byte[] hash) {
    return chain.store().headerByHash(hash).map(BlockHeader::number)
        .filter(n -> chain.store().canonicalHash(n).map(h -> Arrays.equals(h, hash))
            .orElse(false))
        .map(n -> block(n, hash));
  }

  private static SearchMatch block(long number, byte[] hash) {
    return new SearchMatch("block", "Block " + number, ids("number", number,
        "hash", Hex.encode0x(hash)));
  }

  private Optional<SearchMatch> transaction(byte[] hash) {
    String hex = Hex.encode0x(hash);
    String label = "Transaction " + hex.substring(0, 10) + "…" + hex.substring(62);
    Optional<ChainStore.TxLocation> at = chain.store().transactionLocation(hash);
    if (at.isPresent()) {
      long number = chain.store().headerByHash(at.get().blockHash()).orElseThrow().number();
      return Optional.of(new SearchMatch("transaction", label, ids("hash", hex,
          "blockNumber", number, "blockHash", Hex.encode0x(at.get().blockHash()),
          "transactionIndex", at.get().index(), "pending", false)));
    }
    TxPool.Pooled pending = chain.pool().get(hash);
    return pending == null ? Optional.empty() : Optional.of(new SearchMatch("transaction",
        label, ids("hash", hex, "pending", true)));
  }

  private Optional<SearchMatch> address(Address address) {
    WorldState state = chain.stateAt(chain.head());
    AccountInfo account = state.account(address);
    Optional<ContractRegistry.Entry> entry = registry.get(address);
    if (account == null && entry.isEmpty()) {
      return Optional.empty();
    }
    boolean contract = SystemContracts.isSystem(address)
        || (account != null && state.code(address).length > 0);
    String checksummed = Values.checksummed(address.toArray());
    Map<String, Object> ids = ids("address", checksummed,
        "accountType", contract ? "contract" : "account");
    entry.ifPresent(e -> ids.put("contractName", e.name()));
    String label = entry.map(e -> "Contract " + e.name() + " " + checksummed)
        .orElse((contract ? "Contract " : "Account ") + checksummed);
    return Optional.of(new SearchMatch("address", label, ids));
  }

  private static Map<String, Object> ids(Object... pairs) {
    Map<String, Object> ids = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      ids.put((String) pairs[i], pairs[i + 1]);
    }
    return ids;
  }
}
