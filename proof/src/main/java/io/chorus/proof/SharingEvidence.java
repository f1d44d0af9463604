package io.chorus.proof;

import io.chorus.codec.Hex;
import io.chorus.crypto.Keccak256;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an audit entry's proof shows: a log bundle of the data sharing contract (0x…1005) whose
 * log is an {@code Accessed} event — one access attempt a provider's node recorded, with the
 * block and time the chain gave it. The event indexes the requester's department only as
 * keccak256 of its name, so the name is read from the {@code recordAccess} call the proven
 * transaction made and must hash to that topic. The layout is the one {@code DataSharing.sol}
 * declares; a verifier needs nothing else.
 */
public final class SharingEvidence {
  private static final byte[] DATA_SHARING =
      Hex.decode("0x0000000000000000000000000000000000001005");
  private static final byte[] ACCESSED = Keccak256.INSTANCE.hash(
      "Accessed(uint64,uint64,string,uint64,bytes32,uint8,uint8,uint64,bytes32)"
          .getBytes(StandardCharsets.US_ASCII));
  private static final byte[] RECORD_ACCESS = Arrays.copyOf(Keccak256.INSTANCE.hash(
      "recordAccess(uint64,uint64,string,bytes32,uint8,uint64,bytes32)"
          .getBytes(StandardCharsets.US_ASCII)), 4);

  /** The outcomes and verdicts an entry can carry, as docs/sharing.md "Reason codes" names them. */
  private static final Map<Integer, String> ACCESS_CODES = Map.of(0x51, "ok", 0xc0, "no-grant",
      0xc1, "expired", 0xc2, "revoked", 0xc3, "outside-mask", 0xc4, "wrong-department",
      0xc5, "revoked-certificate", 0xc6, "failed");

  /**
   * An access attempt proven recorded.
   *
   * @param department the requester's department by name, or null when the transaction did
   *     not call {@code recordAccess} itself (a contract relayed it): then only its id is proven
   * @param departmentId keccak256 of the department's name, the event's indexed topic
   * @param fieldMask the fields asked for, a bit each (unsigned)
   * @param requester the hash of the requester's key or certificate
   * @param outcome what the provider's node did, a code of {@link #label}
   * @param verdict the chain's own check of that grant, department and fields at the block time
   * @param payloadHash the hash of what was delivered; 32 zero bytes for a denial
   * @param recorder the account that sent the transaction (the provider's)
   */
  public record Evidence(long entry, long dataset, String department, byte[] departmentId,
      long grant, byte[] requester, int outcome, int verdict, long fieldMask,
      byte[] payloadHash, byte[] recorder, Proven proven) {

    /** Whether the attempt was a delivery. */
    public boolean delivered() {
      return outcome == 0x51;
    }

    /** The entry as {@code chorus verify} prints it: a name (12 characters at most) each. */
    public Map<String, String> facts() {
      Map<String, String> out = new LinkedHashMap<>();
      out.put("audit entry", Long.toString(entry));
      out.put("data set", Long.toString(dataset));
      out.put("department", department != null ? department + " (the requester's)"
          : "keccak256 " + Hex.encode0x(departmentId) + " (a contract relayed the record, so"
              + " only its name's hash is proven)");
      out.put("grant", grant == 0 ? "none named" : Long.toString(grant));
      out.put("requester", Hex.encode0x(requester) + " (hash of its key or certificate)");
      out.put("outcome", label(outcome));
      out.put("verdict", label(verdict) + " (the chain's own check at that block)");
      out.put("fields asked", "mask 0x" + Long.toHexString(fieldMask));
      out.put("payload hash", delivered() ? Hex.encode0x(payloadHash)
          : "none (nothing was delivered)");
      out.put("recorded by", Hex.encode0x(recorder) + " (the provider's account)");
      out.put("recorded at", "block " + proven.blockNumber() + ", "
          + ProofVerifier.time(proven.timestamp()));
      return out;
    }
  }

  private SharingEvidence() {}

  /** A code with its rule's name, {@code 0xc0 no-grant}; an unknown one says so. */
  public static String label(int code) {
    return String.format("0x%02x %s", code, ACCESS_CODES.getOrDefault(code,
        "(not an access code)"));
  }

  /** Whether {@code proven} is a log of the data sharing contract's {@code Accessed} event. */
  public static boolean isAccessed(Proven proven) {
    String address = proven.facts().get("log.address");
    String topic0 = proven.facts().get("log.topic0");
    return address != null && topic0 != null && Arrays.equals(Hex.decode(address), DATA_SHARING)
        && Arrays.equals(Hex.decode(topic0), ACCESSED);
  }

  /**
   * Verifies {@code bundle}: the access attempt it proves recorded.
   *
   * @throws ProofException naming what does not hold
   */
  public static Evidence verify(ProofBundle bundle, TrustRoot root) {
    if (bundle.kind() != ProofBundle.Kind.LOG) {
      throw new ProofException("an audit entry's proof is a log bundle, this one is a "
          + bundle.kind().label() + " bundle");
    }
    return of(ProofVerifier.verify(bundle, root));
  }

  /**
   * The access attempt a verified log proves.
   *
   * @throws ProofException when the log is no {@code Accessed} event of the data sharing
   *     contract, or the transaction's department does not hash to the log's
   */
  public static Evidence of(Proven proven) {
    if (!isAccessed(proven)) {
      throw new ProofException("the proven log is no Accessed event of the data sharing"
          + " contract " + Hex.encode0x(DATA_SHARING) + " (it is " + proven.facts().get(
              "log.address") + "'s, topic0 " + proven.facts().get("log.topic0") + ")");
    }
    byte[] data = Hex.decode(proven.facts().get("log.data"));
    if (data.length != 6 * 32) {
      throw new ProofException("an Accessed log's data is 192 bytes, this one's "
          + data.length);
    }
    byte[] departmentId = topic(proven, 3);
    String department = departmentFromCall(proven, departmentId);
    return new Evidence(uint64(topic(proven, 1), "entry"), uint64(topic(proven, 2), "dataset"),
        department, departmentId, uint64(word(data, 0), "grant"), word(data, 1),
        (int) uint64(word(data, 2), "outcome"), (int) uint64(word(data, 3), "verdict"),
        new BigInteger(1, word(data, 4)).longValue(), word(data, 5),
        Hex.decode(proven.facts().get("from")), proven);
  }

  // The department argument of the recordAccess call, if the transaction made one directly.
  private static String departmentFromCall(Proven proven, byte[] departmentId) {
    String to = proven.facts().get("to");
    byte[] input = Hex.decode(proven.facts().get("input"));
    if (to == null || !to.startsWith("0x") || !Arrays.equals(Hex.decode(to), DATA_SHARING)
        || input.length < 4 || !Arrays.equals(Arrays.copyOf(input, 4), RECORD_ACCESS)) {
      return null;
    }
    byte[] args = Arrays.copyOfRange(input, 4, input.length);
    long offset = uint64(word(args, 2), "the call's department offset");
    long length = offset + 32 <= args.length
        ? uint64(Arrays.copyOfRange(args, (int) offset, (int) offset + 32), "its length") : -1;
    if (length < 0 || offset + 32 + length > args.length) {
      throw new ProofException("the recordAccess call's department runs past its input");
    }
    byte[] name = Arrays.copyOfRange(args, (int) offset + 32, (int) (offset + 32 + length));
    if (!Arrays.equals(Keccak256.INSTANCE.hash(name), departmentId)) {
      throw new ProofException("the recordAccess call names department '"
          + new String(name, StandardCharsets.UTF_8) + "', whose keccak256 is not the log's"
          + " department " + Hex.encode0x(departmentId));
    }
    return new String(name, StandardCharsets.UTF_8);
  }

  private static byte[] topic(Proven proven, int index) {
    String topic = proven.facts().get("log.topic" + index);
    if (topic == null) {
      throw new ProofException("an Accessed log has 4 topics, this one no topic " + index);
    }
    return Hex.decode(topic);
  }

  private static byte[] word(byte[] data, int index) {
    if (32 * index + 32 > data.length) {
      throw new ProofException("the data is too short for word " + index);
    }
    return Arrays.copyOfRange(data, 32 * index, 32 * index + 32);
  }

  private static long uint64(byte[] word, String what) {
    BigInteger value = new BigInteger(1, word);
    if (value.bitLength() > 63) {
      throw new ProofException("the " + what + " " + Hex.encode0x(word) + " is out of range");
    }
    return value.longValue();
  }
}
