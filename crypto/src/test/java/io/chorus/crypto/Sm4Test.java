package io.chorus.crypto;

import static io.chorus.crypto.HashFunctionTest.ascii;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.chorus.codec.Hex;
import javax.crypto.AEADBadTagException;
import javax.crypto.BadPaddingException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** SM4 matches GB/T 32907 and RFC 8998, round-trips, and rejects tampering and bad sizes. */
class Sm4Test {
  private static final byte[] KEY = Hex.decode("0123456789abcdeffedcba9876543210");
  private static final Sm4 SM4 = Sm4.withKey(KEY);
  private static final byte[] NONCE = Hex.decode("00001234567800000000abcd");
  private static final byte[] IV = Hex.decode("000102030405060708090a0b0c0d0e0f");

  @Test
  void gbT32907Example1() {
    byte[] ciphertext = SM4.encryptBlock(KEY);
    assertEquals("681edf34d206965e86b3e94f536e4246", Hex.encode(ciphertext));
    assertArrayEquals(KEY, SM4.decryptBlock(ciphertext));
  }

  @Test
  void gbT32907Example2EncryptsAMillionTimes() {
    byte[] block = KEY;
    for (int i = 0; i < 1_000_000; i++) {
      block = SM4.encryptBlock(block);
    }
    assertEquals("595298c7c6fd271f0402f804c33d3f66", Hex.encode(block));
  }

  @Test
  void cbcMatchesTheSm4InternetDraftExampleThenAddsAPaddingBlock() {
    // draft-ribose-cfrg-sm4 A.2.2.1: two blocks of data, no padding; PKCS #7 adds a full block.
    byte[] plaintext = Hex.decode(
        "aaaaaaaabbbbbbbbccccccccddddddddeeeeeeeeffffffffaaaaaaaabbbbbbbb");
    byte[] ciphertext = SM4.encryptCbc(IV, plaintext);
    assertEquals(48, ciphertext.length);
    assertEquals("78ebb11cc40b0a48312aaeb2040244cb4cb7016951909226979b0d15dc6a8f6d",
        Hex.encode(ciphertext).substring(0, 64));
  }

  @Test
  void gcmMatchesRfc8998ExampleA1() throws Exception {
    byte[] aad = Hex.decode("feedfacedeadbeeffeedfacedeadbeefabaddad2");
    byte[] plaintext = Hex.decode("aaaaaaaaaaaaaaaabbbbbbbbbbbbbbbbccccccccccccccccdddddddddddddddd"
        + "eeeeeeeeeeeeeeeeffffffffffffffffeeeeeeeeeeeeeeeeaaaaaaaaaaaaaaaa");
    byte[] sealed = SM4.encryptGcm(NONCE, aad, plaintext);
    assertEquals("17f399f08c67d5ee19d0dc9969c4bb7d5fd46fd3756489069157b282bb200735"
        + "d82710ca5c22f0ccfa7cbf93d496ac15a56834cbcf98c397b4024a2691233b8d"
        + "83de3541e4c2b58177e065a9bf7b62ec", Hex.encode(sealed));
    assertArrayEquals(plaintext, SM4.decryptGcm(NONCE, aad, sealed));
  }

  @Property(tries = 200)
  void cbcRoundTrips(@ForAll @Size(max = 100) byte[] plaintext) throws Exception {
    byte[] ciphertext = SM4.encryptCbc(IV, plaintext);
    assertEquals((plaintext.length / 16 + 1) * 16, ciphertext.length);
    assertArrayEquals(plaintext, SM4.decryptCbc(IV, ciphertext));
  }

  @Property(tries = 200)
  void gcmRoundTrips(@ForAll @Size(max = 100) byte[] plaintext, @ForAll @Size(max = 40) byte[] aad)
      throws Exception {
    byte[] sealed = SM4.encryptGcm(NONCE, aad, plaintext);
    assertEquals(plaintext.length + Sm4.GCM_TAG_BYTES, sealed.length);
    assertArrayEquals(plaintext, SM4.decryptGcm(NONCE, aad, sealed));
  }

  @Property(tries = 300)
  void gcmRejectsAnyFlippedBitOfCiphertextOrTag(
      @ForAll @Size(min = 1, max = 48) byte[] plaintext, @ForAll @IntRange(max = 1023) int bit) {
    byte[] sealed = SM4.encryptGcm(NONCE, ascii("header"), plaintext);
    int at = bit % (8 * sealed.length);
    sealed[at / 8] ^= (byte) (1 << (at % 8));
    assertThrows(AEADBadTagException.class,
        () -> SM4.decryptGcm(NONCE, ascii("header"), sealed));
  }

  @Test
  void gcmRejectsOtherAssociatedDataNonceOrKey() {
    byte[] sealed = SM4.encryptGcm(NONCE, ascii("header"), ascii("payload"));
    byte[] otherNonce = NONCE.clone();
    otherNonce[11] ^= 1;
    byte[] otherKey = KEY.clone();
    otherKey[0] ^= 1;
    assertThrows(AEADBadTagException.class,
        () -> SM4.decryptGcm(NONCE, ascii("Header"), sealed));
    assertThrows(AEADBadTagException.class,
        () -> SM4.decryptGcm(otherNonce, ascii("header"), sealed));
    assertThrows(AEADBadTagException.class,
        () -> Sm4.withKey(otherKey).decryptGcm(NONCE, ascii("header"), sealed));
  }

  @Test
  void cbcReportsBrokenPaddingAsBadPadding() {
    byte[] ciphertext = SM4.encryptCbc(IV, ascii("sixteen byte msg"));
    ciphertext[ciphertext.length - 1] ^= 1; // garbles the whole padding block
    assertThrows(BadPaddingException.class, () -> SM4.decryptCbc(IV, ciphertext));
  }

  @Test
  void keyMustBe16Bytes() {
    assertMessage(() -> Sm4.withKey(new byte[15]), "SM4 key must be 16 bytes, got 15");
    assertMessage(() -> Sm4.withKey(new byte[32]), "SM4 key must be 16 bytes, got 32");
  }

  @Test
  void keyIsCopied() {
    byte[] key = KEY.clone();
    Sm4 sm4 = Sm4.withKey(key);
    key[0] ^= 1;
    assertEquals("681edf34d206965e86b3e94f536e4246", Hex.encode(sm4.encryptBlock(KEY)));
  }

  @Test
  void blockMustBe16Bytes() {
    assertMessage(() -> SM4.encryptBlock(new byte[17]), "SM4 block must be 16 bytes, got 17");
    assertMessage(() -> SM4.decryptBlock(new byte[0]), "SM4 block must be 16 bytes, got 0");
  }

  @Test
  void ivAndNonceSizesAreChecked() {
    assertMessage(() -> SM4.encryptCbc(new byte[12], new byte[1]),
        "SM4-CBC IV must be 16 bytes, got 12");
    assertMessage(() -> SM4.decryptCbc(new byte[8], new byte[16]),
        "SM4-CBC IV must be 16 bytes, got 8");
    assertMessage(() -> SM4.encryptGcm(new byte[16], new byte[0], new byte[1]),
        "SM4-GCM nonce must be 12 bytes, got 16");
    assertMessage(() -> SM4.decryptGcm(new byte[8], new byte[0], new byte[16]),
        "SM4-GCM nonce must be 12 bytes, got 8");
  }

  @Test
  void ciphertextSizesAreChecked() {
    assertMessage(() -> SM4.decryptCbc(IV, new byte[0]),
        "SM4-CBC ciphertext must be a positive multiple of 16 bytes, got 0");
    assertMessage(() -> SM4.decryptCbc(IV, new byte[20]),
        "SM4-CBC ciphertext must be a positive multiple of 16 bytes, got 20");
    assertMessage(() -> SM4.decryptGcm(NONCE, new byte[0], new byte[15]),
        "SM4-GCM input must hold the 16-byte tag, got 15 bytes");
  }

  private static void assertMessage(Executable call, String message) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertEquals(message, e.getMessage());
  }
}
