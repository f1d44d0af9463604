package io.chorus.rpc.eth;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.codec.Hex;
import io.chorus.crypto.HashFunction;
import io.chorus.evm.Address;
import io.chorus.evm.Evm;
import io.chorus.evm.Log;
import io.chorus.evm.Word;
import io.chorus.ledger.Block;
import io.chorus.ledger.BlockHeader;
import io.chorus.ledger.Receipt;
import io.chorus.tx.AccessListEntry;
import io.chorus.tx.Transaction;
import java.math.BigInteger;
import java.util.List;

/** Blocks, transactions, receipts and logs as Ethereum's JSON-RPC shows them. */
final class ChainJson {
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private ChainJson() {}

  static String quantity(long value) {
    return "0x" + Long.toHexString(value);
  }

  static String quantity(BigInteger value) {
    return "0x" + value.toString(16);
  }

  static String data(byte[] bytes) {
    return Hex.encode0x(bytes);
  }

  /** Where an included transaction sits; null fields for a pending one. */
  record Inclusion(byte[] blockHash, long blockNumber, int index, BigInteger baseFee) {}

  static ObjectNode block(Block block, byte[] hash, boolean fullTransactions,
      List<byte[]> txHashes, List<Address> senders) {
    BlockHeader h = block.header();
    ObjectNode out = NODES.objectNode();
    out.put("number", quantity(h.number()));
    out.put("hash", data(hash));
    out.put("parentHash", data(h.parentHash()));
    out.put("nonce", data(h.nonce()));
    out.put("mixHash", data(h.mixHash()));
    out.put("sha3Uncles", data(h.ommersHash()));
    out.put("logsBloom", data(h.logsBloom()));
    out.put("transactionsRoot", data(h.transactionsRoot()));
    out.put("stateRoot", data(h.stateRoot()));
    out.put("receiptsRoot", data(h.receiptsRoot()));
    out.put("miner", h.coinbase().toString());
    out.put("difficulty", quantity(h.difficulty()));
    out.put("totalDifficulty", "0x0");
    out.put("extraData", data(h.extraData()));
    out.put("size", quantity(block.encode().length));
    out.put("gasLimit", quantity(h.gasLimit()));
    out.put("gasUsed", quantity(h.gasUsed()));
    out.put("timestamp", quantity(h.timestamp()));
    if (h.baseFeePerGas() != null) {
      out.put("baseFeePerGas", quantity(h.baseFeePerGas()));
    }
    if (h.withdrawalsRoot() != null) {
      out.put("withdrawalsRoot", data(h.withdrawalsRoot()));
      out.putArray("withdrawals");
    }
    if (h.blobGasUsed() != null) {
      out.put("blobGasUsed", quantity(h.blobGasUsed()));
      out.put("excessBlobGas", quantity(h.excessBlobGas()));
      out.put("parentBeaconBlockRoot", data(h.parentBeaconBlockRoot()));
    }
    ArrayNode txs = out.putArray("transactions");
    for (int i = 0; i < block.transactions().size(); i++) {
      if (fullTransactions) {
        txs.add(transaction(block.transactions().get(i), txHashes.get(i), senders.get(i),
            new Inclusion(hash, h.number(), i, h.baseFeePerGas())));
      } else {
        txs.add(data(txHashes.get(i)));
      }
    }
    out.putArray("uncles");
    return out;
  }

  static ObjectNode transaction(Transaction tx, byte[] hash, Address sender,
      Inclusion inclusion) {
    ObjectNode out = NODES.objectNode();
    if (inclusion == null) {
      out.putNull("blockHash");
      out.putNull("blockNumber");
      out.putNull("transactionIndex");
    } else {
      out.put("blockHash", data(inclusion.blockHash()));
      out.put("blockNumber", quantity(inclusion.blockNumber()));
      out.put("transactionIndex", quantity(inclusion.index()));
    }
    out.put("hash", data(hash));
    out.put("type", quantity(tx.type()));
    out.put("from", sender.toString());
    if (tx.to() == null) {
      out.putNull("to");
    } else {
      out.put("to", data(tx.to()));
    }
    out.put("nonce", quantity(tx.nonce()));
    out.put("gas", "0x" + Long.toUnsignedString(tx.gasLimit(), 16));
    out.put("value", quantity(tx.value()));
    out.put("input", data(tx.data()));
    if (tx.chainId() != null) {
      out.put("chainId", quantity(tx.chainId()));
    }
    if (tx.type() == Transaction.LEGACY || tx.type() == Transaction.ACCESS_LIST) {
      out.put("gasPrice", quantity(tx.maxFeePerGas()));
    } else {
      out.put("maxFeePerGas", quantity(tx.maxFeePerGas()));
      out.put("maxPriorityFeePerGas", quantity(tx.maxPriorityFeePerGas()));
      // Once included, gasPrice is what the sender paid per gas, as Geth reports it.
      out.put("gasPrice", quantity(inclusion == null || inclusion.baseFee() == null
          ? tx.maxFeePerGas() : effectiveGasPrice(tx, inclusion.baseFee())));
    }
    if (tx.type() == Transaction.BLOB) {
      out.put("maxFeePerBlobGas", quantity(tx.maxFeePerBlobGas()));
      ArrayNode hashes = out.putArray("blobVersionedHashes");
      tx.blobVersionedHashes().forEach(b -> hashes.add(data(b)));
    }
    if (tx.type() != Transaction.LEGACY) {
      ArrayNode list = out.putArray("accessList");
      for (AccessListEntry entry : tx.accessList()) {
        ObjectNode e = list.addObject();
        e.put("address", data(entry.address()));
        ArrayNode keys = e.putArray("storageKeys");
        entry.storageKeys().forEach(k -> keys.add(data(k)));
      }
      out.put("yParity", quantity(tx.yParity()));
      out.put("v", quantity(tx.yParity()));
    } else {
      long v = tx.chainId() == null ? 27 + tx.yParity()
          : tx.chainId().longValueExact() * 2 + 35 + tx.yParity();
      out.put("v", quantity(v));
    }
    out.put("r", quantity(tx.r()));
    out.put("s", quantity(tx.s()));
    if (tx.publicKey() != null) {
      out.put("publicKey", data(tx.publicKey())); // sm chains: the SM2 signer's key
    }
    return out;
  }

  static BigInteger effectiveGasPrice(Transaction tx, BigInteger baseFee) {
    return tx.maxFeePerGas().min(baseFee.add(tx.maxPriorityFeePerGas()));
  }

  /**
   * A receipt as {@code eth_getTransactionReceipt} shows it.
   *
   * @param firstLogIndex the block-wide index of this receipt's first log
   */
  static ObjectNode receipt(Receipt receipt, long previousCumulativeGas, Transaction tx,
      byte[] txHash, Address sender, Inclusion at, int firstLogIndex, HashFunction hash) {
    ObjectNode out = NODES.objectNode();
    out.put("transactionHash", data(txHash));
    out.put("transactionIndex", quantity(at.index()));
    out.put("blockHash", data(at.blockHash()));
    out.put("blockNumber", quantity(at.blockNumber()));
    out.put("from", sender.toString());
    if (tx.to() == null) {
      out.putNull("to");
      out.put("contractAddress", receipt.success()
          ? Evm.createAddress(hash, sender, tx.nonce()).toString() : null);
    } else {
      out.put("to", data(tx.to()));
      out.putNull("contractAddress");
    }
    out.put("cumulativeGasUsed", quantity(receipt.cumulativeGasUsed()));
    out.put("gasUsed", quantity(receipt.cumulativeGasUsed() - previousCumulativeGas));
    out.put("effectiveGasPrice", quantity(at.baseFee() == null ? tx.maxFeePerGas()
        : effectiveGasPrice(tx, at.baseFee())));
    out.put("logsBloom", data(receipt.logsBloom()));
    out.put("type", quantity(receipt.type()));
    out.put("status", receipt.success() ? "0x1" : "0x0");
    ArrayNode logs = out.putArray("logs");
    for (int i = 0; i < receipt.logs().size(); i++) {
      logs.add(log(receipt.logs().get(i), at, txHash, firstLogIndex + i));
    }
    return out;
  }

  static ObjectNode log(Log log, Inclusion at, byte[] txHash, int logIndex) {
    ObjectNode out = NODES.objectNode();
    out.put("address", log.address().toString());
    ArrayNode topics = out.putArray("topics");
    for (Word topic : log.topics()) {
      topics.add(data(topic.toBytes()));
    }
    out.put("data", data(log.data()));
    out.put("blockNumber", quantity(at.blockNumber()));
    out.put("blockHash", data(at.blockHash()));
    out.put("transactionHash", data(txHash));
    out.put("transactionIndex", quantity(at.index()));
    out.put("logIndex", quantity(logIndex));
    out.put("removed", false);
    return out;
  }
}
