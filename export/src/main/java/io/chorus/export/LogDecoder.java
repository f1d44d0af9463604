package io.chorus.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.abi.ContractAbi;
import io.chorus.abi.SignatureTable;
import io.chorus.abi.Values;
import io.chorus.client.ClientException;
import io.chorus.codec.Hex;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Decodes the receipts' logs as the node's {@code chorus_decodeTransaction} does, with the same
 * decoder (module {@code abi}): by the ABI the node holds for the log's address (source
 * {@code system} for a system contract's, {@code abi} for an uploaded one), else by the
 * signature table ({@code signature-table}); a log neither decodes is left out. Asking the node
 * to decode cost it a block rebuild and the exporter a JSON answer per transaction; the ABIs are
 * read instead from {@code GET /api/v1/contracts/{address}}: a system contract's once (it
 * cannot change), any other address's once per range that it logs in, so an ABI uploaded or
 * replaced meanwhile decodes the next range as the node would.
 */
final class LogDecoder {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CONTRACTS = "/api/v1/contracts/";
  /**
   * The most registry requests sent at once: a range where thousands of contracts log must not
   * open thousands of connections to the node.
   */
  static final int REQUESTS_IN_FLIGHT_MAX = 16;
  /** The governance system contract's address: every Chorus node has its ABI built in. */
  static final String GOVERNANCE = "0x0000000000000000000000000000000000001000";

  /** What the node holds for an address: its name, where its ABI comes from, the ABI. */
  record Contract(String name, String source, ContractAbi abi) {}

  private final String base;
  private final Duration timeout;
  private final HttpClient http;
  private final ContractAbi signatures = SignatureTable.load();
  /** System contracts by lower-case address: built into every node, read once. */
  private final Map<String, Contract> system = new HashMap<>();

  LogDecoder(URI rpcUrl, Duration timeout) {
    String url = rpcUrl.toString();
    this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  /**
   * Checks that the node serves the contract registry: its governance contract's entry, built
   * into every Chorus node. A URL that reaches only the JSON-RPC (a proxy forwarding POST /)
   * would answer 404 for every address and leave every event undecoded.
   *
   * @throws ClientException naming what the node answered instead
   */
  void checkRegistry() {
    if (!contracts(Set.of(GOVERNANCE)).containsKey(GOVERNANCE)) {
      throw new ClientException("the node at " + base + " has no entry for its governance"
          + " contract at GET " + CONTRACTS + GOVERNANCE + ": the exporter reads contracts' ABIs"
          + " from the node's REST API (/api/v1/contracts) at the same URL as its JSON-RPC");
    }
  }

  /**
   * The contracts the node knows among {@code addresses} (lower case), asked {@value
   * #REQUESTS_IN_FLIGHT_MAX} at a time.
   *
   * @throws ClientException when the node cannot be reached or answers what is not an entry
   */
  Map<String, Contract> contracts(Set<String> addresses) {
    Map<String, Contract> out = new HashMap<>();
    List<String> unknown = new ArrayList<>();
    for (String address : addresses) {
      Contract known = system.get(address);
      if (known != null) {
        out.put(address, known);
      } else {
        unknown.add(address);
      }
    }
    for (int i = 0; i < unknown.size(); i += REQUESTS_IN_FLIGHT_MAX) {
      Map<String, CompletableFuture<HttpResponse<String>>> asked = new HashMap<>();
      for (String address : unknown.subList(i, Math.min(unknown.size(),
          i + REQUESTS_IN_FLIGHT_MAX))) {
        asked.put(address, http.sendAsync(HttpRequest.newBuilder(URI.create(base + CONTRACTS
            + address)).timeout(timeout).GET().build(), HttpResponse.BodyHandlers.ofString()));
      }
      for (Map.Entry<String, CompletableFuture<HttpResponse<String>>> a : asked.entrySet()) {
        answer(a.getKey(), a.getValue()).ifPresent(c -> out.put(a.getKey(), c));
      }
    }
    return out;
  }

  private Optional<Contract> answer(String address,
      CompletableFuture<HttpResponse<String>> pending) {
    String what = "GET " + CONTRACTS + address;
    HttpResponse<String> response;
    try {
      response = pending.join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof HttpTimeoutException) {
        throw new ClientException("the node at " + base + " did not answer " + what + " within "
            + timeout.toMillis() + " ms: it is slow or stuck", cause);
      }
      throw new ClientException("cannot reach the node at " + base + " (" + what + "): "
          + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage()),
          cause);
    }
    if (response.statusCode() == 404) {
      return Optional.empty();
    }
    JsonNode entry;
    try {
      entry = JSON.readTree(response.body());
    } catch (IOException e) {
      entry = null;
    }
    if (response.statusCode() != 200 || entry == null || !entry.path("abi").isArray()) {
      throw new ClientException("the node at " + base + " answered " + what + " with status "
          + response.statusCode() + " and no contract entry: is it a Chorus node with the"
          + " contracts service (/api/v1/contracts)?");
    }
    boolean isSystem = "system".equals(entry.path("source").asText());
    Contract contract = new Contract(entry.path("name").asText(), isSystem ? "system" : "abi",
        ContractAbi.ofJson(entry.path("abi").toString()));
    if (isSystem) {
      system.put(address, contract);
    }
    return Optional.of(contract);
  }

  /**
   * The transaction's logs that decode, each as {@code chorus_decodeTransaction} gives it
   * ({@code logIndex}, {@code address}, {@code contractName}, {@code event}, {@code arguments}),
   * under {@code logs}.
   *
   * @param contracts what {@link #contracts} answered for the range's addresses
   */
  ObjectNode decode(List<RawBlock.Log> txLogs, Map<String, Contract> contracts) {
    ObjectNode out = Values.NODES.objectNode();
    ArrayNode logs = out.putArray("logs");
    for (RawBlock.Log log : txLogs) {
      byte[][] topics = log.topics().toArray(byte[][]::new);
      Contract contract = contracts.get(log.address());
      String source = null;
      Optional<ContractAbi.Decoded> event = Optional.empty();
      if (contract != null) {
        event = contract.abi().event(topics, log.data());
        source = contract.source();
      }
      if (event.isEmpty()) {
        event = signatures.event(topics, log.data());
        source = "signature-table";
      }
      if (event.isEmpty()) {
        continue;
      }
      ObjectNode decoded = logs.addObject()
          .put("logIndex", log.index())
          .put("address", Values.checksummed(Hex.decode(log.address())));
      if (contract != null) {
        decoded.put("contractName", contract.name());
      }
      decoded.putObject("event").put("signature", event.get().signature())
          .put("name", event.get().name()).put("source", source);
      decoded.set("arguments", event.get().arguments());
    }
    return out;
  }
}
