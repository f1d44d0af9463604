package io.chorus.notary;

import io.chorus.codec.Hex;
import io.chorus.evm.StateReader;
import io.chorus.service.SearchMatch;
import io.chorus.service.SearchProvider;
import io.chorus.state.system.Notary;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The notary's part of the console's search: a record by its id, a record version by its
 * content digest (0x and 64 hex digits, or the 64 digits alone), and an anchored batch by its
 * Merkle root, all read from the head's state.
 */
final class NotarySearch implements SearchProvider {
  private final Supplier<StateReader> head;

  NotarySearch(Supplier<StateReader> head) {
    this.head = head;
  }

  @Override
  public List<SearchMatch> search(String query) {
    StateReader state = head.get();
    List<SearchMatch> out = new ArrayList<>();
    int idBytes = query.getBytes(StandardCharsets.UTF_8).length;
    if (idBytes <= Notary.ID_BYTES_MAX) {
      Notary.Record record = Notary.record(state, query);
      if (record != null) {
        out.add(record(record, "id"));
      }
    }
    String hex = query.startsWith("0x") ? query.substring(2) : query;
    if (hex.matches("[0-9a-fA-F]{64}")) {
      byte[] digest = Hex.decode(hex);
      Notary.Record byDigest = Notary.findByHash(state, digest);
      if (byDigest != null && out.stream().noneMatch(m -> sameVersion(m, byDigest))) {
        out.add(record(byDigest, "digest"));
      }
      Notary.Batch batch = Notary.batchByRoot(state, digest);
      if (batch != null) {
        Map<String, Object> ids = new LinkedHashMap<>();
        ids.put("number", batch.number());
        ids.put("root", Hex.encode0x(batch.root()));
        ids.put("count", batch.count());
        ids.put("blockNumber", batch.blockHeight());
        ids.put("transactionHash", Hex.encode0x(batch.txId()));
        out.add(new SearchMatch("notary-batch", "Notary batch " + batch.number() + " ("
            + batch.count() + " digests)", ids));
      }
    }
    return out;
  }

  private static SearchMatch record(Notary.Record record, String matchedBy) {
    Map<String, Object> ids = new LinkedHashMap<>();
    ids.put("id", record.id());
    ids.put("version", record.version());
    ids.put("hash", Hex.encode0x(record.hash()));
    ids.put("blockNumber", record.blockHeight());
    ids.put("transactionHash", Hex.encode0x(record.txId()));
    ids.put("matchedBy", matchedBy);
    return new SearchMatch("notary-record", "Notary record " + record.id() + " (version "
        + record.version() + ")", ids);
  }

  private static boolean sameVersion(SearchMatch match, Notary.Record record) {
    return match.ids().get("id").equals(record.id())
        && match.ids().get("version").equals(record.version());
  }
}
