package io.chorus.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.codec.Hex;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Counts the resolver's scans per code in this node's trace store ({@link TraceStore#local}),
 * and flags a serialised code scanned implausibly by the {@link ScanRules}. A code's record
 * holds its count, first and last scan, its flags (one per rule, kept once raised: a copy stays
 * suspect) and its newest {@code recentMax} scans, each a time and an 8-byte hash of its place
 * (no address is stored). Only codes that events name are counted, so the records are bounded
 * by the codes on the chain, each by {@code recentMax}.
 */
final class ScanCounter {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String TOO_OFTEN = "too-often";
  static final String TOO_MANY_PLACES = "too-many-places";

  /**
   * A rule a code broke: which, why in words, and when first, with the figures that broke it
   * (so that a page can say it in its own language).
   *
   * @param observed the scans or places counted in the window
   * @param limit the rule's maximum
   */
  record Flag(String rule, String reason, Instant since, long observed, int limit,
      Duration window) {}

  /**
   * A code's scans so far.
   *
   * @param checked whether the rules apply (a serialised code)
   */
  record Tally(long count, Instant first, Instant last, boolean checked, List<Flag> flags) {
    String verdict() {
      return !checked ? "not-checked" : flags.isEmpty() ? "genuine" : "flagged";
    }
  }

  private record Scan(long millis, String place) {}

  private final TraceStore store;
  private final ScanRules rules;
  private final Clock clock;

  ScanCounter(TraceStore store, ScanRules rules, Clock clock) {
    this.store = store;
    this.rules = rules;
    this.clock = clock;
  }

  ScanRules rules() {
    return rules;
  }

  /** Counts one scan of {@code code} from {@code place} (a coarse place, kept hashed). */
  synchronized Tally scan(String code, boolean serialised, String place) {
    ObjectNode record = read(code);
    long now = clock.millis();
    List<Scan> recent = recent(record);
    recent.add(new Scan(now, placeHash(place)));
    if (recent.size() > rules.recentMax()) {
      recent = new ArrayList<>(recent.subList(recent.size() - rules.recentMax(),
          recent.size()));
    }
    long count = record.path("count").asLong() + 1;
    record.put("count", count).put("last", now);
    if (!record.has("first")) {
      record.put("first", now);
    }
    ArrayNode list = record.putArray("recent");
    recent.forEach(s -> list.addArray().add(s.millis()).add(s.place()));
    if (serialised) {
      judge(record, recent, now);
    }
    store.putLocal(key(code), write(record));
    return tally(record, serialised);
  }

  /** The scans of {@code code} so far, counting none. */
  synchronized Tally tally(String code, boolean serialised) {
    return tally(read(code), serialised);
  }

  private void judge(ObjectNode record, List<Scan> recent, long now) {
    long oftenFrom = now - rules.scansWindow().toMillis();
    long inWindow = recent.stream().filter(s -> s.millis() > oftenFrom).count();
    if (inWindow > rules.scansMax()) {
      raise(record, TOO_OFTEN, "scanned " + inWindow + " times within "
          + words(rules.scansWindow()) + "; more than " + rules.scansMax()
          + " is implausible for one item", now, inWindow, rules.scansMax(),
          rules.scansWindow());
    }
    long placesFrom = now - rules.placesWindow().toMillis();
    Set<String> places = new HashSet<>();
    recent.stream().filter(s -> s.millis() > placesFrom).forEach(s -> places.add(s.place()));
    if (places.size() > rules.placesMax()) {
      raise(record, TOO_MANY_PLACES, "scanned from " + places.size() + " places within "
          + words(rules.placesWindow()) + "; more than " + rules.placesMax()
          + " is implausible for one item", now, places.size(), rules.placesMax(),
          rules.placesWindow());
    }
  }

  // A rule is raised once: its first reason and time stay, as the evidence that raised it.
  private static void raise(ObjectNode record, String rule, String reason, long now,
      long observed, int limit, Duration window) {
    ArrayNode flags = record.withArray("flags");
    for (JsonNode flag : flags) {
      if (flag.path("rule").asText().equals(rule)) {
        return;
      }
    }
    flags.addObject().put("rule", rule).put("reason", reason).put("since", now)
        .put("observed", observed).put("limit", limit).put("window", window.toString());
  }

  private static Tally tally(ObjectNode record, boolean serialised) {
    List<Flag> flags = new ArrayList<>();
    record.path("flags").forEach(f -> flags.add(new Flag(f.path("rule").asText(),
        f.path("reason").asText(), Instant.ofEpochMilli(f.path("since").asLong()),
        f.path("observed").asLong(), f.path("limit").asInt(),
        Duration.parse(f.path("window").asText()))));
    return new Tally(record.path("count").asLong(), record.has("first")
        ? Instant.ofEpochMilli(record.get("first").asLong()) : null, record.has("last")
        ? Instant.ofEpochMilli(record.get("last").asLong()) : null, serialised, flags);
  }

  private static List<Scan> recent(ObjectNode record) {
    List<Scan> out = new ArrayList<>();
    record.path("recent").forEach(s -> out.add(new Scan(s.path(0).asLong(),
        s.path(1).asText())));
    return out;
  }

  private ObjectNode read(String code) {
    return store.local(key(code)).map(bytes -> {
      try {
        return (ObjectNode) JSON.readTree(bytes);
      } catch (IOException | ClassCastException e) {
        throw new IllegalStateException("a corrupt scan record for " + code, e);
      }
    }).orElseGet(JSON::createObjectNode);
  }

  private static String key(String code) {
    return "scan:" + code;
  }

  static String placeHash(String place) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(
          place.getBytes(StandardCharsets.UTF_8));
      return Hex.encode(Arrays.copyOf(digest, 8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  static String words(Duration duration) {
    long seconds = duration.toSeconds();
    if (seconds % 3600 == 0) {
      return seconds / 3600 + " h";
    }
    return seconds % 60 == 0 ? seconds / 60 + " min" : seconds + " s";
  }

  private static byte[] write(JsonNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
