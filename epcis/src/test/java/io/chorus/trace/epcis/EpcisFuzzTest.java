package io.chorus.trace.epcis;

import static org.junit.jupiter.api.Assertions.assertFalse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.codec.Hex;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the EPCIS reader: on any bytes, as a document and as a bare event, it returns checked
 * events or throws {@link EpcisException} with at least one problem, each with a JSON pointer;
 * nothing else escapes. What it accepts has a well-formed hash ID that the public hash function
 * recomputes from the event's JSON, and that function itself takes any JSON object. Bounds are
 * small here so that the fuzzer reaches them. Seeds (one document of each kind and each event
 * type) are in {@code EpcisFuzzTestInputs/fuzz}, beside any input that once failed
 * ({@code crash-*}).
 */
public class EpcisFuzzTest {
  private static final EpcisReader READER = new EpcisReader(new EpcisLimits(64 * 1024, 50, 16,
      20));
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern HASH_ID =
      Pattern.compile("ni:///sha-256;[0-9a-f]{64}\\?ver=CBV2\\.0");
  private static final Pattern POINTER = Pattern.compile("(/[^/]*)*");

  /** Entry point for long runs with the standalone driver: {@code ./chorus fuzz}. */
  public static void fuzzerTestOneInput(byte[] input) {
    readsOrRefuses(input);
  }

  @FuzzTest(maxDuration = "10s")
  void fuzz(byte[] input) {
    readsOrRefuses(input);
  }

  /** The seeds are valid: the fuzzer starts from documents the reader accepts. */
  @Test
  void everySeedIsRead() throws IOException {
    List<Path> seeds;
    try (Stream<Path> files = Files.list(
        Path.of("src/test/resources/io/chorus/trace/epcis/EpcisFuzzTestInputs/fuzz"))) {
      seeds = files.sorted().toList();
    }
    assertFalse(seeds.isEmpty(), "no seed corpus under src/test/resources");
    for (Path seed : seeds) {
      byte[] body = Files.readAllBytes(seed);
      if (!seed.getFileName().toString().startsWith("crash-")) {
        JsonNode root = JSON.readTree(body);
        String type = root.path("type").asText();
        if (type.startsWith("EPCIS")) {
          EpcisDocument document = READER.readDocument(body);
          document.events().forEach(event -> wellFormed(event, document.namespaces()));
        } else {
          wellFormed(READER.readEvent(body), Namespaces.standard());
        }
      }
      readsOrRefuses(body);
    }
  }

  private static void readsOrRefuses(byte[] input) {
    try {
      EpcisDocument document = READER.readDocument(input);
      document.events().forEach(event -> wellFormed(event, document.namespaces()));
    } catch (EpcisException e) {
      refusal(input, e);
    }
    try {
      wellFormed(READER.readEvent(input), Namespaces.standard());
    } catch (EpcisException e) {
      refusal(input, e);
    }
    hashesAnyObject(input);
  }

  /** A well-formed hash ID, the one the public function computes with the same prefixes. */
  private static void wellFormed(EpcisEvent event, Namespaces namespaces) {
    if (!HASH_ID.matcher(event.hashId()).matches()) {
      throw new AssertionError("a malformed hash ID " + event.hashId());
    }
    String recomputed = EventHashId.of(event.json(), namespaces);
    if (!recomputed.equals(event.hashId())) {
      throw new AssertionError("hash ID " + event.hashId() + " recomputed as " + recomputed);
    }
  }

  private static void refusal(byte[] input, EpcisException e) {
    if (e.problems().isEmpty()) {
      throw new AssertionError("a refusal without a problem for " + printable(input));
    }
    for (EpcisProblem problem : e.problems()) {
      if (!POINTER.matcher(problem.pointer()).matches() || problem.message().isBlank()) {
        throw new AssertionError("a problem without a pointer or message: " + problem
            + " for " + printable(input));
      }
    }
  }

  /** The hash function is public: it must take unchecked JSON objects too. */
  private static void hashesAnyObject(byte[] input) {
    JsonNode root;
    try {
      root = JSON.readTree(input);
    } catch (IOException e) {
      return;
    }
    if (root instanceof ObjectNode object && input.length <= 64 * 1024) {
      String id = EventHashId.of(object, Namespaces.standard());
      if (!HASH_ID.matcher(id).matches()) {
        throw new AssertionError("a malformed hash ID " + id);
      }
    }
  }

  private static String printable(byte[] body) {
    return "0x" + Hex.encode(body) + " (" + new String(body, StandardCharsets.UTF_8) + ")";
  }
}
