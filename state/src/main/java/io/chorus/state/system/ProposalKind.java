package io.chorus.state.system;

import com.esaulpaugh.headlong.abi.Tuple;
import com.esaulpaugh.headlong.abi.TupleType;
import io.chorus.codec.Hex;
import io.chorus.evm.Address;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What a governance proposal changes, as its number in {@code propose(uint8 kind, …)} and the
 * ABI types of its payload.
 */
public enum ProposalKind {
  ADD_MEMBER("(address,uint256)", "account, weight"),
  REMOVE_MEMBER("(address)", "account"),
  ADD_VALIDATOR("(bytes)", "64-byte public key"),
  REMOVE_VALIDATOR("(address)", "validator address"),
  GRANT_ROLES("(address,uint256)", "account, role bits (1 sender, 2 deployer,"
      + " 4 receivables.obligor, 8 receivables.bank, 16 sharing.authority,"
      + " 32 receivables.regulator)"),
  REVOKE_ROLES("(address,uint256)", "account, role bits (1 sender, 2 deployer,"
      + " 4 receivables.obligor, 8 receivables.bank, 16 sharing.authority,"
      + " 32 receivables.regulator)"),
  FREEZE("(address)", "account or contract"),
  UNFREEZE("(address)", "account or contract"),
  SET_METHOD_ACCESS("(address,bytes4,uint8)",
      "contract, selector, access (0 default, 1 allowed, 2 denied)"),
  REVOKE_CERTIFICATE("(uint256)", "certificate serial"),
  SET_RESTRICTIONS("(bool,bool)", "restrict senders, restrict deployers"),
  SET_GAS_LIMIT("(uint256)", "block gas limit"),
  SET_BLOCK_INTERVAL("(uint256)", "block interval in ms"),
  SET_FEE_MODE("(uint8)", "fee mode (0 ethereum1559, 1 zero)"),
  SET_NOTARY_POLICY("(string,address[],uint8)", "record type, co-signers as [0x…,0x…]"
      + " (0x0000000000000000000000000000000000000000 stands for the record's depositor),"
      + " threshold (0, with no co-signers, removes the policy)"),
  RECEIVABLE_FREEZE("(uint256,string)", "receivable piece id, court reference"),
  RECEIVABLE_UNFREEZE("(uint256,string)", "receivable piece id, court reference"),
  RECEIVABLE_FORCE_TRANSFER("(uint256,address,uint256,string)",
      "receivable piece id, receiver, value, court reference"),
  SHARING_DEPARTMENT("(address,string)", "account, department (its organisation's name as its"
      + " certificates give it, subject O; empty unbinds the account)"),
  CROSSCHAIN_CLIENT("(string,uint256,uint8,bytes32,uint64,bytes32,string)",
      "client id (ICS-24, e.g. chorus-client-0), source chain id, source suite (0 ethereum,"
      + " 1 sm), source genesis hash, trusted height, trusted header hash, counterparty client"
      + " id (the client on the source that tracks this chain)"),
  ORG_DATA_KEY("(string,bytes)", "organisation (its certificates' subject O), its 64-byte"
      + " public data key in the chain's suite: events visible to the organisation are sealed"
      + " for it from the next block on");

  private final TupleType<?> payload;
  private final String describes;

  ProposalKind(String payloadTypes, String describes) {
    this.payload = TupleType.parse(payloadTypes);
    this.describes = describes;
  }

  /** The ABI tuple type of this kind's payload. */
  public TupleType<?> payload() {
    return payload;
  }

  /** The payload's ABI types, one per field ({@code address}, {@code uint256}, …). */
  public List<String> types() {
    List<String> types = new ArrayList<>(payload.size());
    for (int i = 0; i < payload.size(); i++) {
      types.add(payload.get(i).getCanonicalType());
    }
    return types;
  }

  /** The payload's fields in words, for help and error messages. */
  public String describes() {
    return describes;
  }

  /**
   * A field written as text that its kind does not take, or the wrong number of fields: which
   * one, so a form or a REST request can point at it.
   */
  public static final class InvalidField extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final int index;

    InvalidField(int index, String message, Throwable cause) {
      super(message, cause);
      this.index = index;
    }

    /** The field's position from 0; -1 when the number of fields is wrong. */
    public int index() {
      return index;
    }
  }

  /**
   * The payload for these field values: addresses as Chorus addresses (a list of them for an
   * address array), numbers as {@link java.math.BigInteger} (access and threshold as Integer),
   * flags as Boolean, bytes as byte arrays, text as String.
   */
  public byte[] encode(Object... fields) {
    Object[] values = new Object[fields.length];
    for (int i = 0; i < values.length; i++) {
      values[i] = abiValue(fields[i]);
    }
    try {
      return Abi.bytes(payload.encode(Tuple.from(values)));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("a " + label() + " payload is " + describes() + ": "
          + e.getMessage(), e);
    }
  }

  /**
   * The payload from fields written as text, as the CLI takes them: addresses and bytes in
   * 0x-hex, numbers in decimal or 0x-hex, flags as true or false, text as it is, an address
   * list as {@code [0x…,0x…]} ({@code []} for none).
   *
   * @throws InvalidField naming the first field that is not of its type (a number out of its
   *     type's range, bytes of the wrong length included), or the wrong number of fields
   */
  public byte[] encodeText(List<String> texts) {
    if (texts.size() != payload.size()) {
      throw new InvalidField(-1, "a " + label() + " proposal takes " + payload.size()
          + " field(s): " + describes() + "; got " + texts.size(), null);
    }
    Object[] values = new Object[texts.size()];
    for (int i = 0; i < values.length; i++) {
      String text = texts.get(i);
      String type = payload.get(i).getCanonicalType();
      try {
        values[i] = switch (type) {
          case "address" -> Address.parse(text);
          case "bool" -> switch (text) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw new IllegalArgumentException("not true or false");
          };
          case "uint8" -> small(number(text));
          case "string" -> text;
          case "address[]" -> addressList(text);
          case "uint256", "uint64" -> number(text);
          default -> Hex.decode(text); // bytes, bytes4
        };
        // Encoded alone, so a value out of its type's range is blamed on its own field.
        TupleType.parse("(" + type + ")").encode(Tuple.from(abiValue(values[i])));
      } catch (IllegalArgumentException e) {
        throw new InvalidField(i, "field " + (i + 1) + " of a " + label()
            + " proposal (" + describes() + ") must be " + type + ", got '" + text + "': "
            + e.getMessage(), e);
      }
    }
    return encode(values);
  }

  /** A Chorus value as the ABI library takes it: addresses (and lists of them) converted. */
  private static Object abiValue(Object value) {
    if (value instanceof Address a) {
      return Abi.toAbi(a);
    }
    if (value instanceof List<?> list) {
      return list.stream().map(a -> Abi.toAbi((Address) a))
          .toArray(com.esaulpaugh.headlong.abi.Address[]::new);
    }
    return value;
  }

  private static java.math.BigInteger number(String text) {
    try {
      return text.startsWith("0x") ? new java.math.BigInteger(text.substring(2), 16)
          : new java.math.BigInteger(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a whole number (decimal, or 0x and hex digits)", e);
    }
  }

  private static int small(java.math.BigInteger number) {
    if (number.signum() < 0 || number.bitLength() > 8) {
      throw new IllegalArgumentException("out of range: 0 to 255");
    }
    return number.intValue();
  }

  private static List<Address> addressList(String text) {
    String trimmed = text.trim();
    if (!trimmed.startsWith("[") || !trimmed.endsWith("]")) {
      throw new IllegalArgumentException("an address list is written [0x…,0x…]");
    }
    String inner = trimmed.substring(1, trimmed.length() - 1).trim();
    return inner.isEmpty() ? List.of()
        : Arrays.stream(inner.split(",", -1)).map(a -> Address.parse(a.trim())).toList();
  }

  /**
   * The payload's fields as text: addresses and bytes in 0x-hex, numbers in decimal, address
   * lists as {@code [0x…,0x…]}.
   */
  public List<String> fields(byte[] encoded) {
    List<String> out = new ArrayList<>();
    for (Object field : payload.decode(ByteBuffer.wrap(encoded))) {
      out.add(field instanceof com.esaulpaugh.headlong.abi.Address[] list
          ? Arrays.stream(list).map(ProposalKind::text).toList().toString().replace(" ", "")
          : text(field));
    }
    return out;
  }

  private static String text(Object field) {
    return field instanceof byte[] b ? Hex.encode0x(b)
        : field instanceof com.esaulpaugh.headlong.abi.Address a ? Abi.fromAbi(a).toString()
        : String.valueOf(field);
  }

  /** The kind numbered {@code code} in the ABI. */
  public static ProposalKind of(int code) {
    ProposalKind[] kinds = values();
    if (code < 0 || code >= kinds.length) {
      throw new IllegalArgumentException("no proposal kind " + code + ": kinds are 0 to "
          + (kinds.length - 1));
    }
    return kinds[code];
  }

  /** The kind named as in {@code add-validator} or {@code ADD_VALIDATOR}. */
  public static ProposalKind named(String name) {
    try {
      return valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown proposal kind '" + name + "'; kinds: "
          + Arrays.toString(values()).toLowerCase(Locale.ROOT)
              .replace('_', '-'), e);
    }
  }

  /** The name as the CLI and RPC write it: {@code add-validator}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
