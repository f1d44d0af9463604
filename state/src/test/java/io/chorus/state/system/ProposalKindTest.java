package io.chorus.state.system;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chorus.evm.Address;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Fields written as text, as the CLI and the REST service take them: a bad one is named by its
 * position, including a value its ABI type cannot hold (which the type's parser alone lets
 * through), so a form can point at the field to fix; good ones encode as the typed values do.
 */
class ProposalKindTest {
  private static final String ACCOUNT = "0x" + "ab".repeat(20);

  @Test
  void eachBadFieldIsNamedByItsPosition() {
    assertEquals(1, invalid(ProposalKind.ADD_MEMBER, ACCOUNT, "ten"));
    assertEquals(0, invalid(ProposalKind.ADD_MEMBER, "0x1234", "10"));
    assertEquals(0, invalid(ProposalKind.SET_FEE_MODE, "300"), "uint8 holds 0..255");
    assertEquals(0, invalid(ProposalKind.SET_FEE_MODE, "99999999999999999999"));
    assertTrue(assertThrows(ProposalKind.InvalidField.class, () -> ProposalKind.SET_GAS_LIMIT
        .encodeText(List.of("lots"))).getMessage().endsWith("not a whole number (decimal, or"
        + " 0x and hex digits)"));
    assertEquals(1, invalid(ProposalKind.SET_METHOD_ACCESS, ACCOUNT, "0x12", "2"),
        "a selector is 4 bytes");
    assertEquals(1, invalid(ProposalKind.SET_RESTRICTIONS, "true", "yes"));
    assertEquals(1, invalid(ProposalKind.SET_NOTARY_POLICY, "contract", ACCOUNT, "1"),
        "an address list is bracketed");
  }

  @Test
  void theWrongNumberOfFieldsIsNoFieldsFault() {
    ProposalKind.InvalidField e = assertThrows(ProposalKind.InvalidField.class,
        () -> ProposalKind.ADD_MEMBER.encodeText(List.of(ACCOUNT)));
    assertEquals(-1, e.index());
    assertTrue(e.getMessage().contains("takes 2 field(s): account, weight; got 1"),
        e.getMessage());
  }

  @Test
  void goodTextEncodesAsTheTypedValues() {
    assertArrayEquals(ProposalKind.ADD_MEMBER.encode(Address.parse(ACCOUNT), BigInteger.TEN),
        ProposalKind.ADD_MEMBER.encodeText(List.of(ACCOUNT, "0xa")));
    assertArrayEquals(ProposalKind.SET_NOTARY_POLICY.encode("contract",
        List.of(Address.parse(ACCOUNT)), 1),
        ProposalKind.SET_NOTARY_POLICY.encodeText(List.of("contract", "[" + ACCOUNT + "]",
            "1")));
  }

  private static int invalid(ProposalKind kind, String... fields) {
    return assertThrows(ProposalKind.InvalidField.class,
        () -> kind.encodeText(List.of(fields))).index();
  }
}
