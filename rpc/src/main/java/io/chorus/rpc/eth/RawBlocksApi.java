package io.chorus.rpc.eth;

import static io.chorus.rpc.eth.ChainJson.NODES;
import static io.chorus.rpc.eth.ChainJson.data;
import static io.chorus.rpc.eth.ChainJson.quantity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.chain.Blockchain;
import io.chorus.evm.Address;
import io.chorus.rpc.JsonRpc;
import io.chorus.rpc.RpcException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code chorus_getRawBlocks(fromBlock, count)}: a range of blocks as the store holds them (the
 * block's RLP, its receipts' RLP, its commit certificate) with the validator set and proposer of
 * each height, for readers of the whole chain such as {@code chorus export}. Serving stored
 * bytes costs the node a store read per block, where the same blocks as JSON cost it the
 * senders' signature recoveries and the encoding of every field.
 */
public final class RawBlocksApi {
  /** The most blocks one call asks for. */
  public static final int COUNT_MAX = 256;
  /**
   * The stored bytes one answer carries at most (twice that as hex): blocks are added while the
   * answer stays under it, and the first block always, so a range of full blocks takes a few
   * calls ({@code nextBlock} says where to go on) rather than one answer of any size.
   */
  public static final int BYTES_MAX = 8 * 1024 * 1024;

  private final Blockchain chain;
  private final Sealings sealings;
  private final int bytesMax;

  public RawBlocksApi(Blockchain chain) {
    this(chain, BYTES_MAX);
  }

  /** With another bound on an answer's stored bytes (tests). */
  RawBlocksApi(Blockchain chain, int bytesMax) {
    this.chain = chain;
    this.sealings = new Sealings(chain);
    this.bytesMax = bytesMax;
  }

  public Map<String, JsonRpc.Method> methods() {
    return Map.of("chorus_getRawBlocks", this::rawBlocks);
  }

  private JsonNode rawBlocks(JsonNode p) {
    Params a = new Params("chorus_getRawBlocks", p).count(2, 2);
    long from = Params.quantityLong(a.required(0, "fromBlock"),
        "chorus_getRawBlocks: param 1 (fromBlock)");
    int count = Params.blockCount(a.required(1, "count"), COUNT_MAX,
        "chorus_getRawBlocks: param 2 (count)");
    long head = chain.head().number();
    if (from > head) {
      throw new RpcException(EthApi.SERVER_ERROR, "chorus_getRawBlocks: fromBlock " + from
          + " is beyond the head " + head);
    }
    long to = Math.min(head, from + count - 1);
    ObjectNode out = NODES.objectNode();
    ArrayNode blocks = out.putArray("blocks");
    long bytes = 0;
    long next = from;
    while (next <= to) {
      byte[] hash = stored(chain.store().canonicalHash(next), next, "hash");
      byte[] block = stored(chain.store().blockBytes(hash), next, "body");
      byte[] receipts = stored(chain.store().receiptsBytes(hash), next, "receipts");
      byte[] certificate = chain.store().finalityProof(next).orElse(null);
      long size = block.length + receipts.length + (certificate == null ? 0 : certificate.length);
      if (next > from && bytes + size > bytesMax) {
        break;
      }
      bytes += size;
      Sealings.Sealing sealing = sealings.at(next);
      ObjectNode entry = blocks.addObject();
      entry.put("number", quantity(next));
      entry.put("block", data(block));
      entry.put("receipts", data(receipts));
      entry.put("certificate", certificate == null ? null : data(certificate));
      ArrayNode validators = entry.putArray("validators");
      for (Address v : Sealings.addresses(sealing.validators())) {
        validators.add(v.toString().toLowerCase(Locale.ROOT));
      }
      entry.put("proposer", sealing.proposer() == null ? null
          : sealing.proposer().toString().toLowerCase(Locale.ROOT));
      next++;
    }
    out.put("nextBlock", next <= to ? quantity(next) : null);
    return out;
  }

  private static byte[] stored(Optional<byte[]> bytes, long number, String what) {
    return bytes.orElseThrow(() -> new IllegalStateException("block " + number
        + " is at or below the head but its " + what + " is not stored"));
  }
}
