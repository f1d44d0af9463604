package io.chorus.p2p;

import io.chorus.codec.ByteKey;

/**
 * What the layers above (consensus, block sync, transaction gossip) receive from the network.
 *
 * <p>Threading: every call comes from one thread, {@code chorus-p2p-deliver}, in the order the
 * network saw the events: a peer's {@link #onPeerConnected} comes before its messages, and its
 * {@link #onPeerDisconnected} after them; the messages of one peer arrive in the order it sent
 * them. A call that blocks holds up delivery from every peer (and then, through TCP
 * backpressure, the peers themselves), so hand long work to a thread of your own. An exception
 * thrown is logged and counted, and delivery goes on.
 */
public interface PeerListener {
  /**
   * A message from an authenticated peer.
   *
   * @param peer the sender's chain address, as its certificate binds it
   * @param type the message type, 0..{@link PeerNetwork#MESSAGE_TYPE_MAX}
   * @param payload the message bytes, the listener's to keep
   */
  void onMessage(ByteKey peer, int type, byte[] payload);

  /** A peer has completed the handshake; messages may now be sent to it. */
  default void onPeerConnected(ByteKey peer) {}

  /** A peer's connection has closed; the network redials it if it is a static peer. */
  default void onPeerDisconnected(ByteKey peer) {}
}
