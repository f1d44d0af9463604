package io.chorus.crosschain;

import io.chorus.crypto.Keccak256;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the source's governance contract (0x…1000) keeps what a light client follows, named as
 * the system contracts name slots (keccak of the name, then each key as a 32-byte word after a
 * zero byte): the validator set ({@code validatorCount}, each 64-byte key as bytes under
 * {@code validator[i]}: a length slot and two chunks) and its history of changes
 * ({@code validatorChanges}, the number of changes enacted so far, and
 * {@code validatorChangedAt[n]}, the block whose execution enacted change n, from 1). The count
 * lets a client tell from one slot whether it missed a change; the governance contract is to
 * write both at each change (see docs/cross-chain.md).
 */
public final class GovernanceSlots {
  /** The governance system contract's address. */
  private static final byte[] ADDRESS = new byte[20];
  /** A validator's key: x ‖ y, two storage chunks. */
  static final int KEY_BYTES = 64;

  static {
    ADDRESS[18] = 0x10;
  }

  private GovernanceSlots() {}

  public static byte[] address() {
    return ADDRESS.clone();
  }

  public static byte[] changes() {
    return slot("validatorChanges");
  }

  /** The slot of the block that enacted change {@code n} (from 1). */
  public static byte[] changedAt(long n) {
    return slot("validatorChangedAt", n);
  }

  public static byte[] validatorCount() {
    return slot("validatorCount");
  }

  public static byte[] validatorLength(long index) {
    return slot("validator.length", index);
  }

  public static byte[] validatorChunk(long index, long chunk) {
    return slot("validator", index, chunk);
  }

  /** The slots that hold a set of {@code count} validators, count first. */
  public static List<byte[]> validatorSet(long count) {
    List<byte[]> slots = new ArrayList<>();
    slots.add(validatorCount());
    for (long i = 0; i < count; i++) {
      slots.add(validatorLength(i));
      slots.add(validatorChunk(i, 0));
      slots.add(validatorChunk(i, 1));
    }
    return slots;
  }

  /**
   * The slots an update must prove, for a relayer to ask the source for: the change count; when
   * the source has made more changes than the client followed, the block of the next one; and
   * when that block is the header's own, the new set.
   *
   * @param clientChanges the changes the client followed ({@link LightClient#changes()})
   * @param sourceChanges the changes in the header's state
   * @param nextChangeAt the block of change {@code clientChanges + 1}, when there is one
   * @param validatorCount the validators in the header's state
   */
  public static List<byte[]> forUpdate(long clientChanges, long sourceChanges, long nextChangeAt,
      long height, long validatorCount) {
    List<byte[]> slots = new ArrayList<>();
    slots.add(changes());
    if (sourceChanges > clientChanges) {
      slots.add(changedAt(clientChanges + 1));
      if (sourceChanges == clientChanges + 1 && nextChangeAt == height) {
        slots.addAll(validatorSet(validatorCount));
      }
    }
    return slots;
  }

  /** The slots a client's creation reads: the change count and the set. */
  public static List<byte[]> forCreate(long validatorCount) {
    List<byte[]> slots = new ArrayList<>();
    slots.add(changes());
    slots.addAll(validatorSet(validatorCount));
    return slots;
  }

  /** A system-contract slot: keccak(name ‖ (0 ‖ word(key))…). */
  static byte[] slot(String name, long... keys) {
    ByteArrayOutputStream preimage = new ByteArrayOutputStream();
    preimage.writeBytes(name.getBytes(StandardCharsets.UTF_8));
    for (long key : keys) {
      preimage.write(0);
      byte[] word = new byte[32];
      for (int i = 0; i < 8; i++) {
        word[31 - i] = (byte) (key >>> (8 * i));
      }
      preimage.writeBytes(word);
    }
    return Keccak256.INSTANCE.hash(preimage.toByteArray());
  }
}
