package io.chorus.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.chorus.codec.Hex;
import io.chorus.crypto.Keccak256;
import io.chorus.evm.Address;
import io.chorus.evm.BlockEnv;
import io.chorus.evm.Tracer;
import io.chorus.evm.Word;
import io.chorus.evm.trace.CallTracer;
import io.chorus.evm.trace.JsonTracer;
import io.chorus.evm.trace.StructLogger;
import io.chorus.evm.trace.Tracers;
import io.chorus.trie.InMemoryNodeStore;
import io.chorus.tx.Transaction;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Re-running a transaction with a tracer, as {@code debug_traceTransaction} does: the top frame
 * and the struct log report Geth's transaction-level gas (the gas limit given, the receipt's gas
 * used with intrinsic gas in and refund out), and tracing leaves the outcome and the state root
 * exactly as an untraced run leaves them.
 */
class StateTransitionTraceTest {
  private static final Address SENDER = Address.parse("0x00000000000000000000000000000000000a11ce");
  private static final Address CONTRACT =
      Address.parse("0x000000000000000000000000000000000000c0de");
  private static final Address COINBASE =
      Address.parse("0x00000000000000000000000000000000000c0ba5");
  private static final BigInteger ETHER = BigInteger.TEN.pow(18);
  private static final BlockEnv BLOCK = new BlockEnv(COINBASE, 1, 1_700_000_000L, 30_000_000L,
      BigInteger.ONE, Word.ZERO, BigInteger.ONE, BigInteger.ONE, Word::of);
  /** PUSH0 PUSH0 SSTORE: clears slot 0, set to 1 before: 5000 gas, 4800 refunded. */
  private static final byte[] CLEARS_SLOT = Hex.decode("5f5f55");
  /** Deploys the 8 bytes 602a5f5260205ff3. */
  private static final byte[] DEPLOYS = Hex.decode("67602a5f5260205ff35f5260086018f3");

  private static WorldState world() {
    WorldState state = new WorldState(Keccak256.INSTANCE, new InMemoryNodeStore());
    state.put(SENDER, 0, ETHER, new byte[0], Map.of());
    state.put(CONTRACT, 1, BigInteger.ZERO, CLEARS_SLOT, Map.of(Word.ZERO, Word.of(1)));
    return state;
  }

  /** An EIP-1559 transaction from SENDER; {@code to} null creates. */
  private static Transaction tx(Address to, byte[] data, long gasLimit) {
    return new Transaction(Transaction.DYNAMIC_FEE, BigInteger.ONE, 0, BigInteger.ZERO,
        BigInteger.ONE, gasLimit, to == null ? null : to.toArray(), BigInteger.ZERO, data,
        List.of(), BigInteger.ZERO, List.of(), 0, BigInteger.ONE, BigInteger.ONE, new byte[0],
        new byte[0]);
  }

  private record Run(TransactionResult result, byte[] root) {}

  private static Run run(Transaction tx, Tracer tracer) {
    WorldState state = world();
    TransactionResult result = StateTransition.ethereum(Keccak256.INSTANCE)
        .apply(state, tx, SENDER, BLOCK, tracer);
    return new Run(result, state.commit());
  }

  private static void sameAsUntraced(Transaction tx, Run traced) {
    Run plain = run(tx, null);
    assertEquals(plain.result().status(), traced.result().status());
    assertEquals(plain.result().gasUsed(), traced.result().gasUsed());
    assertArrayEquals(plain.result().output(), traced.result().output());
    assertArrayEquals(plain.root(), traced.root(), "tracing changed the state");
  }

  @Test
  void aCallsTopFrameIsTheTransactionsGasLimitAndReceiptGas() {
    Transaction tx = tx(CONTRACT, new byte[0], 100_000);
    JsonTracer tracer = Tracers.fromConfig(Map.of("tracer", "callTracer"));
    Run run = run(tx, tracer);
    // 21000 intrinsic + 2 + 2 + 5000, less the refund of 4800 (under a fifth of 26004).
    assertEquals(21_204, run.result().gasUsed());
    Map<String, Object> top = tracer.result();
    assertEquals("0x186a0", top.get("gas"));
    assertEquals("0x52d4", top.get("gasUsed"));
    assertEquals(CONTRACT.toString(), top.get("to"));
    assertEquals("CALL", top.get("type"));
    sameAsUntraced(tx, run);
  }

  @Test
  void theStructLogsGasIsTheReceiptsAndItsStepsStartAfterIntrinsicGas() {
    Transaction tx = tx(CONTRACT, new byte[0], 100_000);
    JsonTracer tracer = Tracers.fromConfig(Map.of("enableMemory", true, "limit", 10));
    Run run = run(tx, tracer);
    Map<String, Object> result = tracer.result();
    assertEquals(21_204L, result.get("gas"));
    assertEquals(false, result.get("failed"));
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> steps = (List<Map<String, Object>>) result.get("structLogs");
    assertEquals(List.of("PUSH0", "PUSH0", "SSTORE", "STOP"),
        steps.stream().map(s -> s.get("op")).toList());
    assertEquals(79_000L, steps.get(0).get("gas"));
    assertEquals(4_800L, steps.get(3).get("refund"));
    sameAsUntraced(tx, run);
  }

  @Test
  void aCreationsTopFrameNamesTheNewContractAndItsCode() {
    Transaction tx = tx(null, DEPLOYS, 200_000);
    CallTracer tracer = new CallTracer(CallTracer.Options.DEFAULT);
    Run run = run(tx, tracer);
    Map<String, Object> top = tracer.result();
    assertEquals("CREATE", top.get("type"));
    assertEquals(run.result().contractAddress().toString(), top.get("to"));
    assertEquals(Hex.encode0x(DEPLOYS), top.get("input"));
    assertEquals("0x602a5f5260205ff3", top.get("output"));
    assertEquals("0x30d40", top.get("gas"));
    assertEquals("0x" + Long.toHexString(run.result().gasUsed()), top.get("gasUsed"));
    sameAsUntraced(tx, run);
  }

  @Test
  void aRevertedTransactionIsFailedWithItsRevertData() {
    // PUSH1 0xee, PUSH0, MSTORE8, PUSH1 1, PUSH0, REVERT
    Transaction tx = tx(null, Hex.decode("60ee5f5360015ffd"), 100_000);
    StructLogger tracer = new StructLogger(StructLogger.Options.DEFAULT);
    Run run = run(tx, tracer);
    Map<String, Object> result = tracer.result();
    assertEquals(true, result.get("failed"));
    assertEquals("0xee", result.get("returnValue"));
    assertEquals(run.result().gasUsed(), result.get("gas"));
    sameAsUntraced(tx, run);
  }
}
