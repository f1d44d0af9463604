package io.chorus.evm.precompile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.chorus.codec.Bytes;
import io.chorus.codec.Hex;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Precompiles 0x06-0x08 against go-ethereum's bn256Add, bn256ScalarMul and bn256Pairing vectors
 * (from chfast, cdetrio and jeff), EIP-1108's prices, and the malformed points EIP-196 and
 * EIP-197 say must fail the call.
 */
class PrecompileBn254Test {
  private static final Precompile ADD = Precompiles.at(6);
  private static final Precompile MUL = Precompiles.at(7);
  private static final Precompile PAIRING = Precompiles.at(8);

  static final String G1 = word(1) + word(2);
  static final String G2 =
      "198e9393920d483a7260bfb731fb5d25f1aa493335a9e71297e485b7aef312c2"
          + "1800deef121f1e76426a00665e5c4479674322d4f75edadd46debd5cd992f6ed"
          + "090689d0585ff075ec9e99ad690c3395bc4b313370b38ef355acdadcd122975b"
          + "12c85ea5db8c6deb4aab71808dcb408fe3d1e7690c43d37b4ce6cc0166fa7daa";
  // -G2: the same x, y negated.
  private static final String MINUS_G2 =
      "198e9393920d483a7260bfb731fb5d25f1aa493335a9e71297e485b7aef312c2"
          + "1800deef121f1e76426a00665e5c4479674322d4f75edadd46debd5cd992f6ed"
          + "275dc4a288d1afb3cbb1ac09187524c7db36395df7be3b99e673b13a075a65ec"
          + "1d9befcd05a5323e6da4d435f3b617cdb3af83285c2df711ef39c01571827f9d";
  private static final String JEFF1_P1 =
      "1c76476f4def4bb94541d57ebba1193381ffa7aa76ada664dd31c16024c43f59"
          + "3034dd2920f673e204fee2811c678745fc819b55d3e9d294e45c9b03a76aef41";
  private static final String JEFF1_Q1 =
      "209dd15ebff5d46c4bd888e51a93cf99a7329636c63514396b4a452003a35bf7"
          + "04bf11ca01483bfa8b34b43561848d28905960114c8ac04049af4b6315a41678"
          + "2bb8324af6cfc93537a2ad1a445cfd0ca2a71acd7ac41fadbf933c2a51be344d"
          + "120a2a4cf30c1bf9845f20c6fe39e07ea2cce61f0c9bb048165fe5e4de877550";
  private static final String JEFF1_P2_X =
      "111e129f1cf1097710d41c4ac70fcdfa5ba2023c6ff1cbeac322de49d1b6df7c";
  private static final String JEFF1_P2_Y =
      "2032c61a830e3c17286de9462bf242fca2883585b93870a73853face6a6bf411";
  // jeff6 is jeff1 with P2 negated.
  private static final String JEFF6_P2_Y =
      "103188585e2364128fe25c70558f1560f4f9350baf3959e603cc91486e110936";
  private static final String TRUE = word(1);
  private static final String FALSE = word(0);

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "chfast1, 18b18acfb4c2c30276db5411368e7185b311dd124691610c5d3b74034e093dc9"
        + "063c909c4720840cb5134cb9f59fa749755796819658d32efc0d288198f37266"
        + "07c2b7f58a84bd6145f00c9c2bc0bb1a187f20ff2c92963a88019e7c6a014eed"
        + "06614e20c147e940f2d70da3f74c9a17df361706a4485c742bd6788478fa17d7, "
        + "2243525c5efd4b9c3d3c45ac0ca3fe4dd85e830a4ce6b65fa1eeaee202839703"
        + "301d1d33be6da8e509df21cc35964723180eed7532537db9ae5e7d48f195c915",
    "cdetrio11 (G + G), 0000000000000000000000000000000000000000000000000000000000000001"
        + "0000000000000000000000000000000000000000000000000000000000000002"
        + "0000000000000000000000000000000000000000000000000000000000000001"
        + "0000000000000000000000000000000000000000000000000000000000000002, "
        + "030644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd3"
        + "15ed738c0e0a7c92e7845f96b2ae9c0a68a6a449e3538fc7ff3ebf7a5a18a2c4",
    "cdetrio13, 17c139df0efee0f766bc0204762b774362e4ded88953a39ce849a8a7fa163fa9"
        + "01e0559bacb160664764a357af8a9fe70baa9258e0b959273ffc5718c6d4cc7c"
        + "039730ea8dff1254c0fee9c0ea777d29a9c710b7e616683f194f18c43b43b869"
        + "073a5ffcc6fc7a28c30723d6e58ce577356982d65b833a5a5c15bf9024b43d98, "
        + "15bf2bb17880144b5d1cd2b1f46eff9d617bffd1ca57c37fb5a49bd84e53cf66"
        + "049c797f9ce0d17083deb32b5e36f2ea2a212ee036598dd7624c168993d1355f",
    "cdetrio14 (P + -P), 17c139df0efee0f766bc0204762b774362e4ded88953a39ce849a8a7fa163fa9"
        + "01e0559bacb160664764a357af8a9fe70baa9258e0b959273ffc5718c6d4cc7c"
        + "17c139df0efee0f766bc0204762b774362e4ded88953a39ce849a8a7fa163fa9"
        + "2e83f8d734803fc370eba25ed1f6b8768bd6d83887b87165fc2434fe11a830cb, "
        + "0000000000000000000000000000000000000000000000000000000000000000"
        + "0000000000000000000000000000000000000000000000000000000000000000",
    "cdetrio8 (G + O; short), 0000000000000000000000000000000000000000000000000000000000000001"
        + "0000000000000000000000000000000000000000000000000000000000000002, "
        + "0000000000000000000000000000000000000000000000000000000000000001"
        + "0000000000000000000000000000000000000000000000000000000000000002",
  })
  void additionVectors(String name, String input, String expected) {
    assertEquals(expected, Hex.encode(ADD.run(Hex.decode(input))));
    assertEquals(150, ADD.gas(Hex.decode(input)));
  }

  @Test
  void additionOfNothingIsInfinity() {
    assertEquals(word(0) + word(0), Hex.encode(ADD.run(Bytes.EMPTY)));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "chfast1, 2bd3e6d0f3b142924f5ca7b49ce5b9d54c4703d7ae5648e61d02268b1a0a9fb7"
        + "21611ce0a6af85915e2f1d70300909ce2e49dfad4a4619c8390cae66cefdb204"
        + "00000000000000000000000000000000000000000000000011138ce750fa15c2, "
        + "070a8d6a982153cae4be29d434e8faef8a47b274a053f5a4ee2a6c9c13c31e5c"
        + "031b8ce914eba3a9ffb989f9cdd5b0f01943074bf4f0f315690ec3cec6981afc",
    "cdetrio1 (2^256 - 1), 1a87b0584ce92f4593d161480614f2989035225609f08058ccfa3d0f940febe3"
        + "1a2f3c951f6dadcc7ee9007dff81504b0fcd6d7cf59996efdc33d92bf7f9f8f6"
        + "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff, "
        + "2cde5879ba6f13c0b5aa4ef627f159a3347df9722efce88a9afbb20b763b4c41"
        + "1aa7e43076f6aee272755a7f9b84832e71559ba0d2e0b17d5f9f01755e5b0d11",
    "cdetrio2 (r - 1), 1a87b0584ce92f4593d161480614f2989035225609f08058ccfa3d0f940febe3"
        + "1a2f3c951f6dadcc7ee9007dff81504b0fcd6d7cf59996efdc33d92bf7f9f8f6"
        + "30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000000, "
        + "1a87b0584ce92f4593d161480614f2989035225609f08058ccfa3d0f940febe3"
        + "163511ddc1c3f25d396745388200081287b3fd1472d8339d5fecb2eae0830451",
    "cdetrio4 (9), 1a87b0584ce92f4593d161480614f2989035225609f08058ccfa3d0f940febe3"
        + "1a2f3c951f6dadcc7ee9007dff81504b0fcd6d7cf59996efdc33d92bf7f9f8f6"
        + "0000000000000000000000000000000000000000000000000000000000000009, "
        + "1dbad7d39dbc56379f78fac1bca147dc8e66de1b9d183c7b167351bfe0aeab74"
        + "2cd757d51289cd8dbd0acf9e673ad67d0f0a89f912af47ed1be53664f5692575",
  })
  void multiplicationVectors(String name, String input, String expected) {
    assertEquals(expected, Hex.encode(MUL.run(Hex.decode(input))));
    assertEquals(6000, MUL.gas(Hex.decode(input)));
  }

  @Test
  void multiplicationByAMissingScalarIsByZero() {
    assertEquals(word(0) + word(0), Hex.encode(MUL.run(Hex.decode(G1))));
  }

  @Test
  void pointsOffTheCurveOrWithCoordinatesNotBelowPFail() {
    String offCurve = word(1) + word(3);
    // (1 + p, 2) is G's x plus p: the same point mod p, but no valid encoding.
    String unreduced = Hex.encode(PrecompileHashesTest.word(Fp.P.add(BigInteger.ONE))) + word(2);
    for (String bad : new String[] {offCurve, unreduced}) {
      assertNull(ADD.run(Hex.decode(bad + G1)));
      assertNull(ADD.run(Hex.decode(G1 + bad)));
      assertNull(MUL.run(Hex.decode(bad + word(2))));
      assertNull(PAIRING.run(Hex.decode(bad + G2)));
    }
  }

  @Test
  void pairingVectors() {
    String jeff1 = JEFF1_P1 + JEFF1_Q1 + JEFF1_P2_X + JEFF1_P2_Y + G2;
    String jeff6 = JEFF1_P1 + JEFF1_Q1 + JEFF1_P2_X + JEFF6_P2_Y + G2;
    assertPairing(TRUE, 113_000, jeff1);
    assertPairing(FALSE, 113_000, jeff6);
    assertPairing(TRUE, 45_000, "");
    assertPairing(FALSE, 79_000, G1 + G2);
    assertPairing(TRUE, 113_000, G1 + G2 + G1 + MINUS_G2);
  }

  @Test
  void pairsWithAPointAtInfinityContributeOne() {
    String g1Zero = word(0) + word(0);
    String g2Zero = g1Zero + g1Zero;
    assertPairing(TRUE, 79_000, g1Zero + G2);
    assertPairing(TRUE, 79_000, G1 + g2Zero);
    assertPairing(FALSE, 113_000, G1 + G2 + g1Zero + G2);
  }

  @Test
  void pairingInputMustBeWholePairs() {
    String pair = G1 + G2;
    assertNull(PAIRING.run(Hex.decode(pair + "00")));
    assertNull(PAIRING.run(Hex.decode(pair.substring(2))));
    assertNull(PAIRING.run(new byte[1]));
    // Gas counts whole pairs; a ragged tail fails the call anyway.
    assertEquals(79_000, PAIRING.gas(Hex.decode(pair + "00")));
  }

  @Test
  void pairingRejectsMalformedG2Points() {
    String yFlipped = G2.substring(0, 255) + "b";
    assertNull(PAIRING.run(Hex.decode(G1 + yFlipped)), "off the twist");
    String unreduced = Hex.encode(PrecompileHashesTest.word(Fp.P)) + G2.substring(64);
    assertNull(PAIRING.run(Hex.decode(G1 + unreduced)), "coordinate p");
    // Infinity on the other side does not excuse an invalid point.
    assertNull(PAIRING.run(Hex.decode(word(0) + word(0) + yFlipped)));
  }

  @Test
  void pairingRejectsTwistPointsOutsideTheSubgroup() {
    G2Point outside = PrecompileBn254MathTest.twistPointOutsideG2();
    Fp2[] affine = outside.toAffine();
    String encoded = hex(affine[0].b()) + hex(affine[0].a()) + hex(affine[1].b())
        + hex(affine[1].a());
    assertNull(PAIRING.run(Hex.decode(G1 + encoded)));
  }

  private static void assertPairing(String expected, long gas, String input) {
    assertEquals(expected, Hex.encode(PAIRING.run(Hex.decode(input))));
    assertEquals(gas, PAIRING.gas(Hex.decode(input)));
  }

  private static String hex(Fp value) {
    return Hex.encode(PrecompileHashesTest.word(value.toBigInteger()));
  }

  static String word(long value) {
    return String.format("%064x", value);
  }
}
