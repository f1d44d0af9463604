package io.chorus.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.chorus.codec.Hex;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.KeyPair;
import io.chorus.evm.Address;
import io.chorus.tx.Transaction;
import io.chorus.tx.TransactionSigner;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Where the CLI signs: sends a contract call from the account of a node-style key file (the
 * private key in hex) to a node, signed in the node's suite. The call is tried with
 * {@code eth_call} first, so a call that would revert is reported with its reason and never
 * sent; the gas is the node's estimate with a margin; the receipt is awaited.
 */
final class TxSender {
  /** How long to wait for a receipt: a few block intervals, even on a loaded chain. */
  static final Duration RECEIPT_WAIT = Duration.ofSeconds(60);

  private final RpcClient rpc;
  private final KeyPair keys;
  private final CryptoSuite suite;
  private final Address from;

  TxSender(String url, Path keyFile) throws IOException, InterruptedException {
    this.rpc = new RpcClient(url);
    this.suite = CryptoSuite.byName(rpc.call("chorus_nodeStatus").path("suite").asText());
    if (!Files.isRegularFile(keyFile)) {
      throw new IOException("no key file at " + keyFile + " (it holds the private key in hex,"
          + " like a node's node.key)");
    }
    try {
      this.keys = suite.keyPair(Hex.decode(Files.readString(keyFile).trim()));
    } catch (IllegalArgumentException e) {
      throw new IOException(keyFile + " does not hold a " + suite.name() + " private key in hex: "
          + e.getMessage(), e);
    }
    this.from = Address.of(suite.address(keys.publicKey()));
  }

  Address from() {
    return from;
  }

  /** What the call returns when tried at the head; an IOException with the revert reason. */
  byte[] tryCall(Address to, byte[] data) throws IOException, InterruptedException {
    return Hex.decode(rpc.call("eth_call", call(to, data), "latest").asText());
  }

  /** Signs and sends the call; its receipt once it is in a block. */
  JsonNode send(Address to, byte[] data) throws IOException, InterruptedException {
    tryCall(to, data);
    long gas = quantity(rpc.call("eth_estimateGas", call(to, data))).longValueExact();
    BigInteger tip = quantity(rpc.call("eth_maxPriorityFeePerGas"));
    BigInteger maxFee = quantity(rpc.call("eth_gasPrice")).shiftLeft(1).add(tip);
    Transaction tx = TransactionSigner.sign(new Transaction(Transaction.DYNAMIC_FEE,
        quantity(rpc.call("eth_chainId")),
        quantity(rpc.call("eth_getTransactionCount", from.toString(), "pending"))
            .longValueExact(),
        tip, maxFee, gas + gas / 4, to.toArray(), BigInteger.ZERO, data, List.of(),
        BigInteger.ZERO, List.of(), 0, BigInteger.ZERO, BigInteger.ZERO, new byte[0],
        new byte[0]), keys, suite);
    String hash = rpc.call("eth_sendRawTransaction", Hex.encode0x(tx.encoded())).asText();
    long deadline = System.nanoTime() + RECEIPT_WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode receipt = rpc.call("eth_getTransactionReceipt", hash);
      if (receipt != null && !receipt.isNull()) {
        return receipt;
      }
      Thread.sleep(200);
    }
    throw new IOException("transaction " + hash + " was sent but is not in a block after "
        + RECEIPT_WAIT.toSeconds() + " s; look for it with eth_getTransactionReceipt");
  }

  private Map<String, String> call(Address to, byte[] data) {
    return Map.of("from", from.toString(), "to", to.toString(), "data", Hex.encode0x(data));
  }

  private static BigInteger quantity(JsonNode node) {
    return new BigInteger(node.asText().substring(2), 16);
  }
}
