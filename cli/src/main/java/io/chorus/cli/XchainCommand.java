package io.chorus.cli;

import com.esaulpaugh.headlong.abi.Address;
import com.esaulpaugh.headlong.abi.Function;
import com.esaulpaugh.headlong.abi.Tuple;
import com.esaulpaugh.headlong.abi.TupleType;
import com.fasterxml.jackson.databind.JsonNode;
import io.chorus.client.Account;
import io.chorus.client.ChorusClient;
import io.chorus.client.ClientException;
import io.chorus.client.Receipt;
import io.chorus.codec.Bytes;
import io.chorus.codec.Hex;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code chorus xchain ...}: the cross-chain applications that ship with Chorus (the ICS-20-like
 * token transfer and the notary bridge, compiled by solc: {@code state/tools/xapps.sh}) deployed,
 * bound to their peers and used from the command line, and the fields a {@code crosschain-client}
 * vote needs about a chain.
 */
@Command(
    name = "xchain",
    mixinStandardHelpOptions = true,
    description = {"Cross-chain applications (docs/cross-chain.md): deploy the token transfer",
        "or the notary bridge on a chain, bind it to its peer on the other chain, send tokens",
        "and read balances; and print what a crosschain-client vote needs to know of a chain."},
    subcommands = {XchainCommand.TrustedHeader.class, XchainCommand.DeployApp.class,
        XchainCommand.Bind.class, XchainCommand.Transfer.class, XchainCommand.Balance.class})
final class XchainCommand {
  /** Where the compiled applications are on the class path ({@code state}'s main resources). */
  static final String APPS = "/xapps/";
  static final long DEPLOY_GAS = 5_000_000;
  private static final Function REGISTER_PORT = Function.parse("registerPort(uint64)");
  private static final Function BIND_PEER = Function.parse("bindPeer(string,string)");
  private static final Function APPROVE = Function.parse("approve(address,uint256)", "(bool)");
  private static final Function SEND = Function.parse(
      "send(string,uint256,string,string,uint64,string)", "(uint64)");
  private static final Function BALANCE_OF = Function.parse("balanceOf(address)", "(uint256)");
  private static final Function VOUCHER_BALANCE = Function.parse("balanceOf(string,address)",
      "(uint256)");
  private static final Function VOUCHER_PREFIX = Function.parse("voucherPrefix(string)",
      "(string)");
  /** The router's bound on a timeout: at most a day after the sending block (IBC v2's). */
  private static final long MAX_TIMEOUT_SECONDS = 86_400;

  private XchainCommand() {}

  /** The creation bytecode of an application compiled into the jar. */
  static byte[] bytecode(String contract) {
    try (InputStream in = XchainCommand.class.getResourceAsStream(APPS + contract + ".bin")) {
      if (in == null) {
        throw new IllegalStateException("this build has no " + APPS + contract + ".bin: "
            + "state/tools/xapps.sh writes it into state's resources");
      }
      return Hex.decode(new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The applications {@code deploy-app} knows, by the name a user types. */
  enum App {
    TOKEN("TokenTransfer", true),
    NOTARY("NotaryBridge", true),
    ERC20("SimpleToken", false);

    final String contract;
    final boolean port;

    App(String contract, boolean port) {
      this.contract = contract;
      this.port = port;
    }

    static App named(String name) {
      for (App app : values()) {
        if (app.name().toLowerCase(Locale.ROOT).equals(name)) {
          return app;
        }
      }
      throw new IllegalArgumentException("no application '" + name + "': token (the"
          + " ICS-20-like transfer), notary (the notary bridge) or erc20 (a plain token to"
          + " transfer)");
    }
  }

  @Command(name = "trusted-header", mixinStandardHelpOptions = true,
      description = {"Prints, on one line, the fields of a crosschain-client vote that",
          "describe the chain at --url: CHAIN_ID SUITE GENESIS_HASH HEIGHT HEADER_HASH (suite",
          "0 ethereum, 1 sm; the head's height and hash, or those of --height). Use it as",
          "'chorus gov propose crosschain-client ID $(chorus xchain trusted-header --url B)",
          "COUNTERPARTY ...' on the other chain: the vote trusts that block of B."})
  static final class TrustedHeader implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin TxCommand.Connection node = new TxCommand.Connection();

    @Option(names = "--height", paramLabel = "N",
        description = "The block to trust (default: the head).")
    Long height;

    @Override
    public Integer call() {
      return TxCommand.run(spec, () -> {
        if (height != null && height < 0) {
          throw new IllegalArgumentException("--height must be 0 or more");
        }
        ChorusClient client = node.connect();
        JsonNode block = client.rpc().call("eth_getBlockByNumber",
            height == null ? "latest" : "0x" + Long.toHexString(height), false);
        if (block.isNull()) {
          throw new IllegalArgumentException("the chain at " + node.url + " has no block "
              + height + " yet");
        }
        String genesis = client.rpc().call("chorus_nodeStatus").path("genesisHash").asText();
        spec.commandLine().getOut().println(client.chainId() + " "
            + (client.suite().name().equals("sm") ? 1 : 0) + " " + genesis + " "
            + Long.decode(block.path("number").asText()) + " " + block.path("hash").asText());
        return 0;
      });
    }
  }

  @Command(name = "deploy-app", mixinStandardHelpOptions = true,
      description = {"Deploys an application from the jar with the key's account as its admin",
          "and prints 'contract 0x...'. token and notary are then registered as ports of the",
          "chain's router (with --port-gas, the gas each packet's call gets); bind each to its",
          "peer with 'chorus xchain bind'. erc20 is a plain ERC-20 whose --supply goes to the",
          "key's account: a token to send across."})
  static final class DeployApp implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin TxCommand.Connection node = new TxCommand.Connection();
    @ArgGroup(multiplicity = "1") TxCommand.Key key;

    @Parameters(index = "0", paramLabel = "APP", description = "token, notary or erc20.")
    String app;

    @Option(names = "--port-gas", defaultValue = "500000", paramLabel = "GAS",
        description = "token, notary: the port's gas bound, 1 to 1,000,000 (default:"
            + " ${DEFAULT-VALUE}).")
    long portGas;

    @Option(names = "--supply", defaultValue = "1000000", paramLabel = "N",
        description = "erc20: the supply minted to the key's account (default: ${DEFAULT-VALUE}).")
    BigInteger supply;

    @Override
    public Integer call() {
      App which = App.named(app);
      if (portGas < 1 || portGas > 1_000_000) {
        throw new IllegalArgumentException("--port-gas must be 1 to 1,000,000 (the router's"
            + " bound), got " + portGas);
      }
      if (supply.signum() < 0 || supply.bitLength() > 256) {
        throw new IllegalArgumentException("--supply must be 0 to 2^256-1");
      }
      return TxCommand.run(spec, () -> {
        byte[] init = bytecode(which.contract);
        if (which == App.ERC20) {
          init = Bytes.concat(init, TupleType.parse("(uint256)").encode(Tuple.singleton(supply))
              .array());
        }
        ChorusClient client = node.connect();
        Account admin = client.account(key.privateKey());
        Receipt deployed = client.deploy(admin, init, DEPLOY_GAS, node.timeout());
        byte[] address = deployed.contractAddress();
        PrintWriter out = spec.commandLine().getOut();
        out.println(which.contract + " deployed by " + admin.addressHex() + " in block "
            + deployed.blockNumber() + " (" + client.suite().name() + ")");
        if (which.port) {
          Receipt registered = mined(client, admin, address, REGISTER_PORT.encodeCallWithArgs(
              BigInteger.valueOf(portGas)).array(), node, "registerPort");
          out.println("port registered in block " + registered.blockNumber() + ", gas bound "
              + portGas);
        }
        out.println("contract " + Hex.encode0x(address));
        return 0;
      });
    }
  }

  @Command(name = "bind", mixinStandardHelpOptions = true,
      description = {"Binds an application (token or notary, as its admin) to its peer: the",
          "same application on the chain --client tracks. Once per client, never changed: the",
          "application then accepts packets through that client only from the peer."})
  static final class Bind implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin TxCommand.Connection node = new TxCommand.Connection();
    @ArgGroup(multiplicity = "1") TxCommand.Key key;

    @Option(names = "--app", required = true, paramLabel = "ADDRESS",
        description = "The application on this chain.")
    String app;

    @Option(names = "--client", required = true, paramLabel = "ID",
        description = "This chain's light client of the other chain (e.g. chorus-client-0).")
    String client;

    @Option(names = "--peer", required = true, paramLabel = "ADDRESS",
        description = "The same application's address on the other chain.")
    String peer;

    @Override
    public Integer call() {
      byte[] at = TxCommand.address("--app", app);
      TxCommand.address("--peer", peer);
      return TxCommand.run(spec, () -> {
        ChorusClient chain = node.connect();
        Receipt bound = mined(chain, chain.account(key.privateKey()), at, BIND_PEER
            .encodeCallWithArgs(client, peer.toLowerCase(Locale.ROOT)).array(), node,
            "bindPeer");
        spec.commandLine().getOut().println(app + " bound to its peer "
            + peer.toLowerCase(Locale.ROOT) + " through " + client + " in block "
            + bound.blockNumber());
        return 0;
      });
    }
  }

  @Command(name = "transfer", mixinStandardHelpOptions = true,
      description = {"Sends tokens across through the token application: an ERC-20 of this",
          "chain (--denom its address; approved to the application first, then escrowed), or",
          "a voucher received earlier (--denom its full name, see 'balance --via'; burnt,",
          "and released from the escrow on its home chain). Prints the packet's sequence; a",
          "relayer carries it. Refunded if the other side refuses it or --timeout passes."})
  static final class Transfer implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin TxCommand.Connection node = new TxCommand.Connection();
    @ArgGroup(multiplicity = "1") TxCommand.Key key;

    @Option(names = "--app", required = true, paramLabel = "ADDRESS",
        description = "The token application on this chain.")
    String app;

    @Option(names = "--client", required = true, paramLabel = "ID",
        description = "This chain's light client of the destination.")
    String client;

    @Option(names = "--denom", required = true, paramLabel = "DENOM",
        description = "An ERC-20's address, or a voucher's name.")
    String denom;

    @Option(names = "--amount", required = true, paramLabel = "N",
        description = "How many of the token's smallest unit.")
    BigInteger amount;

    @Option(names = "--receiver", required = true, paramLabel = "ADDRESS",
        description = "Who gets them on the destination.")
    String receiver;

    @Option(names = "--timeout-after", defaultValue = "600", paramLabel = "SECONDS",
        description = "The packet times out this long after this chain's head, in the"
            + " destination's time (default: ${DEFAULT-VALUE}; at most 86400).")
    long timeoutAfter;

    @Option(names = "--memo", defaultValue = "", paramLabel = "TEXT",
        description = "ICS-20's memo (default: empty).")
    String memo;

    @Override
    public Integer call() {
      byte[] at = TxCommand.address("--app", app);
      TxCommand.address("--receiver", receiver);
      if (amount.signum() <= 0 || amount.bitLength() > 256) {
        throw new IllegalArgumentException("--amount must be 1 to 2^256-1");
      }
      if (timeoutAfter < 1 || timeoutAfter > MAX_TIMEOUT_SECONDS) {
        throw new IllegalArgumentException("--timeout-after must be 1 to " + MAX_TIMEOUT_SECONDS
            + " seconds (the router's bound)");
      }
      boolean native20 = denom.matches("0[xX][0-9a-fA-F]{40}");
      return TxCommand.run(spec, () -> {
        ChorusClient chain = node.connect();
        Account from = chain.account(key.privateKey());
        PrintWriter out = spec.commandLine().getOut();
        String sentDenom = denom;
        if (native20) {
          sentDenom = denom.toLowerCase(Locale.ROOT);
          mined(chain, from, Hex.decode(denom), APPROVE.encodeCallWithArgs(abiAddress(app),
              amount).array(), node, "approve");
        }
        long head = Long.decode(chain.rpc().call("eth_getBlockByNumber", "latest", false)
            .path("timestamp").asText());
        Receipt sent = mined(chain, from, at, SEND.encodeCallWithArgs(sentDenom, amount,
            receiver.toLowerCase(Locale.ROOT), client, BigInteger.valueOf(head + timeoutAfter),
            memo).array(), node, "send");
        out.println("sent " + amount + " " + sentDenom + " to " + receiver + " through "
            + client + " in block " + sent.blockNumber() + ": packet " + client + "#"
            + sequence(sent));
        return 0;
      });
    }
  }

  @Command(name = "balance", mixinStandardHelpOptions = true,
      description = {"Prints a holder's balance: of an ERC-20 (--denom its address), or of a",
          "voucher in the token application (--denom its name; or, with --via CLIENT, the",
          "denomination as the other chain names it, received through this chain's client",
          "CLIENT: the voucher's name is printed too)."})
  static final class Balance implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin TxCommand.Connection node = new TxCommand.Connection();

    @Option(names = "--app", paramLabel = "ADDRESS",
        description = "The token application on this chain (for a voucher).")
    String app;

    @Option(names = "--denom", required = true, paramLabel = "DENOM",
        description = "An ERC-20's address, or a voucher's name.")
    String denom;

    @Option(names = "--via", paramLabel = "ID",
        description = "The voucher of --denom that came in through this client.")
    String via;

    @Option(names = "--holder", required = true, paramLabel = "ADDRESS",
        description = "Whose balance.")
    String holder;

    @Override
    public Integer call() {
      TxCommand.address("--holder", holder);
      boolean native20 = via == null && denom.matches("0[xX][0-9a-fA-F]{40}");
      if (!native20 && app == null) {
        throw new IllegalArgumentException("a voucher's balance is kept by the token"
            + " application: give its address with --app");
      }
      return TxCommand.run(spec, () -> {
        ChorusClient chain = node.connect();
        PrintWriter out = spec.commandLine().getOut();
        if (native20) {
          BigInteger balance = view(chain, Hex.decode(denom), BALANCE_OF, abiAddress(holder));
          out.println(balance);
          return 0;
        }
        byte[] at = TxCommand.address("--app", app);
        String voucher = denom;
        if (via != null) {
          voucher = view(chain, at, VOUCHER_PREFIX, via) + denom.toLowerCase(Locale.ROOT);
        }
        BigInteger balance = view(chain, at, VOUCHER_BALANCE, voucher, abiAddress(holder));
        out.println(via == null ? balance.toString() : balance + " " + voucher);
        return 0;
      });
    }
  }

  private static <T> T view(ChorusClient chain, byte[] to, Function f, Object... args) {
    return f.decodeReturn(chain.call(null, to, f.encodeCallWithArgs(args).array())).get(0);
  }

  /** Sends a call and waits for it; a revert is an error naming the call. */
  private static Receipt mined(ChorusClient chain, Account from, byte[] to, byte[] data,
      TxCommand.Connection node, String what) {
    Receipt receipt = chain.waitForReceipt(chain.send(from, to, BigInteger.ZERO, data, 0),
        node.timeout());
    if (!receipt.success()) {
      throw new ClientException(what + " reverted in block " + receipt.blockNumber());
    }
    return receipt;
  }

  /** The sequence of the packet a transaction sent (the router's {@code PacketSent} log). */
  private static long sequence(Receipt receipt) {
    byte[] topic = RelayChain.topic0(RelayChain.PACKET_SENT);
    for (Receipt.Log log : receipt.logs()) {
      if (java.util.Arrays.equals(RelayChain.ROUTER, log.address())
          && java.util.Arrays.equals(topic, log.topics().get(0))) {
        Tuple packet = RelayChain.PACKET_SENT.getNonIndexedParams().decode(log.data()).get(0);
        return RelayChain.sequence(packet);
      }
    }
    throw new ClientException("the send in block " + receipt.blockNumber() + " logged no"
        + " packet");
  }

  private static Address abiAddress(String hex) {
    return Address.wrap(Address.toChecksumAddress(hex.toLowerCase(Locale.ROOT)));
  }
}
