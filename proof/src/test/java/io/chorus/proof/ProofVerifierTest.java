package io.chorus.proof;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.chorus.codec.Hex;
import io.chorus.crypto.CryptoSuite;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bundles of every kind over a hand-built block, in both suites: what they prove, and refusals. */
class ProofVerifierTest {

  @ParameterizedTest
  @ValueSource(strings = {"ethereum", "sm"})
  void everyKindVerifiesAndResistsTampering(String suiteName) {
    BundleFixture f = new BundleFixture(CryptoSuite.byName(suiteName));
    for (ProofBundle.Kind kind : ProofBundle.Kind.values()) {
      Proven proven = ProofChecks.verifiesAndResistsTampering(f.bundle(kind), f.root);
      assertEquals(BundleFixture.NUMBER, proven.blockNumber());
      assertEquals(3, proven.signers().size());
      assertEquals(0, proven.validatorChanges());
    }
    Proven log = ProofVerifier.verify(f.bundle(ProofBundle.Kind.LOG), f.root);
    assertEquals(Hex.encode0x(BundleFixture.CONTRACT), log.facts().get("log.address"));
    assertEquals(Hex.encode0x(BundleFixture.SLOT_VALUE), log.facts().get("log.topic0"));
    assertEquals("success", log.facts().get("status"));
    assertEquals(Hex.encode0x(f.suite.address(f.validators.getFirst().publicKey())),
        log.facts().get("from"));
    Proven state = ProofVerifier.verify(f.bundle(ProofBundle.Kind.STATE), f.root);
    assertEquals(Hex.encode0x(BundleFixture.SLOT_VALUE),
        state.facts().get("storage[" + Hex.encode0x(BundleFixture.SLOT) + "]"));
    assertEquals("1000", state.facts().get("balance"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"ethereum", "sm"})
  void incompleteOrInconsistentBundlesSayWhatIsWrong(String suiteName) {
    BundleFixture f = new BundleFixture(CryptoSuite.byName(suiteName));
    ProofBundle log = f.bundle(ProofBundle.Kind.LOG);
    ProofChecks.fails(new ProofBundle(ProofBundle.Kind.LOG, log.chain(), log.block(),
        List.of(), log.transaction(), null, 0, null), f.root, "a log bundle needs 'receipt'");
    ProofChecks.fails(new ProofBundle(ProofBundle.Kind.LOG, log.chain(), log.block(),
        List.of(), log.transaction(), log.receipt(), 1, null), f.root,
        "log 1 is not in the receipt, which has 1");
    // A validator change claimed at the very block proven: changes must come before it.
    ProofChecks.fails(new ProofBundle(ProofBundle.Kind.LOG, log.chain(), log.block(),
        List.of(new ProofBundle.ValidatorChange(log.block(), f.bundle(ProofBundle.Kind.STATE)
            .account())), log.transaction(), log.receipt(), 0, null), f.root,
        "validator change 0: the set must be proven from the governance contract");
    ProofChecks.fails(new ProofBundle(ProofBundle.Kind.TRANSACTION, new ProofBundle.Chain(
        BundleFixture.CHAIN_ID.add(java.math.BigInteger.ONE), f.suite.name(),
        f.root.genesisHash()), log.block(), List.of(), log.transaction(), null, null, null),
        f.root, "the bundle is for chain id 8, the genesis file's is 7");
  }

  @org.junit.jupiter.api.Test
  void malformedJsonIsRefusedWithTheField() {
    String good = new BundleFixture(CryptoSuite.ethereum()).bundle(ProofBundle.Kind.LOG)
        .toJson();
    assertRefused(good.replace("chorus-proof/1", "chorus-proof/9"), "format is 'chorus-proof/9'");
    assertRefused(good.replace("\"kind\"", "\"kinds\""), "unknown field 'kinds'");
    assertRefused(good.replace("\"logIndex\" : 0", "\"logIndex\" : -1"),
        "bundle.logIndex must be a non-negative integer");
    assertRefused(good.replaceFirst("\"header\" : \"0x", "\"header\" : \"0xz"),
        "bundle.block.header");
    assertRefused("[]", "bundle must be a JSON object");
    assertRefused("{", "not JSON");
  }

  private static void assertRefused(String json, String expected) {
    ProofException e = org.junit.jupiter.api.Assertions.assertThrows(ProofException.class,
        () -> ProofBundle.fromJson(json));
    org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains(expected),
        e.getMessage());
  }
}
