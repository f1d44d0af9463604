package io.chorus.rpc.eth;

import static io.chorus.rpc.eth.ChainJson.NODES;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.chorus.chain.Blockchain;
import io.chorus.codec.Bytes;
import io.chorus.codec.Hex;
import io.chorus.evm.Address;
import io.chorus.ledger.BlockHeader;
import io.chorus.state.TransactionResult;
import io.chorus.tx.Transaction;
import io.chorus.tx.TransactionException;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;

/**
 * Otterscan's {@code ots2_getAddressAttributes} and {@code ots2_getERC1167Impl}, decided at the
 * head from the contract itself rather than from Erigon's token indexes: ERC-1167 by its exact
 * minimal-proxy code; ERC-165, and through it ERC-721 and ERC-1155, by the standard's own
 * detection ({@code supportsInterface} called with 30,000 gas, true for 0x01ffc9a7, false for
 * 0xffffffff); ERC-20, which has no such detection, by its six function selectors all pushed
 * in the code, a heuristic that a proxy or a contract with a different dispatch escapes.
 * As Erigon, only the attributes that hold are listed.
 */
final class AddressAttributes {
  /** ERC-165's gas for a {@code supportsInterface} query. */
  static final long ERC165_GAS = 30_000;
  /** The query's gas as a transaction: ERC-165's, plus what its 36 bytes of input cost at most. */
  private static final long QUERY_GAS = 21_000 + 16L * 36 + ERC165_GAS;
  private static final byte[] PROXY_HEAD = Hex.decode("363d3d373d3d3d363d73");
  private static final byte[] PROXY_TAIL = Hex.decode("5af43d82803e903d91602b57fd5bf3");
  private static final int PUSH4 = 0x63;
  /** totalSupply, balanceOf, transfer, transferFrom, approve, allowance. */
  private static final List<byte[]> ERC20_SELECTORS = List.of(Hex.decode("18160ddd"),
      Hex.decode("70a08231"), Hex.decode("a9059cbb"), Hex.decode("23b872dd"),
      Hex.decode("095ea7b3"), Hex.decode("dd62ed3e"));
  private static final String ERC165_ID = "01ffc9a7";
  private static final String ERC721_ID = "80ac58cd";
  private static final String ERC1155_ID = "d9b67a26";

  private final Blockchain chain;

  AddressAttributes(Blockchain chain) {
    this.chain = chain;
  }

  JsonNode attributes(JsonNode p) {
    Address address = new Params("ots2_getAddressAttributes", p).count(1, 1)
        .address(0, "address");
    byte[] code = chain.stateAt(chain.head()).code(address);
    ObjectNode out = NODES.objectNode();
    if (code.length == 0) {
      return out;
    }
    if (proxyLogic(code) != null) {
      out.put("erc1167", true);
    }
    if (hasSelectors(code, ERC20_SELECTORS)) {
      out.put("erc20", true);
    }
    if (supports(address, ERC165_ID) && !supports(address, "ffffffff")) {
      out.put("erc165", true);
      if (supports(address, ERC721_ID)) {
        out.put("erc721", true);
      }
      if (supports(address, ERC1155_ID)) {
        out.put("erc1155", true);
      }
    }
    return out;
  }

  /** The logic contract an ERC-1167 minimal proxy delegates to, or null for other code. */
  JsonNode erc1167Logic(JsonNode p) {
    Address address = new Params("ots2_getERC1167Impl", p).count(1, 1).address(0, "address");
    Address logic = proxyLogic(chain.stateAt(chain.head()).code(address));
    return logic == null ? NODES.nullNode() : new TextNode(logic.toString());
  }

  private static Address proxyLogic(byte[] code) {
    int tailAt = PROXY_HEAD.length + Address.BYTES;
    if (code.length != tailAt + PROXY_TAIL.length
        || !Arrays.equals(code, 0, PROXY_HEAD.length, PROXY_HEAD, 0, PROXY_HEAD.length)
        || !Arrays.equals(code, tailAt, code.length, PROXY_TAIL, 0, PROXY_TAIL.length)) {
      return null;
    }
    return Address.of(Arrays.copyOfRange(code, PROXY_HEAD.length, tailAt));
  }

  /** Whether each selector appears in the code as a PUSH4's operand. */
  private static boolean hasSelectors(byte[] code, List<byte[]> selectors) {
    for (byte[] selector : selectors) {
      boolean found = false;
      for (int i = 0; i + 4 < code.length && !found; i++) {
        found = (code[i] & 0xff) == PUSH4 && Arrays.equals(code, i + 1, i + 5, selector, 0, 4);
      }
      if (!found) {
        return false;
      }
    }
    return true;
  }

  /** ERC-165: {@code supportsInterface(id)} returned true within its 30,000 gas. */
  private boolean supports(Address contract, String interfaceId) {
    byte[] input = Hex.decode("01ffc9a7" + interfaceId + "00".repeat(28));
    BlockHeader head = chain.head();
    Transaction call = new Transaction(Transaction.DYNAMIC_FEE, chain.chainId(), 0,
        BigInteger.ZERO, BigInteger.ZERO, QUERY_GAS, contract.toArray(), BigInteger.ZERO,
        input, List.of(), BigInteger.ZERO, List.of(), 0, BigInteger.ZERO, BigInteger.ZERO,
        Bytes.EMPTY, Bytes.EMPTY);
    try {
      TransactionResult result = chain.transition().simulate(chain.stateAt(head), call,
          Address.of(new byte[Address.BYTES]), chain.envOf(head));
      byte[] output = result.output();
      return result.success() && output.length == 32 && output[31] == 1
          && Arrays.equals(output, 0, 31, new byte[31], 0, 31);
    } catch (TransactionException e) {
      return false; // a call that cannot run supports nothing
    }
  }
}
