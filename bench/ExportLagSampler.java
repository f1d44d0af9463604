import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * bench/export-speed.sh's sampler: every PERIOD_MS prints "seconds head exported" (the node's
 * eth_blockNumber, the export's progress row) until killed. One HTTP client and one database
 * session for the whole run, so that a sample costs a few milliseconds, not a process start.
 * Run with the CLI's jars (the PostgreSQL driver): java -cp 'cli/target/lib/*'
 * bench/ExportLagSampler.java NODE_URL JDBC_URL PERIOD_MS
 */
public final class ExportLagSampler {
  private static final Pattern RESULT = Pattern.compile("\"result\":\"0x([0-9a-f]+)\"");

  public static void main(String[] args) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest head = HttpRequest.newBuilder(URI.create(args[0]))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_blockNumber\",\"params\":[]}"))
        .build();
    long period = Long.parseLong(args[2]);
    try (Connection db = DriverManager.getConnection(args[1]);
        PreparedStatement progress = db.prepareStatement(
            "SELECT last_block FROM export_progress WHERE id = 1")) {
      while (true) {
        Matcher m = RESULT.matcher(http.send(head, HttpResponse.BodyHandlers.ofString()).body());
        if (!m.find()) {
          throw new IllegalStateException("eth_blockNumber answered without a result");
        }
        long exported;
        try (ResultSet row = progress.executeQuery()) {
          exported = row.next() ? row.getLong(1) : -1;
        }
        System.out.printf("%.3f %d %d%n", System.currentTimeMillis() / 1e3,
            Long.parseLong(m.group(1), 16), exported);
        System.out.flush();
        Thread.sleep(period);
      }
    }
  }
}
