package io.chorus.crosschain;

import io.chorus.codec.ByteKey;
import io.chorus.codec.Hex;
import io.chorus.codec.Rlp;
import io.chorus.codec.RlpException;
import io.chorus.codec.RlpReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An account and some of its storage slots proven against a state root, as {@code eth_getProof}
 * gives them: the state-trie nodes from the root to the account (keyed by the suite hash of the
 * address), and for each slot the storage-trie nodes from the account's storage root (keyed by
 * the suite hash of the slot). Its wire form, what relayers send, is the RLP
 * {@code [address, [node…], [[slot, [node…]]…]]} with slots in increasing order, so that one
 * proof has one encoding.
 */
public record AccountProof(byte[] address, List<byte[]> accountNodes,
    Map<ByteKey, List<byte[]>> slots) {

  /** Checks sizes; copies. */
  public AccountProof {
    if (address.length != 20) {
      throw new IllegalArgumentException("an address is 20 bytes, got " + address.length);
    }
    address = address.clone();
    accountNodes = List.copyOf(accountNodes.stream().map(byte[]::clone).toList());
    Map<ByteKey, List<byte[]>> copy = new LinkedHashMap<>();
    slots.entrySet().stream()
        .sorted((a, b) -> Arrays.compareUnsigned(a.getKey().bytes(), b.getKey().bytes()))
        .forEach(e -> copy.put(e.getKey(), e.getValue().stream().map(byte[]::clone).toList()));
    slots = java.util.Collections.unmodifiableMap(copy);
  }

  @Override
  public byte[] address() {
    return address.clone();
  }

  /** The RLP wire form. */
  public byte[] encode() {
    List<byte[]> slotItems = new ArrayList<>();
    slots.forEach((slot, nodes) -> slotItems.add(Rlp.encodeList(Rlp.encodeBytes(slot.bytes()),
        nodeList(nodes))));
    return Rlp.encodeList(Rlp.encodeBytes(address), nodeList(accountNodes),
        Rlp.encodeList(slotItems));
  }

  /**
   * Reads the wire form strictly: canonical RLP, 32-byte slots in increasing order, no empty or
   * oversized node, at most {@link Limits#PROOF_NODES_MAX} nodes a path and
   * {@link Limits#PROOF_SLOTS_MAX} slots.
   *
   * @throws CrossChainException naming what is wrong
   */
  public static AccountProof decode(byte[] encoded) {
    try {
      RlpReader whole = RlpReader.of(encoded);
      RlpReader in = whole.readList();
      whole.requireEnd("account proof");
      byte[] address = in.readBytes(20, "address");
      List<byte[]> accountNodes = readNodes(in, "the account");
      RlpReader list = in.readList();
      in.requireEnd("account proof");
      Map<ByteKey, List<byte[]>> slots = new LinkedHashMap<>();
      byte[] previous = null;
      while (list.hasNext()) {
        if (slots.size() == Limits.PROOF_SLOTS_MAX) {
          throw new CrossChainException("the proof carries more than " + Limits.PROOF_SLOTS_MAX
              + " storage slots");
        }
        RlpReader entry = list.readList();
        byte[] slot = entry.readBytes(32, "slot");
        if (previous != null && Arrays.compareUnsigned(previous, slot) >= 0) {
          throw new CrossChainException("storage slot " + Hex.encode0x(slot) + " is not after "
              + Hex.encode0x(previous) + ": slots are listed once, in increasing order");
        }
        slots.put(new ByteKey(slot), readNodes(entry, "slot " + Hex.encode0x(slot)));
        entry.requireEnd("slot proof");
        previous = slot;
      }
      return new AccountProof(address, accountNodes, slots);
    } catch (RlpException e) {
      throw new CrossChainException("the account proof is malformed: " + e.getMessage());
    }
  }

  private static byte[] nodeList(List<byte[]> nodes) {
    List<byte[]> items = new ArrayList<>(nodes.size());
    nodes.forEach(node -> items.add(Rlp.encodeBytes(node)));
    return Rlp.encodeList(items);
  }

  private static List<byte[]> readNodes(RlpReader in, String what) {
    RlpReader list = in.readList();
    List<byte[]> nodes = new ArrayList<>();
    while (list.hasNext()) {
      if (nodes.size() == Limits.PROOF_NODES_MAX) {
        throw new CrossChainException("the path to " + what + " has more than "
            + Limits.PROOF_NODES_MAX + " nodes");
      }
      byte[] node = list.readBytes();
      if (node.length == 0 || node.length > Limits.NODE_BYTES_MAX) {
        throw new CrossChainException("node " + nodes.size() + " of the path to " + what
            + " is " + node.length + " bytes; a trie node is 1 to " + Limits.NODE_BYTES_MAX);
      }
      nodes.add(node);
    }
    return nodes;
  }
}
