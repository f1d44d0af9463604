package io.chorus.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.esaulpaugh.headlong.abi.Function;
import com.esaulpaugh.headlong.abi.Tuple;
import com.fasterxml.jackson.databind.JsonNode;
import io.chorus.codec.Hex;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/**
 * The shipped signature table decodes well-known calls and events without an ABI. Method:
 * calldata and logs are written out by hand from the selectors and topics the standards
 * publish (ERC-20's transfer is 0xa9059cbb, Transfer's topic 0xddf252ad…), so a wrong
 * signature text or a wrong hash would not match them; where two standards share a topic, the
 * number of topics picks the one whose indexed parameters fit.
 */
class SignatureTableTest {
  private static final ContractAbi TABLE = SignatureTable.load();
  private static final String TRANSFER_TOPIC =
      "ddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef";
  private static final String FROM = "f39fd6e51aad88f6f4ce6ab8827279cfffb92266";
  private static final String TO = "70997970c51812dc3a010c7d01b50e0d17dc79c8";

  private static String word(String hex) {
    return "0".repeat(64 - hex.length()) + hex;
  }

  @Test
  void anErc20TransferDecodesWithItsParameterNames() {
    byte[] input = Hex.decode("a9059cbb" + word(TO) + word("3e8"));
    ContractAbi.Decoded call = TABLE.call(input).orElseThrow();
    assertEquals("transfer(address,uint256)", call.signature());
    assertEquals("to", call.arguments().get(0).path("name").asText());
    assertEquals("0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
        call.arguments().get(0).path("value").asText());
    assertEquals("1000", call.arguments().get(1).path("value").asText());
  }

  @Test
  void transferLogsOfErc20AndErc721AreToldApartByTheirIndexedParameters() {
    byte[][] topics = {Hex.decode(TRANSFER_TOPIC), Hex.decode(word(FROM)),
        Hex.decode(word(TO))};
    ContractAbi.Decoded erc20 = TABLE.event(topics, Hex.decode(word("2a"))).orElseThrow();
    assertEquals("value", erc20.arguments().get(2).path("name").asText());
    assertEquals("42", erc20.arguments().get(2).path("value").asText());

    byte[][] nft = {topics[0], topics[1], topics[2], Hex.decode(word("7"))};
    ContractAbi.Decoded erc721 = TABLE.event(nft, new byte[0]).orElseThrow();
    assertEquals("tokenId", erc721.arguments().get(2).path("name").asText());
    assertEquals("7", erc721.arguments().get(2).path("value").asText());
  }

  @Test
  void aMulticallOfTuplesShowsEachComponent() {
    Function aggregate3 = Function.parse("aggregate3((address,bool,bytes)[])");
    Tuple call = Tuple.of(com.esaulpaugh.headlong.abi.Address.wrap(
        com.esaulpaugh.headlong.abi.Address.toChecksumAddress(new BigInteger(TO, 16))), true,
        new byte[] {1, 2});
    byte[] input = aggregate3.encodeCallWithArgs((Object) new Tuple[] {call}).array();
    ContractAbi.Decoded decoded = TABLE.call(input).orElseThrow();
    assertEquals("calls", decoded.arguments().get(0).path("name").asText());
    JsonNode first = decoded.arguments().get(0).path("value").get(0);
    assertEquals("bool", first.get(1).path("type").asText());
    assertTrue(first.get(1).path("value").asBoolean());
    assertEquals("0x0102", first.get(2).path("value").asText());
  }

  @Test
  void unknownDataAndShortInputAreNotDecoded() {
    assertTrue(TABLE.call(Hex.decode("deadbeef")).isEmpty());
    assertTrue(TABLE.call(Hex.decode("a905")).isEmpty());
    // transfer's selector with arguments that do not fit (one word missing)
    assertTrue(TABLE.call(Hex.decode("a9059cbb" + word(TO))).isEmpty());
  }

  @Test
  void aMalformedLineIsRefusedWithItsNumber() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SignatureTable.parse("# a comment\nfunction ok(uint256 a)\nevent Bad(uint257 x)"));
    assertTrue(e.getMessage().contains("line 3"), e.getMessage());
  }
}
