package io.chorus.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/**
 * A failed batch insert is reported by its table, its blocks and PostgreSQL's error, not by the
 * driver's message, which quotes the whole multi-row INSERT: built here as the PostgreSQL driver
 * builds it (the statement in the batch exception, the server's error as its next exception).
 */
class BatchErrorTest {
  @Test
  void aFailedBatchNamesTableBlocksAndTheServerErrorWithoutTheStatement() {
    String row = "(5,'0x" + "ab".repeat(32) + "')";
    String statement = "Batch entry 0 INSERT INTO blocks (number, hash) VALUES "
        + (row + ",").repeat(20_000) + " was aborted";
    BatchUpdateException batch = new BatchUpdateException(statement, "23505", new int[0]);
    SQLException server = new SQLException("ERROR: duplicate key value violates unique"
        + " constraint \"blocks_pkey\"\n  Detail: Key (number)=(5) already exists.", "23505");
    batch.setNextException(server);

    SQLException summary = BlockWriter.summary(batch, "blocks", 5, 68);

    assertEquals("inserting the blocks rows of blocks 5 to 68 failed: " + server.getMessage(),
        summary.getMessage());
    assertEquals("23505", summary.getSQLState(), "the state still says what kind of error");
    assertSame(batch, summary.getCause(), "the driver's exception is kept, not hidden");
    assertFalse(summary.getMessage().contains("INSERT INTO"));
  }

  @Test
  void aLongServerErrorIsCut() {
    BatchUpdateException batch = new BatchUpdateException("INSERT INTO logs …", "22001",
        new int[0]);
    batch.setNextException(new SQLException("ERROR: value too long: " + "x".repeat(5_000),
        "22001"));

    String message = BlockWriter.summary(batch, "logs", 1, 2).getMessage();

    assertTrue(message.length() < BlockWriter.ERROR_CHARS_MAX + 100, message.length() + "");
    assertTrue(message.endsWith("(5023 characters)"), message.substring(message.length() - 40));
  }
}
