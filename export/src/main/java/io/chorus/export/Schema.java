package io.chorus.export;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;

/**
 * The export schema: Flyway migrations from {@code db/migration} (V1__chain.sql on), and the
 * progress row that binds the schema to one chain.
 */
final class Schema {
  static final String MIGRATIONS = "classpath:db/migration";
  /** Flyway logs each step at INFO through java.util.logging; the exporter says what matters. */
  private static final Logger FLYWAY_LOG = Logger.getLogger("org.flywaydb");

  static {
    FLYWAY_LOG.setLevel(Level.WARNING);
  }

  private Schema() {}

  /**
   * Brings the schema to this exporter's version. A schema that a newer exporter migrated
   * further is refused, not used: its tables may mean something this one does not write.
   */
  static void migrate(PostgresTarget target) {
    Flyway flyway = Flyway.configure(Schema.class.getClassLoader())
        .dataSource(target.jdbcUrl(), target.user(), target.password())
        .locations(MIGRATIONS)
        .load();
    try {
      MigrationInfo newest = null;
      for (MigrationInfo migration : flyway.info().all()) {
        if (migration.getState() == MigrationState.FUTURE_SUCCESS
            || migration.getState() == MigrationState.FUTURE_FAILED) {
          newest = migration;
        }
      }
      if (newest != null) {
        throw new ExportException(ExportException.Kind.REFUSED, "the schema in "
            + target.describe() + " is at version " + newest.getVersion() + " ("
            + newest.getDescription() + "), newer than this exporter knows (up to "
            + latestKnown(flyway) + "): run the chorus export that created it, or export"
            + " into another database");
      }
      flyway.migrate();
    } catch (FlywayException e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof SQLException sql) {
          throw new ExportException(ExportException.Kind.CONFIGURATION,
              "cannot prepare the export schema: " + target.explain(sql), e);
        }
      }
      throw new ExportException(ExportException.Kind.CONFIGURATION, "cannot prepare the export"
          + " schema in " + target.describe() + ": " + e.getMessage(), e);
    }
  }

  private static String latestKnown(Flyway flyway) {
    String latest = "none";
    for (MigrationInfo migration : flyway.info().all()) {
      if (migration.getState() != MigrationState.FUTURE_SUCCESS
          && migration.getState() != MigrationState.FUTURE_FAILED) {
        latest = String.valueOf(migration.getVersion());
      }
    }
    return latest;
  }

  /**
   * Checks the progress row against the node's chain, or writes it on a fresh schema; returns
   * the last exported block ({@code fromBlock - 1} on a fresh schema).
   *
   * @throws ExportException of kind REFUSED when the schema holds another chain, or when
   *     {@code fromBlock} asks to skip or repeat blocks of an export under way
   */
  static long bind(Connection db, PostgresTarget target, BigInteger chainId, String genesisHash,
      long fromBlock) throws SQLException {
    try (PreparedStatement select = db.prepareStatement(
        "SELECT chain_id, genesis_hash, last_block FROM export_progress WHERE id = 1 FOR UPDATE");
        ResultSet row = select.executeQuery()) {
      if (!row.next()) {
        try (PreparedStatement insert = db.prepareStatement("INSERT INTO export_progress"
            + " (id, chain_id, genesis_hash, last_block, updated_at) VALUES (1, ?, ?, ?, now())")) {
          insert.setBigDecimal(1, new BigDecimal(chainId));
          insert.setString(2, genesisHash);
          insert.setLong(3, Math.max(fromBlock, 0) - 1);
          insert.executeUpdate();
        }
        db.commit();
        return Math.max(fromBlock, 0) - 1;
      }
      BigInteger storedChain = row.getBigDecimal(1).toBigIntegerExact();
      String storedGenesis = row.getString(2);
      long last = row.getLong(3);
      db.rollback();
      if (!storedChain.equals(chainId) || !storedGenesis.equals(genesisHash)) {
        throw new ExportException(ExportException.Kind.REFUSED, target.describe()
            + " holds the export of chain " + storedChain + " with genesis " + storedGenesis
            + ", but the node serves chain " + chainId + " with genesis " + genesisHash
            + ": export each chain into its own database (or schema)");
      }
      if (fromBlock >= 0 && fromBlock != last + 1) {
        throw new ExportException(ExportException.Kind.REFUSED, target.describe()
            + " has blocks up to " + last + " exported; --from-block " + fromBlock + " would "
            + (fromBlock > last + 1 ? "leave a gap" : "write blocks twice")
            + ": leave --from-block out to resume at " + (last + 1));
      }
      return last;
    }
  }
}
