package io.chorus.trace;

import io.chorus.codec.Bytes;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.EnvelopeException;
import io.chorus.crypto.KeyPair;
import io.chorus.state.system.Trace;
import io.chorus.trace.epcis.CaptureCall;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;

/**
 * A capture batch sealed for named organisations ({@code CaptureSealed}, see
 * {@code Trace.sol}): the batch as {@link io.chorus.trace.epcis.CapturedEvents} encodes it, in a {@link
 * io.chorus.crypto.Envelope} of the chain's suite whose associated data binds it to its
 * capture: {@code "chorus-trace-sealed/1" || root || count (4 bytes) || each organisation's
 * UTF-8 name followed by 0x00}. So a recipient knows the envelope was sealed for this root,
 * count and list of readers, and the chain shows who may read it without showing what it says.
 */
final class SealedBatch {
  private static final byte[] LABEL = "chorus-trace-sealed/1".getBytes(StandardCharsets.US_ASCII);

  private SealedBatch() {}

  /** The {@code CaptureSealed} call data of a planned capture. */
  static byte[] callData(CryptoSuite suite, CaptureBatch.Planned planned,
      List<String> organisations, List<byte[]> recipients, SecureRandom random) {
    byte[] envelope = suite.envelope().seal(planned.batch(), associatedData(planned.root(),
        planned.count(), organisations), recipients, random);
    return Trace.captureSealedCall(planned.root(), planned.count(), organisations, envelope);
  }

  /**
   * The batch a sealed capture carries, opened with one key pair: an organisation's data key
   * pair, or a node's own for captures sealed before organisations had data keys.
   */
  static byte[] open(CryptoSuite suite, CaptureCall call, KeyPair keys)
      throws EnvelopeException {
    return suite.envelope().open(call.batch(), associatedData(call.root(), (int) call.count(),
        call.organisations()), keys);
  }

  /** The bytes an envelope of a sealed capture is bound to. */
  static byte[] associatedData(byte[] root, int count, List<String> organisations) {
    byte[] names = new byte[0];
    for (String name : organisations) {
      names = Bytes.concat(names, name.getBytes(StandardCharsets.UTF_8), new byte[1]);
    }
    return Bytes.concat(LABEL, root, ByteBuffer.allocate(4).putInt(count).array(), names);
  }

  /** The most plain batch bytes a sealed capture for {@code recipients} keys carries. */
  static int batchBytesMax(CryptoSuite suite, int recipients) {
    return Trace.BATCH_BYTES_MAX - suite.envelope().overheadBytes(recipients);
  }
}
