package io.chorus.evm;

import static io.chorus.evm.Harness.CONTRACT;
import static io.chorus.evm.Harness.ETHER;
import static io.chorus.evm.Harness.OTHER;
import static io.chorus.evm.Harness.SENDER;
import static io.chorus.evm.Opcodes.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chorus.codec.Bytes;
import io.chorus.crypto.Keccak256;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What reaches beyond one frame, checked on hand-assembled programs with exact figures: value
 * transfers and the call stipend, EIP-150's 63/64 rule, creation failures (balance, collision,
 * deposit gas, EIP-170, EIP-3541), EIP-6780 self-destruct, EIP-161 touches, EIP-2929 warmth.
 */
class EvmCallsTest {
  private static final Address EMPTY = RunInvariants.EMPTY;


  private static Harness world(byte[] code, byte[] otherCode) {
    return new Harness(new MapState()
        .put(SENDER, 0, ETHER, new byte[0])
        .put(CONTRACT, 1, ETHER, code)
        .put(OTHER, 1, BigInteger.valueOf(1_000), otherCode)
        .put(EMPTY, 0, BigInteger.ZERO, new byte[0]));
  }

  private static Map<Address, AccountChange> byAddress(List<AccountChange> changes) {
    return changes.stream().collect(Collectors.toMap(AccountChange::address,
        Function.identity()));
  }

  private static byte[] callWithValue(Address to) {
    return new Asm().op(PUSH0, PUSH0, PUSH0, PUSH0).push(1).push(to).op(GAS, CALL).bytes();
  }

  @Test
  void valueToANewAccountPaysTransferAndNewAccountLessTheUnusedStipend() {
    Harness h = Harness.withCode(callWithValue(OTHER));
    Result r = h.call(100_000);
    // PUSH0 x4 8, PUSH1 3, PUSH20 3, GAS 2, CALL 100 + cold 2500 + value 9000 + new account
    // 25000; the codeless callee hands back its 2300 stipend: 34316.
    assertEquals(Status.SUCCESS, r.status());
    assertEquals(100_000 - 34_316, r.gasLeft());
    assertEquals(BigInteger.ONE, h.journal.balance(OTHER));
    assertEquals(ETHER.subtract(BigInteger.ONE), h.journal.balance(CONTRACT));
  }

  @Test
  void valueToAnExistingAccountPaysNoNewAccountCharge() {
    Result r = world(callWithValue(OTHER), new byte[0]).call(100_000);
    // 16 + 100 + 2500 + 9000 - 2300 = 9316.
    assertEquals(100_000 - 9_316, r.gasLeft());
  }

  @Test
  void aValueCallWithNoGasGivesTheCalleeExactlyTheStipend() {
    // CALL(gas 0, OTHER, value 1, no input, output to [0, 32)); OTHER returns GAS.
    byte[] code = new Asm().push(32).op(PUSH0, PUSH0, PUSH0).push(1).push(OTHER)
        .op(PUSH0, CALL, POP, PUSH0, MLOAD).returnTop().bytes();
    byte[] other = new Asm().op(GAS).returnTop().bytes();
    // 2300 less GAS's own 2.
    assertArrayEquals(Word.of(2_298).toBytes(), world(code, other).call(100_000).output());
  }

  @Test
  void aCalleeGetsAllButOne64thOfWhatIsLeft() {
    byte[] code = new Asm().push(32).op(PUSH0, PUSH0, PUSH0).push(OTHER)
        .op(GAS, STATICCALL, POP, PUSH0, MLOAD).returnTop().bytes();
    byte[] other = new Asm().op(GAS).returnTop().bytes();
    // PUSH1 3, PUSH0 x3 6, PUSH20 3, GAS 2, STATICCALL 100 + output memory 3 + cold 2500:
    // R = 100000 - 2617 = 97383; callee gets R - R/64 = 97383 - 1521 = 95862, less GAS's 2.
    assertArrayEquals(Word.of(95_860).toBytes(), world(code, other).call(100_000).output());
  }

  @Test
  void delegateCallRunsOtherCodeWithTheCallersContext() {
    // OTHER's code stores CALLER and CALLVALUE in slots 0 and 1 of whoever runs it.
    byte[] other = new Asm().op(CALLER, PUSH0, SSTORE, CALLVALUE).push(1).op(SSTORE).bytes();
    byte[] code = new Asm().op(PUSH0, PUSH0, PUSH0, PUSH0).push(OTHER)
        .op(GAS, DELEGATECALL).bytes();
    Harness h = world(code, other);
    h.journal.warmAccount(CONTRACT);
    Result r = Harness.onBigStack(() -> h.evm.call(SENDER, CONTRACT, BigInteger.valueOf(7),
        new byte[0], 200_000));
    assertEquals(Status.SUCCESS, r.status());
    assertEquals(Word.fromBytes(SENDER.toArray()), h.journal.storage(CONTRACT, Word.ZERO));
    assertEquals(Word.of(7), h.journal.storage(CONTRACT, Word.of(1)));
    assertEquals(Word.ZERO, h.journal.storage(OTHER, Word.ZERO));
  }

  @Test
  void createBeyondTheBalancePushesZeroKeepsTheNonceAndReturnsTheGas() {
    byte[] code = new Asm().push(0).push(0).push(ETHER.add(BigInteger.ONE))
        .op(CREATE).returnTop().bytes();
    Harness h = Harness.withCode(code);
    Result r = h.call(100_000);
    // PUSH1 3, PUSH1 3, PUSH8 3, CREATE 32000; the refused creation returns what it was
    // given; then PUSH0 2, MSTORE 3 + 3, PUSH1 3, PUSH0 2: 32022.
    assertArrayEquals(Word.ZERO.toBytes(), r.output());
    assertEquals(100_000 - 32_022, r.gasLeft());
    assertEquals(1, h.journal.nonce(CONTRACT));
  }

  @Test
  void create2OnAnOccupiedAddressFailsAndBurnsTheForwardedGas() {
    // CREATE2 of empty initcode with salt 0, twice; returns both results as two words.
    Asm asm = new Asm();
    for (int i = 0; i < 2; i++) {
      asm.op(PUSH0, PUSH0, PUSH0, PUSH0, CREATE2).push(32 * i).op(MSTORE);
    }
    byte[] code = asm.push(64).op(PUSH0, RETURN).bytes();
    Harness h = Harness.withCode(code);
    Result r = h.call(1_000_000);
    Address address = h.evm.create2Address(CONTRACT, new byte[32], new byte[0]);
    byte[] first = Word.fromBytes(address.toArray()).toBytes();
    assertArrayEquals(Bytes.concat(first, new byte[32]), r.output());
    assertEquals(3, h.journal.nonce(CONTRACT), "each attempt raises the creator's nonce");
    // The collision took all but 1/64 of what was left, so little remains.
    assertTrue(r.gasLeft() < 1_000_000 / 64, "gas left " + r.gasLeft());
  }

  /** Initcode returning {@code size} zero bytes. */
  private static byte[] returnsZeros(int size) {
    return new Asm().push(size).op(PUSH0, RETURN).bytes();
  }

  @Test
  void depositGasIsChargedExactlyAtTheBoundary() {
    // PUSH1 3, PUSH0 2, memory of 4 words 12; deposit 100 x 200 = 20000: 20017 in all.
    Harness ok = Harness.withCode(new byte[0]);
    Address address = ok.evm.createAddress(SENDER, 0);
    Result r = Harness.onBigStack(() -> ok.evm.create(SENDER, address, BigInteger.ZERO,
        returnsZeros(100), 20_017));
    assertEquals(Status.SUCCESS, r.status());
    assertEquals(0, r.gasLeft());
    assertEquals(100, ok.journal.code(address).size());

    Harness poor = Harness.withCode(new byte[0]);
    Result failed = Harness.onBigStack(() -> poor.evm.create(SENDER, address, BigInteger.ZERO,
        returnsZeros(100), 20_016));
    assertEquals(Status.name(Status.OUT_OF_GAS), Status.name(failed.status()));
    assertEquals(0, failed.gasLeft());
    assertNull(failed.created());
    assertFalse(poor.journal.exists(address));
  }

  private static Result create(byte[] initcode) {
    Harness h = Harness.withCode(new byte[0]);
    Address address = h.evm.createAddress(SENDER, 0);
    return Harness.onBigStack(() -> h.evm.create(SENDER, address, BigInteger.ZERO, initcode,
        10_000_000));
  }

  @Test
  void creationOntoStorageCollidesButOntoABalanceSucceeds() {
    Address address = Harness.withCode(new byte[0]).evm.createAddress(SENDER, 0);
    // EIP-7610: storage alone, without nonce or code, makes the address taken.
    Harness storage = new Harness(new MapState().put(SENDER, 0, ETHER, new byte[0])
        .put(address, 0, BigInteger.ZERO, new byte[0])
        .putStorage(address, Word.ZERO, Word.of(1)));
    Result r = Harness.onBigStack(() -> storage.evm.create(SENDER, address, BigInteger.ZERO,
        returnsZeros(1), 100_000));
    assertEquals(Status.name(Status.CREATE_COLLISION), Status.name(r.status()));
    assertEquals(0, r.gasLeft());
    // A balance sent there beforehand is kept by the new contract.
    Harness funded = new Harness(new MapState().put(SENDER, 0, ETHER, new byte[0])
        .put(address, 0, BigInteger.TEN, new byte[0]));
    Result ok = Harness.onBigStack(() -> funded.evm.create(SENDER, address, BigInteger.ONE,
        returnsZeros(1), 100_000));
    assertEquals(Status.SUCCESS, ok.status());
    assertEquals(BigInteger.valueOf(11), funded.journal.balance(address));
  }

  @Test
  void initcodeIsChargedPerWordAndLimitedTo49152Bytes() {
    // CREATE(0, 0, 32) of 32 zero bytes (a STOP): PUSH1 3, PUSH0 2, PUSH0 2, CREATE 32000 +
    // memory 3 + EIP-3860's 2 per word = 32012; the initcode hands all its gas back.
    Result create = Harness.withCode(new Asm().push(32).op(PUSH0, PUSH0, CREATE).bytes())
        .call(100_000);
    assertEquals(100_000 - 32_012, create.gasLeft());
    // CREATE2 also hashes the initcode at 6 per word, and pushes its salt: 32012 + 3 + 6.
    Result create2 = Harness.withCode(new Asm().push(0).push(32).op(PUSH0, PUSH0, CREATE2)
        .bytes()).call(100_000);
    assertEquals(100_000 - 32_021, create2.gasLeft());

    byte[] largest = new Asm().push(Limits.INITCODE_BYTES_MAX).op(PUSH0, PUSH0, CREATE).bytes();
    assertEquals(Status.SUCCESS, Harness.withCode(largest).call(1_000_000).status());
    byte[] tooLarge = new Asm().push(Limits.INITCODE_BYTES_MAX + 1).op(PUSH0, PUSH0, CREATE)
        .bytes();
    Result r = Harness.withCode(tooLarge).call(1_000_000);
    assertEquals(Status.name(Status.INITCODE_TOO_LARGE), Status.name(r.status()));
    assertEquals(0, r.gasLeft());
  }

  @Test
  void deployedCodeIsLimitedTo24576Bytes() {
    assertEquals(Status.SUCCESS, create(returnsZeros(Limits.CODE_BYTES_MAX)).status());
    Result r = create(returnsZeros(Limits.CODE_BYTES_MAX + 1));
    assertEquals(Status.name(Status.CODE_TOO_LARGE), Status.name(r.status()));
    assertEquals(0, r.gasLeft());
  }

  @Test
  void deployedCodeMayNotStartWith0xEf() {
    byte[] ef = new Asm().push(0xEF).op(PUSH0, MSTORE8).push(1).op(PUSH0, RETURN).bytes();
    Result r = create(ef);
    assertEquals(Status.name(Status.CODE_STARTS_WITH_EF), Status.name(r.status()));
    assertEquals(0, r.gasLeft());
    byte[] ee = new Asm().push(0xEE).op(PUSH0, MSTORE8).push(1).op(PUSH0, RETURN).bytes();
    assertEquals(Status.SUCCESS, create(ee).status());
  }

  @Test
  void selfDestructOfAnOldContractOnlyMovesItsBalance() {
    Harness h = Harness.withCode(new Asm().push(OTHER).op(SELFDESTRUCT).bytes());
    Result r = h.call(100_000);
    // PUSH20 3, SELFDESTRUCT 5000 + cold beneficiary 2600 + new account 25000: 32603.
    assertEquals(Status.SUCCESS, r.status());
    assertEquals(100_000 - 32_603, r.gasLeft());
    Map<Address, AccountChange> changes = byAddress(h.journal.finish());
    assertFalse(changes.get(CONTRACT).deleted(), "EIP-6780 keeps an old contract");
    assertEquals(BigInteger.ZERO, changes.get(CONTRACT).balance());
    assertEquals(ETHER, changes.get(OTHER).balance());
  }

  @Test
  void selfDestructOfAContractCreatedInTheSameTransactionDeletesIt() {
    Harness h = Harness.withCode(new byte[0]);
    Address address = h.evm.createAddress(SENDER, 0);
    byte[] initcode = new Asm().push(OTHER).op(SELFDESTRUCT).bytes();
    Result r = Harness.onBigStack(() -> h.evm.create(SENDER, address, BigInteger.valueOf(5),
        initcode, 100_000));
    assertEquals(Status.SUCCESS, r.status());
    Map<Address, AccountChange> changes = byAddress(h.journal.finish());
    assertTrue(changes.get(address).deleted());
    assertEquals(BigInteger.valueOf(5), changes.get(OTHER).balance());
  }

  @Test
  void touchingAnEmptyAccountDeletesItUnlessTheTouchIsReverted() {
    byte[] touch = new Asm().op(PUSH0, PUSH0, PUSH0, PUSH0, PUSH0).push(EMPTY).op(GAS, CALL)
        .bytes();
    Harness kept = world(touch, new byte[0]);
    assertEquals(Status.SUCCESS, kept.call(100_000).status());
    assertTrue(byAddress(kept.journal.finish()).get(EMPTY).deleted(), "EIP-161");

    Harness reverted = world(Bytes.concat(touch, new byte[] {PUSH0, PUSH0, (byte) REVERT}),
        new byte[0]);
    assertEquals(Status.REVERT, reverted.call(100_000).status());
    assertEquals(List.of(), reverted.journal.finish());
  }

  @Test
  void sstoreNeedsMoreThanTheStipendLeft() {
    // PUSH1 3, PUSH1 3, then SSTORE of 0 onto 0: cold 2100 + no-op 100 = 2200, but only with
    // more than 2300 left (EIP-2200).
    byte[] code = new Asm().push(0).push(0).op(SSTORE).bytes();
    Result ok = Harness.withCode(code).call(6 + 2_301);
    assertEquals(Status.SUCCESS, ok.status());
    assertEquals(101, ok.gasLeft());
    Result refused = Harness.withCode(code).call(6 + 2_300);
    assertEquals(Status.name(Status.OUT_OF_GAS), Status.name(refused.status()));
  }

  @Test
  void slotAccessIsColdOnceThenWarm() {
    byte[] code = new Asm().push(0).op(SLOAD, POP).push(0).op(SLOAD).bytes();
    // PUSH1 3, SLOAD 2100, POP 2, PUSH1 3, SLOAD 100: 2208.
    assertEquals(100_000 - 2_208, Harness.withCode(code).call(100_000).gasLeft());
  }

  @Test
  void accountAccessIsColdOnceThenWarm() {
    byte[] code = new Asm().push(OTHER).op(BALANCE, POP).push(OTHER).op(EXTCODESIZE, POP)
        .bytes();
    // PUSH20 3, BALANCE 100 + cold 2500, POP 2, PUSH20 3, EXTCODESIZE 100, POP 2: 2710.
    assertEquals(100_000 - 2_710, world(code, new byte[0]).call(100_000).gasLeft());
  }

  @Test
  void extCodeHashTellsDeadAccountsFromCodelessOnes() {
    byte[] code = new Asm().push(EMPTY).op(EXTCODEHASH).push(0).op(MSTORE)
        .push(SENDER).op(EXTCODEHASH).push(32).op(MSTORE)
        .push(Address.ofIndex(0xdead)).op(EXTCODEHASH).push(64).op(MSTORE)
        .push(96).op(PUSH0, RETURN).bytes();
    byte[] out = world(code, new byte[0]).call(100_000).output();
    byte[] emptyHash = Keccak256.INSTANCE.hash(new byte[0]);
    // An empty account and an absent one hash to 0; a codeless one with a balance to keccak("").
    assertArrayEquals(Bytes.concat(new byte[32], emptyHash, new byte[32]), out);
  }
}
