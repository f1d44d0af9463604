package io.chorus.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.chorus.client.ClientException;
import io.chorus.client.JsonRpcClient;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code chorus proof}: fetches a proof bundle from a node, for {@code chorus verify}. */
@Command(
    name = "proof",
    mixinStandardHelpOptions = true,
    description = {
        "Fetches a proof bundle (JSON, format chorus-proof/1) and prints it: redirect it to a",
        "file and hand it to anyone, who checks it offline with 'chorus verify FILE --genesis",
        "genesis.json'. The block must be final on a BFT network (a dev chain has no commit",
        "certificates to prove anything with)."},
    subcommands = {ProofCommand.Tx.class, ProofCommand.Receipt.class, ProofCommand.Log.class,
        ProofCommand.State.class, ProofCommand.Record.class})
final class ProofCommand {
  /** The node to ask. */
  static class Target {
    @Spec CommandSpec spec;

    @Option(names = "--url", defaultValue = "http://127.0.0.1:8545",
        description = "The node's JSON-RPC URL (default: ${DEFAULT-VALUE}).")
    String url;

    int fetch(String method, Object... params) {
      JsonNode bundle;
      try {
        bundle = new JsonRpcClient(url).call(method, params);
      } catch (ClientException e) {
        spec.commandLine().getErr().println("chorus proof: " + e.getMessage());
        return 1;
      }
      spec.commandLine().getOut().println(bundle.toPrettyString());
      return 0;
    }
  }

  @Command(name = "tx", mixinStandardHelpOptions = true,
      description = "Proves a transaction was included in a final block.")
  static final class Tx extends Target implements Callable<Integer> {
    @Parameters(paramLabel = "TX_HASH", description = "The transaction's hash (0x…).")
    String hash;

    @Override
    public Integer call() {
      return fetch("chorus_getTransactionProof", hash);
    }
  }

  @Command(name = "receipt", mixinStandardHelpOptions = true,
      description = "Proves a transaction and its receipt (status, logs).")
  static final class Receipt extends Target implements Callable<Integer> {
    @Parameters(paramLabel = "TX_HASH", description = "The transaction's hash (0x…).")
    String hash;

    @Override
    public Integer call() {
      return fetch("chorus_getReceiptProof", hash);
    }
  }

  @Command(name = "log", mixinStandardHelpOptions = true,
      description = "Proves one log a transaction emitted.")
  static final class Log extends Target implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "TX_HASH", description = "The transaction's hash.")
    String hash;

    @Parameters(index = "1", paramLabel = "LOG_INDEX",
        description = "The log's position in the receipt, from 0.")
    int logIndex;

    @Override
    public Integer call() {
      return fetch("chorus_getLogProof", hash, "0x" + Integer.toHexString(logIndex));
    }
  }

  @Command(name = "state", mixinStandardHelpOptions = true,
      description = "Proves an account (nonce, balance, code hash) and storage slots.")
  static final class State extends Target implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "ADDRESS", description = "The account (0x…).")
    String address;

    @Parameters(index = "1..*", paramLabel = "SLOT", arity = "0..*",
        description = "Storage slots to prove (32-byte hex or a number).")
    List<String> slots = List.of();

    @Option(names = "--block", defaultValue = "latest",
        description = "The block whose state to prove (a number or latest; default: latest).")
    String block;

    @Override
    public Integer call() {
      if (!block.equals("latest") && !block.matches("[0-9]+")) {
        throw new IllegalArgumentException("--block is a block number or latest, got '"
            + block + "'");
      }
      return fetch("chorus_getStateProof", address, slots,
          block.equals("latest") ? block : "0x" + Long.toHexString(Long.parseLong(block)));
    }
  }

  @Command(name = "record", mixinStandardHelpOptions = true,
      description = {"Proves a notarization record's version (its Recorded event): check it with",
          "'chorus notary verify FILE PROOF --genesis genesis.json'."})
  static final class Record extends Target implements Callable<Integer> {
    @Parameters(paramLabel = "ID", description = "The record's id.")
    String id;

    @Option(names = "--version", paramLabel = "N",
        description = "The version, from 1 (default: the latest).")
    Long version;

    @Override
    public Integer call() {
      return version == null ? fetch("chorus_getRecordProof", id)
          : fetch("chorus_getRecordProof", id, "0x" + Long.toHexString(version));
    }
  }

  private ProofCommand() {}
}
