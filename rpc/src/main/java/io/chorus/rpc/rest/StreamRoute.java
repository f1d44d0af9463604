package io.chorus.rpc.rest;

import java.util.Objects;

/**
 * A WebSocket served on a REST path: a {@code GET} with {@code Upgrade: websocket} on {@code
 * path} (which the service also serves as a plain {@link Route#get}, so that its OpenAPI
 * operation documents both) is authenticated and checked like any route, then upgraded to the
 * stream {@link #opener} returns. A refusal ({@link Problem} thrown by the opener, a missing
 * role) is answered as HTTP problem+json, before any upgrade. The server's WebSocket bounds
 * (connections, message bytes, unread messages) apply.
 *
 * @param path the template, as the GET route's
 * @param role the role a caller needs: a stream always runs for an authenticated caller
 * @param opener checks the request and builds its stream; it starts nothing until {@link
 *     RestStream#onOpen} (an upgrade may still fail, e.g. when every WebSocket slot is taken)
 */
public record StreamRoute(String path, String role, Opener opener) {
  /** Builds the stream of one upgrade request; throws {@link Problem} to refuse it. */
  @FunctionalInterface
  public interface Opener {
    RestStream open(RestRequest request);
  }

  public StreamRoute {
    Route.segments(path);
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(opener, "opener");
    if (role.isBlank()) {
      throw new IllegalArgumentException("a stream route needs a role: " + path);
    }
  }
}
