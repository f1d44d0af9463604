package io.chorus.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.codec.Hex;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.KeyPair;
import io.chorus.evm.Address;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.generators.SCrypt;

/**
 * The accounts a node signs for, in {@code DIR/}{@value #DIR_NAME}: one file per account, its
 * private key encrypted with AES-256-GCM under a key derived from a password by scrypt. The
 * address and suite are stored in the clear (to list accounts without the password) and bound
 * to the ciphertext as associated data, so a file edited to name another account fails to
 * decrypt. {@code chorus account new|import} write the files; the node {@link #unlock}s them
 * at start with one password.
 */
public final class Keystore {
  /** The keystore's folder in a node's data directory. */
  public static final String DIR_NAME = "keystore";
  /** scrypt cost (N): 2^15, about 0.1 s and 32 MiB per unlock on this project's machines. */
  static final int SCRYPT_N = 1 << 15;
  static final int SCRYPT_R = 8;
  static final int SCRYPT_P = 1;
  private static final int KEY_BYTES = 32;
  private static final int SALT_BYTES = 16;
  private static final int IV_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final ObjectMapper JSON = new ObjectMapper();

  private Keystore() {}

  /** The keystore folder of a node's data directory. */
  public static Path dir(Path dataDir) {
    return dataDir.resolve(DIR_NAME);
  }

  /** Makes a new account in the chain's suite; returns its address. */
  public static Address create(Path dataDir, CryptoSuite suite, char[] password,
      SecureRandom random) {
    return store(dataDir, suite, suite.generateKeyPair(random), password, random);
  }

  /** Stores an existing 32-byte private key; returns its address. */
  public static Address importKey(Path dataDir, CryptoSuite suite, byte[] privateKey,
      char[] password, SecureRandom random) {
    return store(dataDir, suite, suite.keyPair(privateKey), password, random);
  }

  /** The accounts stored, by file name order; no password needed. */
  public static List<Address> list(Path dataDir) {
    List<Address> out = new ArrayList<>();
    for (Path file : files(dataDir)) {
      out.add(Address.parse(readJson(file).path("address").asText()));
    }
    return out;
  }

  /**
   * Decrypts every stored account with {@code password}.
   *
   * @throws IllegalArgumentException naming the file when the password does not open it or it
   *     is of another suite than the chain's
   */
  public static Map<Address, KeyPair> unlock(Path dataDir, CryptoSuite suite, char[] password) {
    Map<Address, KeyPair> keys = new LinkedHashMap<>();
    for (Path file : files(dataDir)) {
      KeyPair pair = open(file, suite, password);
      keys.put(Address.of(suite.address(pair.publicKey())), pair);
    }
    return keys;
  }

  private static Address store(Path dataDir, CryptoSuite suite, KeyPair keys, char[] password,
      SecureRandom random) {
    if (password.length == 0) {
      throw new IllegalArgumentException("the keystore password must not be empty");
    }
    Address address = Address.of(suite.address(keys.publicKey()));
    byte[] salt = new byte[SALT_BYTES];
    byte[] iv = new byte[IV_BYTES];
    random.nextBytes(salt);
    random.nextBytes(iv);
    ObjectNode file = JSON.createObjectNode()
        .put("version", 1)
        .put("address", Hex.encode0x(address.toArray()))
        .put("suite", suite.name());
    file.putObject("kdf").put("name", "scrypt").put("n", SCRYPT_N).put("r", SCRYPT_R)
        .put("p", SCRYPT_P).put("salt", Hex.encode0x(salt));
    file.putObject("cipher").put("name", "aes-256-gcm").put("iv", Hex.encode0x(iv));
    byte[] key = derive(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P);
    try {
      file.put("ciphertext", Hex.encode0x(gcm(Cipher.ENCRYPT_MODE, key, iv,
          associatedData(file), keys.privateKey())));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM failed", e);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
    Path target = dir(dataDir).resolve(Hex.encode(address.toArray()) + ".json");
    try {
      Files.createDirectories(dir(dataDir));
      Files.write(target, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(file),
          StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      ownerOnly(target);
    } catch (FileAlreadyExistsException e) {
      throw new IllegalArgumentException("the keystore holds account "
          + Hex.encode0x(address.toArray()) + " already (" + target + ")");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
    }
    return address;
  }

  private static KeyPair open(Path file, CryptoSuite suite, char[] password) {
    JsonNode stored = readJson(file);
    if (!suite.name().equals(stored.path("suite").asText())) {
      throw new IllegalArgumentException(file + " holds a " + stored.path("suite").asText()
          + " key, but the chain's suite is " + suite.name());
    }
    JsonNode kdf = stored.path("kdf");
    if (!"scrypt".equals(kdf.path("name").asText())
        || !"aes-256-gcm".equals(stored.path("cipher").path("name").asText())) {
      throw new IllegalArgumentException(file + " is not a keystore file this node reads"
          + " (scrypt and aes-256-gcm)");
    }
    byte[] key = derive(password, Hex.decode(kdf.path("salt").asText()), kdf.path("n").asInt(),
        kdf.path("r").asInt(), kdf.path("p").asInt());
    try {
      byte[] privateKey = gcm(Cipher.DECRYPT_MODE, key,
          Hex.decode(stored.path("cipher").path("iv").asText()), associatedData(stored),
          Hex.decode(stored.path("ciphertext").asText()));
      KeyPair pair = suite.keyPair(privateKey);
      if (!Arrays.equals(suite.address(pair.publicKey()),
          Hex.decode(stored.path("address").asText()))) {
        throw new IllegalArgumentException(file + " decrypts to another account than it names");
      }
      return pair;
    } catch (AEADBadTagException e) {
      throw new IllegalArgumentException("wrong keystore password for "
          + stored.path("address").asText() + " (" + file + "), or the file was altered");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM failed on " + file, e);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  private static byte[] derive(char[] password, byte[] salt, int n, int r, int p) {
    if (n < 2 || n > (1 << 20) || r < 1 || r > 32 || p < 1 || p > 16) {
      throw new IllegalArgumentException("unreasonable scrypt parameters n=" + n + " r=" + r
          + " p=" + p);
    }
    byte[] utf8 = new String(password).getBytes(StandardCharsets.UTF_8);
    try {
      return SCrypt.generate(utf8, salt, n, r, p, KEY_BYTES);
    } finally {
      Arrays.fill(utf8, (byte) 0);
    }
  }

  private static byte[] gcm(int mode, byte[] key, byte[] iv, byte[] aad, byte[] input)
      throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, iv));
    cipher.updateAAD(aad);
    return cipher.doFinal(input);
  }

  // What the ciphertext is bound to: the account and the suite named in the file.
  private static byte[] associatedData(JsonNode file) {
    return ("chorus-keystore-v1|" + file.path("address").asText().toLowerCase(
        java.util.Locale.ROOT) + "|" + file.path("suite").asText())
        .getBytes(StandardCharsets.UTF_8);
  }

  private static List<Path> files(Path dataDir) {
    Path dir = dir(dataDir);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.filter(p -> p.getFileName().toString().endsWith(".json")).sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  private static JsonNode readJson(Path file) {
    try {
      return JSON.readTree(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static void ownerOnly(Path file) throws IOException {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system: its own permissions apply.
    }
  }
}
