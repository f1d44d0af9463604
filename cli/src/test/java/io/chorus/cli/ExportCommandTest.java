package io.chorus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chorus.client.ChorusClient;
import io.chorus.crypto.HdWallet;
import io.chorus.export.PostgresServer;
import io.chorus.node.Node;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code chorus export} through the CLI's own command line against a dev node of
 * {@code chorus init} and a real PostgreSQL: {@code --once} exports to the head and says what
 * it wrote, a second run writes nothing; each kind of mistake exits with its code (2 to fix
 * the configuration, 3 for a database it will not write into) and a message naming it.
 */
class ExportCommandTest {
  @TempDir Path dir;

  record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Chorus.commandLine().setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true)).execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void exportsOnceAndExitsWithACodePerMistake() throws Exception {
    Path data = dir.resolve("chain");
    Run init = run("init", "--dir", data.toString(), "--accounts", "2");
    assertEquals(0, init.code(), init.err());
    try (PostgresServer postgres = PostgresServer.start();
        Node node = Node.start(new Node.Config(data, "127.0.0.1", 0))) {
      ChorusClient client = ChorusClient.connect(node.rpcUrl());
      var account = client.account(HdWallet.ethereumAccountKey(HdWallet.TEST_MNEMONIC, 0));
      client.waitForReceipt(client.send(account, new byte[20], BigInteger.TEN, new byte[0],
          21_000), Duration.ofSeconds(30));
      String database = postgres.createDatabase("cli");

      Run once = run("export", "--url", node.rpcUrl(), "--to", database, "--once");
      assertEquals(0, once.code(), once.err());
      assertTrue(once.err().contains("from block 0") && once.err().matches(
          "(?s).*exported \\d+ blocks, 1 transactions \\(\\d+ rows\\); last block \\d+.*"),
          once.err());
      Run again = run("export", "--url", node.rpcUrl(), "--to", database, "--once");
      assertEquals(0, again.code(), again.err());
      // The dev node makes an empty block each second: those are new, the transfer is not.
      assertTrue(again.err().contains("resuming after block")
          && again.err().matches("(?s).*exported \\d+ blocks, 0 transactions.*"), again.err());
      try (Connection db = postgres.connect("cli"); Statement s = db.createStatement();
          ResultSet row = s.executeQuery("SELECT count(*), sum(value) FROM transactions")) {
        row.next();
        assertEquals(1, row.getLong(1));
        assertEquals(10, row.getLong(2));
      }

      int closed;
      try (ServerSocket socket = new ServerSocket(0)) {
        closed = socket.getLocalPort();
      }
      Run noNode = run("export", "--url", "http://127.0.0.1:" + closed, "--to", database);
      assertEquals(2, noNode.code(), noNode.err());
      assertTrue(noNode.err().contains("cannot reach the node"), noNode.err());
      Run noServer = run("export", "--url", node.rpcUrl(), "--to",
          "postgresql://chorus@127.0.0.1:" + closed + "/cli");
      assertEquals(2, noServer.code(), noServer.err());
      assertTrue(noServer.err().contains("cannot reach PostgreSQL"), noServer.err());
      Run notPostgres = run("export", "--url", node.rpcUrl(), "--to", "cli");
      assertEquals(2, notPostgres.code(), notPostgres.err());
      assertTrue(notPostgres.err().contains("must start with postgresql://"), notPostgres.err());

      postgres.sql("cli", "INSERT INTO flyway_schema_history (installed_rank, version,"
          + " description, type, script, checksum, installed_by, execution_time, success)"
          + " VALUES (99, '99', 'later', 'SQL', 'V99__later.sql', 0, 'chorus', 1, true)");
      Run newer = run("export", "--url", node.rpcUrl(), "--to", database, "--once");
      assertEquals(3, newer.code(), newer.err());
      assertTrue(newer.err().contains("newer than this exporter"), newer.err());
    }
  }
}
