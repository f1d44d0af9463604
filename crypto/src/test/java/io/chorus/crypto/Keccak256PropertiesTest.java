package io.chorus.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.bouncycastle.crypto.digests.KeccakDigest;

/**
 * The hand-unrolled keccak-256 against BouncyCastle's KeccakDigest as the oracle, over lengths
 * around the 136-byte rate (the padding and multi-block edges) and slices at an offset.
 */
class Keccak256PropertiesTest {

  @Property(tries = 2000)
  void matchesBouncyCastle(@ForAll @Size(max = 700) byte[] data,
      @ForAll @IntRange(max = 40) int trimFront) {
    int offset = Math.min(trimFront, data.length);
    int length = data.length - offset;
    KeccakDigest oracle = new KeccakDigest(256);
    oracle.update(data, offset, length);
    byte[] expected = new byte[32];
    oracle.doFinal(expected, 0);
    assertArrayEquals(expected, Keccak256.INSTANCE.hash(data, offset, length),
        () -> "length " + length + " at offset " + offset + " of " + Arrays.toString(data));
  }

  @Property(tries = 300)
  void matchesAtEveryLengthNearTheRate(@ForAll @IntRange(min = 130, max = 280) int length) {
    byte[] data = new byte[length];
    for (int i = 0; i < length; i++) {
      data[i] = (byte) (i * 31 + 7);
    }
    KeccakDigest oracle = new KeccakDigest(256);
    oracle.update(data, 0, length);
    byte[] expected = new byte[32];
    oracle.doFinal(expected, 0);
    assertArrayEquals(expected, Keccak256.INSTANCE.hash(data));
  }
}
