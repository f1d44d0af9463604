package io.chorus.evm.precompile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.chorus.codec.Hex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Precompile 0x09 against the test vectors of EIP-152: BLAKE2b's "abc" example compressed with
 * 0, 1, 12 and 8,000,000 rounds, and the malformed inputs (lengths, final-block flag) it lists.
 */
class PrecompileBlake2fTest {
  private static final Precompile BLAKE2F = Precompiles.at(9);
  // The state h after BLAKE2b-512's parameter block, the message "abc" and the counter t = 3.
  private static final String H =
      "48c9bdf267e6096a3ba7ca8485ae67bb2bf894fe72f36e3cf1361d5f3af54fa5"
          + "d182e6ad7f520e511f6c3e2b8c68059b6bbd41fbabd9831f79217e1319cde05b";
  private static final String M = "616263" + "00".repeat(125);
  private static final String T = "03" + "00".repeat(15);

  @ParameterizedTest(name = "vector {0}")
  @CsvSource({
    "4, 00000000, 01, 08c9bcf367e6096a3ba7ca8485ae67bb2bf894fe72f36e3cf1361d5f3af54fa5"
        + "d282e6ad7f520e511f6c3e2b8c68059b9442be0454267ce079217e1319cde05b",
    "5, 0000000c, 01, ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1"
        + "7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923",
    "6, 0000000c, 00, 75ab69d3190a562c51aef8d88f1c2775876944407270c42c9844252c26d28752"
        + "98743e7f6d5ea2f2d3e8d226039cd31b4e426ac4f2d3d666a610c2116fde4735",
    "7, 00000001, 01, b63a380cb2897d521994a85234ee2c181b5f844d2c624c002677e9703449d2fb"
        + "a551b3a8333bcdf5f2f7e08993d53923de3d64fcc68c034e717b9293fed7a421",
    "8, 007a1200, 01, 6d2ce9e534d50e18ff866ae92d70cceba79bbcd14c63819fe48752c8aca87a4b"
        + "b7dcc230d22a4047f0486cfcfb50a17b24b2899eb8fca370f22240adb5170189",
  })
  void eip152Vectors(int vector, String rounds, String last, String expected) {
    byte[] input = Hex.decode(rounds + H + M + T + last);
    assertEquals(expected, Hex.encode(BLAKE2F.run(input)));
    assertEquals(Long.parseLong(rounds, 16), BLAKE2F.gas(input));
  }

  @Test
  void eip152MalformedInputsFail() {
    String valid = "0000000c" + H + M + T + "01";
    assertNull(BLAKE2F.run(new byte[0]), "vector 0: empty");
    assertNull(BLAKE2F.run(Hex.decode(valid.substring(2))), "vector 1: 212 bytes");
    assertNull(BLAKE2F.run(Hex.decode(valid + "00")), "vector 2: 214 bytes");
    assertNull(BLAKE2F.run(Hex.decode("0000000c" + H + M + T + "02")), "vector 3: flag 2");
    assertNull(BLAKE2F.run(Hex.decode("0000000c" + H + M + T + "ff")), "flag 255");
  }

  @Test
  void roundCountIsUnsignedAndIsTheGas() {
    assertEquals(0xffffffffL, BLAKE2F.gas(Hex.decode("ffffffff" + H + M + T + "01")));
    assertEquals(0, BLAKE2F.gas(new byte[212]), "malformed input fails whatever it is charged");
  }
}
