package io.chorus.state.system;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.esaulpaugh.headlong.abi.Function;
import com.esaulpaugh.headlong.abi.Tuple;
import com.esaulpaugh.headlong.abi.TupleType;
import io.chorus.codec.Hex;
import io.chorus.crypto.CryptoSuite;
import io.chorus.evm.Address;
import io.chorus.evm.Log;
import io.chorus.evm.Status;
import io.chorus.state.TransactionResult;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Multi-party attestation and calls from contracts, through real transactions. Method: the
 * governance committee votes a record type's policy in (a proposal, passed, in force from the
 * next block); co-signers attest with transactions of their own, and each step's status (below
 * the threshold, at it, a new version starting over) is read back and its event checked; each
 * refusal's reason is asserted. A contract compiled by solc from Notary.sol's interface
 * deposits and reads through the ABI, as any Solidity caller would.
 */
class NotaryAttestationTest {
  static final Address NOTARY = SystemContracts.NOTARY;
  static final int DEPOSITOR = 0;
  static final int OFFICE = 2;
  static final int ARBITRATOR = 3;
  static final int OUTSIDER = 4;

  final NotaryChain chain = new NotaryChain(CryptoSuite.ethereum());

  Notary.Record current(String id) {
    return Notary.record(chain.state, id);
  }

  @Test
  void aContractNeedsTwoOfItsTwoCoSignersAndAnUpdateStartsOver() {
    assertNull(Notary.policy(chain.state, "contract"));
    assertEquals(Tuple.of(new com.esaulpaugh.headlong.abi.Address[0], 0),
        chain.view("GetPolicy(string)", "(address[],uint8)", "contract"));
    chain.passPolicy("contract", List.of(chain.accounts[OFFICE], chain.accounts[ARBITRATOR]), 2);
    assertEquals(new Notary.Policy(List.of(chain.accounts[OFFICE], chain.accounts[ARBITRATOR]),
        2), Notary.policy(chain.state, "contract"));

    byte[] hash = chain.content("purchase contract");
    chain.notary(DEPOSITOR, Notary.notarizeCall("c-1", Notary.Algorithm.SM3, hash, "contract",
        "{}"));
    assertFalse(current("c-1").attested(), "no co-signer yet");
    assertEquals(chain.accounts[OUTSIDER] + " is not a co-signer of record type 'contract'",
        chain.refused(OUTSIDER, Notary.attestCall("c-1")));
    assertEquals(chain.accounts[DEPOSITOR] + " is not a co-signer of record type 'contract'",
        chain.refused(DEPOSITOR, Notary.attestCall("c-1")), "the policy does not list them");

    TransactionResult first = chain.notary(OFFICE, Notary.attestCall("c-1"));
    Log log = first.logs().get(0);
    assertEquals(List.of(NotaryTest.topic0("Attested(bytes32,bytes32,address,string,uint32,"
        + "uint32,bool)"), NotaryTest.idHash("c-1"), io.chorus.evm.Word.fromBytes(hash),
        NotaryTest.topic(chain.accounts[OFFICE])), log.topics());
    assertEquals(Tuple.of("c-1", 1L, 1L, false),
        TupleType.parse("(string,uint32,uint32,bool)").decode(log.data()));
    assertFalse(current("c-1").attested(), "one of two: below the threshold");
    assertEquals(List.of(chain.accounts[OFFICE]), current("c-1").cosigners());
    assertEquals(chain.accounts[OFFICE] + " has already attested version 1 of 'c-1'",
        chain.refused(OFFICE, Notary.attestCall("c-1")));

    TransactionResult second = chain.notary(ARBITRATOR, Notary.attestCall("c-1"));
    assertEquals(Tuple.of("c-1", 1L, 2L, true), TupleType.parse("(string,uint32,uint32,bool)")
        .decode(second.logs().get(0).data()));
    assertTrue(current("c-1").attested(), "two of two: at the threshold");
    assertEquals(List.of(chain.accounts[OFFICE], chain.accounts[ARBITRATOR]),
        current("c-1").cosigners());

    chain.nextBlock();
    chain.notary(DEPOSITOR, Notary.updateCall("c-1", Notary.Algorithm.SM3,
        chain.content("purchase contract, amended"), "{}"));
    assertFalse(current("c-1").attested(), "co-signers vouched for the old content, not this");
    assertEquals(List.of(), current("c-1").cosigners());
    assertTrue(Notary.version(chain.state, "c-1", 1).attested(), "version 1 stays attested");
    assertEquals(chain.accounts[OFFICE] + " has already attested version 1 of 'c-1'",
        chain.refused(OFFICE, Notary.attestVersionCall("c-1", 1)));
    assertEquals("'c-1' has no version 3: it has versions 1 to 2",
        chain.refused(OFFICE, Notary.attestVersionCall("c-1", 3)));
    assertEquals("versions count from 1",
        chain.refused(OFFICE, Notary.attestVersionCall("c-1", 0)));
    chain.notary(ARBITRATOR, Notary.attestVersionCall("c-1", 2));
    chain.notary(OFFICE, Notary.attestCall("c-1"));
    assertTrue(current("c-1").attested());
    assertEquals(List.of(chain.accounts[ARBITRATOR], chain.accounts[OFFICE]),
        current("c-1").cosigners());
    assertEquals("no record with id 'c-2'", chain.refused(OFFICE, Notary.attestCall("c-2")));
  }

  @Test
  void aDepositorTheirPolicyNamesAttestsByDepositing() {
    chain.passPolicy("copyright", List.of(Notary.DEPOSITOR, chain.accounts[OFFICE]), 2);
    TransactionResult deposit = chain.notary(1, Notary.notarizeCall("song-9",
        Notary.Algorithm.SHA256, chain.content("song"), "copyright", "{}"));
    assertEquals(2, deposit.logs().size(), "Recorded, then the depositor's Attested");
    assertEquals(NotaryTest.topic(chain.accounts[1]), deposit.logs().get(1).topics().get(3));
    assertEquals(List.of(chain.accounts[1]), current("song-9").cosigners());
    assertFalse(current("song-9").attested(), "one of two");
    assertEquals(chain.accounts[1] + " has already attested version 1 of 'song-9'",
        chain.refused(1, Notary.attestCall("song-9")));
    assertEquals(chain.accounts[0] + " is not a co-signer of record type 'copyright'",
        chain.refused(0, Notary.attestCall("song-9")), "the depositor of another record");
    chain.notary(OFFICE, Notary.attestCall("song-9"));
    assertTrue(current("song-9").attested());
  }

  @Test
  void aPolicyAppliesToLaterVersionsAndCanBeRemovedAndTypesWithoutOneNeedNoCoSigners() {
    chain.notary(0, Notary.evidenceCall("plain", chain.content("plain"), ""));
    assertTrue(current("plain").attested());
    assertEquals("record type 'evidence' has no co-signers: its records need no attestation",
        chain.refused(OFFICE, Notary.attestCall("plain")));

    chain.passPolicy("voucher", List.of(chain.accounts[OFFICE]), 1);
    chain.notary(0, Notary.notarizeCall("v-1", Notary.Algorithm.SHA256, chain.content("v-1"),
        "voucher", ""));
    chain.notary(OFFICE, Notary.attestCall("v-1"));
    assertTrue(current("v-1").attested());
    chain.passPolicy("voucher", List.of(chain.accounts[OFFICE], chain.accounts[ARBITRATOR]), 2);
    assertTrue(current("v-1").attested(), "attested under the policy of its time, it stays so");
    chain.notary(0, Notary.notarizeCall("v-2", Notary.Algorithm.SHA256, chain.content("v-2"),
        "voucher", ""));
    chain.notary(OFFICE, Notary.attestCall("v-2"));
    assertFalse(current("v-2").attested(), "the new policy asks for two");

    chain.passPolicy("voucher", List.of(), 0);
    assertNull(Notary.policy(chain.state, "voucher"));
    chain.notary(0, Notary.notarizeCall("v-3", Notary.Algorithm.SHA256, chain.content("v-3"),
        "voucher", ""));
    assertTrue(current("v-3").attested(), "without a policy, at once");
  }

  @Test
  void theCommitteeCannotProposeAPolicyThatCouldNeverApply() {
    Address office = chain.accounts[OFFICE];
    List<Address> seventeen = new ArrayList<>();
    for (int i = 1; i <= 17; i++) {
      seventeen.add(Address.ofIndex(0x2000 + i));
    }
    Object[][] bad = {
        {"contract", List.of(office), 2, "threshold 2 exceeds the 1 co-signers listed"},
        {"contract", List.of(office, office), 1, "co-signer " + office + " is listed twice"},
        {"contract", List.of(office), 0, "threshold 0 removes the policy: list no co-signers"
            + " with it"},
        {"Contract", List.of(office), 1, "a record type is 1 to 32 characters of a-z, 0-9, '-'"
            + " and '_', got 'Contract'"},
        {"contract", seventeen, 1, "a policy lists at most 16 co-signers, got 17"}};
    for (Object[] policy : bad) {
      TransactionResult result = chain.send(NotaryChain.COMMITTEE[0], SystemContracts.GOVERNANCE,
          Governance.proposeCall(ProposalKind.SET_NOTARY_POLICY,
              ProposalKind.SET_NOTARY_POLICY.encode(policy[0], policy[1], policy[2]), 10));
      assertEquals(Status.REVERT, result.status());
      assertEquals(policy[3], NotaryChain.reason(result));
    }
    assertEquals(0, Governance.proposalCount(chain.state));
    TransactionResult outsider = chain.send(OUTSIDER, SystemContracts.GOVERNANCE,
        Governance.proposeCall(ProposalKind.SET_NOTARY_POLICY,
            ProposalKind.SET_NOTARY_POLICY.encode("contract", List.of(office), 1), 10));
    assertEquals(chain.accounts[OUTSIDER] + " is not a member of the governance committee",
        NotaryChain.reason(outsider), "only the committee sets policies");

    // As the CLI and chorus_govProposal write the fields.
    byte[] payload = ProposalKind.SET_NOTARY_POLICY.encodeText(List.of("contract",
        "[" + office + ", " + Notary.DEPOSITOR + "]", "2"));
    assertArrayEquals(ProposalKind.SET_NOTARY_POLICY.encode("contract",
        List.of(office, Notary.DEPOSITOR), 2), payload);
    assertEquals(List.of("contract", "[" + office + "," + Notary.DEPOSITOR + "]", "2"),
        ProposalKind.SET_NOTARY_POLICY.fields(payload));
  }

  static byte[] notaryUserCode() throws IOException {
    try (InputStream in = NotaryAttestationTest.class.getResourceAsStream(
        "/notary/NotaryUser.bin")) {
      return Hex.decode(new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim());
    }
  }

  @Test
  void aSolidityContractDepositsAndReadsThroughTheAbi() throws IOException {
    TransactionResult deployed = chain.send(0, null, notaryUserCode());
    assertTrue(deployed.success());
    Address user = deployed.contractAddress();
    byte[] hash = chain.content("signed by a contract");
    Function deposit = Function.parse("deposit(string,bytes32)");
    TransactionResult result = chain.send(1, user,
        deposit.encodeCallWithArgs("by-contract", hash).array());
    assertTrue(result.success(), () -> NotaryChain.reason(result));
    assertEquals(NotaryTest.topic(user), result.logs().get(0).topics().get(3),
        "the notary saw the contract as its caller");
    Notary.Record record = current("by-contract");
    assertEquals(user, record.depositor());
    assertEquals(Notary.Algorithm.SHA256, record.algorithm());
    assertEquals("{\"by\":\"contract\"}", record.metadata());

    Function read = Function.parse("current(string)", "(uint32,bool,address,bytes)");
    Tuple answer = read.getOutputs().decode(chain.call(4, user,
        read.encodeCallWithArgs("by-contract").array()));
    assertEquals(1L, (Long) answer.get(0));
    assertEquals(true, answer.get(1));
    assertEquals(user.toString(), answer.get(2).toString().toLowerCase(java.util.Locale.ROOT));
    assertArrayEquals(hash, answer.get(3));
    Function exists = Function.parse("exists(bytes32)", "(bool)");
    assertEquals(true, exists.getOutputs().decode(chain.call(4, user,
        exists.encodeCallWithArgs((Object) hash).array())).get(0));
    assertEquals(false, exists.getOutputs().decode(chain.call(4, user,
        exists.encodeCallWithArgs((Object) chain.content("x")).array())).get(0));

    Function staticDeposit = Function.parse("staticDeposit(string,bytes32)", "(bool,bytes)");
    Tuple refused = staticDeposit.getOutputs().decode(chain.call(4, user,
        staticDeposit.encodeCallWithArgs("static", chain.content("s")).array()));
    assertEquals(false, refused.get(0));
    assertEquals("Evidence changes state: send it as a transaction",
        Function.parse("Error(string)").decodeCall((byte[]) refused.get(1)).get(0));

    TransactionResult again = chain.send(1, user,
        deposit.encodeCallWithArgs("by-contract", chain.content("y")).array());
    assertEquals(Status.REVERT, again.status());
    assertEquals("id 'by-contract' is already recorded (1 version(s)): change it with"
        + " UpdateEvidence or Update", NotaryChain.reason(again), "the reason bubbles up");
  }
}
