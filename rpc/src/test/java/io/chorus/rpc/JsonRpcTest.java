package io.chorus.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * JSON-RPC 2.0 handling against the examples of the JSON-RPC 2.0 specification (positional and
 * named params, notifications, the error codes, batches mixing all of them) and Chorus's own
 * bounds on request size and batch length.
 */
class JsonRpcTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final JsonRpc rpc = new JsonRpc(Map.of(
      "subtract", params -> {
        int minuend = params.isArray() ? params.get(0).asInt() : params.get("minuend").asInt();
        int subtrahend = params.isArray() ? params.get(1).asInt()
            : params.get("subtrahend").asInt();
        return IntNode.valueOf(minuend - subtrahend);
      },
      "sum", params -> {
        int total = 0;
        for (JsonNode n : params) {
          total += n.asInt();
        }
        return IntNode.valueOf(total);
      },
      "notify_hello", params -> null,
      "get_data", params -> JSON.valueToTree(new Object[] {"hello", 5}),
      "needs_hex", params -> {
        throw new IllegalArgumentException("expected a 0x-prefixed hex string");
      },
      "reverts", params -> {
        throw new RpcException(3, "execution reverted", "0x08c379a0");
      },
      "crashes", params -> {
        throw new IllegalStateException("a bug in the node");
      }));

  private JsonNode call(String body) throws Exception {
    String response = rpc.handle(body.getBytes(StandardCharsets.UTF_8));
    return response == null ? null : JSON.readTree(response);
  }

  @Test
  void positionalAndNamedParams() throws Exception {
    assertEquals(JSON.readTree("{\"jsonrpc\":\"2.0\",\"result\":19,\"id\":1}"),
        call("{\"jsonrpc\":\"2.0\",\"method\":\"subtract\",\"params\":[42,23],\"id\":1}"));
    assertEquals(JSON.readTree("{\"jsonrpc\":\"2.0\",\"result\":19,\"id\":3}"), call(
        "{\"jsonrpc\":\"2.0\",\"method\":\"subtract\",\"params\":{\"subtrahend\":23,"
            + "\"minuend\":42},\"id\":3}"));
  }

  @Test
  void notificationsGetNoResponse() throws Exception {
    assertNull(call("{\"jsonrpc\":\"2.0\",\"method\":\"update\",\"params\":[1,2,3,4,5]}"));
    assertNull(call("[{\"jsonrpc\":\"2.0\",\"method\":\"notify_sum\",\"params\":[1,2,4]},"
        + "{\"jsonrpc\":\"2.0\",\"method\":\"notify_hello\",\"params\":[7]}]"));
  }

  @Test
  void theSpecErrorCodes() throws Exception {
    assertEquals(-32601, call("{\"jsonrpc\":\"2.0\",\"method\":\"foobar\",\"id\":\"1\"}")
        .at("/error/code").asInt());
    JsonNode parse = call("{\"jsonrpc\":\"2.0\",\"method\":\"foobar,\"params\":\"bar\",\"baz]");
    assertEquals(-32700, parse.at("/error/code").asInt());
    assertTrue(parse.get("id").isNull());
    assertEquals(-32600, call("{\"jsonrpc\":\"2.0\",\"method\":1,\"params\":\"bar\"}")
        .at("/error/code").asInt());
    assertEquals(-32600, call("[]").at("/error/code").asInt());
    JsonNode invalidBatch = call("[1,2,3]");
    assertEquals(3, invalidBatch.size());
    assertEquals(-32600, invalidBatch.get(2).at("/error/code").asInt());
  }

  @Test
  void aMixedBatchAnswersEachCallButTheNotifications() throws Exception {
    JsonNode responses = call("["
        + "{\"jsonrpc\":\"2.0\",\"method\":\"sum\",\"params\":[1,2,4],\"id\":\"1\"},"
        + "{\"jsonrpc\":\"2.0\",\"method\":\"notify_hello\",\"params\":[7]},"
        + "{\"jsonrpc\":\"2.0\",\"method\":\"subtract\",\"params\":[42,23],\"id\":\"2\"},"
        + "{\"foo\":\"boo\"},"
        + "{\"jsonrpc\":\"2.0\",\"method\":\"foo.get\",\"params\":{\"name\":\"myself\"},\"id\":\"5\"},"
        + "{\"jsonrpc\":\"2.0\",\"method\":\"get_data\",\"id\":\"9\"}]");
    assertEquals(5, responses.size());
    assertEquals(7, responses.get(0).get("result").asInt());
    assertEquals(19, responses.get(1).get("result").asInt());
    assertEquals(-32600, responses.get(2).at("/error/code").asInt());
    assertEquals(-32601, responses.get(3).at("/error/code").asInt());
    assertEquals(JSON.readTree("[\"hello\",5]"), responses.get(4).get("result"));
  }

  @Test
  void methodErrorsKeepTheirCodeMessageAndData() throws Exception {
    JsonNode params = call("{\"jsonrpc\":\"2.0\",\"method\":\"needs_hex\",\"params\":[],\"id\":4}");
    assertEquals(-32602, params.at("/error/code").asInt());
    assertTrue(params.at("/error/message").asText().contains("0x-prefixed"));
    JsonNode reverted = call("{\"jsonrpc\":\"2.0\",\"method\":\"reverts\",\"id\":5}");
    assertEquals(3, reverted.at("/error/code").asInt());
    assertEquals("0x08c379a0", reverted.at("/error/data").asText());
    JsonNode crashed = call("{\"jsonrpc\":\"2.0\",\"method\":\"crashes\",\"id\":6}");
    assertEquals(-32603, crashed.at("/error/code").asInt());
    assertEquals(6, crashed.get("id").asInt());
  }

  /** Found by JsonRpcFuzzTest: leading zero bytes made Jackson read the body as UTF-32. */
  @Test
  void bytesUndecodableInTheDetectedEncodingAreAParseErrorInTheStreamFormToo() throws Exception {
    byte[] call = "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"sum\",\"params\":[1]}"
        .getBytes(StandardCharsets.UTF_8);
    byte[] body = new byte[40 + call.length];
    System.arraycopy(call, 0, body, 40, call.length);
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    assertEquals(JsonRpc.Outcome.ANSWER, rpc.handle(new ByteArrayInputStream(body), null, out));
    JsonNode streamed = JSON.readTree(out.toByteArray());
    assertEquals(JsonRpc.PARSE_ERROR, streamed.path("error").path("code").asInt());
    assertEquals(streamed, JSON.readTree(rpc.handle(body)));
  }

  @Test
  void boundsOnSizeAndBatchLength() throws Exception {
    byte[] huge = new byte[JsonRpc.REQUEST_BYTES_MAX + 1];
    JsonNode tooBig = JSON.readTree(rpc.handle(huge));
    assertEquals(-32600, tooBig.at("/error/code").asInt());
    assertTrue(tooBig.at("/error/message").asText().contains("exceeds the maximum"));
    String one = "{\"jsonrpc\":\"2.0\",\"method\":\"sum\",\"params\":[1],\"id\":1}";
    String batch = "[" + (one + ",").repeat(JsonRpc.BATCH_MAX) + one + "]";
    JsonNode tooLong = call(batch);
    assertEquals(-32600, tooLong.at("/error/code").asInt());
    assertTrue(tooLong.at("/error/message").asText().contains("batch of 1001"));
  }
}
