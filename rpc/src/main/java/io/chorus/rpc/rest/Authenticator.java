package io.chorus.rpc.rest;

import java.util.Optional;

/**
 * Resolves a request's {@code Authorization} header to its {@link Caller}. Called on a worker
 * thread for every request that sends the header and every request that needs a caller; must
 * be thread-safe.
 */
@FunctionalInterface
public interface Authenticator {
  /** Accepts no credentials: every write is answered 401. */
  Authenticator NONE = authorization -> {
    if (authorization != null) {
      throw Problem.unauthorized("this node issues no API tokens", true);
    }
    return Optional.empty();
  };

  /**
   * @param authorization the header's value, or null when the request has none
   * @return the caller, or empty when the request sent no credentials
   * @throws Problem 401 when credentials were sent but are not valid (unknown, revoked or
   *     expired), saying which
   */
  Optional<Caller> authenticate(String authorization);

  /**
   * Why the credentials that proved {@code caller} no longer hold (revoked, expired), or empty
   * while they do: asked before acting again for a caller long after its request, as a
   * subscription's deliveries do. Credentials that cannot lapse always hold.
   */
  default Optional<String> lapsed(Caller caller) {
    return Optional.empty();
  }
}
