package io.chorus.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.codec.Hex;
import io.chorus.crypto.CryptoSuite;
import io.chorus.tx.Transaction;
import io.chorus.tx.TransactionSigner;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client of one Chorus node: learns the chain's id and crypto suite when it connects, signs
 * EIP-1559 transactions in that suite (SM2 with the signer's key on {@code sm} chains), keeps
 * each account's next nonce, and waits for receipts.
 */
public final class ChorusClient {
  /** How often {@link #waitForReceipt} asks. */
  static final Duration RECEIPT_POLL = Duration.ofMillis(50);
  /** Headroom on eth_estimateGas when no gas limit is given: percent of the estimate. */
  static final int GAS_ESTIMATE_PERCENT = 125;

  private final JsonRpcClient rpc;
  private final BigInteger chainId;
  private final CryptoSuite suite;
  private final Map<String, AtomicLong> nonces = new ConcurrentHashMap<>();

  private ChorusClient(JsonRpcClient rpc, BigInteger chainId, CryptoSuite suite) {
    this.rpc = rpc;
    this.chainId = chainId;
    this.suite = suite;
  }

  /**
   * Connects to a node: its chain id from {@code eth_chainId}, its suite from
   * {@code chorus_nodeStatus}.
   *
   * @throws ClientException when the node cannot be reached or is not a Chorus node
   */
  public static ChorusClient connect(String url) {
    JsonRpcClient rpc = new JsonRpcClient(url);
    BigInteger chainId = Quantities.toBigInteger(rpc.call("eth_chainId"));
    JsonNode status;
    try {
      status = rpc.call("chorus_nodeStatus");
    } catch (RpcException e) {
      throw new ClientException(url + " does not answer chorus_nodeStatus (" + e.getMessage()
          + "): is it a Chorus node?", e);
    }
    String suiteName = status.path("suite").asText("");
    if (suiteName.isEmpty()) {
      throw new ClientException("chorus_nodeStatus at " + url + " names no crypto suite");
    }
    return new ChorusClient(rpc, chainId, CryptoSuite.byName(suiteName));
  }

  public JsonRpcClient rpc() {
    return rpc;
  }

  public BigInteger chainId() {
    return chainId;
  }

  public CryptoSuite suite() {
    return suite;
  }

  /** The account of a 32-byte private key in this chain's suite. */
  public Account account(byte[] privateKey) {
    return Account.of(suite, privateKey);
  }

  /** The address's transaction count including the node's pool ("pending"). */
  public long pendingNonce(byte[] address) {
    return Quantities.toLong(rpc.call("eth_getTransactionCount", Hex.encode0x(address),
        "pending"));
  }

  /** The next nonce to sign with: the node's pending count the first time, then counted here. */
  public long nextNonce(Account from) {
    return nonces.computeIfAbsent(from.addressHex(),
        a -> new AtomicLong(pendingNonce(from.address()))).getAndIncrement();
  }

  /** Forgets the counted nonce of an account, so the next one comes from the node again. */
  public void resetNonce(Account from) {
    nonces.remove(from.addressHex());
  }

  /** The node's suggested tip, and a max fee of twice the latest base fee plus that tip. */
  public Fees suggestFees() {
    BigInteger tip = Quantities.toBigInteger(rpc.call("eth_maxPriorityFeePerGas"));
    JsonNode latest = rpc.call("eth_getBlockByNumber", "latest", false);
    BigInteger baseFee = latest.hasNonNull("baseFeePerGas")
        ? Quantities.toBigInteger(latest.get("baseFeePerGas")) : BigInteger.ZERO;
    return new Fees(baseFee.shiftLeft(1).add(tip), tip);
  }

  /** Signs an EIP-1559 transaction of these fields in this chain's suite. */
  public Transaction sign(Account from, long nonce, byte[] to, BigInteger value, byte[] data,
      long gasLimit, Fees fees) {
    if (!from.suite().name().equals(suite.name())) {
      throw new IllegalArgumentException("the account is a " + from.suite().name()
          + " key but the chain's suite is " + suite.name());
    }
    Transaction template = new Transaction(Transaction.DYNAMIC_FEE, chainId, nonce,
        fees.maxPriorityFeePerGas(), fees.maxFeePerGas(), gasLimit, to, value, data, List.of(),
        BigInteger.ZERO, List.of(), 0, BigInteger.ZERO, BigInteger.ZERO, new byte[0],
        new byte[0]);
    return TransactionSigner.sign(template, from.keys(), suite);
  }

  /** The hash a transaction has on this chain: the suite's hash of its encoding. */
  public byte[] hash(Transaction tx) {
    return suite.hash(tx.encoded());
  }

  /**
   * Sends signed bytes with {@code eth_sendRawTransaction} and returns the hash the node
   * reports, after checking it is the one computed here.
   */
  public byte[] sendRaw(Transaction tx) {
    byte[] hash = Hex.decode(rpc.call("eth_sendRawTransaction", Hex.encode0x(tx.encoded()))
        .asText());
    if (!Arrays.equals(hash, hash(tx))) {
      throw new ClientException("the node reports hash " + Hex.encode0x(hash) + " but the "
          + suite.name() + " hash of the transaction is " + Hex.encode0x(hash(tx)));
    }
    return hash;
  }

  /**
   * Signs and sends a transaction with the account's next nonce and the suggested fees.
   *
   * @param to the recipient, or null to create a contract from {@code data}
   * @param gasLimit the gas limit, or 0 to use the node's estimate with headroom
   * @return the transaction hash
   */
  public byte[] send(Account from, byte[] to, BigInteger value, byte[] data, long gasLimit) {
    long gas = gasLimit > 0 ? gasLimit
        : estimateGas(from.address(), to, value, data) * GAS_ESTIMATE_PERCENT / 100;
    Fees fees = suggestFees();
    long nonce = nextNonce(from);
    try {
      return sendRaw(sign(from, nonce, to, value, data, gas, fees));
    } catch (RuntimeException e) {
      resetNonce(from); // the nonce was not used: count again from the node's view
      throw e;
    }
  }

  /** Deploys a contract from its initcode (constructor arguments appended) and waits for it. */
  public Receipt deploy(Account from, byte[] initcode, long gasLimit, Duration timeout) {
    Receipt receipt = waitForReceipt(send(from, null, BigInteger.ZERO, initcode, gasLimit),
        timeout);
    if (!receipt.success() || receipt.contractAddress() == null) {
      throw new ClientException("the deployment failed in block " + receipt.blockNumber()
          + " after " + receipt.gasUsed() + " gas (the constructor reverted or ran out of gas)");
    }
    return receipt;
  }

  /** {@code eth_estimateGas} of a call from {@code from}. */
  public long estimateGas(byte[] from, byte[] to, BigInteger value, byte[] data) {
    return Quantities.toLong(rpc.call("eth_estimateGas", callObject(from, to, value, data)));
  }

  /**
   * {@code eth_call} at the latest block: the returned bytes.
   *
   * @throws RpcException code 3 when the call reverts, with the reason in its message
   */
  public byte[] call(byte[] from, byte[] to, byte[] data) {
    return Hex.decode(rpc.call("eth_call", callObject(from, to, BigInteger.ZERO, data), "latest")
        .asText());
  }

  /** The receipt, or null while the transaction is not in a block. */
  public Receipt receipt(byte[] hash) {
    JsonNode json = rpc.call("eth_getTransactionReceipt", Hex.encode0x(hash));
    return json.isNull() ? null : Receipt.fromJson(json);
  }

  /**
   * Polls for the receipt until it comes.
   *
   * @throws ClientException when none comes within {@code timeout}
   */
  public Receipt waitForReceipt(byte[] hash, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Receipt receipt = receipt(hash);
      if (receipt != null) {
        return receipt;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new ClientException("no receipt for " + Hex.encode0x(hash) + " after "
            + timeout.toSeconds() + " s: is the chain making blocks?");
      }
      try {
        Thread.sleep(RECEIPT_POLL);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ClientException("interrupted while waiting for " + Hex.encode0x(hash), e);
      }
    }
  }

  private static ObjectNode callObject(byte[] from, byte[] to, BigInteger value, byte[] data) {
    ObjectNode call = JsonRpcClient.JSON.createObjectNode();
    if (from != null) {
      call.put("from", Hex.encode0x(from));
    }
    if (to != null) {
      call.put("to", Hex.encode0x(to));
    }
    if (value.signum() > 0) {
      call.put("value", Quantities.of(value));
    }
    call.put("data", Hex.encode0x(data));
    return call;
  }
}
