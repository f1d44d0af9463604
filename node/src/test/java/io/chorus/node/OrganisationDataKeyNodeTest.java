package io.chorus.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.ledger.Genesis;
import io.chorus.service.ApiTokens;
import io.chorus.service.Keystore;
import io.chorus.trace.EpcisService;
import io.chorus.trace.epcis.EpcisLimits;
import io.chorus.trace.epcis.EpcisReader;
import java.math.BigInteger;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node of an organisation that was offline when an event was captured for its organisation
 * reads the event once it starts. Three members on loopback sockets: the validator (org0) and
 * two nodes of org1, the second stopped. The validator captures an event visible to org1; the
 * second org1 node, started afterwards, syncs the block, opens the capture with org1's data
 * key and answers the event to its token holder with nothing withheld. Sealed for the nodes
 * the capturer was connected to, as before data keys, it would count the event as withheld.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class OrganisationDataKeyNodeTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String PASSWORD = "organisation data key keystore";

  @TempDir Path dir;

  @Test
  void aNodeOfTheOrganisationOfflineAtCaptureTimeReadsTheEventOnceItJoins() throws Exception {
    try (LocalNetwork network = LocalNetwork.layOut(dir, TraceNetwork.SUITE,
        BigInteger.valueOf(4346), List.of("org0", "org1", "org1"), 1,
        Map.of(TraceNetwork.CAPTURER_ACCOUNT, Genesis.Allocation.funded(LocalNetwork.FUNDS)),
        Map.of())) {
      Keystore.importKey(dir.resolve("node0"), TraceNetwork.SUITE,
          TraceNetwork.CAPTURER.privateKey(), PASSWORD.toCharArray(), new SecureRandom());
      Node validator = network.start(0, new Node.Api(Optional.of(PASSWORD), List.of()));
      Node connected = network.start(1);

      String epc = "urn:epc:id:sgtin:4012345.011111.LATE4410";
      JsonNode document = JSON.readTree(EpcisNodeTest.farmToShelf());
      ObjectNode event = (ObjectNode) document.at("/epcisBody/eventList/0").deepCopy();
      event.set("@context", document.get("@context"));
      event.put("eventTime", "2024-07-02T09:00:00Z").putArray("epcList").add(epc);
      byte[] body = JSON.writeValueAsBytes(event);
      String hashId = new EpcisReader(EpcisLimits.defaults()).readEvent(body).hashId();
      String capturer = token(network, 0, Set.of(EpcisService.CAPTURER));
      HttpResponse<String> accepted = HTTP.send(HttpRequest.newBuilder(
          URI.create(validator.rpcUrl() + "/epcis/events"))
          .header("Authorization", "Bearer " + capturer)
          .header("Content-Type", "application/ld+json")
          .header(EpcisService.VISIBLE_TO, "org1")
          .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(202, accepted.statusCode(), accepted.body());
      String job = accepted.headers().firstValue("Location").orElseThrow();
      JsonNode status = null;
      for (int i = 0; i < 200 && (status == null || status.path("running").asBoolean()); i++) {
        Thread.sleep(100);
        status = JSON.readTree(EpcisNodeTest.get(validator, job, capturer).body());
      }
      assertEquals("success", status.path("status").asText(), status.toString());
      String query = "/epcis/events?MATCH_epc=" + URLEncoder.encode(epc, StandardCharsets.UTF_8);
      assertEquals(List.of(hashId), readable(connected, query,
          token(network, 1, Set.of(EpcisService.SUBSCRIBER))), "org1's connected node");

      // The second org1 node was offline: it starts now, syncs and opens the capture.
      Node late = network.start(2);
      assertEquals(List.of(hashId), readable(late, query,
          token(network, 2, Set.of(EpcisService.SUBSCRIBER))),
          "org1's node that was offline at capture time");
    }
  }

  private static String token(LocalNetwork network, int member, Set<String> roles) {
    return ApiTokens.issue(network.dir.resolve("node" + member),
        TraceNetwork.CAPTURER_ACCOUNT, roles, Optional.empty(), Clock.systemUTC(),
        new SecureRandom()).token();
  }

  /**
   * The hash IDs {@code node} answers its token holder once it has indexed the event's block
   * (it counts the event as found or as withheld then), with its withheld count checked zero.
   */
  private static List<String> readable(Node node, String query, String bearer)
      throws Exception {
    JsonNode results = null;
    for (int i = 0; i < 600; i++) {
      results = JSON.readTree(EpcisNodeTest.get(node, query, bearer).body())
          .at("/epcisBody/queryResults");
      if (results.at("/resultsBody/eventList").size() > 0
          || results.path("chorus:withheld").asLong() > 0) {
        break;
      }
      Thread.sleep(100);
    }
    assertEquals(0, results.path("chorus:withheld").asLong(), results.toString());
    return results.at("/resultsBody/eventList").findValuesAsText("chorus:hashId");
  }
}
