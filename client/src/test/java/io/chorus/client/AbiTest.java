package io.chorus.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.esaulpaugh.headlong.abi.Function;
import io.chorus.codec.Hex;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Arguments given as text reach headlong as the values their ABI types need, results come back
 * as text, and every unusable input names the argument and what was expected. Expected calldata
 * is written out by the ABI specification's rules (selector, then 32-byte words).
 */
class AbiTest {

  @Test
  void encodesTextArgumentsByTheirTypes() {
    Function transfer = Abi.function("transfer(address,uint256)", null);
    byte[] data = Abi.encodeCall(transfer, List.of("0x" + "Ab".repeat(20), "0x10"));
    assertEquals("a9059cbb" + "0".repeat(24) + "ab".repeat(20) + "0".repeat(62) + "10",
        Hex.encode(data));
    Function mixed = Abi.function("f(bool,int8,bytes2,uint16[])", null);
    byte[] call = Abi.encodeCall(mixed, List.of("true", "-1", "0xbeef", "[1, 255]"));
    assertEquals(Hex.encode(mixed.selector()) + "0".repeat(63) + "1" + "f".repeat(64) + "beef"
        + "0".repeat(60) + "0".repeat(62) + "80" + "0".repeat(63) + "2" + "0".repeat(63) + "1"
        + "0".repeat(62) + "ff", Hex.encode(call));
  }

  @Test
  void decodesResultsAsText() {
    Function f = Abi.function("get()", "(uint256,address,bool,bytes32,string)");
    byte[] output = f.getOutputs().encode(com.esaulpaugh.headlong.abi.Tuple.from(
        java.math.BigInteger.valueOf(42),
        com.esaulpaugh.headlong.abi.Address.wrap("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"),
        true, new byte[32], "hi")).array();
    assertEquals(List.of("42", "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", "true",
        "0x" + "00".repeat(32), "hi"), Abi.decodeReturn(f, output));
  }

  @Test
  void findsAFunctionInAJsonAbi() {
    String abi = "[{\"type\":\"function\",\"name\":\"notarizedAt\",\"inputs\":[{\"name\":\"h\","
        + "\"type\":\"bytes32\"}],\"outputs\":[{\"name\":\"\",\"type\":\"uint256\"}],"
        + "\"stateMutability\":\"view\"}]";
    Function f = Abi.function(abi, "notarizedAt", 1);
    assertEquals("notarizedAt(bytes32)", f.getCanonicalSignature());
    assertEquals("(uint256)", f.getOutputs().getCanonicalType());
    assertMessage(() -> Abi.function(abi, "notarizedAt", 2), "no 'notarizedAt' takes 2");
  }

  @Test
  void badArgumentsNameTheArgumentAndTheType() {
    Function f = Abi.function("f(address,bool,uint256[2])", null);
    assertMessage(() -> Abi.encodeCall(f, List.of("0x12", "true", "[1,2]")),
        "argument 1 of f (address) '0x12': expected an address");
    assertMessage(() -> Abi.encodeCall(f, List.of("0x" + "12".repeat(20), "yes", "[1,2]")),
        "argument 2 of f (bool) 'yes': expected true or false");
    assertMessage(() -> Abi.encodeCall(f, List.of("0x" + "12".repeat(20), "true", "[1]")),
        "argument 3 of f (uint256[2]) '[1]': expected 2 elements, got 1");
    assertMessage(() -> Abi.encodeCall(f, List.of("0x" + "12".repeat(20), "true", "[1,x]")),
        "expected an integer (decimal or 0x hex)");
    assertMessage(() -> Abi.encodeCall(f, List.of()), "f takes 3 arguments");
    assertMessage(() -> Abi.function("f(uint257)", null), "cannot read the function 'f(uint257)'");
    assertMessage(() -> Abi.encodeArguments("(string", List.of("a")), "cannot read the types");
  }

  private static void assertMessage(org.junit.jupiter.api.function.Executable call,
      String expected) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
