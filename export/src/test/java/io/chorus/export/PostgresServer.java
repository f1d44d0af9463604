package io.chorus.export;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for one test class: {@code initdb} into a temporary directory, then
 * {@code pg_ctl start} on a free port, listening on 127.0.0.1 with trust authentication for its
 * superuser {@value #SUPERUSER}. The binaries come from the {@code PATH} or, as Debian's
 * {@code postgresql} package installs them, the newest {@code /usr/lib/postgresql/<v>/bin}.
 *
 * <p>PostgreSQL refuses to run as root (initdb and postgres both check), and CI runs as root:
 * then the server's directory is given to the {@code postgres} account (Debian's package
 * creates it; {@code nobody} where it is missing) and every PostgreSQL command runs as that
 * account through {@code runuser -u}. The cli module's tests use it from this module's test jar.
 */
public final class PostgresServer implements AutoCloseable {
  public static final String SUPERUSER = "chorus";
  private static final long COMMAND_SECONDS_MAX = 120;

  private final Path root;
  private final Path bin;
  private final Optional<String> runAs;
  private final int port;

  private PostgresServer(Path root, Path bin, Optional<String> runAs, int port) {
    this.root = root;
    this.bin = bin;
    this.runAs = runAs;
    this.port = port;
  }

  /** Initialises a cluster in a new temporary directory and starts it. */
  public static PostgresServer start() throws IOException, InterruptedException {
    Path bin = binaries();
    Optional<String> runAs = "root".equals(System.getProperty("user.name"))
        ? Optional.of(unprivilegedAccount()) : Optional.empty();
    Path root = Files.createTempDirectory("chorus-pg");
    if (runAs.isPresent()) {
      run(List.of("chown", runAs.get(), root.toString()));
    }
    PostgresServer server = new PostgresServer(root, bin, runAs, freePort());
    server.pg("initdb", "-D", server.data().toString(), "-U", SUPERUSER, "--auth=trust",
        "--encoding=UTF8", "--locale=C", "--no-sync");
    server.startServer();
    return server;
  }

  /** {@code initdb} on the PATH, else the newest of Debian's versioned directories. */
  static Path binaries() throws IOException {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "initdb"))) {
        return Path.of(dir, "initdb").toRealPath().getParent();
      }
    }
    Path debian = Path.of("/usr/lib/postgresql");
    if (Files.isDirectory(debian)) {
      try (Stream<Path> versions = Files.list(debian)) {
        Optional<Path> newest = versions.map(v -> v.resolve("bin"))
            .filter(b -> Files.isExecutable(b.resolve("initdb")))
            .max(Comparator.comparingInt(PostgresServer::majorVersion));
        if (newest.isPresent()) {
          return newest.get();
        }
      }
    }
    throw new IllegalStateException("no PostgreSQL server found: initdb is neither on the PATH"
        + " nor in /usr/lib/postgresql/<version>/bin; install it (apt-get install postgresql,"
        + " as .ci/run does)");
  }

  private static int majorVersion(Path bin) {
    String version = bin.getParent().getFileName().toString();
    return version.matches("\\d+") ? Integer.parseInt(version) : 0;
  }

  private static String unprivilegedAccount() throws IOException, InterruptedException {
    Process id = new ProcessBuilder("id", "-u", "postgres").redirectErrorStream(true).start();
    id.getInputStream().readAllBytes();
    return id.waitFor() == 0 ? "postgres" : "nobody";
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private Path data() {
    return root.resolve("data");
  }

  public int port() {
    return port;
  }

  /** A libpq URL of a database on this server, as {@code chorus export --to} takes it. */
  public String url(String user, String database) {
    return "postgresql://" + user + "@127.0.0.1:" + port + "/" + database;
  }

  /** Creates a database owned by the superuser; returns its URL. */
  public String createDatabase(String name) throws SQLException {
    sql("postgres", "CREATE DATABASE " + name);
    return url(SUPERUSER, name);
  }

  /** Runs statements as the superuser in a database. */
  public void sql(String database, String... statements) throws SQLException {
    try (Connection db = connect(database); Statement statement = db.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    }
  }

  public Connection connect(String database) throws SQLException {
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database,
        SUPERUSER, "");
  }

  /** Starts (again) on the same port and data; returns once it accepts connections. */
  public void startServer() throws IOException, InterruptedException {
    pg("pg_ctl", "-D", data().toString(), "-l", root.resolve("server.log").toString(), "-w",
        "-t", "60", "-o", "-p " + port + " -k " + root + " -c listen_addresses=127.0.0.1"
            + " -c fsync=off", "start");
  }

  /** Stops the server at once ({@code -m fast}: connected sessions are ended). */
  public void stopServer() throws IOException, InterruptedException {
    pg("pg_ctl", "-D", data().toString(), "-w", "-m", "fast", "stop");
  }

  private void pg(String program, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    runAs.ifPresent(user -> command.addAll(List.of("runuser", "-u", user, "--")));
    command.add(bin.resolve(program).toString());
    command.addAll(List.of(args));
    run(command);
  }

  private static void run(List<String> command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(COMMAND_SECONDS_MAX, TimeUnit.SECONDS) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IOException(String.join(" ", command) + " failed: " + new String(output));
    }
  }

  /** Stops the server and deletes its directory. */
  @Override
  public void close() throws IOException {
    try {
      stopServer();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      try (Stream<Path> files = Files.walk(root)) {
        for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(path);
        }
      }
    }
  }
}
