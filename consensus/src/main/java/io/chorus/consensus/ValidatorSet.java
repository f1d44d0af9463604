package io.chorus.consensus;

import io.chorus.codec.ByteKey;
import io.chorus.codec.Rlp;
import io.chorus.codec.RlpException;
import io.chorus.codec.RlpReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The validators of one height, in proposer order. It is a value: governance may hand the core
 * a different set at a block boundary, and a commit certificate is checked against the set of its
 * own height.
 */
public final class ValidatorSet {
  /** The length of a validator address (the last 20 bytes of the hash of its public key). */
  public static final int ADDRESS_BYTES = 20;
  /** The length of a public key: x || y of the curve point. */
  public static final int PUBLIC_KEY_BYTES = 64;

  /** One validator: its address (the identity in messages) and the key that checks its votes. */
  public record Validator(ByteKey address, byte[] publicKey) {
    /** Checks lengths so a malformed set fails where it is made, not at the first vote. */
    public Validator {
      Verify.argument(address.bytes().length == ADDRESS_BYTES, "address must be 20 bytes");
      Verify.argument(publicKey.length == PUBLIC_KEY_BYTES, "public key must be 64 bytes");
      publicKey = publicKey.clone();
    }

    @Override
    public byte[] publicKey() {
      return publicKey.clone();
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Validator v && address.equals(v.address)
          && Arrays.equals(publicKey, v.publicKey);
    }

    @Override
    public int hashCode() {
      return address.hashCode();
    }

    @Override
    public String toString() {
      return address.toString();
    }
  }

  private final List<Validator> validators;
  private final Map<ByteKey, Integer> indexes;

  /** A set in this order; addresses must be distinct and there must be 1..VALIDATORS_MAX. */
  public ValidatorSet(List<Validator> validators) {
    Verify.argument(!validators.isEmpty(), "a validator set needs at least one validator");
    Verify.argument(validators.size() <= Limits.VALIDATORS_MAX,
        "more than " + Limits.VALIDATORS_MAX + " validators");
    this.validators = List.copyOf(validators);
    this.indexes = new HashMap<>();
    for (int i = 0; i < this.validators.size(); i++) {
      Integer previous = indexes.put(this.validators.get(i).address(), i);
      Verify.argument(previous == null, "validator listed twice: " + this.validators.get(i));
    }
  }

  public int size() {
    return validators.size();
  }

  /** The number of Byzantine validators tolerated: floor((n - 1) / 3). */
  public int f() {
    return (validators.size() - 1) / 3;
  }

  /**
   * Votes needed to prepare or commit: ceil(2n / 3), so that two quorums share at least f + 1
   * validators, hence one honest one (2f + 1 when n = 3f + 1).
   */
  public int quorum() {
    return (2 * validators.size() + 2) / 3;
  }

  public boolean contains(ByteKey address) {
    return indexes.containsKey(address);
  }

  /** The position of a validator, or -1 when the address is not one. */
  public int indexOf(ByteKey address) {
    return indexes.getOrDefault(address, -1);
  }

  public Validator get(int index) {
    return validators.get(index);
  }

  public List<Validator> validators() {
    return validators;
  }

  /** Round-robin: every validator leads in turn, and a new round moves to the next one. */
  public ByteKey proposer(long height, int round) {
    Verify.argument(height >= 0, "negative height");
    Verify.argument(round >= 0, "negative round");
    return validators.get((int) Math.floorMod(height + round, (long) validators.size())).address();
  }

  /** RLP: a list of [address, publicKey] pairs in order. */
  public byte[] encode() {
    List<byte[]> items = new ArrayList<>(validators.size());
    for (Validator v : validators) {
      items.add(Rlp.encodeList(Rlp.encodeBytes(v.address().bytes()), Rlp.encodeBytes(v.publicKey)));
    }
    return Rlp.encodeList(items);
  }

  /** The inverse of {@link #encode()}; strict RLP. @throws RlpException when malformed */
  public static ValidatorSet decode(byte[] encoded) {
    RlpReader whole = RlpReader.of(encoded);
    RlpReader list = whole.readList();
    whole.requireEnd("validator set");
    List<Validator> out = new ArrayList<>();
    while (list.hasNext()) {
      if (out.size() >= Limits.VALIDATORS_MAX) {
        throw new RlpException("more than " + Limits.VALIDATORS_MAX + " validators", 0);
      }
      RlpReader entry = list.readList();
      byte[] address = entry.readBytes(ADDRESS_BYTES, "validator address");
      byte[] key = entry.readBytes(PUBLIC_KEY_BYTES, "validator public key");
      entry.requireEnd("validator");
      out.add(new Validator(new ByteKey(address), key));
    }
    try {
      return new ValidatorSet(out);
    } catch (IllegalArgumentException e) {
      throw new RlpException(e.getMessage(), 0);
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ValidatorSet s && validators.equals(s.validators);
  }

  @Override
  public int hashCode() {
    return validators.hashCode();
  }

  @Override
  public String toString() {
    return "ValidatorSet" + validators;
  }
}
