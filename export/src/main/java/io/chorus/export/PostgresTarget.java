package io.chorus.export;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * A PostgreSQL database named by a libpq-style URL, {@code postgresql://user[:password]@host
 * [:port]/database}: the JDBC URL and credentials, and connections with errors that say what
 * to fix. Without a password in the URL, {@code PGPASSWORD} is used when set.
 */
public final class PostgresTarget {
  static final int DEFAULT_PORT = 5432;
  /** How long a connection attempt may take before it counts as unreachable. */
  static final int CONNECT_TIMEOUT_SECONDS = 10;

  private final String host;
  private final int port;
  private final String database;
  private final String user;
  private final String password;

  private PostgresTarget(String host, int port, String database, String user, String password) {
    this.host = host;
    this.port = port;
    this.database = database;
    this.user = user;
    this.password = password;
  }

  /**
   * Reads a {@code postgresql://} (or {@code postgres://}) URL.
   *
   * @throws ExportException of kind CONFIGURATION when it is not one
   */
  public static PostgresTarget parse(String url) {
    String expected = "; expected postgresql://user[:password]@host[:port]/database";
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw config("not a URL: " + url + " (" + e.getMessage() + ")" + expected);
    }
    if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme())) {
      throw config("the database URL must start with postgresql://, got " + url + expected);
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw config("the database URL " + url + " names no host" + expected);
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    String database = decode(path.startsWith("/") ? path.substring(1) : path);
    if (database.isEmpty()) {
      throw config("the database URL " + url + " names no database" + expected);
    }
    String userInfo = uri.getRawUserInfo();
    if (userInfo == null || userInfo.isEmpty()) {
      throw config("the database URL " + url + " names no user" + expected);
    }
    int colon = userInfo.indexOf(':');
    String user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
    String password = colon < 0 ? System.getenv("PGPASSWORD")
        : decode(userInfo.substring(colon + 1));
    return new PostgresTarget(uri.getHost(), uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort(),
        database, user, password);
  }

  private static String decode(String text) {
    return URLDecoder.decode(text, StandardCharsets.UTF_8);
  }

  private static ExportException config(String message) {
    return new ExportException(ExportException.Kind.CONFIGURATION, message);
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database;
  }

  public String user() {
    return user;
  }

  String password() {
    return password;
  }

  /** Where, for messages: {@code user@host:port/database}, never the password. */
  public String describe() {
    return user + "@" + host + ":" + port + "/" + database;
  }

  Properties properties() {
    Properties properties = new Properties();
    properties.setProperty("user", user);
    if (password != null) {
      properties.setProperty("password", password);
    }
    properties.setProperty("connectTimeout", Integer.toString(CONNECT_TIMEOUT_SECONDS));
    properties.setProperty("ApplicationName", "chorus export");
    // One multi-row INSERT per batch instead of one round trip per row.
    properties.setProperty("reWriteBatchedInserts", "true");
    return properties;
  }

  /** A raw connection; callers tell a lost server from other failures ({@link #isUnreachable}). */
  Connection connect() throws SQLException {
    return DriverManager.getConnection(jdbcUrl(), properties());
  }

  /**
   * Connects at startup, where every failure is a configuration to fix.
   *
   * @throws ExportException of kind CONFIGURATION naming the cause
   */
  Connection connectOrExplain() {
    try {
      return connect();
    } catch (SQLException e) {
      throw new ExportException(ExportException.Kind.CONFIGURATION, explain(e), e);
    }
  }

  /** A message that says what to fix for a failed connection or statement. */
  String explain(SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    String cause = e.getMessage();
    return switch (state) {
      case "28000", "28P01" -> "PostgreSQL at " + describe() + " refused the login: " + cause
          + " (check the user and password in --to, or PGPASSWORD, and pg_hba.conf)";
      case "3D000" -> "PostgreSQL at " + host + ":" + port + " has no database " + database
          + " (create it: createdb -h " + host + " -p " + port + " " + database + ")";
      case "42501" -> "the user " + user + " may not change the schema in " + describe() + ": "
          + cause + " (grant it CREATE on the database's public schema, or export as its owner)";
      default -> isUnreachable(e)
          ? "cannot reach PostgreSQL at " + describe() + ": " + cause
              + " (is the server running there and listening on TCP?)"
          : "PostgreSQL at " + describe() + " failed: " + cause + " (SQL state " + state + ")";
    };
  }

  /**
   * Whether the failure is a lost or refused connection (SQL state class 08, a server shutting
   * down or starting, 57P01-57P03), which a follower waits out, rather than a statement's error.
   */
  static boolean isUnreachable(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        String state = sql.getSQLState();
        if (state.startsWith("08") || state.equals("57P01") || state.equals("57P02")
            || state.equals("57P03")) {
          return true;
        }
      }
      if (t instanceof java.io.IOException) {
        return true;
      }
    }
    return false;
  }
}
