package io.chorus.consensus;

/** What the core counts, for the node to export as metrics; peer misbehaviour shows up here. */
public enum Counter {
  /** Messages handed to the core. */
  RECEIVED,
  /** Bytes that did not decode as a message. */
  MALFORMED,
  /** Messages whose author is not a validator of their height. */
  NON_VALIDATOR,
  /** Messages or commit seals whose signature does not verify. */
  BAD_SIGNATURE,
  /** Messages for a past height or an already forgotten round. */
  STALE,
  /** Messages for a later height, kept until the core gets there. */
  FUTURE_BUFFERED,
  /** Messages too far ahead, or over a buffer's bound, dropped. */
  FUTURE_DROPPED,
  /** A second copy of a vote already held. */
  DUPLICATE,
  /** A second, different vote by one author for one round: Byzantine evidence. */
  EQUIVOCATION,
  /** Proposals from the wrong proposer or with an invalid justification. */
  INVALID_PROPOSAL,
  /** Proposals whose block the application rejected. */
  INVALID_PAYLOAD,
  /** Round changes whose prepared claim is not proven. */
  INVALID_ROUND_CHANGE,
  /** Rounds this validator moved to after the first of a height. */
  ROUND_CHANGES,
  /** Heights finalized. */
  FINALIZED,
  /** Times the core told the node it is behind. */
  BEHIND
}
