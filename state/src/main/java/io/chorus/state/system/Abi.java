package io.chorus.state.system;

import com.esaulpaugh.headlong.abi.Event;
import com.esaulpaugh.headlong.abi.Function;
import io.chorus.crypto.Keccak256;
import io.chorus.evm.Address;
import io.chorus.evm.Word;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Conversions between Chorus values and the ABI library's, and Solidity's revert data. */
final class Abi {
  private static final Function ERROR = Function.parse("Error(string)");

  private Abi() {}

  static com.esaulpaugh.headlong.abi.Address toAbi(Address address) {
    return com.esaulpaugh.headlong.abi.Address.wrap(
        com.esaulpaugh.headlong.abi.Address.toChecksumAddress(
            new BigInteger(1, address.toArray())));
  }

  static Address fromAbi(com.esaulpaugh.headlong.abi.Address address) {
    byte[] word = new byte[32];
    byte[] value = address.value().toByteArray();
    int length = Math.min(value.length, 20);
    System.arraycopy(value, value.length - length, word, 32 - length, length);
    return Address.fromWord(word);
  }

  /** What Solidity's {@code revert("…")} returns, so ethers and web3j show the reason. */
  static byte[] revertData(String reason) {
    return bytes(ERROR.encodeCallWithArgs(reason));
  }

  static byte[] bytes(ByteBuffer buffer) {
    return buffer.array();
  }

  /** An event's first topic: the keccak of its signature, as Solidity derives it. */
  static Word topic0(Event<?> event) {
    return Word.fromBytes(Keccak256.INSTANCE.hash(
        event.getCanonicalSignature().getBytes(StandardCharsets.UTF_8)));
  }

  /** An indexed address as a topic: the address right-aligned in a word. */
  static Word topic(Address address) {
    byte[] word = new byte[32];
    address.copyTo(word, 12);
    return Word.fromBytes(word);
  }
}
