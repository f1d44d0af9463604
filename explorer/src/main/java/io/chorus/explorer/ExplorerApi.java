package io.chorus.explorer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.abi.SignatureTable;
import io.chorus.abi.Values;
import io.chorus.chain.Blockchain;
import io.chorus.codec.Hex;
import io.chorus.rpc.JsonRpc;
import io.chorus.service.SearchMatch;
import io.chorus.service.SearchProvider;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The console's JSON-RPC methods: {@code chorus_decodeTransaction(hash)} (the call, logs and
 * revert reason decoded by the registry's ABIs or the signature table; null for an unknown
 * transaction) and {@code chorus_search(query)} (blocks, transactions, addresses, contract
 * names and the services' own ids; an empty list when nothing matches).
 */
public final class ExplorerApi {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final TransactionDecoding decoding;
  private final Search search;

  /**
   * @param providers the services' resolvers, asked every query after the chain's own
   */
  public ExplorerApi(Blockchain chain, ContractRegistry registry,
      List<SearchProvider> providers) {
    this.decoding = new TransactionDecoding(chain, registry, SignatureTable.load());
    this.search = new Search(chain, registry, providers);
  }

  /** The methods by name, for {@link JsonRpc}. */
  public Map<String, JsonRpc.Method> methods() {
    return Map.of(
        "chorus_decodeTransaction", this::decodeTransaction,
        "chorus_search", this::search);
  }

  private JsonNode decodeTransaction(JsonNode params) {
    String text = onlyText(params, "chorus_decodeTransaction", "transaction hash");
    if (!text.matches("0x[0-9a-fA-F]{64}")) {
      throw new IllegalArgumentException("chorus_decodeTransaction: the transaction hash must"
          + " be 0x and 64 hex digits, got " + abbreviate(text));
    }
    Optional<ObjectNode> decoded = decoding.decode(Hex.decode(text));
    return decoded.isPresent() ? decoded.get() : Values.NODES.nullNode();
  }

  private JsonNode search(JsonNode params) {
    List<SearchMatch> matches = search.search(onlyText(params, "chorus_search", "query"));
    ArrayNode out = Values.NODES.arrayNode();
    for (SearchMatch match : matches) {
      out.add(JSON.valueToTree(match.toJson()));
    }
    return out;
  }

  private static String onlyText(JsonNode params, String method, String name) {
    if (params == null || !params.isArray() || params.size() != 1) {
      throw new IllegalArgumentException(method + " takes 1 param (" + name + ") in an array");
    }
    if (!params.get(0).isTextual()) {
      throw new IllegalArgumentException(method + ": the " + name + " must be a string, got "
          + abbreviate(params.get(0).toString()));
    }
    return params.get(0).asText();
  }

  private static String abbreviate(String text) {
    return text.length() <= 80 ? text : text.substring(0, 77) + "...";
  }
}
