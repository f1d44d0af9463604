package io.chorus.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chorus.codec.Hex;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.KeyPair;
import io.chorus.evm.Address;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The keystore's round trip in both suites, and each way a file must refuse to open: a wrong
 * password, a file edited to name another account, a key of another suite.
 */
class KeystoreTest {
  private static final char[] PASSWORD = "correct horse".toCharArray();
  @TempDir Path dir;
  private final SecureRandom random = new SecureRandom();

  @Test
  void anImportedKeyComesBackWithTheRightPasswordInEitherSuite() {
    for (CryptoSuite suite : List.of(CryptoSuite.ethereum(), CryptoSuite.sm())) {
      Path node = dir.resolve(suite.name());
      KeyPair keys = suite.generateKeyPair(random);
      Address imported = Keystore.importKey(node, suite, keys.privateKey(), PASSWORD, random);
      Address made = Keystore.create(node, suite, PASSWORD, random);
      assertArrayEquals(suite.address(keys.publicKey()), imported.toArray());
      assertEquals(2, Keystore.list(node).size());
      Map<Address, KeyPair> unlocked = Keystore.unlock(node, suite, PASSWORD);
      assertArrayEquals(keys.privateKey(), unlocked.get(imported).privateKey());
      assertArrayEquals(made.toArray(), suite.address(unlocked.get(made).publicKey()));
    }
  }

  @Test
  void theFileHoldsNoPlainKeyAndAWrongPasswordIsRefused() throws Exception {
    KeyPair keys = CryptoSuite.ethereum().generateKeyPair(random);
    Address account = Keystore.importKey(dir, CryptoSuite.ethereum(), keys.privateKey(),
        PASSWORD, random);
    Path file = Keystore.dir(dir).resolve(Hex.encode(account.toArray()) + ".json");
    String text = Files.readString(file);
    assertFalse(text.contains(Hex.encode(keys.privateKey())));
    IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
        () -> Keystore.unlock(dir, CryptoSuite.ethereum(), "incorrect horse".toCharArray()));
    assertTrue(wrong.getMessage().startsWith("wrong keystore password for "
        + Hex.encode0x(account.toArray())), wrong.getMessage());
    // The same ciphertext under another account's name: the bound address no longer matches.
    String other = "0x" + "22".repeat(20);
    Files.writeString(file, text.replace(Hex.encode0x(account.toArray()), other),
        StandardCharsets.UTF_8);
    assertThrows(IllegalArgumentException.class,
        () -> Keystore.unlock(dir, CryptoSuite.ethereum(), PASSWORD));
  }

  @Test
  void aKeyOfAnotherSuiteOrAnAccountStoredTwiceIsRefused() {
    KeyPair keys = CryptoSuite.sm().generateKeyPair(random);
    Keystore.importKey(dir, CryptoSuite.sm(), keys.privateKey(), PASSWORD, random);
    IllegalArgumentException suite = assertThrows(IllegalArgumentException.class,
        () -> Keystore.unlock(dir, CryptoSuite.ethereum(), PASSWORD));
    assertTrue(suite.getMessage().contains("the chain's suite is ethereum"), suite.getMessage());
    IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
        () -> Keystore.importKey(dir, CryptoSuite.sm(), keys.privateKey(), PASSWORD, random));
    assertTrue(twice.getMessage().contains("already"), twice.getMessage());
  }
}
