package io.chorus.proof;

import io.chorus.crypto.Keccak256;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the governance system contract (0x…1000) keeps the validator set, as its Solidity
 * interface documents: {@code validatorCount}, then each validator's 64-byte key as bytes under
 * {@code validator[i]} (a length slot and two 32-byte chunks). A slot's key is the keccak of its
 * name and 32-byte keys, each key after a zero byte. A proof of these slots against a block's
 * state root proves the set that decides the next block.
 */
public final class GovernanceLayout {
  private static final byte[] ADDRESS = new byte[20];
  private static final int KEY_BYTES = 64;

  static {
    ADDRESS[18] = 0x10;
  }

  private GovernanceLayout() {}

  /** The governance contract's address. */
  public static byte[] address() {
    return ADDRESS.clone();
  }

  static byte[] countSlot() {
    return slot("validatorCount");
  }

  static byte[] lengthSlot(long index) {
    return slot("validator.length", index);
  }

  static byte[] chunkSlot(long index, long chunk) {
    return slot("validator", index, chunk);
  }

  /** Every slot that holds a set of {@code count} validators, count first. */
  public static List<byte[]> slots(long count) {
    List<byte[]> slots = new ArrayList<>();
    slots.add(countSlot());
    for (long i = 0; i < count; i++) {
      slots.add(lengthSlot(i));
      slots.add(chunkSlot(i, 0));
      slots.add(chunkSlot(i, 1));
    }
    return slots;
  }

  static int keyBytes() {
    return KEY_BYTES;
  }

  private static byte[] slot(String name, long... keys) {
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
