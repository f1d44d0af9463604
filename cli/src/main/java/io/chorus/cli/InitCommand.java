package io.chorus.cli;

import io.chorus.chain.GenesisFile;
import io.chorus.codec.Hex;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.HdWallet;
import io.chorus.crypto.KeyPair;
import io.chorus.evm.Address;
import io.chorus.ledger.Genesis;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code chorus init}: a data directory with a genesis file and a validator key. */
@Command(
    name = "init",
    mixinStandardHelpOptions = true,
    description = {
        "Creates a data directory for a dev chain: genesis.json (chain id, suite, fee mode, gas",
        "limit, block interval, the validator, and the funded test accounts) and node.key (the",
        "validator's key). Edit genesis.json before the first start to change anything."})
final class InitCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Mixin private NodeOptions.Dir dir = new NodeOptions.Dir();

  @Option(names = "--chain-id", defaultValue = "1337", description = "Chain id (default: "
      + "${DEFAULT-VALUE}).")
  BigInteger chainId;

  @Option(names = "--suite", defaultValue = "ethereum",
      description = "Crypto suite: ethereum or sm (default: ${DEFAULT-VALUE}).")
  String suite;

  @Option(names = "--fee-mode", defaultValue = "ethereum1559",
      description = "ethereum1559 or zero (gas metered but free) (default: ${DEFAULT-VALUE}).")
  String feeMode;

  @Option(names = "--gas-limit", defaultValue = "100000000",
      description = "Block gas limit (default: ${DEFAULT-VALUE}).")
  long gasLimit;

  @Option(names = "--block-interval-ms", defaultValue = "1000",
      description = "Longest time between blocks when idle, ms (default: ${DEFAULT-VALUE}).")
  long blockIntervalMs;

  @Option(names = "--accounts", defaultValue = "10",
      description = "Test accounts to fund from the mnemonic (default: ${DEFAULT-VALUE}).")
  int accounts;

  @Option(names = "--mnemonic", defaultValue = HdWallet.TEST_MNEMONIC,
      description = "BIP-39 phrase of the funded accounts (default: the standard test "
          + "mnemonic, as hardhat and ganache use).")
  String mnemonic;

  @Option(names = "--balance", defaultValue = "10000000000000000000000",
      description = "Wei per funded account (default: ${DEFAULT-VALUE}, 10,000 ether).")
  BigInteger balance;

  @Override
  public Integer call() {
    DataDir data = dir.dataDir();
    if (data.initialized()) {
      throw new IllegalArgumentException(data.genesis() + " exists already: use it as it is, "
          + "or pick another --dir for a new chain");
    }
    if (accounts < 0 || accounts > 1000) {
      throw new IllegalArgumentException("--accounts must be 0 to 1000, got " + accounts);
    }
    CryptoSuite crypto = CryptoSuite.byName(suite);
    byte[] nodeKey = new byte[32];
    new SecureRandom().nextBytes(nodeKey);
    KeyPair validator = crypto.keyPair(nodeKey);
    Map<Address, Genesis.Allocation> alloc = new HashMap<>();
    for (Address account : testAccounts(crypto, mnemonic, accounts)) {
      alloc.put(account, Genesis.Allocation.funded(balance));
    }
    Genesis genesis = new Genesis(chainId, suite, parseFeeMode(feeMode), gasLimit,
        blockIntervalMs, System.currentTimeMillis() / 1000, new byte[0],
        List.of(validator.publicKey()), alloc);
    GenesisFile.write(genesis, data.genesis());
    writeKey(data.nodeKey(), nodeKey);
    PrintWriter out = spec.commandLine().getOut();
    out.println("initialized " + data.root + " (chain id " + chainId + ", suite " + suite
        + ", " + accounts + " funded accounts)");
    return 0;
  }

  static Genesis.FeeMode parseFeeMode(String text) {
    return switch (text) {
      case "ethereum1559" -> Genesis.FeeMode.ETHEREUM_1559;
      case "zero" -> Genesis.FeeMode.ZERO;
      default -> throw new IllegalArgumentException("--fee-mode must be ethereum1559 or zero, "
          + "got " + text);
    };
  }

  /** The first {@code count} accounts of a mnemonic on Ethereum's derivation path. */
  static List<Address> testAccounts(CryptoSuite crypto, String mnemonic, int count) {
    return java.util.stream.IntStream.range(0, count).mapToObj(i -> Address.of(crypto.address(
        crypto.keyPair(HdWallet.ethereumAccountKey(mnemonic, i)).publicKey()))).toList();
  }

  private static void writeKey(Path file, byte[] key) {
    try {
      Files.writeString(file, Hex.encode(key) + "\n");
      try {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // Not a POSIX file system: the key keeps the directory's default permissions.
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
