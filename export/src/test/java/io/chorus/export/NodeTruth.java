package io.chorus.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.client.JsonRpcClient;
import io.chorus.codec.Hex;
import io.chorus.crypto.Keccak256;
import io.chorus.trace.epcis.CaptureCall;
import io.chorus.trace.epcis.Gs1Identifiers;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the node's JSON-RPC says about blocks 0 to {@code head}, summed the way the export's
 * tables can be summed, and the check that PostgreSQL holds exactly that: table by table,
 * counts and sums, every block once and no other.
 */
final class NodeTruth {
  static final String NOTARY = "0x0000000000000000000000000000000000001002";
  static final String GOVERNANCE = "0x0000000000000000000000000000000000001000";

  long blocks;
  long transactions;
  long failed;
  long created;
  long withRecipient;
  long logs;
  long gasUsed;
  BigInteger value = BigInteger.ZERO;
  long decodedEvents;
  /** Each decoded event as chorus_decodeTransaction gives it, by "block:logIndex". */
  final Map<String, List<Object>> decodedRows = new TreeMap<>();
  long notaryRecords;
  long votes;
  JsonNode proposals;
  /**
   * Each Captured log: "block:logIndex" to tx, root, capture number, count, sealed (null when
   * its transaction went to a contract that called the trace contract).
   */
  final Map<String, List<Object>> captures = new TreeMap<>();
  /** The events the node's store holds (GET /epcis/events), by ID. */
  final Map<String, JsonNode> epcisEvents = new TreeMap<>();

  /**
   * The events the unsealed captures sent to the trace contract count (those the nodes kept,
   * and any captured again).
   */
  long unsealedEvents() {
    return captures.values().stream().filter(c -> Boolean.FALSE.equals(c.get(4)))
        .mapToLong(c -> (Long) c.get(3)).sum();
  }

  /** Reads blocks 0 to head from the node. */
  static NodeTruth read(TestChain chain, long head) {
    JsonRpcClient rpc = chain.client.rpc();
    NodeTruth truth = new NodeTruth();
    List<String> withLogs = new ArrayList<>();
    for (long n = 0; n <= head; n++) {
      String hex = "0x" + Long.toHexString(n);
      List<JsonNode> answers = rpc.batch(List.of(
          new JsonRpcClient.Call("eth_getBlockByNumber", List.of(hex, true)),
          new JsonRpcClient.Call("eth_getBlockReceipts", List.of(hex))));
      truth.blocks++;
      truth.gasUsed += Long.decode(answers.get(0).path("gasUsed").asText());
      for (JsonNode tx : answers.get(0).path("transactions")) {
        truth.transactions++;
        truth.value = truth.value.add(new BigInteger(tx.path("value").asText().substring(2), 16));
        if (!tx.path("to").isNull()) {
          truth.withRecipient++;
        }
      }
      for (JsonNode receipt : answers.get(1)) {
        truth.failed += receipt.path("status").asText().equals("0x0") ? 1 : 0;
        truth.created += receipt.path("contractAddress").isNull() ? 0 : 1;
        truth.logs += receipt.path("logs").size();
        if (!receipt.path("logs").isEmpty()) {
          withLogs.add(receipt.path("transactionHash").asText());
        }
      }
    }
    for (String hash : withLogs) {
      JsonNode tx = rpc.call("chorus_decodeTransaction", hash);
      for (JsonNode log : tx.path("logs")) {
        if (log.path("event").isNull()) {
          continue;
        }
        truth.decodedEvents++;
        JsonNode event = log.path("event");
        truth.decodedRows.put(tx.path("blockNumber").asLong() + ":" + log.path("logIndex").asInt(),
            Arrays.asList(hash.toLowerCase(), log.path("address").asText().toLowerCase(),
                log.hasNonNull("contractName") ? log.path("contractName").asText() : null,
                event.path("name").asText(), event.path("signature").asText(),
                event.path("source").asText(), withoutNul(log.path("arguments"))));
      }
    }
    String range = "0x" + Long.toHexString(head);
    truth.notaryRecords = rpc.call("eth_getLogs", filter(NOTARY, topic(
        "Recorded(bytes32,bytes32,address,string,uint32,uint8,string,string)"), range)).size();
    truth.votes = rpc.call("eth_getLogs", filter(GOVERNANCE,
        topic("Voted(uint64,address,bool,uint8)"), range)).size();
    truth.proposals = rpc.call("chorus_govProposals");
    for (JsonNode log : rpc.call("eth_getLogs", filter(CaptureCall.CONTRACT,
        Hex.encode0x(CaptureCall.CAPTURED_TOPIC), range))) {
      JsonNode tx = rpc.call("eth_getTransactionByHash", log.path("transactionHash").asText());
      String input = tx.path("input").asText();
      Boolean sealed = tx.path("to").asText().equalsIgnoreCase(CaptureCall.CONTRACT)
          ? input.startsWith(Hex.encode0x(CaptureCall.CAPTURE_SEALED.selector())) : null;
      truth.captures.put(Long.decode(log.path("blockNumber").asText()) + ":"
          + Long.decode(log.path("logIndex").asText()), Arrays.asList(
              log.path("transactionHash").asText().toLowerCase(),
              log.path("topics").get(1).asText().toLowerCase(),
              new BigInteger(log.path("topics").get(2).asText().substring(2), 16).longValue(),
              new BigInteger(log.path("data").asText().substring(2), 16).longValue(),
              sealed));
    }
    JsonNode stored = chain.epcis("/epcis/events?perPage=1000")
        .at("/epcisBody/queryResults/resultsBody/eventList");
    stored.forEach(event -> truth.epcisEvents.put(event.path("eventID").asText(), event));
    return truth;
  }

  private static java.util.Map<String, Object> filter(String address, String topic0,
      String toBlock) {
    return java.util.Map.of("fromBlock", "0x0", "toBlock", toBlock, "address", address,
        "topics", List.of(topic0));
  }

  private static String topic(String signature) {
    return Hex.encode0x(Keccak256.INSTANCE.hash(signature.getBytes(StandardCharsets.UTF_8)));
  }

  /** PostgreSQL holds exactly blocks 0 to head, and its tables add up to the node's answers. */
  void assertExported(Connection db, long head) throws SQLException {
    assertEquals(List.of(blocks, 0L, head, blocks, transactions, gasUsed),
        longs(db, "SELECT count(*), min(number), max(number), count(DISTINCT number),"
            + " sum(tx_count), sum(gas_used) FROM blocks"),
        "blocks: count, first, last, distinct, transactions, gas");
    assertEquals(head, longs(db, "SELECT last_block FROM export_progress").get(0),
        "the progress row");
    assertEquals(List.of(transactions, transactions, failed, created, gasUsed),
        longs(db, "SELECT count(*), count(DISTINCT (block_number, tx_index)),"
            + " count(*) FILTER (WHERE status = 0), count(contract_created),"
            + " coalesce(sum(gas_used), 0) FROM transactions"),
        "transactions: count, distinct positions, failed, creations, gas");
    assertEquals(value, bigInteger(db, "SELECT coalesce(sum(value), 0) FROM transactions"),
        "transactions: the sum of values");
    assertEquals(List.of(logs), longs(db, "SELECT count(*) FROM logs"), "logs");
    assertEquals(List.of(transactions, withRecipient, created), longs(db,
        "SELECT count(*) FILTER (WHERE role = 'sender'), count(*) FILTER (WHERE role ="
            + " 'recipient'), count(*) FILTER (WHERE role = 'created') FROM accounts_touched"),
        "accounts_touched by role");
    assertEquals(List.of(decodedEvents), longs(db, "SELECT count(*) FROM decoded_events"),
        "decoded_events");
    Map<String, List<Object>> exported = new TreeMap<>();
    try (Statement s = db.createStatement(); ResultSet row = s.executeQuery(
        "SELECT block_number, log_index, tx_hash, address, contract_name, event_name, signature,"
            + " source, arguments::text FROM decoded_events")) {
      while (row.next()) {
        exported.put(row.getLong(1) + ":" + row.getInt(2), Arrays.asList(row.getString(3),
            row.getString(4), row.getString(5), row.getString(6), row.getString(7),
            row.getString(8), JsonRpcClientJson.read(row.getString(9))));
      }
    }
    assertEquals(decodedRows, exported, "decoded_events: each row as chorus_decodeTransaction"
        + " decodes its log (tx, address, contract, event, signature, source, arguments)");
    assertEquals(List.of(notaryRecords), longs(db, "SELECT count(*) FROM notary_records"),
        "notary_records");
    assertEquals(List.of(votes), longs(db, "SELECT count(*) FROM governance_votes"),
        "governance_votes");
    assertEpcisExported(db);
    assertEquals(List.of((long) proposals.size()), longs(db,
        "SELECT count(*) FROM governance_proposals"), "governance_proposals");
    for (JsonNode proposal : proposals) {
      try (Statement s = db.createStatement(); ResultSet row = s.executeQuery(
          "SELECT kind, proposer, fields::text FROM governance_proposals WHERE id = "
              + proposal.path("id").asLong())) {
        row.next();
        assertEquals(proposal.path("kind").asText(), row.getString(1));
        assertEquals(proposal.path("proposer").asText().toLowerCase(), row.getString(2));
        assertEquals(proposal.path("fields"), JsonRpcClientJson.read(row.getString(3)));
      }
    }
  }

  /**
   * The captures as the Captured logs say, and the events as the node's store holds them:
   * as many as the unsealed captures count, each with the node's hash ID, record time (its
   * block's time) and JSON, and the identifiers its JSON names in their roles.
   */
  private void assertEpcisExported(Connection db) throws SQLException {
    Map<String, List<Object>> exported = new TreeMap<>();
    try (Statement s = db.createStatement(); ResultSet row = s.executeQuery(
        "SELECT block_number, log_index, tx_hash, root, capture_number, event_count, sealed,"
            + " events_exported FROM epcis_captures")) {
      while (row.next()) {
        Boolean sealed = (Boolean) row.getObject(7);
        exported.put(row.getLong(1) + ":" + row.getInt(2), Arrays.asList(row.getString(3),
            row.getString(4), row.getLong(5), row.getLong(6), sealed));
        assertEquals(Boolean.FALSE.equals(sealed), row.getBoolean(8),
            "events exported when its batch is in its call data and not sealed");
      }
    }
    assertEquals(captures, exported, "epcis_captures: each Captured log (tx, root, number,"
        + " count, sealed)");
    assertEquals(List.of((long) epcisEvents.size()), longs(db,
        "SELECT count(*) FROM epcis_events"), "epcis_events: the node's stored events");
    Map<String, List<Object>> nodeRows = new TreeMap<>();
    Map<String, List<String>> nodeNamed = new TreeMap<>();
    for (Map.Entry<String, JsonNode> entry : epcisEvents.entrySet()) {
      ObjectNode event = (ObjectNode) withoutNul(entry.getValue());
      String hashId = event.remove("chorus:hashId").asText();
      String recordTime = event.remove("recordTime").asText();
      event.remove(List.of("@context", "eventID", "chorus:proof"));
      nodeRows.put(entry.getKey(), Arrays.asList(hashId, Instant.parse(recordTime), event));
      nodeNamed.put(entry.getKey(), named(event));
    }
    Map<String, List<Object>> rows = new TreeMap<>();
    try (Statement s = db.createStatement(); ResultSet row = s.executeQuery(
        "SELECT e.id, e.hash_id, e.record_time, e.event::text, b.time FROM epcis_events e"
            + " JOIN blocks b ON b.number = e.block_number")) {
      while (row.next()) {
        ObjectNode event = (ObjectNode) JsonRpcClientJson.read(row.getString(4));
        event.remove(List.of("@context", "eventID"));
        Instant recordTime = row.getObject(3, OffsetDateTime.class).toInstant();
        assertEquals(row.getObject(5, OffsetDateTime.class).toInstant(), recordTime,
            "recordTime is the block's time");
        rows.put(row.getString(1), Arrays.asList(row.getString(2), recordTime, event));
      }
    }
    assertEquals(nodeRows, rows, "epcis_events: each event's hash ID, record time and JSON as"
        + " GET /epcis/events answers it");
    Map<String, List<String>> named = new TreeMap<>();
    try (Statement s = db.createStatement(); ResultSet row = s.executeQuery(
        "SELECT event, role || ' ' || identifier FROM epcis_event_identifiers"
            + " WHERE role <> 'ilmd_lot' ORDER BY 1, 2")) {
      while (row.next()) {
        named.computeIfAbsent(row.getString(1), e -> new ArrayList<>()).add(row.getString(2));
      }
    }
    assertEquals(nodeNamed, named, "epcis_event_identifiers: each identifier the node's event"
        + " names, in its role");
  }

  /** "role identifier" for each identifier an event's JSON names, sorted. */
  private static List<String> named(JsonNode event) {
    List<String> out = new ArrayList<>();
    Map<String, String> lists = Map.of("epcList", "epc", "childEPCs", "child",
        "inputEPCList", "input", "outputEPCList", "output");
    lists.forEach((field, role) -> event.path(field).forEach(id ->
        out.add(role + " " + Gs1Identifiers.canonical(id.asText()))));
    if (event.hasNonNull("parentID")) {
      out.add("parent " + Gs1Identifiers.canonical(event.path("parentID").asText()));
    }
    Map<String, String> quantities = Map.of("quantityList", "quantity", "childQuantityList",
        "child_quantity", "inputQuantityList", "input_quantity", "outputQuantityList",
        "output_quantity");
    quantities.forEach((field, role) -> event.path(field).forEach(q ->
        out.add(role + " " + Gs1Identifiers.canonical(q.path("epcClass").asText()))));
    out.sort(null);
    return out;
  }

  static List<Long> longs(Connection db, String sql) throws SQLException {
    try (Statement s = db.createStatement(); ResultSet row = s.executeQuery(sql)) {
      row.next();
      List<Long> out = new ArrayList<>();
      for (int i = 1; i <= row.getMetaData().getColumnCount(); i++) {
        out.add(row.getLong(i));
      }
      return out;
    }
  }

  static BigInteger bigInteger(Connection db, String sql) throws SQLException {
    try (Statement s = db.createStatement(); ResultSet row = s.executeQuery(sql)) {
      row.next();
      return row.getBigDecimal(1).toBigIntegerExact();
    }
  }

  /** Jackson for the jsonb columns. */
  static final class JsonRpcClientJson {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
        new com.fasterxml.jackson.databind.ObjectMapper();

    static JsonNode read(String text) {
      try {
        return JSON.readTree(text);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }

  /** A string's NUL as U+FFFD, as the export writes it (PostgreSQL's text holds no NUL). */
  private static JsonNode withoutNul(JsonNode node) {
    return JsonRpcClientJson.read(node.toString().replace("\\u0000", "\\ufffd"));
  }
}
