package io.chorus.p2p;

/**
 * The peer wire format, inside TLS 1.3: a stream of frames, each a 4-byte big-endian length N
 * followed by N bytes: a 2-byte big-endian message type and the payload. Types up to
 * {@link #TYPE_APP_MAX} belong to the modules above (consensus, sync, gossip); the last 256 are
 * the transport's own. The first frame each way is {@link #TYPE_HELLO}.
 */
final class Wire {
  /** Bumped on any incompatible change; peers of another version are refused at hello. */
  static final int PROTOCOL_VERSION = 1;
  static final int LENGTH_BYTES = 4;
  static final int TYPE_BYTES = 2;
  /** The largest message type the layers above may use. */
  static final int TYPE_APP_MAX = 0xFEFF;
  /** RLP [version, chainId, genesisHash, address]: the first frame each side sends. */
  static final int TYPE_HELLO = 0xFF00;
  /** Empty keep-alive, sent when a connection has been quiet for a third of the idle timeout. */
  static final int TYPE_PING = 0xFF01;

  private Wire() {}
}
