package io.chorus.cli;

import com.esaulpaugh.headlong.abi.Function;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chorus.client.Abi;
import io.chorus.client.Account;
import io.chorus.client.ChorusClient;
import io.chorus.client.ClientException;
import io.chorus.client.Receipt;
import io.chorus.codec.Bytes;
import io.chorus.codec.Hex;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code chorus tx ...}: deploy, call and send to contracts, and transfer value, on a chain of
 * either suite: the client reads the chain's suite and id and signs in it (SM2 on {@code sm}
 * chains, which Ethereum tools cannot).
 */
@Command(
    name = "tx",
    mixinStandardHelpOptions = true,
    description = {"Sends transactions and calls to a Chorus node, signed in the chain's suite",
        "(SM2 + SM3 on sm chains, secp256k1 + keccak-256 on ethereum ones)."},
    subcommands = {TxCommand.Deploy.class, TxCommand.Call.class, TxCommand.Send.class,
        TxCommand.Transfer.class})
final class TxCommand {
  private static final Pattern AMOUNT =
      Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ether|gwei|wei)?");

  private TxCommand() {}

  /** {@code --url} and {@code --timeout}: the node to talk to and how long to wait for it. */
  static final class Connection {
    @Option(names = "--url", defaultValue = "http://127.0.0.1:8545", paramLabel = "URL",
        description = "The node's JSON-RPC URL (default: ${DEFAULT-VALUE}).")
    String url;

    @Option(names = "--timeout", defaultValue = "60", paramLabel = "SECONDS",
        description = "How long to wait for a receipt (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    ChorusClient connect() {
      return ChorusClient.connect(url);
    }

    Duration timeout() {
      if (timeoutSeconds <= 0) {
        throw new IllegalArgumentException("--timeout must be a positive number of seconds");
      }
      return Duration.ofSeconds(timeoutSeconds);
    }
  }

  /** The sender's private key: {@code --key HEX} or {@code --key-file FILE}. */
  static final class Key {
    @Option(names = "--key", paramLabel = "HEX", required = true,
        description = "The sender's 32-byte private key in hex.")
    String hex;

    @Option(names = "--key-file", paramLabel = "FILE", required = true,
        description = "A file holding the sender's private key in hex (as node.key).")
    Path file;

    byte[] privateKey() {
      String text = hex;
      String from = "--key";
      if (file != null) {
        from = "--key-file " + file;
        try {
          text = Files.readString(file).trim();
        } catch (IOException e) {
          throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
      }
      byte[] key;
      try {
        key = Hex.decode(text);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(from + " is not hex: " + e.getMessage(), e);
      }
      if (key.length != 32) {
        throw new IllegalArgumentException(from + " must be a 32-byte private key (64 hex "
            + "digits), got " + key.length + " bytes");
      }
      return key;
    }
  }

  /** The function to call: a signature, or a name in a JSON ABI; and its arguments. */
  static final class Method {
    @Option(names = "--method", required = true, paramLabel = "SIGNATURE",
        description = {"The function: its signature, e.g. 'transfer(address,uint256)',",
            "or its name with --abi."})
    String method;

    @Option(names = "--abi", paramLabel = "FILE", description = "A JSON ABI, or a solc or "
        + "hardhat artifact holding one, to find --method by name in.")
    Path abi;

    @Option(names = "--returns", paramLabel = "TYPES", description = "Return types to decode "
        + "the result with, e.g. '(uint256,bool)' (with --abi: taken from the ABI).")
    String returns;

    @Option(names = "--args", arity = "1..*", paramLabel = "ARG", description = {"The "
        + "arguments, in order: numbers in decimal or 0x hex, addresses and bytes in hex,",
        "bool as true/false, strings as they are, arrays as [a,b,c]."})
    List<String> args = new ArrayList<>();

    Function function() {
      if (abi == null) {
        if (!method.contains("(")) {
          throw new IllegalArgumentException("--method " + method + " needs its parameter "
              + "types, e.g. '" + method + "(uint256)', or give the contract's ABI with --abi");
        }
        return Abi.function(method, returns);
      }
      if (returns != null) {
        throw new IllegalArgumentException("--returns is for a --method signature; with --abi "
            + "the ABI gives the return types");
      }
      return Abi.function(abiJson(abi), method, args.size());
    }
  }

  @Command(name = "deploy", mixinStandardHelpOptions = true,
      description = {"Deploys a contract, waits for its receipt and prints its address.",
          "--bin is the creation bytecode in hex (solc --bin) or a hardhat/solc JSON",
          "artifact; constructor arguments need --constructor TYPES and --args."})
  static final class Deploy implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Connection node = new Connection();
    @ArgGroup(multiplicity = "1") Key key;

    @Option(names = "--bin", required = true, paramLabel = "FILE",
        description = "Creation bytecode: hex text or a JSON artifact with 'bytecode'.")
    Path bin;

    @Option(names = "--constructor", paramLabel = "TYPES",
        description = "The constructor's parameter types, e.g. '(string,uint256)'.")
    String constructor;

    @Option(names = "--args", arity = "1..*", paramLabel = "ARG",
        description = "Constructor arguments, as for 'tx send'.")
    List<String> args = new ArrayList<>();

    @Option(names = "--gas-limit", paramLabel = "GAS",
        description = "Gas limit (default: the node's estimate + 25%%).")
    long gasLimit;

    @Override
    public Integer call() {
      return run(spec, () -> {
        byte[] initcode = bytecode(bin);
        if (constructor != null) {
          initcode = Bytes.concat(initcode, Abi.encodeArguments(constructor, args));
        } else if (!args.isEmpty()) {
          throw new IllegalArgumentException("--args for a constructor need its types: add "
              + "--constructor '(type,...)'");
        }
        ChorusClient client = node.connect();
        Account from = client.account(key.privateKey());
        byte[] hash = client.send(from, null, BigInteger.ZERO, initcode, gasLimit);
        PrintWriter out = spec.commandLine().getOut();
        out.println("transaction " + Hex.encode0x(hash) + " from " + from.addressHex() + " ("
            + client.suite().name() + ")");
        Receipt receipt = client.waitForReceipt(hash, node.timeout());
        printReceipt(out, receipt);
        if (receipt.contractAddress() == null || !receipt.success()) {
          throw new ClientException("the deployment failed: the constructor reverted or ran "
              + "out of gas (raise --gas-limit, or check --args)");
        }
        out.println("contract " + Hex.encode0x(receipt.contractAddress()));
        return 0;
      });
    }
  }

  @Command(name = "call", mixinStandardHelpOptions = true,
      description = "Calls a function without a transaction (eth_call) and prints the result.")
  static final class Call implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Connection node = new Connection();
    @Mixin Method method = new Method();

    @Option(names = "--to", required = true, paramLabel = "ADDRESS", description = "Contract.")
    String to;

    @Option(names = "--from", paramLabel = "ADDRESS", description = "Caller (msg.sender).")
    String from;

    @Override
    public Integer call() {
      return run(spec, () -> {
        Function function = method.function();
        byte[] data = Abi.encodeCall(function, method.args);
        ChorusClient client = node.connect();
        byte[] output = client.call(from == null ? null : address("--from", from),
            address("--to", to), data);
        PrintWriter out = spec.commandLine().getOut();
        if (function.getOutputs().isEmpty()) {
          out.println(Hex.encode0x(output));
        } else {
          Abi.decodeReturn(function, output).forEach(out::println);
        }
        return 0;
      });
    }
  }

  @Command(name = "send", mixinStandardHelpOptions = true,
      description = {"Sends a transaction calling a function and waits for its receipt.",
          "Prints the hash, then the receipt's status, block, gas used and logs."})
  static final class Send implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Connection node = new Connection();
    @ArgGroup(multiplicity = "1") Key key;
    @Mixin Method method = new Method();

    @Option(names = "--to", required = true, paramLabel = "ADDRESS", description = "Contract.")
    String to;

    @Option(names = "--value", defaultValue = "0", paramLabel = "AMOUNT",
        description = "Value sent along: wei, or with a unit: 1.5ether, 20gwei (default: 0).")
    String value;

    @Option(names = "--gas-limit", paramLabel = "GAS",
        description = "Gas limit (default: the node's estimate + 25%%).")
    long gasLimit;

    @Override
    public Integer call() {
      return run(spec, () -> {
        byte[] data = Abi.encodeCall(method.function(), method.args);
        return sendAndReport(spec, node, key, address("--to", to), wei(value), data, gasLimit);
      });
    }
  }

  @Command(name = "transfer", mixinStandardHelpOptions = true,
      description = "Transfers value to an address and waits for the receipt.")
  static final class Transfer implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Connection node = new Connection();
    @ArgGroup(multiplicity = "1") Key key;

    @Option(names = "--to", required = true, paramLabel = "ADDRESS", description = "Recipient.")
    String to;

    @Option(names = "--value", required = true, paramLabel = "AMOUNT",
        description = "Wei, or with a unit: 1.5ether, 20gwei.")
    String value;

    @Override
    public Integer call() {
      return run(spec, () -> sendAndReport(spec, node, key, address("--to", to), wei(value),
          new byte[0], 0));
    }
  }

  private static int sendAndReport(CommandSpec spec, Connection node, Key key, byte[] to,
      BigInteger value, byte[] data, long gasLimit) {
    ChorusClient client = node.connect();
    Account from = client.account(key.privateKey());
    byte[] hash = client.send(from, to, value, data, gasLimit);
    PrintWriter out = spec.commandLine().getOut();
    out.println("transaction " + Hex.encode0x(hash) + " from " + from.addressHex() + " ("
        + client.suite().name() + ")");
    Receipt receipt = client.waitForReceipt(hash, node.timeout());
    printReceipt(out, receipt);
    return receipt.success() ? 0 : 1;
  }

  private static void printReceipt(PrintWriter out, Receipt receipt) {
    out.println("status " + (receipt.success() ? "1 (success)" : "0 (reverted)") + " in block "
        + receipt.blockNumber() + ", gas used " + receipt.gasUsed());
    for (int i = 0; i < receipt.logs().size(); i++) {
      Receipt.Log log = receipt.logs().get(i);
      out.println("log " + i + " from " + Hex.encode0x(log.address()));
      for (byte[] topic : log.topics()) {
        out.println("  topic " + Hex.encode0x(topic));
      }
      out.println("  data  " + Hex.encode0x(log.data()));
    }
  }

  /** A verb's work, returning its exit code. */
  interface Verb {
    int run();
  }

  /**
   * Runs a verb; a refusal or failure of the node becomes a message and exit code 1 (a usage
   * mistake, an IllegalArgumentException, goes on to the CLI's handler: exit code 2).
   */
  static int run(CommandSpec spec, Verb verb) {
    try {
      return verb.run();
    } catch (ClientException e) {
      spec.commandLine().getErr().println("chorus: " + e.getMessage());
      return 1;
    }
  }

  static byte[] address(String option, String text) {
    if (!text.matches("0[xX][0-9a-fA-F]{40}")) {
      throw new IllegalArgumentException(option + " must be an address: 0x and 40 hex digits, "
          + "got '" + text + "'");
    }
    return Hex.decode(text);
  }

  /** An amount in wei: an integer, or a decimal with the unit ether or gwei. */
  static BigInteger wei(String text) {
    Matcher amount = AMOUNT.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!amount.matches()) {
      throw new IllegalArgumentException("the amount '" + text + "' is not wei or a number "
          + "with the unit ether or gwei (e.g. 1000, 1.5ether, 20gwei)");
    }
    int decimals = amount.group(2) == null ? 0 : switch (amount.group(2)) {
      case "ether" -> 18;
      case "gwei" -> 9;
      default -> 0;
    };
    try {
      return new BigDecimal(amount.group(1)).movePointRight(decimals).toBigIntegerExact();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("the amount '" + text + "' is not a whole number of "
          + "wei", e);
    }
  }

  /** Creation bytecode from hex text, or from a JSON artifact's "bytecode". */
  static byte[] bytecode(Path file) {
    String text = read(file).trim();
    if (text.startsWith("{")) {
      JsonNode json = json(file, text);
      JsonNode code = json.path("bytecode");
      if (code.isObject()) {
        code = code.path("object"); // solc standard JSON output
      }
      if (!code.isTextual() || code.asText().isEmpty()) {
        throw new IllegalArgumentException(file + " has no \"bytecode\": give the creation "
            + "bytecode in hex or a hardhat/solc artifact");
      }
      text = code.asText();
    }
    byte[] code;
    try {
      code = Hex.decode(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + " is not bytecode in hex: " + e.getMessage(), e);
    }
    if (code.length == 0) {
      throw new IllegalArgumentException(file + " holds no bytecode");
    }
    return code;
  }

  /** A JSON ABI array, or the "abi" of an artifact, as text for headlong. */
  static String abiJson(Path file) {
    JsonNode json = json(file, read(file));
    JsonNode abi = json.isArray() ? json : json.path("abi");
    if (!abi.isArray()) {
      throw new IllegalArgumentException(file + " holds no ABI: give a JSON ABI array or an "
          + "artifact with \"abi\"");
    }
    return abi.toString();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static JsonNode json(Path file, String text) {
    try {
      return new ObjectMapper().readTree(text);
    } catch (IOException e) {
      throw new IllegalArgumentException(file + " is not valid JSON: " + e.getMessage(), e);
    }
  }
}
