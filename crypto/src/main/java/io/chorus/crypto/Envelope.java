package io.chorus.crypto;

import io.chorus.codec.Bytes;
import io.chorus.codec.Hex;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Hybrid public-key encryption of one payload for several recipients, each named by a public
 * key of the chain's suite ({@link CryptoSuite#envelope()}): a fresh random content key encrypts
 * the payload with an AEAD cipher, and the content key is encrypted to each recipient's public
 * key with the suite's public-key encryption, one slot per recipient. Any one recipient opens
 * the envelope with its key pair; anyone else learns the payload's length and who the
 * recipients are (each slot names its recipient by the address of its key), nothing more.
 *
 * <ul>
 *   <li>{@code sm}: the content key is an SM4 key, wrapped with SM2 public-key encryption
 *       (GB/T 32918.4, ciphertext C1 || C3 || C2, 113 bytes); the payload is SM4-GCM.
 *   <li>{@code ethereum} (secp256k1 keys): ECIES. The content key is an AES-256 key; each slot
 *       is a fresh ephemeral public key and the content key under AES-256-GCM with the key
 *       HKDF-SHA256 derives from the ECDH secret (the ephemeral and recipient keys in its info,
 *       so each key-encryption key is used once and its zero nonce is safe), 112 bytes; the
 *       payload is AES-256-GCM.
 *   <li>{@link P256#envelope()}: the same ECIES on NIST P-256 (scheme 3), for the P-256 keys of
 *       an {@code ethereum} chain's consortium certificates.
 * </ul>
 *
 * <p>The format, counts big-endian:
 *
 * <pre>
 * version  1 byte, 1
 * scheme   1 byte: 1 sm, 2 ethereum, 3 P-256
 * count    2 bytes: recipients, 1 to RECIPIENTS_MAX
 * slots    count × (the recipient's 20-byte address || its wrapped content key)
 * nonce    12 bytes, random
 * payload  the AEAD's ciphertext || 16-byte tag; its associated data is the header (version
 *          to the last slot) then the caller's associated data
 * </pre>
 *
 * Because the header is authenticated with the payload, an altered slot makes the envelope
 * fail to open for every recipient, and associated data (what the envelope is about, say)
 * binds it to its context: opened with other associated data, it fails.
 */
public abstract sealed class Envelope permits SmEnvelope, EciesEnvelope {
  /** The most recipients one envelope has. */
  public static final int RECIPIENTS_MAX = 256;
  /** The AEAD nonce's size. */
  public static final int NONCE_BYTES = 12;
  /** The AEAD tag's size. */
  public static final int TAG_BYTES = 16;
  static final int VERSION = 1;
  static final int ADDRESS_BYTES = 20;
  private static final int HEADER_BYTES = 4;

  private final CryptoSuite suite;
  private final int schemeId;

  Envelope(CryptoSuite suite, int schemeId) {
    this.suite = suite;
    this.schemeId = schemeId;
  }

  /** The scheme's name, for messages and documentation (e.g. {@code sm2-sm4-gcm}). */
  public abstract String scheme();

  abstract int contentKeyBytes();

  abstract int wrappedKeyBytes();

  /** The content key encrypted to one recipient's 64-byte public key. */
  abstract byte[] wrap(byte[] contentKey, byte[] recipientPublicKey, SecureRandom random);

  /**
   * Checks that {@code publicKey} can be a recipient of this scheme's envelopes: 64 bytes, x ||
   * y of a point of its curve, so a key published for others to seal to is checked once, where
   * it is published, and not at each sealing.
   *
   * @throws IllegalArgumentException saying which
   */
  public abstract void requireRecipient(byte[] publicKey);

  /** The content key of a slot sealed to {@code recipient}. */
  abstract byte[] unwrap(byte[] wrapped, KeyPair recipient) throws EnvelopeException;

  abstract byte[] encryptPayload(byte[] key, byte[] nonce, byte[] associatedData,
      byte[] plaintext);

  /** The payload's plaintext, or null when its tag does not match. */
  abstract byte[] decryptPayload(byte[] key, byte[] nonce, byte[] associatedData,
      byte[] sealed);

  /** How many bytes an envelope for {@code recipients} adds to its payload. */
  public final int overheadBytes(int recipients) {
    return HEADER_BYTES + recipients * (ADDRESS_BYTES + wrappedKeyBytes()) + NONCE_BYTES
        + TAG_BYTES;
  }

  /**
   * Seals {@code plaintext} for each of {@code recipientPublicKeys} (64 bytes each, of this
   * suite's curve), binding {@code associatedData}, which is not stored: whoever opens the
   * envelope must give the same bytes.
   *
   * @throws IllegalArgumentException when there are no recipients or more than {@link
   *     #RECIPIENTS_MAX}, a key is listed twice, or a key is not a point of the suite's curve
   */
  public final byte[] seal(byte[] plaintext, byte[] associatedData,
      List<byte[]> recipientPublicKeys, SecureRandom random) {
    int count = recipientPublicKeys.size();
    if (count < 1 || count > RECIPIENTS_MAX) {
      throw new IllegalArgumentException("an envelope has 1 to " + RECIPIENTS_MAX
          + " recipients, got " + count);
    }
    byte[] contentKey = new byte[contentKeyBytes()];
    random.nextBytes(contentKey);
    int slotBytes = ADDRESS_BYTES + wrappedKeyBytes();
    ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES + count * slotBytes)
        .put((byte) VERSION).put((byte) schemeId).putShort((short) count);
    Set<String> seen = new HashSet<>();
    for (byte[] publicKey : recipientPublicKeys) {
      byte[] address = suite.address(publicKey);
      if (!seen.add(Hex.encode(address))) {
        throw new IllegalArgumentException("recipient " + Hex.encode0x(address)
            + " is listed twice: list each public key once");
      }
      header.put(address).put(wrap(contentKey, publicKey, random));
    }
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    byte[] headerBytes = header.array();
    byte[] payload = encryptPayload(contentKey, nonce,
        Bytes.concat(headerBytes, associatedData), plaintext);
    Arrays.fill(contentKey, (byte) 0);
    return Bytes.concat(headerBytes, nonce, payload);
  }

  /**
   * Opens an envelope sealed for {@code recipient}, with the associated data it was sealed
   * with.
   *
   * @throws EnvelopeException when it is malformed, of the other suite, not sealed for this key
   *     pair, or not authentic (altered, or other associated data); the message says which
   */
  public final byte[] open(byte[] sealed, byte[] associatedData, KeyPair recipient)
      throws EnvelopeException {
    int count = checkHeader(sealed);
    int slotBytes = ADDRESS_BYTES + wrappedKeyBytes();
    byte[] address = suite.address(recipient.publicKey());
    for (int i = 0; i < count; i++) {
      int at = HEADER_BYTES + i * slotBytes;
      if (Arrays.equals(sealed, at, at + ADDRESS_BYTES, address, 0, ADDRESS_BYTES)) {
        byte[] contentKey = unwrap(Arrays.copyOfRange(sealed, at + ADDRESS_BYTES,
            at + slotBytes), recipient);
        int headerEnd = HEADER_BYTES + count * slotBytes;
        byte[] aad = Bytes.concat(Arrays.copyOf(sealed, headerEnd),
            associatedData);
        byte[] nonce = Arrays.copyOfRange(sealed, headerEnd, headerEnd + NONCE_BYTES);
        byte[] plaintext = decryptPayload(contentKey, nonce, aad,
            Arrays.copyOfRange(sealed, headerEnd + NONCE_BYTES, sealed.length));
        Arrays.fill(contentKey, (byte) 0);
        if (plaintext == null) {
          throw new EnvelopeException(EnvelopeException.Reason.NOT_AUTHENTIC, "the envelope's"
              + " payload does not authenticate: the envelope was altered, or the associated"
              + " data is not the one it was sealed with");
        }
        return plaintext;
      }
    }
    throw new EnvelopeException(EnvelopeException.Reason.NOT_A_RECIPIENT, "the envelope is"
        + " not sealed for " + Hex.encode0x(address) + ": its " + count + " recipient(s) are "
        + recipients(sealed).stream().map(Hex::encode0x).toList());
  }

  /**
   * The addresses of an envelope's recipients, in slot order: who may open it, readable
   * without a key.
   *
   * @throws EnvelopeException when the bytes are not an envelope of this suite
   */
  public final List<byte[]> recipients(byte[] sealed) throws EnvelopeException {
    int count = checkHeader(sealed);
    List<byte[]> out = new ArrayList<>(count);
    int slotBytes = ADDRESS_BYTES + wrappedKeyBytes();
    for (int i = 0; i < count; i++) {
      int at = HEADER_BYTES + i * slotBytes;
      out.add(Arrays.copyOfRange(sealed, at, at + ADDRESS_BYTES));
    }
    return out;
  }

  // The recipient count of a well-formed envelope of this scheme.
  private int checkHeader(byte[] sealed) throws EnvelopeException {
    if (sealed.length < HEADER_BYTES) {
      throw malformed("it is " + sealed.length + " bytes, shorter than its header");
    }
    if (sealed[0] != VERSION) {
      throw malformed("its version is " + (sealed[0] & 0xff) + ", not " + VERSION);
    }
    if (sealed[1] != schemeId) {
      throw new EnvelopeException(EnvelopeException.Reason.OTHER_SCHEME, "the envelope was"
          + " sealed with scheme " + (sealed[1] & 0xff) + ", not " + scheme() + " (" + schemeId
          + "): open it with the suite it was sealed for");
    }
    int count = ((sealed[2] & 0xff) << 8) | (sealed[3] & 0xff);
    if (count < 1 || count > RECIPIENTS_MAX) {
      throw malformed("it counts " + count + " recipients, not 1 to " + RECIPIENTS_MAX);
    }
    if (sealed.length < overheadBytes(count)) {
      throw malformed("it is " + sealed.length + " bytes, shorter than the " + overheadBytes(
          count) + " of its header, nonce and tag");
    }
    return count;
  }

  private static EnvelopeException malformed(String why) {
    return new EnvelopeException(EnvelopeException.Reason.MALFORMED, "not an envelope: " + why);
  }
}
