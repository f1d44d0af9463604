package io.chorus.rpc.rest;

import io.chorus.rpc.JsonRpc;

/**
 * A service's side of one WebSocket that a {@link StreamRoute} opened: it learns of the
 * connection once the upgrade is done and hears each text message the client sends. Messages to
 * the client go through the session's {@link JsonRpc.Session#send}, bounded as every WebSocket
 * of the server is (a client that does not read is closed); its close is heard through {@link
 * JsonRpc.Session#onClose}. Called on worker threads, possibly at once: thread-safe.
 */
public interface RestStream {
  /** The upgrade is done; nothing of the stream runs before this. Quick: on a worker. */
  void onOpen(JsonRpc.Session session);

  /** One text message from the client, whole, at most the server's WebSocket message bound. */
  void onMessage(String text);
}
