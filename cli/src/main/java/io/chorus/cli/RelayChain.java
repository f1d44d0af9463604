package io.chorus.cli;

import com.esaulpaugh.headlong.abi.Event;
import com.esaulpaugh.headlong.abi.Function;
import com.esaulpaugh.headlong.abi.Tuple;
import com.esaulpaugh.headlong.abi.TupleType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.client.Account;
import io.chorus.client.ChorusClient;
import io.chorus.client.ClientException;
import io.chorus.client.JsonRpcClient;
import io.chorus.client.Receipt;
import io.chorus.client.RpcException;
import io.chorus.codec.ByteKey;
import io.chorus.codec.Hex;
import io.chorus.crosschain.AccountProof;
import io.chorus.crypto.Keccak256;
import io.chorus.evm.Address;
import io.chorus.ledger.BlockHeader;
import io.chorus.state.system.SystemContracts;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One chain as a relayer sees it over standard JSON-RPC: the cross-chain router's reads by
 * {@code eth_call} on its ABI, block headers rebuilt from {@code eth_getBlockByNumber} (checked
 * against the block's hash), commit certificates from {@code chorus_getFinalityProof}, storage
 * proofs from {@code eth_getProof}, the router's logs from {@code eth_getLogs} on one block; and
 * transactions to the router signed with the relayer's key. Holds nothing between calls.
 */
final class RelayChain {
  static final byte[] ROUTER = SystemContracts.CROSSCHAIN.toArray();
  /** A packet as the router's calls and logs carry it. */
  static final String PACKET = "(string,string,uint64,uint64,(string,string,string,string,bytes))";
  static final Function UPDATE_CLIENT =
      Function.parse("updateClient(string,bytes,bytes,bytes)", "(uint64)");
  static final Function SUBMIT_TRUSTED_HEADER =
      Function.parse("submitTrustedHeader(string,bytes,bytes)");
  static final Function RECV_PACKET = Function.parse("recvPacket(" + PACKET + ",uint64,bytes)");
  static final Function ACKNOWLEDGE_PACKET =
      Function.parse("acknowledgePacket(" + PACKET + ",bytes[],uint64,bytes)");
  static final Function TIMEOUT_PACKET =
      Function.parse("timeoutPacket(" + PACKET + ",uint64,bytes)");
  private static final Function CLIENT_STATE = Function.parse("clientState(string)",
      "(uint8,uint256,uint8,bytes32,uint64,bytes32,uint64,uint64,string)");
  private static final Function PENDING_PACKETS = Function.parse(
      "pendingPackets(string,uint64,uint64)", "(uint64,uint64[],uint64[])");
  private static final Function PACKET_RECEIPT =
      Function.parse("packetReceipt(string,uint64)", "(uint64)");
  static final Event<?> PACKET_SENT = Event.create("PacketSent",
      TupleType.parse("(" + PACKET + ")"), false);
  static final Event<?> WRITE_ACKNOWLEDGEMENT = Event.create("WriteAcknowledgement",
      TupleType.parse("(" + PACKET + ",bytes[])"), false, false);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The router's page size for pending packets. */
  private static final int PAGE = 256;

  /**
   * A client's state as the router reports it; {@code status} 0 unknown, 1 voted (its
   * {@code height} the trusted one), 2 active, 3 frozen.
   */
  record ClientState(int status, BigInteger chainId, byte[] genesis, long height, long time,
      long changes, String counterparty) {
    static final int VOTED = 1;
    static final int ACTIVE = 2;
    static final int FROZEN = 3;
  }

  /** A packet waiting on its source: its sequence and the block whose log holds it. */
  record Pending(long sequence, long sentAt) {}

  /** A block's number, time and header as its suite hashes it. */
  record Block(long number, long timestamp, byte[] header) {}

  /** A transaction sent (its hash), or refused before sending (the chain's reason). */
  record Submission(String what, byte[] hash, String refusal) {}

  /** Where a submission ended: done in a block, or refused with the reason. */
  record Outcome(boolean done, long block, String refusal) {}

  final String name;
  private final ChorusClient client;
  private final Account account;
  private final Duration receiptTimeout;

  RelayChain(String name, ChorusClient client, byte[] privateKey, Duration receiptTimeout) {
    this.name = name;
    this.client = client;
    this.account = client.account(privateKey);
    this.receiptTimeout = receiptTimeout;
  }

  /** This chain's id, genesis hash and suite, as its node reports them. */
  String describe() {
    return name + " (chain " + client.chainId() + ", " + client.suite().name() + ", relayer "
        + account.addressHex() + ")";
  }

  BigInteger chainId() {
    return client.chainId();
  }

  byte[] genesisHash() {
    return Hex.decode(rpc().call("chorus_nodeStatus").path("genesisHash").asText());
  }

  long head() {
    return number(rpc().call("eth_blockNumber"));
  }

  /**
   * Block {@code n}'s header, rebuilt from the node's fields and checked against the hash the
   * node reports, so a field left out or misread cannot go unnoticed.
   */
  Block block(long n) {
    JsonNode b = rpc().call("eth_getBlockByNumber", hex(n), false);
    if (b.isNull()) {
      throw new ClientException(name + " has no block " + n);
    }
    BlockHeader header = new BlockHeader(bytes(b, "parentHash"), bytes(b, "sha3Uncles"),
        Address.parse(b.path("miner").asText()), bytes(b, "stateRoot"),
        bytes(b, "transactionsRoot"), bytes(b, "receiptsRoot"), bytes(b, "logsBloom"),
        big(b.path("difficulty")), number(b.path("number")), number(b.path("gasLimit")),
        number(b.path("gasUsed")), number(b.path("timestamp")), bytes(b, "extraData"),
        bytes(b, "mixHash"), bytes(b, "nonce"),
        b.has("baseFeePerGas") ? big(b.get("baseFeePerGas")) : null,
        b.has("withdrawalsRoot") ? bytes(b, "withdrawalsRoot") : null,
        b.has("blobGasUsed") ? number(b.get("blobGasUsed")) : null,
        b.has("excessBlobGas") ? number(b.get("excessBlobGas")) : null,
        b.has("parentBeaconBlockRoot") ? bytes(b, "parentBeaconBlockRoot") : null);
    byte[] encoded = header.encode();
    if (!Arrays.equals(client.suite().hash(encoded), bytes(b, "hash"))) {
      throw new ClientException(name + "'s block " + n + " does not hash to the hash its node"
          + " reports once rebuilt from its fields: the node and this relayer disagree on the"
          + " header's layout");
    }
    return new Block(n, header.timestamp(), encoded);
  }

  /** Block {@code n}'s commit certificate. */
  byte[] certificate(long n) {
    JsonNode proof = rpc().call("chorus_getFinalityProof", hex(n));
    if (proof.isNull()) {
      throw new ClientException(name + "'s block " + n + " has no commit certificate: a light"
          + " client follows a BFT network (a dev chain's blocks carry none)");
    }
    return Hex.decode(proof.path("certificate").asText());
  }

  /** The router's state of client {@code id}; status 0 when there is no such client. */
  ClientState clientState(String id) {
    Tuple t = view(CLIENT_STATE, "latest", id);
    return new ClientState((Integer) t.get(0), t.get(1), t.get(3),
        ((BigInteger) t.get(4)).longValueExact(), ((BigInteger) t.get(6)).longValueExact(),
        ((BigInteger) t.get(7)).longValueExact(), t.get(8));
  }

  /** Every packet sent through {@code client} and not yet acknowledged or timed out. */
  List<Pending> pending(String clientId) {
    List<Pending> all = new ArrayList<>();
    long total;
    do {
      Tuple page = view(PENDING_PACKETS, "latest", clientId, BigInteger.valueOf(all.size()),
          BigInteger.valueOf(PAGE));
      total = ((BigInteger) page.get(0)).longValueExact();
      BigInteger[] sequences = page.get(1);
      BigInteger[] sentAt = page.get(2);
      for (int i = 0; i < sequences.length; i++) {
        all.add(new Pending(sequences[i].longValueExact(), sentAt[i].longValueExact()));
      }
      if (sequences.length == 0) {
        break; // the list shrank while paging: what was read is enough for this pass
      }
    } while (all.size() < total);
    return all;
  }

  /** The block that received packet {@code sequence} through {@code destClient}, or 0. */
  long receipt(String destClient, long sequence, long atBlock) {
    return ((BigInteger) view(PACKET_RECEIPT, hex(atBlock), destClient,
        BigInteger.valueOf(sequence)).get(0)).longValueExact();
  }

  /** The packet {@code sourceClient}/{@code sequence} as block {@code block}'s log holds it. */
  Optional<Tuple> sentPacket(long block, String sourceClient, long sequence) {
    for (Tuple log : logs(block, PACKET_SENT)) {
      Tuple packet = log.get(0);
      if (packet.get(0).equals(sourceClient) && sequence(packet) == sequence) {
        return Optional.of(packet);
      }
    }
    return Optional.empty();
  }

  /** The results acknowledged for {@code destClient}/{@code sequence} in block {@code block}. */
  Optional<byte[][]> acknowledgement(long block, String destClient, long sequence) {
    for (Tuple log : logs(block, WRITE_ACKNOWLEDGEMENT)) {
      Tuple packet = log.get(0);
      if (packet.get(1).equals(destClient) && sequence(packet) == sequence) {
        return Optional.of(log.get(1));
      }
    }
    return Optional.empty();
  }

  private List<Tuple> logs(long block, Event<?> event) {
    ObjectNode filter = JSON.createObjectNode().put("fromBlock", hex(block))
        .put("toBlock", hex(block)).put("address", Hex.encode0x(ROUTER));
    filter.putArray("topics").add(Hex.encode0x(topic0(event)));
    List<Tuple> out = new ArrayList<>();
    for (JsonNode log : rpc().call("eth_getLogs", filter)) {
      out.add(event.getNonIndexedParams().decode(Hex.decode(log.path("data").asText())));
    }
    return out;
  }

  static byte[] topic0(Event<?> event) {
    return Keccak256.INSTANCE.hash(event.getCanonicalSignature()
        .getBytes(StandardCharsets.UTF_8));
  }

  /** A storage word at a block, as a number. */
  long storage(byte[] address, byte[] slot, long block) {
    return big(rpc().call("eth_getStorageAt", Hex.encode0x(address), Hex.encode0x(slot),
        hex(block))).longValueExact();
  }

  /** {@code eth_getProof} of {@code slots} of {@code address} at a block, in the wire form. */
  AccountProof proof(byte[] address, List<byte[]> slots, long block) {
    List<String> keys = slots.stream().map(Hex::encode0x).toList();
    JsonNode proof = rpc().call("eth_getProof", Hex.encode0x(address), keys, hex(block));
    Map<ByteKey, List<byte[]>> bySlot = new LinkedHashMap<>();
    JsonNode storage = proof.path("storageProof");
    for (int i = 0; i < slots.size(); i++) {
      bySlot.put(new ByteKey(slots.get(i)), nodes(storage.get(i).path("proof")));
    }
    return new AccountProof(address, nodes(proof.path("accountProof")), bySlot);
  }

  /**
   * Sends a call to the router, after {@code eth_estimateGas} has run it: a call the chain
   * refuses (already done, not yet provable) comes back with its reason and is not sent.
   */
  Submission submit(String what, byte[] data) {
    long gas;
    try {
      gas = client.estimateGas(account.address(), ROUTER, BigInteger.ZERO, data);
    } catch (RpcException e) {
      return new Submission(what, null, e.getMessage());
    }
    try {
      return new Submission(what, client.send(account, ROUTER, BigInteger.ZERO, data,
          gas + gas / 4), null);
    } catch (ClientException e) {
      return new Submission(what, null, "not sent: " + e.getMessage());
    }
  }

  /** Waits for a submission's receipt. */
  Outcome await(Submission submission) {
    if (submission.refusal() != null) {
      return new Outcome(false, 0, submission.refusal());
    }
    Receipt receipt;
    try {
      receipt = client.waitForReceipt(submission.hash(), receiptTimeout);
    } catch (ClientException e) {
      client.resetNonce(account); // a transaction that never lands may leave a nonce gap
      return new Outcome(false, 0, e.getMessage());
    }
    if (!receipt.success()) {
      return new Outcome(false, receipt.blockNumber(), "transaction "
          + Hex.encode0x(submission.hash()) + " reverted in block " + receipt.blockNumber()
          + " (another relayer got there first, or the state moved since it was estimated)");
    }
    return new Outcome(true, receipt.blockNumber(), null);
  }

  static long sequence(Tuple packet) {
    return ((BigInteger) packet.get(2)).longValueExact();
  }

  static long timeout(Tuple packet) {
    return ((BigInteger) packet.get(3)).longValueExact();
  }

  private Tuple view(Function f, String block, Object... args) {
    ObjectNode call = JSON.createObjectNode().put("to", Hex.encode0x(ROUTER))
        .put("data", Hex.encode0x(f.encodeCallWithArgs(args).array()));
    return f.getOutputs().decode(Hex.decode(rpc().call("eth_call", call, block).asText()));
  }

  private JsonRpcClient rpc() {
    return client.rpc();
  }

  private static List<byte[]> nodes(JsonNode list) {
    List<byte[]> out = new ArrayList<>();
    list.forEach(n -> out.add(Hex.decode(n.asText())));
    return out;
  }

  private static byte[] bytes(JsonNode block, String field) {
    if (!block.hasNonNull(field)) {
      throw new ClientException("the node's block has no " + field);
    }
    return Hex.decode(block.get(field).asText());
  }

  static String hex(long n) {
    return "0x" + Long.toHexString(n);
  }

  private static long number(JsonNode quantity) {
    return big(quantity).longValueExact();
  }

  private static BigInteger big(JsonNode quantity) {
    String text = quantity.asText();
    if (!text.startsWith("0x")) {
      return new BigInteger(text);
    }
    return text.length() == 2 ? BigInteger.ZERO : new BigInteger(text.substring(2), 16);
  }
}
