package io.chorus.consensus;

import io.chorus.codec.ByteKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Messages for heights the core has not reached yet (faster validators run ahead by a block), at
 * most {@link Limits#MESSAGES_PER_SENDER_MAX} per author; only authenticated ones get here, so a
 * forger cannot crowd out an honest validator's messages. Also the evidence for
 * {@link Action.Behind}: the highest height each validator was seen at.
 */
final class FutureMessages {
  private final Map<ByteKey, List<SignedMessage>> byAuthor = new HashMap<>();
  private final Map<ByteKey, Long> heightSeen = new HashMap<>();

  /** Keeps {@code message}; false when it is a copy or its author's share is full. */
  boolean add(SignedMessage message) {
    List<SignedMessage> held = byAuthor.computeIfAbsent(message.author(), a -> new ArrayList<>());
    byte[] encoded = MessageCodec.encode(message);
    for (SignedMessage m : held) {
      if (Arrays.equals(MessageCodec.encode(m), encoded)) {
        return false;
      }
    }
    if (held.size() >= Limits.MESSAGES_PER_SENDER_MAX) {
      return false;
    }
    held.add(message);
    return true;
  }

  /** Records that an authenticated validator works on {@code height} (kept only when highest). */
  void noteHeight(ByteKey author, long height) {
    heightSeen.merge(author, height, Math::max);
  }

  /** Removes and returns the messages for {@code height}, dropping those for lower heights. */
  List<SignedMessage> take(long height) {
    List<SignedMessage> out = new ArrayList<>();
    for (List<SignedMessage> held : byAuthor.values()) {
      for (Iterator<SignedMessage> it = held.iterator(); it.hasNext(); ) {
        SignedMessage m = it.next();
        if (m.payload().height() == height) {
          out.add(m);
        }
        if (m.payload().height() <= height) {
          it.remove();
        }
      }
    }
    return out;
  }

  /**
   * The height that f + 1 of {@code validators} are provably at or beyond (so at least one honest
   * validator is), if it is above {@code height}; otherwise {@code height}.
   */
  long provenHeight(long height, ValidatorSet validators) {
    List<Long> ahead = new ArrayList<>();
    for (Map.Entry<ByteKey, Long> e : heightSeen.entrySet()) {
      if (e.getValue() > height && validators.contains(e.getKey())) {
        ahead.add(e.getValue());
      }
    }
    int needed = validators.f() + 1;
    if (ahead.size() < needed) {
      return height;
    }
    ahead.sort(null);
    return ahead.get(ahead.size() - needed);
  }
}
