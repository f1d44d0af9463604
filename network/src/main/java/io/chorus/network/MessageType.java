package io.chorus.network;

/** The peer-network message types a network member speaks; numbers never change meaning. */
final class MessageType {
  /** A signed consensus message (proposal, prepare, commit, round change). */
  static final int CONSENSUS = 1;
  /** A batch of raw transactions a member admitted from its clients. */
  static final int TRANSACTIONS = 2;
  /** A member's head: number and hash, sent every second and after each block. */
  static final int STATUS = 3;
  /** A request for blocks from a number on, with their commit certificates. */
  static final int GET_BLOCKS = 4;
  /** Blocks with their commit certificates, in order. */
  static final int BLOCKS = 5;

  private MessageType() {}
}
