package io.chorus.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.codec.Hex;
import io.chorus.evm.Address;
import io.chorus.rpc.rest.Authenticator;
import io.chorus.rpc.rest.Caller;
import io.chorus.rpc.rest.Problem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The node's API tokens, in {@value #FILE_NAME} of its data directory. A token is shown once,
 * when issued; the file keeps only its SHA-256, with the account it acts for, its roles, its
 * expiry and whether it was revoked. {@code chorus token issue|list|revoke} change the file
 * while the node runs; the node's {@link #authenticator} reads it again whenever it changed,
 * so an issue or a revocation takes effect at the next request.
 */
public final class ApiTokens {
  /** The tokens file in a node's data directory. */
  public static final String FILE_NAME = "api-tokens.json";
  /** What every token starts with, so one found in a log or a repository is recognisable. */
  public static final String TOKEN_PREFIX = "chorus_";
  /** The most tokens a node keeps (revoked ones included): bounds the file and its map. */
  public static final int TOKENS_MAX = 10_000;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ROLE_PATTERN = "[a-z0-9-]+(\\.[a-z0-9-]+)*";

  /**
   * One token as stored.
   *
   * @param id the first 8 hex digits of the token's hash: names it in lists and revocations
   * @param sha256 the token's SHA-256, hex
   * @param expiresAt empty for a token that does not expire
   */
  public record Entry(String id, String sha256, Address account, Set<String> roles,
      Instant issuedAt, Optional<Instant> expiresAt, boolean revoked) {
    public Entry {
      roles = Collections.unmodifiableSortedSet(new TreeSet<>(roles)); // sorted: stable output
      Objects.requireNonNull(expiresAt, "expiresAt");
    }

    public boolean expired(Instant now) {
      return expiresAt.isPresent() && !now.isBefore(expiresAt.get());
    }
  }

  /** A token just issued: the secret, to be shown once, and its entry. */
  public record Issued(String token, Entry entry) {}

  private ApiTokens() {}

  /** The tokens file of a node's data directory. */
  public static Path file(Path dataDir) {
    return dataDir.resolve(FILE_NAME);
  }

  /**
   * Issues a token for {@code account} with {@code roles}, valid for {@code validFor} (forever
   * when empty), and records its hash.
   */
  public static Issued issue(Path dataDir, Address account, Set<String> roles,
      Optional<Duration> validFor, Clock clock, SecureRandom random) {
    if (roles.isEmpty()) {
      throw new IllegalArgumentException("a token needs at least one role, e.g. --role"
          + " notary.writer");
    }
    for (String role : roles) {
      if (!role.matches(ROLE_PATTERN)) {
        throw new IllegalArgumentException("a role is lower-case words joined by '.', e.g."
            + " notary.writer, not '" + role + "'");
      }
    }
    if (validFor.isPresent() && (validFor.get().isNegative() || validFor.get().isZero())) {
      throw new IllegalArgumentException("a token's lifetime must be positive");
    }
    List<Entry> entries = new ArrayList<>(read(file(dataDir)));
    if (entries.size() >= TOKENS_MAX) {
      throw new IllegalArgumentException("the node holds " + TOKENS_MAX + " tokens already;"
          + " delete revoked and expired ones from " + file(dataDir));
    }
    byte[] secret = new byte[32];
    random.nextBytes(secret);
    String token = TOKEN_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    String hash = sha256(token);
    Instant now = clock.instant();
    Entry entry = new Entry(hash.substring(0, 8), hash, account, roles, now,
        validFor.map(now::plus), false);
    if (entries.stream().anyMatch(e -> e.id().equals(entry.id()))) {
      return issue(dataDir, account, roles, validFor, clock, random); // 1 in 4 billion: again
    }
    entries.add(entry);
    write(file(dataDir), entries);
    return new Issued(token, entry);
  }

  /** Every token of the node, in the order issued. */
  public static List<Entry> list(Path dataDir) {
    return read(file(dataDir));
  }

  /**
   * Revokes the token with this id (or unique id prefix); the node refuses it from its next
   * request on.
   *
   * @return the entry as revoked
   */
  public static Entry revoke(Path dataDir, String id) {
    List<Entry> entries = new ArrayList<>(read(file(dataDir)));
    List<Integer> matches = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      if (!id.isEmpty() && entries.get(i).id().startsWith(id.toLowerCase(java.util.Locale.ROOT))) {
        matches.add(i);
      }
    }
    if (matches.size() != 1) {
      throw new IllegalArgumentException((matches.isEmpty() ? "no token has id " : "several "
          + "tokens start with ") + id + "; 'chorus token list' shows the ids");
    }
    Entry old = entries.get(matches.get(0));
    Entry revoked = new Entry(old.id(), old.sha256(), old.account(), old.roles(),
        old.issuedAt(), old.expiresAt(), true);
    entries.set(matches.get(0), revoked);
    write(file(dataDir), entries);
    return revoked;
  }

  /**
   * The node's authenticator: {@code Authorization: Bearer <token>} to the token's caller,
   * reading the file again whenever it changed.
   */
  public static Authenticator authenticator(Path dataDir, Clock clock) {
    return new TokenAuthenticator(file(dataDir), clock);
  }

  static String sha256(String token) {
    try {
      return Hex.encode(MessageDigest.getInstance("SHA-256")
          .digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  static List<Entry> read(Path file) {
    JsonNode root;
    try {
      root = JSON.readTree(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the API tokens in " + file + ": "
          + e.getMessage(), e);
    }
    List<Entry> entries = new ArrayList<>();
    for (JsonNode token : root.path("tokens")) {
      Set<String> roles = new LinkedHashSet<>();
      token.path("roles").forEach(r -> roles.add(r.asText()));
      JsonNode expires = token.get("expiresAt");
      entries.add(new Entry(token.path("id").asText(), token.path("sha256").asText(),
          Address.parse(token.path("account").asText()), roles,
          Instant.parse(token.path("issuedAt").asText()),
          expires == null || expires.isNull() ? Optional.empty()
              : Optional.of(Instant.parse(expires.asText())),
          token.path("revoked").asBoolean()));
    }
    return entries;
  }

  // Whole file to a temporary one, then renamed over: the node never reads half a file.
  private static void write(Path file, List<Entry> entries) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode tokens = root.putArray("tokens");
    for (Entry entry : entries) {
      ObjectNode token = tokens.addObject()
          .put("id", entry.id())
          .put("sha256", entry.sha256())
          .put("account", Hex.encode0x(entry.account().toArray()));
      entry.roles().forEach(token.putArray("roles")::add);
      token.put("issuedAt", entry.issuedAt().toString());
      if (entry.expiresAt().isPresent()) {
        token.put("expiresAt", entry.expiresAt().get().toString());
      } else {
        token.putNull("expiresAt");
      }
      token.put("revoked", entry.revoked());
    }
    try {
      Path temp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.write(temp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the API tokens to " + file + ": "
          + e.getMessage(), e);
    }
  }

  /** Bearer tokens to callers, from the file as it is now. */
  static final class TokenAuthenticator implements Authenticator {
    private static final String BEARER = "Bearer ";
    private final Path file;
    private final Clock clock;
    // The file's identity when last read, and what it held: replaced together.
    private record Snapshot(Object fileKey, long modifiedMillis, long size,
        Map<String, Entry> byHash) {}

    private volatile Snapshot snapshot = new Snapshot(null, -1, -1, Map.of());

    TokenAuthenticator(Path file, Clock clock) {
      this.file = file;
      this.clock = clock;
    }

    @Override
    public Optional<Caller> authenticate(String authorization) {
      if (authorization == null) {
        return Optional.empty();
      }
      if (!authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
        throw Problem.unauthorized("send the API token as 'Authorization: Bearer <token>'",
            true);
      }
      String token = authorization.substring(BEARER.length()).trim();
      Entry entry = current().get(sha256(token));
      if (entry == null) {
        throw Problem.unauthorized("unknown API token", true);
      }
      if (entry.revoked()) {
        throw Problem.unauthorized("API token " + entry.id() + " was revoked", true);
      }
      if (entry.expired(clock.instant())) {
        throw Problem.unauthorized("API token " + entry.id() + " expired at "
            + entry.expiresAt().orElseThrow() + "; issue a new one", true);
      }
      return Optional.of(new Caller(entry.account(), entry.roles(), credential(entry)));
    }

    @Override
    public Optional<String> lapsed(Caller caller) {
      Entry entry = current().values().stream()
          .filter(e -> credential(e).equals(caller.credential())).findFirst().orElse(null);
      if (entry == null) {
        return Optional.of("the API token (" + caller.credential() + ") is no longer in the"
            + " node's list");
      } else if (entry.revoked()) {
        return Optional.of("API token " + entry.id() + " was revoked");
      } else if (entry.expired(clock.instant())) {
        return Optional.of("API token " + entry.id() + " expired at "
            + entry.expiresAt().orElseThrow());
      }
      return Optional.empty();
    }

    private static String credential(Entry entry) {
      return "token " + entry.id();
    }

    // The tokens, read again when the file's inode, time or size changed (the CLI renames a
    // new file over the old one, so each write is a new inode).
    private Map<String, Entry> current() {
      Snapshot seen = snapshot;
      BasicFileAttributes attributes;
      try {
        attributes = Files.readAttributes(file, BasicFileAttributes.class);
      } catch (NoSuchFileException e) {
        return Map.of();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
      }
      if (Objects.equals(attributes.fileKey(), seen.fileKey())
          && attributes.lastModifiedTime().toMillis() == seen.modifiedMillis()
          && attributes.size() == seen.size()) {
        return seen.byHash();
      }
      Map<String, Entry> byHash = new HashMap<>();
      for (Entry entry : read(file)) {
        byHash.put(entry.sha256(), entry);
      }
      snapshot = new Snapshot(attributes.fileKey(), attributes.lastModifiedTime().toMillis(),
          attributes.size(), Map.copyOf(byHash));
      return byHash;
    }
  }
}
