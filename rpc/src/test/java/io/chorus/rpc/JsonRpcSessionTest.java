package io.chorus.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Session methods (refused without a session, as over HTTP), the observer, the stream form. */
class JsonRpcSessionTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A session that records what is sent to it. */
  static final class FakeSession implements JsonRpc.Session {
    final List<String> sent = new ArrayList<>();

    @Override
    public long id() {
      return 42;
    }

    @Override
    public void send(String json) {
      sent.add(json);
    }

    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public void onClose(Runnable callback) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void close(String reason) {
      throw new UnsupportedOperationException();
    }
  }

  private record Call(String method, long nanos, boolean error) {}

  private final List<Call> calls = new ArrayList<>();
  private final JsonRpc rpc = new JsonRpc(
      Map.of("echo", params -> params.get(0)),
      Map.of("sub", (params, session) -> {
        session.send("{\"pushed\":true}");
        return LongNode.valueOf(session.id());
      }),
      (method, nanos, error) -> calls.add(new Call(method, nanos, error)));

  private JsonNode call(String body, JsonRpc.Session session) throws Exception {
    String response = rpc.handle(body.getBytes(StandardCharsets.UTF_8), session);
    return response == null ? null : JSON.readTree(response);
  }

  @Test
  void aSessionMethodGetsTheSessionAndMayPushThroughIt() throws Exception {
    FakeSession session = new FakeSession();
    JsonNode response = call("{\"jsonrpc\":\"2.0\",\"method\":\"sub\",\"id\":1}", session);
    assertEquals(42, response.get("result").asLong());
    assertEquals(List.of("{\"pushed\":true}"), session.sent);
  }

  @Test
  void aSessionMethodWithoutASessionIsRefusedLikeGeth() throws Exception {
    JsonNode response = call("{\"jsonrpc\":\"2.0\",\"method\":\"sub\",\"id\":7}", null);
    assertEquals(JsonRpc.METHOD_NOT_FOUND, response.at("/error/code").asInt());
    assertEquals(JsonRpc.NOTIFICATIONS_UNSUPPORTED, response.at("/error/message").asText());
    assertEquals(7, response.get("id").asInt());
    // handle(byte[]) is the session-less form.
    String plain = rpc.handle("{\"jsonrpc\":\"2.0\",\"method\":\"sub\",\"id\":8}"
        .getBytes(StandardCharsets.UTF_8));
    assertTrue(plain.contains("use the WebSocket endpoint"), plain);
  }

  @Test
  void plainMethodsWorkWithOrWithoutASession() throws Exception {
    String body = "{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[\"x\"],\"id\":1}";
    assertEquals(TextNode.valueOf("x"), call(body, null).get("result"));
    assertEquals(TextNode.valueOf("x"), call(body, new FakeSession()).get("result"));
  }

  @Test
  void aNameInBothMapsIsRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new JsonRpc(Map.of("a", p -> p), Map.of("a", (p, s) -> p), RpcObserver.NONE));
    assertTrue(e.getMessage().contains("[a]"), e.getMessage());
  }

  @Test
  void theObserverSeesEachCallOfABatchUnderABoundedName() throws Exception {
    call("[{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[1],\"id\":1},"
        + "{\"jsonrpc\":\"2.0\",\"method\":\"no_such_method_123\",\"id\":2},"
        + "{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[1]},"
        + "7,"
        + "{\"jsonrpc\":\"2.0\",\"method\":\"sub\",\"id\":3}]", null);
    assertEquals(List.of("echo", RpcObserver.UNKNOWN_METHOD, "echo",
        RpcObserver.INVALID_REQUEST, "sub"), calls.stream().map(Call::method).toList());
    assertEquals(List.of(false, true, false, true, true),
        calls.stream().map(Call::error).toList());
    assertTrue(calls.stream().allMatch(c -> c.nanos() >= 0));
    calls.clear();
    call("{not json", null);
    assertEquals(List.of(new Call(RpcObserver.INVALID_REQUEST, 0, true)), calls);
  }

  @Test
  void aFailingObserverDoesNotFailTheCall() throws Exception {
    JsonRpc failing = new JsonRpc(Map.of("echo", p -> p.get(0)), Map.of(), (m, n, e) -> {
      throw new IllegalStateException("metrics bug");
    });
    String response = failing.handle(
        "{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[5],\"id\":1}"
            .getBytes(StandardCharsets.UTF_8));
    assertEquals(5, JSON.readTree(response).get("result").asInt());
  }

  @Test
  void theStreamFormAnswersAsTheStringForm() throws Exception {
    String[] bodies = {
      "{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[[1,2]],\"id\":\"a\"}",
      "[{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[1],\"id\":1},{\"x\":1}]",
      "{broken", "", "[]",
    };
    for (String body : bodies) {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      assertEquals(JsonRpc.Outcome.ANSWER, rpc.handle(new ByteArrayInputStream(bytes), null, out),
          body);
      assertEquals(JSON.readTree(rpc.handle(bytes)), JSON.readTree(out.toByteArray()), body);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertEquals(JsonRpc.Outcome.NOTHING, rpc.handle(new ByteArrayInputStream(
        "{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[1]}"
            .getBytes(StandardCharsets.UTF_8)), null, out));
    assertEquals(0, out.size());
    assertNull(rpc.handle("{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[1]}"
        .getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void aPacedMethodsSuccessMarksItsWholeResponsePacedAndItsErrorsDoNot() throws Exception {
    List<Runnable> released = new ArrayList<>();
    JsonRpc paced = rpc.withPacing(Set.of("echo"), released::add);
    String[][] cases = {
      {"{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[1],\"id\":1}", "PACED_ANSWER"},
      // a batch holding one paced success is held as a whole (one HTTP response)
      {"[{\"jsonrpc\":\"2.0\",\"method\":\"nope\",\"id\":1},"
          + "{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[2],\"id\":2}]", "PACED_ANSWER"},
      // echo of no params fails (params is null): an error is answered at once
      {"{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"id\":3}", "ANSWER"},
      {"{\"jsonrpc\":\"2.0\",\"method\":\"sub\",\"id\":4}", "ANSWER"},
    };
    for (String[] c : cases) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      assertEquals(JsonRpc.Outcome.valueOf(c[1]), paced.handle(
          new ByteArrayInputStream(c[0].getBytes(StandardCharsets.UTF_8)), null, out), c[0]);
      assertTrue(out.size() > 0, c[0]);
    }
    assertEquals(JsonRpc.Outcome.ANSWER, rpc.handle(new ByteArrayInputStream(
        cases[0][0].getBytes(StandardCharsets.UTF_8)), null, new ByteArrayOutputStream()),
        "pacing is off unless asked for");
    boolean[] sent = new boolean[1];
    paced.pace(() -> sent[0] = true);
    assertEquals(1, released.size(), "pace hands the answer to the pacer");
    assertFalse(sent[0]);
    released.get(0).run();
    assertTrue(sent[0]);
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
        () -> rpc.withPacing(Set.of("eth_nothing"), Runnable::run));
    assertEquals("no method eth_nothing to pace", unknown.getMessage());
  }
}
