package io.chorus.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chorus.client.JsonRpcClient;
import java.net.ServerSocket;
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
      NodeTruth truth = NodeTruth.read(chain.client.rpc(), head);
      assertTrue(truth.failed == 1 && truth.created == 1 && truth.notaryRecords == 3
          && truth.votes >= 1 && truth.proposals.size() == 1, "the workload has every kind");
      try (Connection db = connect(database)) {
        truth.assertExported(db, head);
        assertEquals("passed", text(db, "SELECT status FROM governance_proposals WHERE id = 1"));
        assertEquals("add-member", text(db, "SELECT kind FROM governance_proposals"));
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

  private static String text(Connection db, String sql) throws Exception {
    try (Statement s = db.createStatement(); ResultSet row = s.executeQuery(sql)) {
      assertTrue(row.next(), sql);
      return row.getString(1);
    }
  }
}
