package io.chorus.export;

import static io.chorus.export.PostgresText.json;
import static io.chorus.export.PostgresText.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.chorus.codec.Hex;
import io.chorus.crypto.HashFunction;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Writes fetched blocks and the progress row in one PostgreSQL transaction: either all of
 * their rows and the new last block are committed, or none. The progress row is locked and
 * checked first, so a second exporter on the same schema waits and then finds the blocks
 * written instead of writing them twice.
 */
final class BlockWriter {
  /** Governance proposal status codes (Governance.sol) by name. */
  private static final List<String> STATUS = List.of("none", "active", "passed", "executed",
      "rejected", "failed", "expired");

  /** Counts of what one call wrote. */
  record Written(int blocks, int transactions, long rows) {}

  /** Called after a range's rows are sent and before its progress row: tests stop here. */
  interface Checkpoint {
    void rowsSent(long lastBlock) throws InterruptedException;
  }

  private final Checkpoint checkpoint;
  /** The chain's hash, which EPCIS captures' roots are over: known once the node is asked. */
  private final Supplier<HashFunction> hash;

  /** The most characters of PostgreSQL's error a failed batch's message keeps. */
  static final int ERROR_CHARS_MAX = 500;

  BlockWriter(Checkpoint checkpoint, Supplier<HashFunction> hash) {
    this.checkpoint = checkpoint;
    this.hash = hash;
  }

  /**
   * Writes the blocks, which must follow the last exported one, and commits.
   *
   * @throws InterruptedException when the thread is interrupted between tables (rolled back)
   */
  Written write(Connection db, List<ChainSource.Fetched> blocks)
      throws SQLException, InterruptedException {
    long first = blocks.get(0).number();
    long last = blocks.get(blocks.size() - 1).number();
    try {
      long lastExported = lockProgress(db);
      if (lastExported != first - 1) {
        throw new ExportException(ExportException.Kind.FAILED, "the database's last exported"
            + " block is " + lastExported + ", not " + (first - 1) + ": another exporter is"
            + " writing into the same schema; run one exporter per schema");
      }
      Rows rows = new Rows(db);
      for (ChainSource.Fetched block : blocks) {
        rows.add(block);
      }
      long count = rows.flush(first, last);
      checkpoint.rowsSent(last);
      try (PreparedStatement progress = db.prepareStatement(
          "UPDATE export_progress SET last_block = ?, updated_at = now() WHERE id = 1")) {
        progress.setLong(1, last);
        progress.executeUpdate();
      }
      db.commit();
      return new Written(blocks.size(), rows.transactionCount, count);
    } catch (SQLException | InterruptedException | RuntimeException e) {
      rollbackQuietly(db, e);
      throw e;
    }
  }

  static long lockProgress(Connection db) throws SQLException {
    try (PreparedStatement select = db.prepareStatement(
        "SELECT last_block FROM export_progress WHERE id = 1 FOR UPDATE");
        ResultSet result = select.executeQuery()) {
      if (!result.next()) {
        throw new ExportException(ExportException.Kind.FAILED,
            "the export_progress row is missing: the schema was changed by hand");
      }
      return result.getLong(1);
    }
  }

  private static void rollbackQuietly(Connection db, Exception cause) {
    try {
      db.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e); // the connection is gone: the server drops the transaction
    }
  }

  /** The batched INSERTs of a range of blocks, sent table by table in foreign-key order. */
  private final class Rows implements EpcisRows.Statements {
    private final Connection db;
    private final List<PreparedStatement> inOrder = new ArrayList<>();
    private final Map<PreparedStatement, String> tables = new HashMap<>();
    private final PreparedStatement blocks;
    private final PreparedStatement transactions;
    private final PreparedStatement logs;
    private final PreparedStatement touched;
    private final PreparedStatement validators;
    private final PreparedStatement proposals;
    private final PreparedStatement votes;
    private final PreparedStatement proposalStatus;
    private final PreparedStatement notary;
    private final PreparedStatement decoded;
    private final EpcisRows epcis;
    private int transactionCount;
    private long queued;

    Rows(Connection db) throws SQLException {
      this.db = db;
      blocks = prepare("INSERT INTO blocks (number, hash, parent_hash, time, miner, proposer,"
          + " consensus_round, signers, gas_used, gas_limit, base_fee, tx_count)"
          + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)");
      transactions = prepare("INSERT INTO transactions (hash, block_number, tx_index, time,"
          + " from_address, to_address, contract_created, value, nonce, tx_type, gas_limit,"
          + " gas_used, effective_gas_price, status, input_selector, input_bytes)"
          + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
      logs = prepare("INSERT INTO logs (block_number, log_index, tx_hash, address, topic0,"
          + " topic1, topic2, topic3, data) VALUES (?,?,?,?,?,?,?,?,?)");
      touched = prepare("INSERT INTO accounts_touched (tx_hash, role, address, block_number)"
          + " VALUES (?,?,?,?)");
      validators = prepare("INSERT INTO validator_changes (block_number, validator, change)"
          + " VALUES (?,?,?)");
      proposals = prepare("INSERT INTO governance_proposals (id, kind, kind_code, fields,"
          + " proposer, expires_at, status, block_number, tx_hash)"
          + " VALUES (?,?,?,CAST(? AS jsonb),?,?,'active',?,?)");
      votes = prepare("INSERT INTO governance_votes (block_number, log_index, proposal_id,"
          + " member, approve, status_after, tx_hash) VALUES (?,?,?,?,?,?,?)");
      proposalStatus = prepare("UPDATE governance_proposals SET status = ? WHERE id = ?");
      notary = prepare("INSERT INTO notary_records (record_id, version, hash, algorithm,"
          + " record_type, metadata, depositor, block_number, log_index, tx_hash)"
          + " VALUES (?,?,?,?,?,?,?,?,?,?)");
      decoded = prepare("INSERT INTO decoded_events (block_number, log_index, tx_hash,"
          + " address, contract_name, event_name, signature, source, arguments)"
          + " VALUES (?,?,?,?,?,?,?,?,CAST(? AS jsonb))");
      epcis = new EpcisRows(db, hash.get(), this);
    }

    @Override
    public void queue(PreparedStatement statement) throws SQLException {
      statement.addBatch();
      queued++;
    }

    @Override
    public PreparedStatement prepare(String sql) throws SQLException {
      PreparedStatement statement = db.prepareStatement(sql);
      inOrder.add(statement);
      // "INSERT INTO table …" or "UPDATE table …": the table names the batch in an error.
      tables.put(statement, sql.split(" ")[sql.startsWith("UPDATE") ? 1 : 2]);
      return statement;
    }

    void add(ChainSource.Fetched fetched) throws SQLException {
      RawBlock block = fetched.block();
      OffsetDateTime time = OffsetDateTime.ofInstant(Instant.ofEpochSecond(block.timestamp()),
          ZoneOffset.UTC);
      addBlock(block, time);
      for (RawBlock.Tx tx : block.transactions()) {
        addTransaction(block.number(), time, tx);
        JsonNode decodedTx = fetched.decodedByTx().get(tx.hash());
        if (decodedTx != null) {
          addDecoded(fetched, tx.hash(), decodedTx);
        }
      }
      addValidatorChanges(fetched);
      epcis.add(block, time);
    }

    private void addBlock(RawBlock block, OffsetDateTime time) throws SQLException {
      blocks.setLong(1, block.number());
      blocks.setString(2, block.hash());
      blocks.setString(3, block.parentHash());
      blocks.setObject(4, time);
      blocks.setString(5, block.miner());
      blocks.setString(6, block.proposer());
      if (block.round() != null) {
        blocks.setInt(7, block.round());
      } else {
        blocks.setNull(7, Types.INTEGER);
      }
      blocks.setInt(8, block.signers());
      blocks.setLong(9, block.gasUsed());
      blocks.setLong(10, block.gasLimit());
      blocks.setBigDecimal(11, block.baseFee() == null ? null : new BigDecimal(block.baseFee()));
      blocks.setInt(12, block.transactions().size());
      queue(blocks);
    }

    private void addTransaction(long number, OffsetDateTime time, RawBlock.Tx tx)
        throws SQLException {
      transactions.setString(1, tx.hash());
      transactions.setLong(2, number);
      transactions.setInt(3, tx.index());
      transactions.setObject(4, time);
      transactions.setString(5, tx.from());
      transactions.setString(6, tx.to());
      transactions.setString(7, tx.contractCreated());
      transactions.setBigDecimal(8, new BigDecimal(tx.value()));
      transactions.setLong(9, tx.nonce());
      transactions.setInt(10, tx.type());
      transactions.setLong(11, tx.gasLimit());
      transactions.setLong(12, tx.gasUsed());
      transactions.setBigDecimal(13, new BigDecimal(tx.effectiveGasPrice()));
      transactions.setInt(14, tx.success() ? 1 : 0);
      transactions.setString(15, tx.input().length >= 4
          ? Hex.encode0x(Arrays.copyOf(tx.input(), 4)) : null);
      transactions.setInt(16, tx.input().length);
      queue(transactions);
      transactionCount++;
      touch(tx.hash(), "sender", tx.from(), number);
      if (tx.to() != null) {
        touch(tx.hash(), "recipient", tx.to(), number);
      }
      if (tx.contractCreated() != null) {
        touch(tx.hash(), "created", tx.contractCreated(), number);
      }
      for (RawBlock.Log log : tx.logs()) {
        logs.setLong(1, number);
        logs.setInt(2, log.index());
        logs.setString(3, tx.hash());
        logs.setString(4, log.address());
        for (int t = 0; t < 4; t++) {
          logs.setString(5 + t, t < log.topics().size() ? Hex.encode0x(log.topics().get(t))
              : null);
        }
        logs.setString(9, Hex.encode0x(log.data()));
        queue(logs);
      }
    }

    private void touch(String tx, String role, String address, long number)
        throws SQLException {
      touched.setString(1, tx);
      touched.setString(2, role);
      touched.setString(3, address);
      touched.setLong(4, number);
      queue(touched);
    }

    private void addDecoded(ChainSource.Fetched fetched, String tx, JsonNode decodedTx)
        throws SQLException {
      long number = fetched.number();
      for (JsonNode log : decodedTx.path("logs")) {
        JsonNode event = log.path("event");
        if (event.isNull() || event.isMissingNode()) {
          continue;
        }
        int index = log.path("logIndex").asInt();
        decoded.setLong(1, number);
        decoded.setInt(2, index);
        decoded.setString(3, tx);
        decoded.setString(4, lower(log.path("address")));
        decoded.setString(5, log.hasNonNull("contractName")
            ? text(log.path("contractName").asText()) : null);
        decoded.setString(6, text(event.path("name").asText()));
        decoded.setString(7, text(event.path("signature").asText()));
        decoded.setString(8, event.path("source").asText());
        decoded.setString(9, json(log.path("arguments")));
        queue(decoded);
        if (ChainSource.isSystemEvent(log, ChainSource.NOTARY, "Recorded")) {
          addNotaryRecord(number, index, tx, log);
        } else if (ChainSource.isSystemEvent(log, ChainSource.GOVERNANCE, "Proposed")) {
          addProposal(fetched, tx, log);
        } else if (ChainSource.isSystemEvent(log, ChainSource.GOVERNANCE, "Voted")) {
          addVote(number, index, tx, log);
        }
      }
    }

    private void addNotaryRecord(long number, int index, String tx, JsonNode log)
        throws SQLException {
      notary.setString(1, text(ChainSource.argument(log, "id")));
      notary.setInt(2, Integer.parseInt(ChainSource.argument(log, "version")));
      notary.setString(3, ChainSource.argument(log, "hash").toLowerCase(Locale.ROOT));
      notary.setInt(4, Integer.parseInt(ChainSource.argument(log, "algorithm")));
      notary.setString(5, text(ChainSource.argument(log, "recordType")));
      notary.setString(6, text(ChainSource.argument(log, "metadata")));
      notary.setString(7, ChainSource.argument(log, "depositor").toLowerCase(Locale.ROOT));
      notary.setLong(8, number);
      notary.setInt(9, index);
      notary.setString(10, tx);
      queue(notary);
    }

    private void addProposal(ChainSource.Fetched fetched, String tx, JsonNode log)
        throws SQLException {
      long id = Long.parseLong(ChainSource.argument(log, "id"));
      JsonNode proposal = fetched.proposals().get(id);
      if (proposal == null || proposal.isNull()) {
        throw new ExportException(ExportException.Kind.FAILED, "the node does not know"
            + " proposal " + id + " that block " + fetched.number() + " created");
      }
      proposals.setLong(1, id);
      proposals.setString(2, proposal.path("kind").asText());
      proposals.setInt(3, Integer.parseInt(ChainSource.argument(log, "kind")));
      proposals.setString(4, json(proposal.path("fields")));
      proposals.setString(5, ChainSource.argument(log, "proposer").toLowerCase(Locale.ROOT));
      proposals.setLong(6, Long.parseLong(ChainSource.argument(log, "expiresAt")));
      proposals.setLong(7, fetched.number());
      proposals.setString(8, tx);
      queue(proposals);
    }

    private void addVote(long number, int index, String tx, JsonNode log) throws SQLException {
      long id = Long.parseLong(ChainSource.argument(log, "id"));
      String status = STATUS.get(Integer.parseInt(ChainSource.argument(log, "status")));
      votes.setLong(1, number);
      votes.setInt(2, index);
      votes.setLong(3, id);
      votes.setString(4, ChainSource.argument(log, "member").toLowerCase(Locale.ROOT));
      votes.setBoolean(5, Boolean.parseBoolean(ChainSource.argument(log, "approve")));
      votes.setString(6, status);
      votes.setString(7, tx);
      queue(votes);
      // Votes come in log order, so the last one in the range sets the status.
      proposalStatus.setString(1, status);
      proposalStatus.setLong(2, id);
      queue(proposalStatus);
    }

    private void addValidatorChanges(ChainSource.Fetched fetched) throws SQLException {
      Set<String> before = new HashSet<>(fetched.validatorsBefore());
      Set<String> now = new HashSet<>(fetched.block().validators());
      for (String v : now) {
        if (!before.contains(v)) {
          validatorChange(fetched.number(), v, "added");
        }
      }
      for (String v : before) {
        if (!now.contains(v)) {
          validatorChange(fetched.number(), v, "removed");
        }
      }
    }

    private void validatorChange(long number, String validator, String change)
        throws SQLException {
      validators.setLong(1, number);
      validators.setString(2, validator);
      validators.setString(3, change);
      queue(validators);
    }

    /**
     * Sends every table's batch in foreign-key order and closes the statements; checks for an
     * interrupt between tables, so closing the exporter mid-block rolls the block back. Returns
     * the rows written (and status updates).
     */
    long flush(long first, long last) throws SQLException, InterruptedException {
      try {
        for (PreparedStatement statement : inOrder) {
          if (Thread.interrupted()) {
            throw new InterruptedException("stopped while writing");
          }
          try {
            statement.executeBatch();
          } catch (BatchUpdateException e) {
            throw summary(e, tables.get(statement), first, last);
          }
        }
      } finally {
        for (PreparedStatement statement : inOrder) {
          statement.close();
        }
      }
      return queued;
    }
  }

  /**
   * A failed batch as the table, the blocks and PostgreSQL's own error: the driver's message
   * quotes the whole multi-row INSERT (megabytes for a range of full blocks), which buried the
   * error in the log. The SQL state and the driver's exception stay, as state and cause.
   */
  static SQLException summary(BatchUpdateException e, String table, long first, long last) {
    SQLException server = e.getNextException() == null ? e : e.getNextException();
    String error = server.getMessage() == null ? "no message" : server.getMessage();
    if (error.length() > ERROR_CHARS_MAX) {
      error = error.substring(0, ERROR_CHARS_MAX) + "… (" + error.length() + " characters)";
    }
    return new SQLException("inserting the " + table + " rows of blocks " + first + " to " + last
        + " failed: " + error, server.getSQLState() != null ? server.getSQLState()
            : e.getSQLState(), e);
  }

  private static String lower(JsonNode node) {
    return node.asText().toLowerCase(Locale.ROOT);
  }

}
