package io.chorus.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.chorus.client.Account;
import io.chorus.codec.Hex;
import io.chorus.crypto.Keccak256;
import io.chorus.state.system.DataSharing;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs the example queries of docs/export.md, as the document prints them, against an export
 * of {@link TestChain#populate}'s chain, and checks their answers against the node.
 */
final class ExampleQueriesCheck {
  static final Path DOC = Path.of("..", "docs", "export.md");

  private ExampleQueriesCheck() {}

  /** The first sql block after the heading that starts with {@code heading}. */
  static String query(String heading) throws IOException {
    String doc = Files.readString(DOC);
    int at = doc.indexOf("\n### " + heading);
    assertTrue(at >= 0, "docs/export.md has no heading '### " + heading + "'");
    int start = doc.indexOf("```sql\n", at) + "```sql\n".length();
    return doc.substring(start, doc.indexOf("```", start));
  }

  static void assertExamples(Connection db, TestChain chain) throws Exception {
    // Top senders per day: every block of the workload is today, so one day; each sender's
    // count is its nonce (all its transactions are in blocks), the biggest first.
    List<String[]> senders = rows(db, query("Top senders per day"));
    List<long[]> expected = new ArrayList<>();
    for (Account account : chain.accounts) {
      long nonce = chain.client.pendingNonce(account.address());
      if (nonce > 0) {
        expected.add(new long[] {nonce});
      }
    }
    assertEquals(expected.size(), senders.size(), "one row per sender of the day");
    for (int i = 0; i < senders.size(); i++) {
      String sender = senders.get(i)[1];
      Account account = chain.accounts.stream()
          .filter(a -> Hex.encode0x(a.address()).equals(sender)).findFirst().orElseThrow();
      assertEquals(chain.client.pendingNonce(account.address()),
          Long.parseLong(senders.get(i)[2]), "transactions of " + sender);
      if (i > 0) {
        assertTrue(Long.parseLong(senders.get(i - 1)[2]) >= Long.parseLong(senders.get(i)[2]),
            "biggest senders first");
      }
    }

    // A notary record's history: invoice-7's two versions, in order, as they were deposited.
    List<String[]> history = rows(db, query("A notary record's history"));
    assertEquals(2, history.size());
    String depositor = Hex.encode0x(chain.accounts.get(1).address());
    for (int v = 1; v <= 2; v++) {
      String[] row = history.get(v - 1);
      assertEquals(String.valueOf(v), row[0]);
      assertEquals(Hex.encode0x(Keccak256.INSTANCE.hash(("invoice 7, version " + v)
          .getBytes(StandardCharsets.UTF_8))), row[1]);
      // Version 2's metadata ends in a NUL, which the export writes as U+FFFD.
      assertEquals("{\"v\":" + v + "}" + (v == 2 ? "\uFFFD" : ""), row[2]);
      assertEquals(depositor, row[3]);
    }
    assertTrue(Long.parseLong(history.get(0)[4]) < Long.parseLong(history.get(1)[4]),
        "version 2 came in a later block");

    assertUploadedAbiEvents(db, chain);
    assertReceivablesByMaturity(db, chain);
    assertDepartmentAudit(db, chain);
    assertTracedProductHistory(db, chain);
  }

  /**
   * Item 1001's history, then lot B7's (the query with the lot's ID in place of the item's):
   * exactly the events {@link TracedProduct} captured for each, by event time, each with the ID
   * the node's store gives it and the steps between the product and what it names.
   */
  private static void assertTracedProductHistory(Connection db, TestChain chain)
      throws Exception {
    String query = query("A traced product's history");
    String item = TracedProduct.dl(TracedProduct.ITEM);
    assertTrue(query.contains("'" + item + "'"), "the example traces item " + item);
    Map<Instant, String> idByTime = new TreeMap<>();
    chain.epcis("/epcis/events?perPage=1000").at("/epcisBody/queryResults/resultsBody/eventList")
        .forEach(e -> idByTime.put(Instant.parse(e.path("eventTime").asText()),
            e.path("eventID").asText()));
    List<String[]> history = rows(db, query);
    assertEquals(ids(idByTime, TracedProduct.ITEM_HISTORY), column(history, 7),
        "item 1001's history by event time, with the node's IDs");
    assertEquals(List.of("1", "0", "0", "1"), column(history, 6), "depth: the flour's"
        + " commissioning and the case's shipping one step away, the making and the packing"
        + " naming the item");
    String lotQuery = query.replace(item, TracedProduct.lot());
    List<String[]> lotHistory = rows(db, lotQuery);
    assertEquals(ids(idByTime, TracedProduct.LOT_HISTORY), column(lotHistory, 7),
        "lot B7's history: its items' events too");
    assertEquals(List.of("1", "0", "0", "1", "0"), column(lotHistory, 6), "depth");
  }

  private static List<String> ids(Map<Instant, String> idByTime, List<String> times) {
    return times.stream().map(t -> idByTime.get(Instant.parse(t))).toList();
  }

  private static List<String> column(List<String[]> rows, int column) {
    return rows.stream().map(r -> r[column]).toList();
  }

  /**
   * The audited department's access attempts, in the order the provider recorded them: entry
   * id, data set, grant, outcome, field mask and certificate as sent; the verdict as the node
   * decodes the event's.
   */
  private static void assertDepartmentAudit(Connection db, TestChain chain) throws Exception {
    String query = query("A department's data-access audit");
    String department = "Health Commission";
    assertTrue(query.contains("'" + hash(department) + "'"), "the example's department is "
        + department + ", " + hash(department));
    List<String[]> answer = rows(db, query);
    List<List<String>> expected = new ArrayList<>();
    for (int i = 0; i < TestChain.ACCESSES.size(); i++) {
      TestChain.Access access = TestChain.ACCESSES.get(i);
      if (!access.department().equals(department)) {
        continue;
      }
      long block = chain.accessBlocks.get(i);
      JsonNode receipts = chain.client.rpc().call("eth_getBlockReceipts",
          "0x" + Long.toHexString(block));
      String tx = null;
      String verdict = null;
      for (JsonNode receipt : receipts) {
        JsonNode decoded = chain.client.rpc().call("chorus_decodeTransaction",
            receipt.path("transactionHash").asText());
        for (JsonNode log : decoded.path("logs")) {
          if ("Accessed".equals(log.path("event").path("name").asText())) {
            tx = decoded.path("hash").asText().toLowerCase();
            for (JsonNode argument : log.path("arguments")) {
              if (argument.path("name").asText().equals("verdict")) {
                verdict = DataSharing.Rule.ofCode(argument.path("value").asInt()).label();
              }
            }
          }
        }
      }
      expected.add(List.of(String.valueOf(i + 1), TestChain.DATASET_CODE,
          TestChain.DATASET_TITLE, "0", access.outcome().label(), String.valueOf(verdict),
          String.valueOf(access.fieldMask()), hash("certificate of " + department),
          String.valueOf(block), String.valueOf(tx)));
    }
    List<List<String>> got = new ArrayList<>();
    for (String[] row : answer) {
      got.add(List.of(row).subList(1, row.length));
    }
    assertEquals(expected, got, "entry, data set, title, grant, outcome, verdict, fields,"
        + " certificate, block, transaction");
  }

  private static String hash(String text) {
    return Hex.encode0x(Keccak256.INSTANCE.hash(text.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * The one Notarized event of the contract whose ABI was uploaded (the second call reverted),
   * decoded by that ABI: its arguments as sent, its transaction the one the node decodes so.
   */
  private static void assertUploadedAbiEvents(Connection db, TestChain chain) throws Exception {
    List<String[]> events = rows(db, query("Events of a contract whose ABI was uploaded"));
    assertEquals(1, events.size(), "one successful notarize");
    String[] event = events.get(0);
    assertEquals(Hex.encode0x(chain.notarized), event[3], "the document");
    assertEquals(Hex.encode0x(chain.accounts.get(0).address()), event[4], "the sender");
    JsonNode decoded = chain.client.rpc().call("chorus_decodeTransaction", event[2]);
    assertEquals(TestChain.PEER_NOTARY, decoded.path("logs").get(0).path("contractName")
        .asText(), decoded.toString());
    String[] row = rows(db, "SELECT source, address, signature FROM decoded_events"
        + " WHERE tx_hash = '" + event[2] + "'").get(0);
    assertEquals(List.of("abi", Hex.encode0x(chain.peerNotary),
        "Notarized(bytes32,address,uint256)"), List.of(row), "decoded by the uploaded ABI");
  }

  /** Receivables issued to the supplier: per maturity date, their count and face value. */
  private static void assertReceivablesByMaturity(Connection db, TestChain chain)
      throws Exception {
    String query = query("A supplier's receivables by maturity");
    String supplier = Hex.encode0x(chain.accounts.get(TestChain.SUPPLIER).address());
    assertTrue(query.contains("'" + supplier + "'"), "the example's supplier is test account "
        + TestChain.SUPPLIER + ", " + supplier);
    Map<String, long[]> expected = new TreeMap<>();
    for (int i = 0; i < TestChain.RECEIVABLES.length; i++) {
      String date = LocalDate.ofInstant(Instant.ofEpochSecond(chain.maturities.get(i)),
          ZoneOffset.UTC).toString();
      long[] sums = expected.computeIfAbsent(date, d -> new long[2]);
      sums[0]++;
      sums[1] += TestChain.RECEIVABLES[i][0];
    }
    List<String[]> answer = rows(db, query);
    assertEquals(expected.size(), answer.size(), "one row per maturity date");
    int row = 0;
    for (Map.Entry<String, long[]> date : expected.entrySet()) {
      String[] got = answer.get(row++);
      assertEquals(date.getKey(), got[0], "maturity");
      assertEquals("CNY", got[1]);
      assertEquals(date.getValue()[0], Long.parseLong(got[2]), "receivables due " + got[0]);
      assertEquals(new BigDecimal(date.getValue()[1]).movePointLeft(2),
          new BigDecimal(got[3]).setScale(2), "face value due " + got[0]);
    }
  }

  private static List<String[]> rows(Connection db, String sql) throws SQLException {
    List<String[]> out = new ArrayList<>();
    try (Statement s = db.createStatement(); ResultSet row = s.executeQuery(sql)) {
      int columns = row.getMetaData().getColumnCount();
      while (row.next()) {
        String[] values = new String[columns];
        for (int i = 0; i < columns; i++) {
          values[i] = row.getString(i + 1);
        }
        out.add(values);
      }
    }
    return out;
  }
}
