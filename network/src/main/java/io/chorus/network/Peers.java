package io.chorus.network;

import io.chorus.codec.ByteKey;

/** What a member sends through: the peer network, or a test's stand-in. */
interface Peers {
  /** Queues a message for every connected peer. */
  void broadcast(int type, byte[] payload);

  /** Queues a message for one peer; false when it is not connected. */
  boolean send(ByteKey peer, int type, byte[] payload);
}
