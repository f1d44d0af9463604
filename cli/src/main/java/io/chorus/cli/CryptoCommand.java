package io.chorus.cli;

import io.chorus.codec.Hex;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.KeyPair;
import io.chorus.crypto.Signature;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code chorus crypto ...}: keys, hashes and signatures in either crypto suite. */
@Command(
    name = "crypto",
    mixinStandardHelpOptions = true,
    description = "Keys, hashes and signatures in a chain's crypto suite (ethereum or sm).",
    subcommands = {
        CryptoCommand.Keygen.class,
        CryptoCommand.Address.class,
        CryptoCommand.Hash.class,
        CryptoCommand.Sign.class,
        CryptoCommand.Verify.class})
final class CryptoCommand {

  /** The {@code --suite} option every crypto verb takes. */
  static final class SuiteOption {
    @Option(names = "--suite", defaultValue = "ethereum", paramLabel = "NAME",
        description = "Crypto suite: ethereum (secp256k1 + keccak-256) or sm (SM2 + SM3). "
            + "Default: ${DEFAULT-VALUE}.")
    String name;

    CryptoSuite suite() {
      return CryptoSuite.byName(name);
    }
  }

  @Command(name = "keygen", mixinStandardHelpOptions = true,
      description = "Generates a key pair and prints it with its address.")
  static final class Keygen implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin SuiteOption suite;

    @Override
    public Integer call() {
      printKeys(spec.commandLine().getOut(), suite.suite(),
          suite.suite().generateKeyPair(new SecureRandom()));
      return 0;
    }
  }

  @Command(name = "address", mixinStandardHelpOptions = true,
      description = "Prints the public key and address of a private key.")
  static final class Address implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin SuiteOption suite;

    @Option(names = "--key", required = true, paramLabel = "HEX", description = "Private key.")
    String key;

    @Override
    public Integer call() {
      printKeys(spec.commandLine().getOut(), suite.suite(),
          suite.suite().keyPair(hex32("--key", key)));
      return 0;
    }
  }

  @Command(name = "hash", mixinStandardHelpOptions = true,
      description = "Hashes text or hex bytes with the suite's hash (keccak-256 or SM3).")
  static final class Hash implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin SuiteOption suite;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    static final class Input {
      @Option(names = "--text", paramLabel = "TEXT", description = "UTF-8 text to hash.")
      String text;

      @Option(names = "--hex", paramLabel = "HEX", description = "Bytes to hash, in hex.")
      String hex;
    }

    @Override
    public Integer call() {
      byte[] data = input.text != null
          ? input.text.getBytes(StandardCharsets.UTF_8) : Hex.decode(input.hex);
      spec.commandLine().getOut().println(Hex.encode0x(suite.suite().hash(data)));
      return 0;
    }
  }

  @Command(name = "sign", mixinStandardHelpOptions = true,
      description = "Signs a 32-byte digest; prints r, s and the recovery id.")
  static final class Sign implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin SuiteOption suite;

    @Option(names = "--key", required = true, paramLabel = "HEX", description = "Private key.")
    String key;

    @Option(names = "--digest", required = true, paramLabel = "HEX",
        description = "32-byte digest to sign.")
    String digest;

    @Override
    public Integer call() {
      CryptoSuite s = suite.suite();
      Signature signature = s.sign(hex32("--digest", digest), s.keyPair(hex32("--key", key)));
      PrintWriter out = spec.commandLine().getOut();
      out.println("r:          " + word(signature.r()));
      out.println("s:          " + word(signature.s()));
      out.println("recoveryId: " + signature.recoveryId());
      return 0;
    }
  }

  @Command(name = "verify", mixinStandardHelpOptions = true,
      description = "Checks a signature over a digest; exits 1 when it does not verify.")
  static final class Verify implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin SuiteOption suite;

    @Option(names = "--public-key", required = true, paramLabel = "HEX",
        description = "64-byte public key (x || y).")
    String publicKey;

    @Option(names = "--digest", required = true, paramLabel = "HEX", description = "Digest.")
    String digest;

    @Option(names = "-r", required = true, paramLabel = "HEX", description = "Signature r.")
    String r;

    @Option(names = "-s", required = true, paramLabel = "HEX", description = "Signature s.")
    String s;

    @Override
    public Integer call() {
      byte[] key = Hex.decode(publicKey);
      if (key.length != 64) {
        throw new IllegalArgumentException(
            "--public-key must be 64 bytes (x || y), got " + key.length);
      }
      Signature signature = new Signature(
          new BigInteger(1, Hex.decode(r)), new BigInteger(1, Hex.decode(s)), 0);
      boolean valid = suite.suite().verify(hex32("--digest", digest), signature, key);
      spec.commandLine().getOut().println(valid ? "valid" : "INVALID");
      return valid ? 0 : 1;
    }
  }

  private static void printKeys(PrintWriter out, CryptoSuite suite, KeyPair keys) {
    out.println("suite:       " + suite.name());
    out.println("private key: " + Hex.encode0x(keys.privateKey()));
    out.println("public key:  " + Hex.encode0x(keys.publicKey()));
    out.println("address:     " + Hex.encode0x(suite.address(keys.publicKey())));
  }

  private static byte[] hex32(String option, String hex) {
    byte[] bytes = Hex.decode(hex);
    if (bytes.length != 32) {
      throw new IllegalArgumentException(option + " must be 32 bytes, got " + bytes.length);
    }
    return bytes;
  }

  private static String word(BigInteger value) {
    return Hex.encode0x(io.chorus.codec.Bytes.leftPad(
        io.chorus.codec.Bytes.trimLeadingZeros(value.toByteArray()), 32));
  }
}
