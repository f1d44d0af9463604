package io.chorus.export;

import static io.chorus.export.PostgresText.json;
import static io.chorus.export.PostgresText.text;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.codec.Hex;
import io.chorus.crypto.HashFunction;
import io.chorus.trace.epcis.CaptureCall;
import io.chorus.trace.epcis.CapturedEvents;
import io.chorus.trace.epcis.EpcisEvent;
import io.chorus.trace.epcis.EpcisLimits;
import io.chorus.trace.epcis.EpcisReader;
import io.chorus.trace.epcis.IlmdLots;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The EPCIS rows of a range of blocks ({@code V2__epcis.sql}): one per {@code Captured} log of
 * the trace contract, and the events of each capture not sealed, read from its transaction's
 * call data with the nodes' own code ({@link CaptureCall}, {@link CapturedEvents}) under the
 * rules of their index ({@code io.chorus.trace.TraceIndexer}): only a transaction to the
 * contract whose call anchors the log's root is read (a contract calling {@code Capture} is
 * not), its events must give the root back, and an event whose ID (eventID, else hash ID) an
 * earlier capture holds is skipped, as the nodes' store skips it.
 */
final class EpcisRows {
  /** How {@link BlockWriter} prepares and queues statements, in its foreign-key order. */
  interface Statements {
    PreparedStatement prepare(String sql) throws SQLException;

    void queue(PreparedStatement statement) throws SQLException;
  }

  private static final Map<EpcisEvent.Role, String> INSTANCE_ROLES = Map.of(
      EpcisEvent.Role.EPC, "epc", EpcisEvent.Role.PARENT, "parent",
      EpcisEvent.Role.CHILD, "child", EpcisEvent.Role.INPUT, "input",
      EpcisEvent.Role.OUTPUT, "output");
  private static final Map<EpcisEvent.Role, String> CLASS_ROLES = Map.of(
      EpcisEvent.Role.EPC, "quantity", EpcisEvent.Role.CHILD, "child_quantity",
      EpcisEvent.Role.INPUT, "input_quantity", EpcisEvent.Role.OUTPUT, "output_quantity");

  private final Connection db;
  private final HashFunction hash;
  private final Statements statements;
  private final EpcisReader reader = new EpcisReader(EpcisLimits.defaults());
  private final PreparedStatement captures;
  private final PreparedStatement events;
  private final PreparedStatement identifiers;
  private final PreparedStatement lots;
  /** The IDs of the events queued in this range: not in the database yet. */
  private final Set<String> queuedIds = new HashSet<>();

  EpcisRows(Connection db, HashFunction hash, Statements statements) throws SQLException {
    this.db = db;
    this.hash = hash;
    this.statements = statements;
    captures = statements.prepare("INSERT INTO epcis_captures (block_number, log_index,"
        + " tx_hash, root, capture_number, capturer, event_count, sealed, organisations,"
        + " events_exported, not_exported) VALUES (?,?,?,?,?,?,?,?,?,?,?)");
    events = statements.prepare("INSERT INTO epcis_events (id, hash_id, event_id, type,"
        + " event_time, event_time_zone_offset, record_time, action, biz_step, disposition,"
        + " read_point, biz_location, capturer, block_number, capture_log_index, tx_hash,"
        + " batch_position, event) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,CAST(? AS jsonb))");
    identifiers = statements.prepare("INSERT INTO epcis_event_identifiers (event, role,"
        + " identifier) VALUES (?,?,?)");
    lots = statements.prepare("INSERT INTO epcis_lot_items (lot, item, event) VALUES (?,?,?)");
  }

  /** Queues the rows of the block's captures; {@code time} is its timestamp. */
  void add(RawBlock block, OffsetDateTime time) throws SQLException {
    for (RawBlock.Tx tx : block.transactions()) {
      for (RawBlock.Log log : tx.logs()) {
        if (log.address().equals(CaptureCall.CONTRACT) && log.topics().size() == 4
            && Arrays.equals(log.topics().getFirst(), CaptureCall.CAPTURED_TOPIC)) {
          addCapture(block.number(), time, tx, log);
        }
      }
    }
  }

  private void addCapture(long number, OffsetDateTime time, RawBlock.Tx tx, RawBlock.Log log)
      throws SQLException {
    byte[] root = log.topics().get(1);
    byte[] capturerWord = log.topics().get(3);
    String capturer = Hex.encode0x(Arrays.copyOfRange(capturerWord, 12, 32));
    captures.setLong(1, number);
    captures.setInt(2, log.index());
    captures.setString(3, tx.hash());
    captures.setString(4, Hex.encode0x(root));
    captures.setLong(5, new BigInteger(1, log.topics().get(2)).longValueExact());
    captures.setString(6, capturer);
    captures.setInt(7, new BigInteger(1, log.data()).intValueExact());
    CaptureCall call = CaptureCall.CONTRACT.equals(tx.to()) ? CaptureCall.decode(tx.input())
        : null;
    boolean inCallData = call != null && Arrays.equals(call.root(), root);
    String notExported = null;
    CapturedEvents read = null;
    if (!inCallData) {
      notExported = "its batch is not in the transaction's call data (a contract called"
          + " Capture)";
    } else if (call.sealed()) {
      notExported = "sealed for " + String.join(", ", call.organisations());
    } else {
      try {
        read = CapturedEvents.read(call.batch(), call.count(), root, hash, reader);
      } catch (CapturedEvents.Invalid e) {
        notExported = e.getMessage();
      }
    }
    if (inCallData) {
      captures.setBoolean(8, call.sealed());
    } else {
      captures.setNull(8, Types.BOOLEAN);
    }
    captures.setArray(9, inCallData && call.sealed()
        ? db.createArrayOf("text", call.organisations().toArray()) : null);
    captures.setBoolean(10, read != null);
    captures.setString(11, notExported);
    statements.queue(captures);
    if (read != null) {
      addEvents(number, time, tx, log, capturer, read);
    }
  }

  private void addEvents(long number, OffsetDateTime time, RawBlock.Tx tx, RawBlock.Log log,
      String capturer, CapturedEvents read) throws SQLException {
    Set<String> stored = storedIds(read.events());
    for (int i = 0; i < read.events().size(); i++) {
      EpcisEvent event = read.events().get(i);
      String id = id(event);
      if (stored.contains(id) || !queuedIds.add(id)) {
        continue; // the first capture of an ID wins, as on every node
      }
      ObjectNode element = read.elements().get(i);
      events.setString(1, id);
      events.setString(2, event.hashId());
      events.setString(3, text(event.eventId()));
      events.setString(4, event.type().name());
      events.setObject(5, OffsetDateTime.ofInstant(event.eventTime(), ZoneOffset.UTC));
      events.setString(6, event.eventTimeZoneOffset());
      events.setObject(7, time);
      events.setString(8, event.action() == null ? null : event.action().name());
      events.setString(9, text(event.bizStep()));
      events.setString(10, text(event.disposition()));
      events.setString(11, text(event.readPoint()));
      events.setString(12, text(event.bizLocation()));
      events.setString(13, capturer);
      events.setLong(14, number);
      events.setInt(15, log.index());
      events.setString(16, tx.hash());
      events.setInt(17, i);
      events.setString(18, json(element));
      statements.queue(events);
      Set<List<String>> named = new LinkedHashSet<>();
      event.epcs().forEach(epc -> named.add(List.of(INSTANCE_ROLES.get(epc.role()), epc.id())));
      event.quantities().forEach(q -> named.add(List.of(CLASS_ROLES.get(q.role()),
          q.epcClass())));
      for (Map.Entry<String, List<String>> lot : IlmdLots.of(element).entrySet()) {
        named.add(List.of("ilmd_lot", lot.getKey()));
        for (String item : new LinkedHashSet<>(lot.getValue())) {
          lots.setString(1, text(lot.getKey()));
          lots.setString(2, text(item));
          lots.setString(3, id);
          statements.queue(lots);
        }
      }
      for (List<String> roleAndId : named) {
        identifiers.setString(1, id);
        identifiers.setString(2, roleAndId.get(0));
        identifiers.setString(3, text(roleAndId.get(1)));
        statements.queue(identifiers);
      }
    }
  }

  /** The events' IDs that earlier ranges wrote. */
  private Set<String> storedIds(List<EpcisEvent> read) throws SQLException {
    Set<String> out = new HashSet<>();
    try (PreparedStatement select = db.prepareStatement(
        "SELECT id FROM epcis_events WHERE id = ANY (?)")) {
      select.setArray(1, db.createArrayOf("text", read.stream().map(EpcisRows::id).toArray()));
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          out.add(rows.getString(1));
        }
      }
    }
    return out;
  }

  /** The ID the nodes store an event under: its eventID, or its hash ID without one. */
  private static String id(EpcisEvent event) {
    return text(event.eventId() != null ? event.eventId() : event.hashId());
  }
}
