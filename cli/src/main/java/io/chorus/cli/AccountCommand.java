package io.chorus.cli;

import io.chorus.chain.GenesisFile;
import io.chorus.codec.Hex;
import io.chorus.crypto.CryptoSuite;
import io.chorus.evm.Address;
import io.chorus.service.Keystore;
import java.io.Console;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code chorus account}: the accounts in a node's encrypted keystore. */
@Command(
    name = "account",
    mixinStandardHelpOptions = true,
    description = {
        "The accounts a node signs REST API writes for, in DIR/" + Keystore.DIR_NAME + "/:",
        "each private key encrypted with AES-256-GCM under a key derived from a password",
        "by scrypt. The node unlocks them at start with --keystore-password-file or",
        "--keystore-password-env; all accounts of a node share that password."},
    subcommands = {AccountCommand.New.class, AccountCommand.Import.class,
        AccountCommand.ListAccounts.class})
final class AccountCommand {
  private AccountCommand() {}

  /** Where the password comes from: a file, or the console (asked twice for a new one). */
  static final class PasswordOption {
    @Option(names = "--password-file", paramLabel = "FILE",
        description = "Read the keystore password from FILE's first line (default: ask).")
    Path file;

    char[] read(boolean confirm) {
      if (file != null) {
        return readFile(file);
      }
      Console console = System.console();
      if (console == null) {
        throw new IllegalArgumentException("no console to ask the password on: give"
            + " --password-file FILE");
      }
      char[] password = console.readPassword("keystore password: ");
      if (confirm) {
        char[] again = console.readPassword("again: ");
        if (!Arrays.equals(password, again)) {
          throw new IllegalArgumentException("the two passwords differ");
        }
      }
      return password;
    }
  }

  /** A password file's first line, without its line end. */
  static char[] readFile(Path file) {
    try {
      String text = Files.readString(file);
      int end = text.indexOf('\n');
      String line = end < 0 ? text : text.substring(0, end);
      return line.strip().toCharArray();
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the password file " + file + ": "
          + e.getMessage());
    }
  }

  static CryptoSuite suite(Path node) {
    return CryptoSuite.byName(GenesisFile.read(new DataDir(node).genesis()).suite());
  }

  @Command(name = "new", mixinStandardHelpOptions = true,
      description = "Makes a new account in the chain's suite and prints its address.")
  static final class New implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin NodeOptions.Dir dir = new NodeOptions.Dir();
    @Mixin PasswordOption password = new PasswordOption();

    @Override
    public Integer call() {
      Path node = TokenCommand.nodeDir(dir);
      Address address = Keystore.create(node, suite(node), password.read(true),
          new SecureRandom());
      spec.commandLine().getOut().println(Hex.encode0x(address.toArray()));
      return 0;
    }
  }

  @Command(name = "import", mixinStandardHelpOptions = true,
      description = "Stores an existing private key (hex, from --key-file) and prints its"
          + " address.")
  static final class Import implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin NodeOptions.Dir dir = new NodeOptions.Dir();
    @Mixin PasswordOption password = new PasswordOption();

    @Option(names = "--key-file", required = true, paramLabel = "FILE",
        description = "A file holding the 32-byte private key as hex.")
    Path keyFile;

    @Override
    public Integer call() {
      Path node = TokenCommand.nodeDir(dir);
      byte[] key = Hex.decode(new String(readFile(keyFile)));
      Address address = Keystore.importKey(node, suite(node), key, password.read(true),
          new SecureRandom());
      Arrays.fill(key, (byte) 0);
      spec.commandLine().getOut().println(Hex.encode0x(address.toArray()));
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "Lists the keystore's accounts (no password needed).")
  static final class ListAccounts implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin NodeOptions.Dir dir = new NodeOptions.Dir();

    @Override
    public Integer call() {
      for (Address address : Keystore.list(TokenCommand.nodeDir(dir))) {
        spec.commandLine().getOut().println(Hex.encode0x(address.toArray()));
      }
      return 0;
    }
  }
}
