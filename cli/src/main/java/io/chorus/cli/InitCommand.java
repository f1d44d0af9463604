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

/**
 * {@code chorus init}: a dev node's data directory (a genesis file and a validator key), or with
 * {@code --validators N} a whole local network's (see {@link NetworkDir}).
 */
@Command(
    name = "init",
    mixinStandardHelpOptions = true,
    description = {
        "Creates a data directory for a dev chain: genesis.json (chain id, suite,",
        "fee mode, gas limit, block interval, the validator, and the funded test",
        "accounts) and node.key (the validator's key). Edit genesis.json before the",
        "first start to change anything.",
        "",
        "With --validators N (2 to 32) or --network it lays out a BFT network in",
        "DIR (default " + NetworkDir.DEFAULT + ") instead:",
        "  ca/            the consortium PKI ('chorus ca'): the root (ca.pem, ca.key)",
        "                 and one organisation per node, orgI/ (its CA's ca.pem, ca.key,",
        "                 and its data key pair data.key, data.pub)",
        "  node0/ ..      one member each: node.key (its consensus key), org-data.key",
        "                 (its organisation's data keys), the same genesis.json listing",
        "                 all N validators and each organisation's data key, and",
        "                 tls/: ca.pem (the root), node.pem (CN nodeI, OU node,",
        "                 O orgI, binding the consensus key, then orgI's CA),",
        "                 node-tls.key",
        "  network.json   each member's name, dir, RPC and p2p ports, key",
        "Certificates are valid from a day ago (for lagging clocks) for "
            + NetworkLayout.VALIDITY_YEARS + " years.",
        "Certificates and TLS keys are SM2 for --suite sm (nodes speak ShangMi TLS,",
        "TLS_SM4_GCM_SM3) and NIST P-256 for ethereum (TLS 1.3). Keep the ca/*.key",
        "files offline once the network is laid out.",
        "Start the network with 'chorus up --dir DIR'."})
final class InitCommand implements Callable<Integer> {
  /** The most validators a local network gets: 32 tolerates 10 faulty. */
  static final int VALIDATORS_MAX = 32;

  @Spec private CommandSpec spec;

  @Mixin private NodeOptions.Dir dir = new NodeOptions.Dir();

  @Option(names = "--validators", paramLabel = "N", description = "Validators: 1 (default) "
      + "makes a dev node's directory; 2 to " + VALIDATORS_MAX + " a network's (4 tolerates "
      + "1 faulty, 7 tolerates 2: n = 3f+1).")
  Integer validators;

  @Option(names = "--network", description = "Lay out a network directory even for "
      + "--validators 1.")
  boolean network;

  @Option(names = "--rpc-port", paramLabel = "PORT", description = "Network only: member i "
      + "serves JSON-RPC on PORT+i (default: " + NetworkLayout.RPC_PORT_BASE + "); 0 lets each "
      + "pick a free port when it starts.")
  Integer rpcPort;

  @Option(names = "--p2p-port", paramLabel = "PORT", description = "Network only: member i "
      + "listens for peers on PORT+i (default: " + NetworkLayout.P2P_PORT_BASE + "); 0 lets "
      + "'chorus up' pick free ports when it starts the network.")
  Integer p2pPort;

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
    int count = validators == null ? 1 : validators;
    if (count < 1 || count > VALIDATORS_MAX) {
      throw new IllegalArgumentException("--validators must be 1 to " + VALIDATORS_MAX
          + ", got " + count + " (4 is the smallest network that survives a fault)");
    }
    if (accounts < 0 || accounts > 1000) {
      throw new IllegalArgumentException("--accounts must be 0 to 1000, got " + accounts);
    }
    CryptoSuite crypto = CryptoSuite.byName(suite);
    parseFeeMode(feeMode);
    PrintWriter out = spec.commandLine().getOut();
    if (count == 1 && !network) {
      if (rpcPort != null || p2pPort != null) {
        throw new IllegalArgumentException("--rpc-port and --p2p-port set a network's ports: "
            + "add --validators N (N >= 2) or --network, or give a dev node its port at start "
            + "('chorus up --dev --rpc-port P')");
      }
      initDev(crypto, out);
      return 0;
    }
    Path root = dir.or(NetworkDir.DEFAULT);
    int rpcBase = rpcPort == null ? NetworkLayout.RPC_PORT_BASE : rpcPort;
    int p2pBase = p2pPort == null ? NetworkLayout.P2P_PORT_BASE : p2pPort;
    NetworkLayout.create(root, new NetworkLayout.Plan(crypto, chainId, count, rpcBase, p2pBase),
        this::genesis, new SecureRandom());
    out.println("initialized a network of " + count + " validators in " + root + " (chain id "
        + chainId + ", suite " + suite + ", " + accounts + " funded accounts); start it with "
        + "'chorus up --dir " + root + "'");
    return 0;
  }

  private void initDev(CryptoSuite crypto, PrintWriter out) {
    DataDir data = dir.dataDir();
    if (data.initialized()) {
      throw new IllegalArgumentException(data.genesis() + " exists already: use it as it is, "
          + "or pick another --dir for a new chain");
    }
    if (NetworkDir.isNetwork(data.root)) {
      throw new IllegalArgumentException(data.root + " holds a network (" + NetworkDir.FILE
          + "): pick another --dir for a dev chain");
    }
    byte[] nodeKey = new byte[32];
    new SecureRandom().nextBytes(nodeKey);
    KeyPair validator = crypto.keyPair(nodeKey);
    GenesisFile.write(genesis(List.of(validator.publicKey())), data.genesis());
    writeKey(data.nodeKey(), nodeKey);
    out.println("initialized " + data.root + " (chain id " + chainId + ", suite " + suite
        + ", " + accounts + " funded accounts)");
  }

  /**
   * The genesis these options describe, for these validators' public keys. The validators'
   * accounts are the governance committee, funded like the test accounts so that their votes
   * can pay for gas.
   */
  private Genesis genesis(List<byte[]> validatorKeys) {
    CryptoSuite crypto = CryptoSuite.byName(suite);
    Map<Address, Genesis.Allocation> alloc = new HashMap<>();
    for (Address account : testAccounts(crypto, mnemonic, accounts)) {
      alloc.put(account, Genesis.Allocation.funded(balance));
    }
    for (byte[] validator : validatorKeys) {
      alloc.put(Address.of(crypto.address(validator)), Genesis.Allocation.funded(balance));
    }
    return new Genesis(chainId, suite, parseFeeMode(feeMode), gasLimit, blockIntervalMs,
        System.currentTimeMillis() / 1000, new byte[0], validatorKeys, alloc);
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

  /** Writes a private key as hex, readable by its owner only. */
  static void writeKey(Path file, byte[] key) {
    writeSecret(file, Hex.encode(key));
  }

  /** Writes a secret (a key, a password, a token) on one line, readable by its owner only. */
  static void writeSecret(Path file, String secret) {
    try {
      Files.writeString(file, secret + "\n");
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
