package io.chorus.explorer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.abi.ContractAbi;
import io.chorus.abi.Values;
import io.chorus.chain.Blockchain;
import io.chorus.codec.Hex;
import io.chorus.evm.Address;
import io.chorus.evm.BlockEnv;
import io.chorus.evm.Evm;
import io.chorus.evm.Log;
import io.chorus.evm.Word;
import io.chorus.evm.trace.RevertReason;
import io.chorus.ledger.Block;
import io.chorus.ledger.BlockHeader;
import io.chorus.ledger.Receipt;
import io.chorus.ledger.TxPool;
import io.chorus.state.TransactionResult;
import io.chorus.state.WorldState;
import io.chorus.storage.ChainStore;
import io.chorus.tx.Transaction;
import io.chorus.tx.TransactionException;
import io.chorus.tx.TransactionValidator;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A transaction as the console's Transaction page shows it: the function called and its
 * arguments, each log's event and arguments, and for a failed one the revert reason (Solidity's
 * Error(string) or Panic(uint256), or a custom error). Each part is decoded by the contract's
 * ABI when the registry holds one (a system contract's built in, an uploaded one), else by the
 * well-known signature table; what neither knows stays raw. The revert data is not stored
 * with the receipt, so a failed transaction is run again on the state before it (its block's
 * earlier transactions first), as {@code debug_traceTransaction} does.
 */
final class TransactionDecoding {
  /**
   * Blocks rebuilt from the store (senders recovered) kept for the next decodes: clients such
   * as chorus export decode every transaction of a block in turn, which without this recovered
   * every sender of the block once per transaction (quadratic in the block's size).
   */
  static final int REBUILT_BLOCKS_MAX = 8;

  private final Blockchain chain;
  private final LinkedHashMap<ByteBuffer, Blockchain.CommittedBlock> rebuilt =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(
            Map.Entry<ByteBuffer, Blockchain.CommittedBlock> eldest) {
          return size() > REBUILT_BLOCKS_MAX;
        }
      };
  private final ContractRegistry registry;
  private final ContractAbi signatures;
  private final TransactionValidator validator;

  TransactionDecoding(Blockchain chain, ContractRegistry registry, ContractAbi signatures) {
    this.chain = chain;
    this.registry = registry;
    this.signatures = signatures;
    this.validator = new TransactionValidator(chain.suite(), chain.chainId());
  }

  /** The decoded transaction, or empty when the node knows no transaction {@code hash}. */
  Optional<ObjectNode> decode(byte[] hash) {
    Optional<ChainStore.TxLocation> at = chain.store().transactionLocation(hash);
    if (at.isEmpty()) {
      TxPool.Pooled pending = chain.pool().get(hash);
      if (pending == null) {
        return Optional.empty();
      }
      ObjectNode out = head(hash, "pending", pending.transaction(), pending.sender());
      call(out, pending.transaction());
      return Optional.of(out);
    }
    Blockchain.CommittedBlock block = committed(at.get().blockHash());
    int index = at.get().index();
    Transaction tx = block.block().transactions().get(index);
    Receipt receipt = block.receipts().get(index);
    Address sender = block.senders().get(index);
    ObjectNode out = head(hash, receipt.success() ? "success" : "reverted", tx, sender);
    out.put("blockNumber", block.block().header().number())
        .put("blockHash", Hex.encode0x(block.hash()))
        .put("transactionIndex", index);
    if (tx.isCreation()) {
      out.put("contractAddress", receipt.success()
          ? Values.checksummed(Evm.createAddress(chain.suite().hashFunction(), sender,
              tx.nonce()).toArray()) : null);
    }
    call(out, tx);
    ArrayNode logs = out.putArray("logs");
    int logIndex = block.firstLogIndexes()[index];
    for (Log log : receipt.logs()) {
      logs.add(log(log, logIndex++));
    }
    if (!receipt.success()) {
      revert(out, tx, rerun(block, index).output());
    }
    return Optional.of(out);
  }

  private ObjectNode head(byte[] hash, String status, Transaction tx, Address sender) {
    ObjectNode out = Values.NODES.objectNode().put("hash", Hex.encode0x(hash))
        .put("status", status)
        .put("from", Values.checksummed(sender.toArray()));
    if (tx.isCreation()) {
      out.putNull("to");
      out.put("creation", true);
    } else {
      Address to = Address.of(tx.to());
      out.put("to", Values.checksummed(to.toArray()));
      registry.get(to).ifPresent(e -> out.put("contractName", e.name()));
    }
    out.put("value", tx.value().toString());
    return out;
  }

  /** {@code function} and {@code arguments}; a null function for a plain transfer, a creation
   * or a call no ABI knows (then {@code selector} says what was called). */
  private void call(ObjectNode out, Transaction tx) {
    byte[] input = tx.data();
    Optional<Sourced> decoded = tx.isCreation() ? Optional.empty()
        : decodeWith(Address.of(tx.to()), abi -> abi.call(input));
    if (decoded.isEmpty()) {
      out.putNull("function");
      if (!tx.isCreation() && input.length >= 4) {
        out.put("selector", Hex.encode0x(Arrays.copyOf(input, 4)));
      }
      out.putArray("arguments");
      return;
    }
    out.set("function", decoded.get().describe());
    out.set("arguments", decoded.get().decoded().arguments());
  }

  private ObjectNode log(Log log, int logIndex) {
    ObjectNode out = Values.NODES.objectNode().put("logIndex", logIndex)
        .put("address", Values.checksummed(log.address().toArray()));
    registry.get(log.address()).ifPresent(e -> out.put("contractName", e.name()));
    Optional<Sourced> event = decodeWith(log.address(), abi -> abi.event(topics(log), log.data()));
    if (event.isPresent()) {
      out.set("event", event.get().describe());
      out.set("arguments", event.get().decoded().arguments());
    } else {
      out.putNull("event");
      ArrayNode topics = out.putArray("topics");
      for (Word topic : log.topics()) {
        topics.add(Hex.encode0x(topic.toBytes()));
      }
      out.put("data", Hex.encode0x(log.data()));
    }
    return out;
  }

  private static byte[][] topics(Log log) {
    byte[][] out = new byte[log.topics().size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = log.topics().get(i).toBytes();
    }
    return out;
  }

  /**
   * {@code revertReason} (text), {@code revertError} (a custom error decoded) and
   * {@code revertData} (the raw output) of a failed transaction; none when it failed without
   * output (out of gas, an invalid opcode).
   */
  private void revert(ObjectNode out, Transaction tx, byte[] output) {
    if (output.length == 0) {
      return;
    }
    out.put("revertData", Hex.encode0x(output));
    String reason = RevertReason.decode(output);
    if (reason != null) {
      out.put("revertReason", reason);
      return;
    }
    Optional<Sourced> error = tx.isCreation() ? decodeWith(null, abi -> abi.error(output))
        : decodeWith(Address.of(tx.to()), abi -> abi.error(output));
    error.ifPresent(e -> {
      out.put("revertReason", text(e.decoded()));
      out.set("revertError", e.describe().set("arguments", e.decoded().arguments()));
    });
  }

  /** {@code Name(a: 1, b: 0xab…)}: a custom error as one line of text. */
  private static String text(ContractAbi.Decoded decoded) {
    List<String> parts = new ArrayList<>();
    for (JsonNode argument : decoded.arguments()) {
      JsonNode value = argument.get("value");
      String shown = value.isValueNode() ? value.asText() : value.toString();
      String name = argument.get("name").asText();
      parts.add(name.isEmpty() ? shown : name + ": " + shown);
    }
    return decoded.name() + "(" + String.join(", ", parts) + ")";
  }

  /** A decoding and where its ABI came from. */
  private record Sourced(ContractAbi.Decoded decoded, String source) {
    ObjectNode describe() {
      return Values.NODES.objectNode().put("signature", decoded.signature())
          .put("name", decoded.name()).put("source", source);
    }
  }

  /**
   * Decodes with the registry's ABI for {@code address} (source {@code system} or {@code abi}),
   * then the signature table ({@code signature-table}).
   */
  private Optional<Sourced> decodeWith(Address address,
      Function<ContractAbi, Optional<ContractAbi.Decoded>> decoder) {
    if (address != null) {
      Optional<ContractRegistry.Entry> entry = registry.get(address);
      Optional<ContractAbi> abi = registry.abi(address);
      if (entry.isPresent() && abi.isPresent()) {
        Optional<ContractAbi.Decoded> decoded = decoder.apply(abi.get());
        if (decoded.isPresent()) {
          return Optional.of(new Sourced(decoded.get(),
              entry.get().source() == ContractRegistry.Source.SYSTEM ? "system" : "abi"));
        }
      }
    }
    return decoder.apply(signatures).map(d -> new Sourced(d, "signature-table"));
  }

  /** The result of running transaction {@code index} of {@code block} again. */
  private TransactionResult rerun(Blockchain.CommittedBlock block, int index) {
    BlockHeader header = block.block().header();
    BlockHeader parent = chain.store().headerByHash(header.parentHash()).orElseThrow();
    WorldState state = chain.stateAt(parent);
    BlockEnv env = chain.envOf(header);
    try {
      for (int i = 0; i < index; i++) {
        chain.transition().apply(state, block.block().transactions().get(i),
            block.senders().get(i), env);
      }
      return chain.transition().apply(state, block.block().transactions().get(index),
          block.senders().get(index), env);
    } catch (TransactionException e) {
      throw new IllegalStateException("re-executing block " + header.number() + " failed: "
          + e.getMessage(), e);
    }
  }

  /**
   * A committed block with receipts and senders: the chain's recent copy, else one rebuilt from
   * the store lately, else rebuilt now (two workers may both rebuild it: the same block).
   */
  private Blockchain.CommittedBlock committed(byte[] hash) {
    Optional<Blockchain.CommittedBlock> recent = chain.recent(hash);
    if (recent.isPresent()) {
      return recent.get();
    }
    ByteBuffer key = ByteBuffer.wrap(hash.clone());
    synchronized (rebuilt) {
      Blockchain.CommittedBlock kept = rebuilt.get(key);
      if (kept != null) {
        return kept;
      }
    }
    Blockchain.CommittedBlock block = rebuild(hash);
    synchronized (rebuilt) {
      rebuilt.put(key, block);
    }
    return block;
  }

  private Blockchain.CommittedBlock rebuild(byte[] hash) {
    Block block = chain.store().blockByHash(hash).orElseThrow(() -> new IllegalStateException(
        "block " + Hex.encode0x(hash) + " is indexed but has no body"));
    List<Receipt> receipts = chain.store().receipts(hash).orElseThrow(() ->
        new IllegalStateException("block " + Hex.encode0x(hash) + " has no receipts"));
    List<byte[]> txHashes = new ArrayList<>();
    List<Address> senders = new ArrayList<>();
    for (Transaction tx : block.transactions()) {
      txHashes.add(chain.suite().hash(tx.encoded()));
      senders.add(Address.of(validator.validate(tx)));
    }
    return Blockchain.CommittedBlock.of(block, hash, receipts, txHashes, senders);
  }

}
