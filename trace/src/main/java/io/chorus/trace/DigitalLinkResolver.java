package io.chorus.trace;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.codec.Hex;
import io.chorus.rpc.rest.Problem;
import io.chorus.rpc.rest.RestRequest;
import io.chorus.rpc.rest.RestResponse;
import io.chorus.rpc.rest.RestService;
import io.chorus.rpc.rest.Route;
import io.chorus.trace.epcis.Gs1Identifiers;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A GS1 Digital Link resolver for the products on this chain: {@code /01/{gtin}}, with the key
 * qualifiers the standard allows after a GTIN in its order ({@code /22/} CPV, {@code /10/} lot,
 * {@code /21/} serial). A browser is sent (307) to the console's product page; {@code Accept:
 * application/linkset+json} or {@code linkType=linkset} gets the RFC 9264 linkset of the links
 * offered; {@code linkType=gs1:...} is sent to that link (the default link when it is not
 * offered); {@code Accept: application/json} gets the product: its events and its scan verdict.
 * Each scan the product page reports ({@code scan=1}) is counted by a {@link ScanCounter}. See
 * {@code docs/traceability.md}.
 */
public final class DigitalLinkResolver implements RestService {
  public static final String ROOT = "/01";
  /** The console's product page, followed by the Digital Link path. */
  static final String PRODUCT_PAGE = "/console/#/product/";
  /** The events of one product that the answer lists, at most (its newest are left out). */
  static final int TIMELINE_MAX = 200;
  static final String VOCABULARY = "https://ref.gs1.org/voc/";
  static final String LINKSET_TYPE = "application/linkset+json";
  /** The key qualifiers of a GTIN, in the order a Digital Link path gives them. */
  private static final List<String> QUALIFIERS = List.of("22", "10", "21");
  private static final Map<String, String> QUALIFIER_NAMES = Map.of("22",
      "consumer product variant", "10", "batch/lot", "21", "serial number");
  /** The 82 characters GS1 allows in an alphanumeric value (GS1 General Specifications). */
  private static final Pattern CSET82 = Pattern.compile("[!\"%&'()*+,\\-./0-9:;<=>?A-Z_a-z]+");
  private static final Pattern GEO = Pattern.compile(
      "geo:(-?\\d{1,2}(?:\\.\\d+)?),(-?\\d{1,3}(?:\\.\\d+)?)(?:[;,].*)?");
  private static final int PLACE_CHARS_MAX = 64;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ReadableEvents events;
  private final ScanCounter scans;

  DigitalLinkResolver(ReadableEvents events, ScanCounter scans) {
    this.events = events;
    this.scans = scans;
  }

  @Override
  public String name() {
    return "resolver";
  }

  @Override
  public String root() {
    return ROOT;
  }

  /** The GTIN, then up to three qualifier/value pairs: the handler checks their order. */
  static final List<String> TEMPLATES = List.of(ROOT + "/{gtin}", ROOT + "/{gtin}/{q1}",
      ROOT + "/{gtin}/{q1}/{v1}", ROOT + "/{gtin}/{q1}/{v1}/{q2}",
      ROOT + "/{gtin}/{q1}/{v1}/{q2}/{v2}", ROOT + "/{gtin}/{q1}/{v1}/{q2}/{v2}/{q3}",
      ROOT + "/{gtin}/{q1}/{v1}/{q2}/{v2}/{q3}/{v3}");

  @Override
  public List<Route> routes() {
    return TEMPLATES.stream().map(path -> Route.get(path, this::resolve)).toList();
  }

  @Override
  public ObjectNode openApi() {
    return ResolverOpenApi.fragment();
  }

  /** A Digital Link path read: its canonical identifier and its parts. */
  record Code(String identifier, String path, String gtin, Map<String, String> qualifiers) {
    boolean serialised() {
      return qualifiers.containsKey("21");
    }
  }

  private RestResponse resolve(RestRequest request) {
    Code code = code(request);
    List<StoredEvent> named = eventsNaming(request, code.identifier());
    if (named.isEmpty()) {
      throw Problem.notFound("no captured event names " + code.identifier() + ": this chain"
          + " knows no such product (check the code; a code no member ever captured is not"
          + " one of theirs)");
    }
    String linkset = ROOT + "/" + code.path().substring(3) + "?linkType=linkset";
    Map<String, String> headers = Map.of("Link", "<" + linkset + ">; rel=\"linkset\"; type=\""
        + LINKSET_TYPE + "\"");
    Optional<String> linkType = request.query("linkType");
    String accept = Optional.ofNullable(request.header("Accept")).orElse("")
        .toLowerCase(Locale.ROOT);
    if (linkType.map(t -> t.equals("linkset") || t.equals("all")).orElse(false)
        || (linkType.isEmpty() && accept.contains(LINKSET_TYPE))) {
      return RestResponse.bytes(LINKSET_TYPE, write(linksetOf(code)), Map.of());
    }
    if (linkType.isPresent()) {
      return RestResponse.redirect(307, linkFor(code, linkType.get()), headers);
    }
    if (accept.contains("application/json") && !accept.contains("text/html")) {
      return new RestResponse(200, product(request, code, named), headers);
    }
    return RestResponse.redirect(307, page(code) + "?scan=1", headers);
  }

  /** The code a request's path names, or 400 saying what is wrong with it. */
  static Code code(RestRequest request) {
    String gtin = request.path("gtin");
    Map<String, String> qualifiers = new LinkedHashMap<>();
    int last = -1;
    for (int i = 1; i <= 3; i++) {
      Optional<String> ai = optionalPath(request, "q" + i);
      if (ai.isEmpty()) {
        break;
      }
      int at = QUALIFIERS.indexOf(ai.get());
      if (at < 0) {
        throw Problem.invalidField("path", "'" + ai.get() + "' is no key qualifier of a GTIN:"
            + " after /01/{gtin} come /22/{variant}, /10/{lot} and /21/{serial}, in that order");
      }
      if (at <= last) {
        throw Problem.invalidField("path", "/" + ai.get() + "/ comes out of order: after"
            + " /01/{gtin} the qualifiers are /22/, /10/, /21/ in that order, each once");
      }
      last = at;
      Optional<String> value = optionalPath(request, "v" + i);
      if (value.isEmpty()) {
        throw Problem.invalidField("path", "/" + ai.get() + "/ has no value: send its "
            + QUALIFIER_NAMES.get(ai.get()) + " after it");
      }
      if (value.get().length() > 20 || !CSET82.matcher(value.get()).matches()) {
        throw Problem.invalidField("path", "the " + QUALIFIER_NAMES.get(ai.get()) + " '"
            + value.get() + "' must be 1 to 20 of the characters GS1 allows (letters, digits"
            + " and !\"%&'()*+,-./:;<=>?_)");
      }
      qualifiers.put(ai.get(), value.get());
    }
    StringBuilder path = new StringBuilder("01/").append(gtin);
    qualifiers.forEach((ai, value) -> path.append('/').append(ai).append('/')
        .append(encode(value)));
    Gs1Identifiers.Reading reading = Gs1Identifiers.read("https://id.gs1.org/" + path);
    if (!reading.valid()) {
      throw Problem.invalidField("path", reading.problem());
    }
    String canonical = reading.canonical();
    return new Code(canonical, canonical.substring("https://id.gs1.org/".length()),
        canonical.substring("https://id.gs1.org/01/".length()).substring(0, 14), qualifiers);
  }

  private static Optional<String> optionalPath(RestRequest request, String name) {
    return request.route().parameters().contains(name) ? Optional.of(request.path(name))
        : Optional.empty();
  }

  /**
   * A decoded value as the canonical form writes it: the characters an EPC URN keeps as they
   * are stay, the ones the Digital Link standard escapes in a path are escaped (as {@link
   * Gs1Identifiers} does), and any other is percent-encoded.
   */
  static String encode(String value) {
    StringBuilder out = new StringBuilder();
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if (Character.isLetterOrDigit(c) && c < 128 || "'-.;=_".indexOf(c) >= 0) {
        out.append(c);
      } else {
        out.append('%').append(String.format(Locale.ROOT, "%02X", b & 0xff));
      }
    }
    return out.toString();
  }

  /**
   * The events naming the code as an EPC or a class, or as the lot their ILMD puts items in,
   * in chain order, at most one too many.
   */
  private List<StoredEvent> eventsNaming(RestRequest request, String identifier) {
    TreeMap<Long, StoredEvent> bySeq = new TreeMap<>();
    for (String field : List.of("anyEPC", "epcClass", TraceStore.ILMD_LOT)) {
      for (StoredEvent e : events.readableBy(request.caller(), field, identifier,
          TIMELINE_MAX + 1)) {
        bySeq.put(e.seq(), e);
      }
    }
    return new ArrayList<>(bySeq.values());
  }

  // ---- links ---------------------------------------------------------------------------------

  static String page(Code code) {
    return PRODUCT_PAGE + code.path();
  }

  /** The links offered for a code, by GS1 link type (the part after the vocabulary). */
  private static Map<String, List<ObjectNode>> links(Code code) {
    String match = code.serialised() || code.qualifiers().isEmpty() ? "MATCH_anyEPC"
        : "MATCH_epcClass";
    String id = URLEncoder.encode(code.identifier(), StandardCharsets.UTF_8);
    ObjectNode page = link(page(code), "Product history, lineage and proofs", "text/html");
    page.putArray("hreflang").add("en").add("zh-CN");
    Map<String, List<ObjectNode>> out = new LinkedHashMap<>();
    out.put("pip", List.of(page));
    out.put("traceability", List.of(
        link(EpcisService.ROOT + "/events?" + match + "=" + id, "EPCIS events",
            "application/json"),
        link(EpcisService.ROOT + "/lineage?epc=" + id + "&direction=upstream",
            "Where it came from (lineage upstream)", "application/json"),
        link(EpcisService.ROOT + "/lineage?epc=" + id + "&direction=downstream",
            "What was made from it or packed with it (lineage downstream)",
            "application/json")));
    out.put("defaultLink", List.of(page));
    return out;
  }

  private static ObjectNode link(String href, String title, String type) {
    return JSON.createObjectNode().put("href", href).put("title", title).put("type", type);
  }

  static ObjectNode linksetOf(Code code) {
    ObjectNode out = JSON.createObjectNode();
    ObjectNode set = out.putArray("linkset").addObject().put("anchor", code.identifier());
    links(code).forEach((type, targets) -> {
      ArrayNode list = set.putArray(VOCABULARY + type);
      targets.forEach(list::add);
    });
    return out;
  }

  /**
   * Where {@code linkType=} sends: its first link when offered ({@code gs1:pip}, or the full
   * vocabulary URI, or the older {@code https://gs1.org/voc/} one), else the default link, as a
   * GS1-conformant resolver does for a link type it does not offer.
   */
  private static String linkFor(Code code, String linkType) {
    String type = linkType;
    for (String prefix : List.of("gs1:", VOCABULARY, "https://gs1.org/voc/",
        "https://www.gs1.org/voc/")) {
      if (type.startsWith(prefix)) {
        type = type.substring(prefix.length());
      }
    }
    List<ObjectNode> targets = links(code).getOrDefault(type, links(code).get("defaultLink"));
    String href = targets.get(0).path("href").asText();
    return href.startsWith(PRODUCT_PAGE) ? href + "?scan=1" : href;
  }

  // ---- the product and its scans -------------------------------------------------------------

  private ObjectNode product(RestRequest request, Code code, List<StoredEvent> named) {
    String scan = request.query("scan").orElse("0");
    if (!scan.equals("0") && !scan.equals("1")) {
      throw Problem.invalidField("scan", "is 1 (count this as a scan) or 0, not '" + scan + "'");
    }
    ScanCounter.Tally tally = scan.equals("1")
        ? scans.scan(code.identifier(), code.serialised(), place(request))
        : scans.tally(code.identifier(), code.serialised());
    ObjectNode out = JSON.createObjectNode().put("identifier", code.identifier())
        .put("path", code.path()).put("kind", code.serialised() ? "instance" : "class")
        .put("gtin", code.gtin());
    code.qualifiers().forEach((ai, value) -> out.put(switch (ai) {
      case "21" -> "serial";
      case "10" -> "lot";
      default -> "variant";
    }, value));
    out.set("scans", scansJson(tally));
    // Names from master data: the item's own, else its lot's, else its GTIN's.
    String lot = code.qualifiers().get("10");
    out.put("name", Stream.of(code.identifier(), lot == null ? null
        : "https://id.gs1.org/01/" + code.gtin() + "/10/" + lot,
        "https://id.gs1.org/01/" + code.gtin()).filter(Objects::nonNull).map(events::name)
        .filter(Objects::nonNull).findFirst().orElse(null));
    ArrayNode timeline = out.putArray("events");
    ObjectNode names = JSON.createObjectNode();
    named.stream().limit(TIMELINE_MAX).sorted(Comparator.comparing(StoredEvent::eventTime))
        .forEach(e -> {
          ObjectNode entry = timelineEntry(e);
          timeline.add(entry);
          for (String place : List.of("bizLocation", "readPoint")) {
            String uri = entry.path(place).asText(null);
            if (uri != null && !names.has(uri)) {
              String name = events.name(uri);
              if (name != null) {
                names.put(uri, name);
              }
            }
          }
        });
    out.set("names", names);
    out.put("eventsTruncated", named.size() > TIMELINE_MAX);
    out.set("linkset", linksetOf(code).path("linkset").get(0));
    return out;
  }

  private ObjectNode scansJson(ScanCounter.Tally tally) {
    ObjectNode out = JSON.createObjectNode().put("count", tally.count())
        .put("verdict", tally.verdict());
    out.put("first", tally.first() == null ? null : tally.first().toString());
    out.put("last", tally.last() == null ? null : tally.last().toString());
    ArrayNode flags = out.putArray("flags");
    tally.flags().forEach(f -> flags.addObject().put("rule", f.rule())
        .put("reason", f.reason()).put("since", f.since().toString())
        .put("observed", f.observed()).put("limit", f.limit())
        .put("window", f.window().toString()));
    ScanRules rules = scans.rules();
    out.putObject("rules").put("scansMax", rules.scansMax())
        .put("scansWindow", rules.scansWindow().toString())
        .put("placesMax", rules.placesMax())
        .put("placesWindow", rules.placesWindow().toString());
    return out;
  }

  private static ObjectNode timelineEntry(StoredEvent stored) {
    EventFacts facts = EventFacts.of(stored);
    return JSON.createObjectNode().put("eventID", stored.eventId())
        .put("hashId", stored.hashId()).put("type", stored.type())
        .put("action", facts.action()).put("eventTime", stored.eventTime().toString())
        .put("recordTime", stored.recordTime().toString()).put("bizStep", facts.bizStep())
        .put("disposition", facts.disposition()).put("readPoint", facts.readPoint())
        .put("bizLocation", facts.bizLocation())
        .put("capturer", Hex.encode0x(stored.capturer().toArray()))
        .put("block", stored.blockNumber())
        .put("proof", EpcisService.proofPath(stored.eventId()));
  }

  /**
   * Where a scan came from, coarsely: the {@code place} the page sent (a {@code geo:} URI is
   * rounded to 0.1°, about 11 km; other text is taken as a place name), else the client's
   * network (its IPv4 /24 or IPv6 /48).
   */
  static String place(RestRequest request) {
    Optional<String> sent = request.query("place").map(String::trim);
    if (sent.isPresent()) {
      String place = sent.get();
      if (place.isEmpty() || place.length() > PLACE_CHARS_MAX
          || place.chars().anyMatch(Character::isISOControl)) {
        throw Problem.invalidField("place", "is a coarse place of 1 to " + PLACE_CHARS_MAX
            + " characters, e.g. geo:31.2,121.5 or a city's name");
      }
      Matcher geo = GEO.matcher(place);
      if (geo.matches()) {
        return String.format(Locale.ROOT, "geo:%.1f,%.1f",
            Double.parseDouble(geo.group(1)), Double.parseDouble(geo.group(2)));
      }
      return "place:" + place.toLowerCase(Locale.ROOT);
    }
    return request.clientAddress().map(DigitalLinkResolver::network).orElse("net:unknown");
  }

  static String network(InetAddress address) {
    byte[] bytes = address.getAddress();
    if (address instanceof Inet4Address) {
      return "net:" + (bytes[0] & 0xff) + "." + (bytes[1] & 0xff) + "." + (bytes[2] & 0xff)
          + ".0/24";
    }
    return "net:" + Hex.encode(Arrays.copyOf(bytes, 6)) + "::/48";
  }

  private static byte[] write(ObjectNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write a linkset", e);
    }
  }
}
