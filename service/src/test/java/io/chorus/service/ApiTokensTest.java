package io.chorus.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chorus.evm.Address;
import io.chorus.rpc.rest.Authenticator;
import io.chorus.rpc.rest.Caller;
import io.chorus.rpc.rest.Problem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tokens issued, listed and revoked in a data directory, and one authenticator seeing each
 * change without being made again, as a running node does.
 */
class ApiTokensTest {
  private static final Address ACCOUNT = Address.parse("0x" + "ab".repeat(20));
  private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");
  @TempDir Path dir;
  private final SecureRandom random = new SecureRandom();

  // A clock that tests move forward.
  private static final class MovableClock extends Clock {
    Instant now = NOW;

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private static String problemDetail(Authenticator auth, String header) {
    Problem problem = assertThrows(Problem.class, () -> auth.authenticate(header));
    assertEquals(401, problem.status());
    return problem.detail();
  }

  @Test
  void anIssuedTokenNamesItsCallerUntilRevokedAndTheFileHoldsOnlyItsHash() throws Exception {
    MovableClock clock = new MovableClock();
    Authenticator auth = ApiTokens.authenticator(dir, clock);
    assertEquals(Optional.empty(), auth.authenticate(null));
    ApiTokens.Issued issued = ApiTokens.issue(dir, ACCOUNT, Set.of("notary.writer"),
        Optional.empty(), clock, random);
    assertTrue(issued.token().startsWith(ApiTokens.TOKEN_PREFIX));
    assertFalse(Files.readString(ApiTokens.file(dir)).contains(issued.token()));
    Caller caller = auth.authenticate("Bearer " + issued.token()).orElseThrow();
    assertEquals(ACCOUNT, caller.account());
    assertEquals(Set.of("notary.writer"), caller.roles());
    assertEquals("token " + issued.entry().id(), caller.credential());

    ApiTokens.Issued second = ApiTokens.issue(dir, ACCOUNT, Set.of("a.b", "c"),
        Optional.of(Duration.ofDays(30)), clock, random);
    List<ApiTokens.Entry> listed = ApiTokens.list(dir);
    assertEquals(List.of(issued.entry().id(), second.entry().id()),
        listed.stream().map(ApiTokens.Entry::id).toList());
    assertEquals(Optional.of(NOW.plus(Duration.ofDays(30))), listed.get(1).expiresAt());

    assertEquals(Optional.empty(), auth.lapsed(caller), "a valid token's caller still holds");
    ApiTokens.revoke(dir, issued.entry().id());
    assertEquals("API token " + issued.entry().id() + " was revoked",
        problemDetail(auth, "Bearer " + issued.token()));
    assertEquals(Optional.of("API token " + issued.entry().id() + " was revoked"),
        auth.lapsed(caller), "what acts later for the caller sees it too");
    assertTrue(auth.authenticate("Bearer " + second.token()).isPresent());
    assertEquals("unknown API token", problemDetail(auth, "Bearer chorus_nope"));
    assertTrue(problemDetail(auth, "Basic dXNlcjpwYXNz").contains("Bearer"));
  }

  @Test
  void anExpiredTokenIsRefusedSayingWhen() {
    MovableClock clock = new MovableClock();
    ApiTokens.Issued issued = ApiTokens.issue(dir, ACCOUNT, Set.of("r"),
        Optional.of(Duration.ofHours(1)), clock, random);
    Authenticator auth = ApiTokens.authenticator(dir, clock);
    Caller caller = auth.authenticate("Bearer " + issued.token()).orElseThrow();
    clock.now = NOW.plus(Duration.ofHours(1));
    assertTrue(auth.lapsed(caller).orElseThrow().contains("expired at"));
    assertTrue(problemDetail(auth, "Bearer " + issued.token()).contains("expired at "
        + NOW.plus(Duration.ofHours(1))));
  }

  @Test
  void badRolesAndUnknownIdsAreRefusedWithWhatToDo() {
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    assertThrows(IllegalArgumentException.class, () -> ApiTokens.issue(dir, ACCOUNT,
        Set.of(), Optional.empty(), clock, random));
    IllegalArgumentException role = assertThrows(IllegalArgumentException.class,
        () -> ApiTokens.issue(dir, ACCOUNT, Set.of("Notary Writer"), Optional.empty(), clock,
            random));
    assertTrue(role.getMessage().contains("notary.writer"), role.getMessage());
    IllegalArgumentException id = assertThrows(IllegalArgumentException.class,
        () -> ApiTokens.revoke(dir, "deadbeef"));
    assertTrue(id.getMessage().contains("chorus token list"), id.getMessage());
  }
}
