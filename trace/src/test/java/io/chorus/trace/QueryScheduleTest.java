package io.chorus.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chorus.rpc.rest.Problem;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The EPCIS query schedule: its grammar, its ranges and the query times it gives (UTC). */
class QueryScheduleTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static QuerySchedule schedule(String json) throws Exception {
    return QuerySchedule.parse(JSON.readTree(json), "schedule");
  }

  private static Instant next(String json, String after) throws Exception {
    return schedule(json).next(Instant.parse(after)).orElseThrow();
  }

  @Test
  void theStandardsExamplesRunWhenTheySay() throws Exception {
    // Once an hour at the top of the hour.
    assertEquals(Instant.parse("2026-12-06T23:00:00Z"),
        next("{\"second\": \"0\", \"minute\": \"0\"}", "2026-12-06T22:00:00Z"));
    // At 2:30 every day.
    assertEquals(Instant.parse("2026-12-07T02:30:00Z"),
        next("{\"second\": \"0\", \"minute\": \"30\", \"hour\": \"2\"}", "2026-12-06T02:30:00Z"));
    // Top of the hour on weekdays: Saturday 5 December 2026 23:10 leads to Monday 00:00.
    assertEquals(Instant.parse("2026-12-07T00:00:00Z"), next("{\"second\": \"0\","
        + " \"minute\": \"0\", \"dayOfWeek\": \"[1-5]\"}", "2026-12-05T23:10:00Z"));
    // hour alone: every second of that hour.
    assertEquals(Instant.parse("2026-12-07T02:00:00Z"),
        next("{\"hour\": \"2\"}", "2026-12-06T03:00:00Z"));
    assertEquals(Instant.parse("2026-12-07T02:00:01Z"),
        next("{\"hour\": \"2\"}", "2026-12-07T02:00:00.5Z"));
    // The REST binding's example: 1:05 (every second of that minute, as second is omitted).
    assertEquals(Instant.parse("2026-12-07T01:05:00Z"),
        next("{\"hour\": \"1\", \"minute\": \"5\"}", "2026-12-06T12:00:00Z"));
  }

  @Test
  void listsRangesAndDatesCombine() throws Exception {
    String every10 = "{\"second\": \"5,15,[25-25],35,45,55\"}";
    assertEquals(Instant.parse("2026-12-06T10:00:15Z"), next(every10, "2026-12-06T10:00:05Z"));
    assertEquals(Instant.parse("2026-12-06T10:01:05Z"), next(every10, "2026-12-06T10:00:55Z"));
    // 29 February on a Monday: 2044.
    assertEquals(Instant.parse("2044-02-29T00:00:00Z"), next("{\"second\": \"0\", \"minute\":"
        + " \"0\", \"hour\": \"0\", \"dayOfMonth\": \"29\", \"month\": \"2\", \"dayOfWeek\":"
        + " \"1\"}", "2026-12-06T00:00:00Z"));
    // Whole numbers are read as their text; the schedule is written back in the standard form.
    assertEquals("{\"second\":\"0,[10-12]\",\"minute\":\"7\"}",
        schedule("{\"second\": \"0,10,11,12\", \"minute\": 7}").json().toString());
  }

  @Test
  void aBadScheduleIsRefusedNamingEachField() throws Exception {
    for (String[] bad : new String[][] {
        {"{\"second\": \"60\"}", "schedule/second"},
        {"{\"minute\": \"[10-5]\"}", "schedule/minute"},
        {"{\"hour\": \"1-5\"}", "schedule/hour"},
        {"{\"dayOfMonth\": \"0\"}", "schedule/dayOfMonth"},
        {"{\"month\": \"13\"}", "schedule/month"},
        {"{\"dayOfWeek\": \"Mon\"}", "schedule/dayOfWeek"},
        {"{\"dayOfWeek\": \"\"}", "schedule/dayOfWeek"},
        {"{\"second\": \"1,,2\"}", "schedule/second"},
        {"{\"second\": true}", "schedule/second"},
        {"{\"seconds\": \"1\"}", "schedule/seconds"},
        {"{\"dayOfMonth\": \"30\", \"month\": \"2\"}", "schedule"},
        {"\"0 5 1 * * *\"", "schedule"}}) {
      JsonNode json = JSON.readTree(bad[0]);
      Problem problem = assertThrows(Problem.class, () -> QuerySchedule.parse(json,
          "schedule"), bad[0]);
      assertEquals(400, problem.status(), bad[0]);
      assertEquals(bad[1], problem.errors().getFirst().field(), bad[0]);
      assertTrue(problem.errors().getFirst().detail().length() > 20, bad[0]);
    }
  }
}
