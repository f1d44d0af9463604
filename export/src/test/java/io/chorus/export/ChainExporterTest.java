package io.chorus.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.chorus.client.JsonRpcClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exporter against a real PostgreSQL ({@link PostgresServer}: initdb and pg_ctl in a
 * temporary directory) and a real dev node in this JVM ({@link TestChain}): a chain with every
 * kind of transaction exported and checked table by table against the node's JSON-RPC
 * ({@link NodeTruth}); the exporter stopped mid-block and between blocks, then resumed, with
 * one row per transaction and no gap; PostgreSQL stopped and started again while following;
 * and each configuration mistake refused with a message that names it.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ChainExporterTest {
  private static PostgresServer postgres;
  private static int databases;

  @TempDir Path dir;

  @BeforeAll
  static void startPostgres() throws Exception {
    postgres = PostgresServer.start();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    if (postgres != null) {
      postgres.close();
    }
  }

  private static String freshDatabase() throws Exception {
    return postgres.createDatabase("export" + ++databases);
  }

  private static ChainExporter exporter(String node, String database,
      ChainExporter.Options options, List<String> log, BlockWriter.Checkpoint checkpoint) {
    return new ChainExporter(new JsonRpcClient(node), PostgresTarget.parse(database), options,
        line -> log.add(line), InstantSource.system(), checkpoint);
  }

  private static ChainExporter.Progress exportOnce(String node, String database) {
    try (ChainExporter exporter = exporter(node, database,
        ChainExporter.Options.defaults().withOnce(true), new ArrayList<>(), last -> {})) {
      exporter.open();
      exporter.run();
      return exporter.progress();
    }
  }

  private static Connection connect(String url) throws Exception {
    return postgres.connect(url.substring(url.lastIndexOf('/') + 1));
  }

  @Test
  void exportsEveryKindOfTransactionAsTheNodeReportsIt() throws Exception {
    try (TestChain chain = TestChain.start(dir, 1337, 60_000)) {
      chain.populate();
      String database = freshDatabase();
      ChainExporter.Progress progress = exportOnce(chain.url(), database);
      long head = progress.lastBlock();
      assertTrue(head >= 14, "the workload made " + head + " blocks");
      NodeTruth truth = NodeTruth.read(chain, head);
      assertTrue(truth.failed == 1 && truth.created == 2 && truth.notaryRecords == 3
          && truth.votes >= 1 && truth.proposals.size() == 2 && truth.captures.size() == 5
          && truth.epcisEvents.size() == 6 && truth.unsealedEvents() == 7,
          "the workload has every kind");
      try (Connection db = connect(database)) {
        truth.assertExported(db, head);
        assertEquals("sharing-department passed, add-member passed", text(db,
            "SELECT string_agg(kind || ' ' || status, ', ' ORDER BY id) FROM governance_proposals"));
        // A dev chain's blocks name no validator set: nothing is added at genesis, nor later.
        long genesisValidators = chain.client.rpc().call("chorus_getBlockConsensus", "0x0")
            .path("validators").size();
        assertEquals(List.of(genesisValidators, genesisValidators), NodeTruth.longs(db,
            "SELECT count(*), count(*) FILTER (WHERE block_number = 0) FROM validator_changes"));
        ExampleQueriesCheck.assertExamples(db, chain);
      }
      // Run again: nothing new, nothing written twice.
      assertEquals(0, exportOnce(chain.url(), database).blocks());
      try (Connection db = connect(database)) {
        truth.assertExported(db, head);
      }
    }
  }

  /**
   * A database exported by a version without the EPCIS tables (schema version 1) up to block
   * 41, then migrated: the EPCIS tables say their captures start at block 42; a fresh one's at 0.
   */
  @Test
  void theEpcisTablesSayWhereTheirCapturesStart() throws Exception {
    String old = freshDatabase();
    PostgresTarget target = PostgresTarget.parse(old);
    Flyway.configure().dataSource(target.jdbcUrl(), target.user(), target.password())
        .locations(Schema.MIGRATIONS).target("1").load().migrate();
    postgres.sql(old.substring(old.lastIndexOf('/') + 1), "INSERT INTO export_progress"
        + " VALUES (1, 1337, '0x00', 41, now())");
    Schema.migrate(target);
    String fresh = freshDatabase();
    Schema.migrate(PostgresTarget.parse(fresh));
    try (Connection oldDb = connect(old); Connection freshDb = connect(fresh)) {
      assertEquals(List.of(42L), NodeTruth.longs(oldDb,
          "SELECT from_block FROM epcis_export_start"));
      assertEquals(List.of(0L), NodeTruth.longs(freshDb,
          "SELECT from_block FROM epcis_export_start"));
    }
  }

  /**
   * Stopped after block {@code mid}'s rows were sent but before its progress row (as close()
   * interrupting the writer does), then closed from another thread while following blocks,
   * then resumed block by block: every block once, every transaction once, the tables as the
   * node says.
   */
  @Test
  void stoppedMidBlockAndBetweenBlocksResumesWithoutGapOrDuplicate() throws Exception {
    try (TestChain chain = TestChain.start(dir, 1337, 60_000)) {
      chain.populate();
      String database = freshDatabase();
      long head = ChainSource.quantity(chain.client.rpc().call("eth_blockNumber")).longValue();
      long mid = head / 2;
      ChainExporter.Options oneByOne = ChainExporter.Options.defaults().withOnce(true)
          .withBlocksPerTransaction(1);
      try (ChainExporter stopped = exporter(chain.url(), database, oneByOne, new ArrayList<>(),
          last -> {
            if (last == mid) {
              throw new InterruptedException("the test stops the exporter mid-block");
            }
          })) {
        stopped.open();
        stopped.run();
        assertEquals(mid - 1, stopped.progress().lastBlock());
      }
      try (Connection db = connect(database)) {
        assertEquals(List.of(mid - 1, mid, 0L), NodeTruth.longs(db, "SELECT (SELECT last_block"
            + " FROM export_progress), (SELECT count(*) FROM blocks), (SELECT count(*) FROM"
            + " transactions WHERE block_number >= " + mid + ")"),
            "block " + mid + " rolled back with its progress row");
      }

      // Closed from another thread while it writes, wherever it is then.
      ChainExporter slow = exporter(chain.url(), database, oneByOne, new ArrayList<>(),
          last -> Thread.sleep(100));
      slow.open();
      Thread runner = Thread.ofPlatform().start(slow::run);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (slow.progress().lastBlock() < mid + 2 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      slow.close();
      runner.join(TimeUnit.SECONDS.toMillis(30));
      assertTrue(!runner.isAlive() && slow.progress().lastBlock() < head,
          "closed before the head: " + slow.progress());

      // Block by block to the head: the eventID captured again comes in a later range than
      // its first capture, which the database holds by then.
      try (ChainExporter rest = exporter(chain.url(), database, oneByOne, new ArrayList<>(),
          last -> {})) {
        rest.open();
        rest.run();
        assertEquals(head, rest.progress().lastBlock());
      }
      try (Connection db = connect(database)) {
        NodeTruth.read(chain, head).assertExported(db, head);
      }
    }
  }

  /**
   * PostgreSQL stopped (pg_ctl stop -m fast ends the exporter's session) while the exporter
   * follows a chain that keeps making blocks and transactions, and started again two seconds
   * later: one log line when it goes, one when it is back, and every block exported once.
   */
  @Test
  void waitsOutPostgresStoppedWhileFollowingAndLosesNothing() throws Exception {
    try (TestChain chain = TestChain.start(dir, 1337, 200)) {
      String database = freshDatabase();
      List<String> log = Collections.synchronizedList(new ArrayList<>());
      ChainExporter exporter = exporter(chain.url(), database, ChainExporter.Options.defaults()
          .withBackoffMax(Duration.ofSeconds(1)), log, last -> {});
      exporter.open();
      Thread runner = Thread.ofPlatform().start(exporter::run);
      try {
        awaitExported(exporter, 3);
        postgres.stopServer();
        for (int i = 0; i < 5; i++) {
          chain.transfer(i);
        }
        Thread.sleep(2_000);
        postgres.startServer();
        for (int i = 5; i < 10; i++) {
          chain.transfer(i);
        }
        long head = ChainSource.quantity(chain.client.rpc().call("eth_blockNumber")).longValue();
        awaitExported(exporter, head + 2);
      } finally {
        exporter.close();
        runner.join(TimeUnit.SECONDS.toMillis(30));
      }
      assertTrue(!runner.isAlive(), "closed");
      assertEquals(1, log.stream().filter(l -> l.contains("is unreachable")).count(), log::toString);
      assertEquals(1, log.stream().filter(l -> l.startsWith("PostgreSQL at")
          && l.contains("is back; resuming after block")).count(), log::toString);
      assertEquals(1, exporter.progress().outages());
      try (Connection db = connect(database)) {
        long last = NodeTruth.longs(db, "SELECT last_block FROM export_progress").get(0);
        NodeTruth truth = NodeTruth.read(chain, last);
        assertTrue(truth.transactions >= 10, "the transfers are in the exported blocks");
        truth.assertExported(db, last);
      }
    }
  }

  private static void awaitExported(ChainExporter exporter, long block) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (exporter.progress().lastBlock() < block) {
      assertTrue(System.nanoTime() < deadline, "not exported to block " + block + " in time: "
          + exporter.progress());
      Thread.sleep(20);
    }
  }

  /** Each mistake is refused at open, with its kind (the CLI's exit code) and what to fix. */
  @Test
  void badConfigurationIsRefusedWithWhatToFix() throws Exception {
    try (TestChain chain = TestChain.start(dir.resolve("a"), 1337, 60_000)) {
      chain.transfer(1);
      String database = freshDatabase();
      String node = chain.url();
      int closed;
      try (ServerSocket socket = new ServerSocket(0)) {
        closed = socket.getLocalPort();
      }
      assertRefused(ExportException.Kind.CONFIGURATION, "http://127.0.0.1:" + closed, database,
          -1, "cannot reach the node at http://127.0.0.1:" + closed, "check --url");
      HttpServer older = rpcOnlyProxy(node, "chorus_getRawBlocks");
      try {
        assertRefused(ExportException.Kind.CONFIGURATION, "http://127.0.0.1:"
            + older.getAddress().getPort(), database, -1, "does not serve chorus_getRawBlocks",
            "older than this exporter; upgrade the node", "check --url");
      } finally {
        older.stop(0);
      }
      HttpServer rpcOnly = rpcOnlyProxy(node, null);
      try {
        assertRefused(ExportException.Kind.CONFIGURATION, "http://127.0.0.1:"
            + rpcOnly.getAddress().getPort(), database, -1, "no entry for its governance contract",
            "REST API (/api/v1/contracts)", "check --url");
      } finally {
        rpcOnly.stop(0);
      }
      assertRefused(ExportException.Kind.CONFIGURATION, node,
          "postgresql://chorus@127.0.0.1:" + closed + "/x", -1,
          "cannot reach PostgreSQL at chorus@127.0.0.1:" + closed + "/x", "is the server running");
      assertRefused(ExportException.Kind.CONFIGURATION, node, postgres.url("chorus", "nosuch"),
          -1, "has no database nosuch", "createdb");
      assertRefused(ExportException.Kind.CONFIGURATION, node, "mysql://root@localhost/chain", -1,
          "must start with postgresql://");
      postgres.sql("postgres", "CREATE ROLE reader LOGIN");
      assertRefused(ExportException.Kind.CONFIGURATION, node, postgres.url("reader",
          database.substring(database.lastIndexOf('/') + 1)), -1,
          "the user reader may not change the schema", "grant it CREATE");

      exportOnce(node, database);
      long last;
      try (Connection db = connect(database)) {
        last = NodeTruth.longs(db, "SELECT last_block FROM export_progress").get(0);
      }
      assertRefused(ExportException.Kind.REFUSED, node, database, last + 5,
          "--from-block " + (last + 5) + " would leave a gap", "resume at " + (last + 1));
      try (TestChain other = TestChain.start(dir.resolve("b"), 4242, 60_000)) {
        assertRefused(ExportException.Kind.REFUSED, other.url(), database, -1,
            "holds the export of chain 1337", "the node serves chain 4242",
            "export each chain into its own database");
      }
      postgres.sql(database.substring(database.lastIndexOf('/') + 1),
          "INSERT INTO flyway_schema_history (installed_rank, version, description, type,"
              + " script, checksum, installed_by, execution_time, success) VALUES (99, '99',"
              + " 'from the future', 'SQL', 'V99__from_the_future.sql', 0, 'chorus', 1, true)");
      assertRefused(ExportException.Kind.REFUSED, node, database, -1,
          "is at version 99 (from the future), newer than this exporter knows (up to 2)");
    }
  }

  /**
   * Forwards the node's JSON-RPC (POST /) and answers 404 to anything else, as a gateway that
   * exposes only JSON-RPC does; a request for {@code missing} (if not null) gets -32601, as from
   * a node older than that method.
   */
  private static HttpServer rpcOnlyProxy(String node, String missing) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    HttpClient http = HttpClient.newHttpClient();
    server.createContext("/", exchange -> {
      try {
        if (!exchange.getRequestMethod().equals("POST")
            || !exchange.getRequestURI().getPath().equals("/")) {
          exchange.sendResponseHeaders(404, -1);
          return;
        }
        byte[] request = exchange.getRequestBody().readAllBytes();
        if (missing != null && new String(request, StandardCharsets.UTF_8).contains(
            "\"" + missing + "\"")) {
          byte[] error = ("{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32601,"
              + "\"message\":\"the method " + missing + " does not exist/is not available\"}}")
              .getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, error.length);
          exchange.getResponseBody().write(error);
          return;
        }
        HttpResponse<byte[]> answer = http.send(HttpRequest.newBuilder(URI.create(node))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(request))
            .build(), HttpResponse.BodyHandlers.ofByteArray());
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(answer.statusCode(), answer.body().length);
        exchange.getResponseBody().write(answer.body());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        exchange.close();
      }
    });
    server.start();
    return server;
  }

  private static void assertRefused(ExportException.Kind kind, String node, String database,
      long fromBlock, String... says) {
    ExportException e = assertThrows(ExportException.class, () -> {
      try (ChainExporter exporter = new ChainExporter(new JsonRpcClient(node),
          PostgresTarget.parse(database), ChainExporter.Options.defaults().withOnce(true)
              .withFromBlock(fromBlock), line -> {})) {
        exporter.open();
      }
    });
    assertEquals(kind, e.kind(), e.getMessage());
    for (String part : says) {
      assertTrue(e.getMessage().contains(part), "'" + part + "' in: " + e.getMessage());
    }
  }

  private static String text(Connection db, String sql) throws Exception {
    try (Statement s = db.createStatement(); ResultSet row = s.executeQuery(sql)) {
      assertTrue(row.next(), sql);
      return row.getString(1);
    }
  }
}
