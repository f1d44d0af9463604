package io.chorus.crosschain;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * A cross-chain packet, in IBC v2's shape with one payload. {@code sourceClient} is the client
 * on the source chain that tracks the destination, {@code destClient} the one on the
 * destination that tracks the source: each was bound to its counterpart's chain id, genesis
 * hash and suite when governance created it, so the two names fix both chains. The ports name
 * the sending and receiving applications (ICS-24 identifiers; a Chorus application's port is its
 * contract's address in lower-case 0x-hex, registered with the router, which delivers only to
 * registered ports); the timeout is a time in the destination's blocks (Unix seconds), after
 * which the packet can no longer be received and the source refunds the sender instead.
 */
public record Packet(String sourceClient, String destClient, long sequence, long timeoutSeconds,
    Payload payload) {
  /** ICS-24's identifier characters; client ids are 9 to 64 of them. */
  private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._+\\-#\\[\\]<>]{9,64}");
  /** Port ids are 2 to 128 of them. */
  private static final Pattern PORT = Pattern.compile("[A-Za-z0-9._+\\-#\\[\\]<>]{2,128}");

  /** What the destination application gets: its version, encoding and bytes. */
  public record Payload(String sourcePort, String destPort, String version, String encoding,
      byte[] value) {

    /** Checks ports, lengths; copies. */
    public Payload {
      requirePort("source", sourcePort);
      requirePort("destination", destPort);
      requireLabel("version", version);
      requireLabel("encoding", encoding);
      if (value.length > Limits.PAYLOAD_BYTES_MAX) {
        throw new IllegalArgumentException("a payload is at most " + Limits.PAYLOAD_BYTES_MAX
            + " bytes, got " + value.length);
      }
      value = value.clone();
    }

    @Override
    public byte[] value() {
      return value.clone();
    }

    private static void requirePort(String which, String port) {
      if (!PORT.matcher(port).matches()) {
        throw new IllegalArgumentException("the " + which + " port is 2 to 128 of"
            + " A-Z a-z 0-9 . _ + - # [ ] < >, got '" + port + "'");
      }
    }

    private static void requireLabel(String which, String label) {
      if (label.isEmpty() || label.length() > Limits.LABEL_CHARS_MAX
          || !StandardCharsets.US_ASCII.newEncoder().canEncode(label)) {
        throw new IllegalArgumentException("the " + which + " is 1 to " + Limits.LABEL_CHARS_MAX
            + " ASCII characters, got '" + label + "'");
      }
    }
  }

  /** Checks identifiers, sequence and timeout. */
  public Packet {
    requireClientId("source", sourceClient);
    requireClientId("destination", destClient);
    if (sequence < 1) {
      throw new IllegalArgumentException("sequences start at 1, got " + sequence);
    }
    if (timeoutSeconds < 1) {
      throw new IllegalArgumentException("a packet needs a timeout, got " + timeoutSeconds);
    }
  }

  private static void requireClientId(String which, String id) {
    if (!CLIENT_ID.matcher(id).matches()) {
      throw new IllegalArgumentException("the " + which + " client id is 9 to 64 of"
          + " A-Z a-z 0-9 . _ + - # [ ] < >, got '" + id + "'");
    }
  }
}
