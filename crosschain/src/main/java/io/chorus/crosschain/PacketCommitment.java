package io.chorus.crosschain;

import io.chorus.codec.Bytes;
import io.chorus.crypto.ContentHash;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.Keccak256;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What the cross-chain router stores and proves, as IBC v2 (ICS-24) defines it. Three kinds of
 * entry under one path space — {@code clientId ‖ kind ‖ bigEndian64(sequence)}, kind 1 for a
 * packet commitment (on the source, under the source client), 2 for a receipt and 3 for an
 * acknowledgement commitment (on the destination, under the destination client) — each in the
 * router's storage at the slot {@code keccak("commitments" ‖ 0 ‖ path)}, as the system
 * contracts name slots.
 *
 * <p>The hashes are IBC v2's construction over the source's commitment hash: SHA-256 on an
 * {@code ethereum} chain, so its commitments are byte for byte IBC v2's and an EVM verifier
 * computes them with the SHA-256 precompile; SM3 on an {@code sm} chain (the suites' content
 * hashes, {@link ContentHash#defaultFor}). Every field is hashed before it is joined, so the
 * preimage has a fixed shape and no two packets share one.
 */
public final class PacketCommitment {
  /** The first byte of every commitment preimage: IBC v2's version. */
  private static final byte VERSION = 2;
  private static final byte COMMITMENT = 1;
  private static final byte RECEIPT = 2;
  private static final byte ACKNOWLEDGEMENT = 3;

  private PacketCommitment() {}

  /** The hash commitments use on a chain of {@code suite}. */
  public static ContentHash hash(CryptoSuite suite) {
    return ContentHash.defaultFor(suite.name());
  }

  /**
   * The packet's commitment, stored by the source:
   * {@code H(2 ‖ H(destClient) ‖ H(bigEndian64(timeout)) ‖ H(H(payload)))}, the payload hashed
   * as {@code H(H(sourcePort) ‖ H(destPort) ‖ H(version) ‖ H(encoding) ‖ H(value))}. The
   * source client and sequence are in the path, not here.
   */
  public static byte[] commitment(CryptoSuite suite, Packet packet) {
    ContentHash h = hash(suite);
    Packet.Payload p = packet.payload();
    byte[] payload = h.digest(Bytes.concat(text(h, p.sourcePort()), text(h, p.destPort()),
        text(h, p.version()), text(h, p.encoding()), h.digest(p.value())));
    return h.digest(Bytes.concat(new byte[] {VERSION}, text(h, packet.destClient()),
        h.digest(bigEndian(packet.timeoutSeconds())), h.digest(payload)));
  }

  /**
   * The acknowledgement's commitment, stored by the destination: IBC v2's acknowledgement is
   * one application result per payload, committed as {@code H(2 ‖ H(ack_1) ‖ … ‖ H(ack_n))}
   * (in payload order; a Chorus packet has one payload, so one result).
   */
  public static byte[] acknowledgement(CryptoSuite suite, List<byte[]> appAcknowledgements) {
    if (appAcknowledgements.isEmpty()) {
      throw new IllegalArgumentException("an acknowledgement holds a result per payload, got"
          + " none");
    }
    ContentHash h = hash(suite);
    ByteArrayOutputStream preimage = new ByteArrayOutputStream();
    preimage.write(VERSION);
    for (byte[] result : appAcknowledgements) {
      preimage.writeBytes(h.digest(result));
    }
    return h.digest(preimage.toByteArray());
  }

  /**
   * The acknowledgement a receiver's failure becomes (its revert, running out of gas, an empty
   * answer): {@code H("UNIVERSAL_ERROR_ACKNOWLEDGEMENT")}, as in IBC v2. The sender is
   * refunded on it as on a timeout.
   */
  public static byte[] errorAcknowledgement(CryptoSuite suite) {
    return hash(suite).digest("UNIVERSAL_ERROR_ACKNOWLEDGEMENT".getBytes(
        StandardCharsets.US_ASCII));
  }

  /**
   * What a receipt slot holds: ICS-24 asks only for a non-empty value, so it is the block that
   * received the packet (from 1), where a relayer finds the acknowledgement's bytes in the log
   * without an index of its own. Timeouts prove the slot empty; its value is never compared.
   */
  public static byte[] receiptValue(long receivedAtBlock) {
    if (receivedAtBlock < 1) {
      throw new IllegalArgumentException("a packet is received in a block from 1, got "
          + receivedAtBlock);
    }
    return Bytes.leftPad(Bytes.ofUnsignedLong(receivedAtBlock), 32);
  }

  /** The path of a packet commitment: {@code sourceClient ‖ 1 ‖ sequence}. */
  public static byte[] commitmentPath(String sourceClient, long sequence) {
    return path(sourceClient, COMMITMENT, sequence);
  }

  /** The path of a receipt: {@code destClient ‖ 2 ‖ sequence}. */
  public static byte[] receiptPath(String destClient, long sequence) {
    return path(destClient, RECEIPT, sequence);
  }

  /** The path of an acknowledgement commitment: {@code destClient ‖ 3 ‖ sequence}. */
  public static byte[] acknowledgementPath(String destClient, long sequence) {
    return path(destClient, ACKNOWLEDGEMENT, sequence);
  }

  /** The router's storage slot of {@code path}. */
  public static byte[] slot(byte[] path) {
    ByteArrayOutputStream preimage = new ByteArrayOutputStream();
    preimage.writeBytes("commitments".getBytes(StandardCharsets.US_ASCII));
    preimage.write(0);
    preimage.writeBytes(path);
    return Keccak256.INSTANCE.hash(preimage.toByteArray());
  }

  private static byte[] path(String clientId, byte kind, long sequence) {
    // Client ids never hold bytes below 0x20, so the kind byte ends the id unambiguously.
    return Bytes.concat(clientId.getBytes(StandardCharsets.US_ASCII), new byte[] {kind},
        bigEndian(sequence));
  }

  private static byte[] bigEndian(long value) {
    return Bytes.leftPad(Bytes.ofUnsignedLong(value), 8);
  }

  private static byte[] text(ContentHash h, String text) {
    return h.digest(text.getBytes(StandardCharsets.US_ASCII));
  }
}
