package io.chorus.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chorus.trace.epcis.EpcisEvent;
import io.chorus.trace.epcis.EpcisLimits;
import io.chorus.trace.epcis.EpcisReader;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The capture benchmark's documents are what a capture accepts: the EPCIS reader finds no
 * problem in them, they hold the promised mix (aggregations, sensor readings), and no two
 * events of two makers share an eventID or an EPC, so a run never captures a duplicate.
 */
class EpcisLoadDocumentsTest {
  @Test
  void documentsAreValidVariedAndUnique() {
    EpcisReader reader = new EpcisReader(EpcisLimits.defaults());
    SplittableRandom seeds = new SplittableRandom(21);
    Set<String> ids = new HashSet<>();
    Set<String> epcs = new HashSet<>();
    int sensed = 0;
    int aggregations = 0;
    for (EpcisLoadDocuments maker : List.of(new EpcisLoadDocuments(seeds.split()),
        new EpcisLoadDocuments(seeds.split()))) {
      for (int d = 0; d < 3; d++) {
        EpcisLoadDocuments.Document document = maker.document(100,
            Instant.parse("2026-12-06T10:00:00Z"));
        List<EpcisEvent> events = reader.readDocument(document.json()).events();
        assertEquals(100, events.size());
        assertEquals(events.stream().map(EpcisEvent::eventId).toList(), document.eventIds());
        for (EpcisEvent event : events) {
          assertTrue(ids.add(event.eventId()), "eventID repeated: " + event.eventId());
          for (String epc : event.epcs(EpcisEvent.Role.EPC)) {
            assertTrue(epcs.add(epc), "EPC repeated: " + epc);
          }
          sensed += event.json().has("sensorElementList") ? 1 : 0;
          aggregations += event.type() == EpcisEvent.EventType.AggregationEvent ? 1 : 0;
        }
      }
    }
    assertEquals(600, ids.size());
    assertEquals(120, sensed, "two events in ten carry sensor data");
    assertEquals(120, aggregations, "two events in ten pack a case");
  }
}
