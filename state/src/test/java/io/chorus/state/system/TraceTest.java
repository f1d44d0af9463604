package io.chorus.state.system;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.esaulpaugh.headlong.abi.Tuple;
import io.chorus.codec.Bytes;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.Keccak256;
import io.chorus.evm.Address;
import io.chorus.evm.Log;
import io.chorus.evm.Status;
import io.chorus.evm.Word;
import io.chorus.state.TransactionResult;
import io.chorus.trace.epcis.CaptureCall;
import io.chorus.tx.Transaction;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The trace system contract through real transactions, as {@link NotaryTest} tests the notary:
 * a capture is recorded with its transaction, block and time and read back by the node's
 * reader and by {@code GetCapture}; its {@code Captured} log has the topics Solidity derives
 * from {@code Trace.sol}; every bound is refused with its reason and leaves the state as it was.
 */
class TraceTest {
  static final Address TRACE = SystemContracts.TRACE;

  final NotaryChain chain = new NotaryChain(CryptoSuite.ethereum());

  String refused(byte[] data) {
    TransactionResult result = chain.send(0, TRACE, data);
    assertEquals(Status.REVERT, result.status(), "the capture should have reverted");
    assertTrue(result.logs().isEmpty(), "a reverted capture leaves no logs");
    return NotaryChain.reason(result);
  }

  @Test
  void aCaptureIsRecordedUnderItsRootWithItsCapturerBlockAndTransaction() {
    byte[] root = chain.content("root-1");
    byte[] batch = "compressed events".getBytes(StandardCharsets.UTF_8);
    Transaction tx = chain.sign(1, TRACE, Trace.captureCall(root, 3, batch), 5_000_000);
    TransactionResult result = chain.apply(tx);
    assertTrue(result.success(), () -> NotaryChain.reason(result));
    assertEquals(BigInteger.ONE, TraceContract.CAPTURE.getOutputs()
        .decode(result.output()).get(0));

    Trace.Capture capture = Trace.captureByRoot(chain.state, root);
    assertEquals(1, capture.number());
    assertEquals(3, capture.count());
    assertEquals(chain.accounts[1], capture.capturer());
    assertEquals(chain.number, capture.blockHeight());
    assertEquals(chain.timestamp(), capture.timestamp());
    assertArrayEquals(chain.hash.hash(tx.encoded()), capture.txId());
    assertEquals(1, Trace.captureCount(chain.state));

    Log log = result.logs().getFirst();
    assertEquals(TRACE, log.address());
    assertEquals(List.of(Word.fromBytes(Keccak256.INSTANCE.hash(
        "Captured(bytes32,uint64,address,uint32)".getBytes(StandardCharsets.US_ASCII))),
        Word.fromBytes(root), Word.of(1), Word.fromBytes(Bytes.leftPad(
            chain.accounts[1].toArray(), 32))), log.topics());
    assertEquals(Trace.CAPTURED_TOPIC, log.topics().getFirst());
    assertEquals(BigInteger.valueOf(3), new BigInteger(1, log.data()));

    Tuple read = TraceContract.GET_CAPTURE.getOutputs().decode(chain.call(0, TRACE,
        TraceContract.GET_CAPTURE.encodeCallWithArgs(root).array())).get(0);
    assertEquals(3L, (long) read.get(2));
    assertArrayEquals(capture.txId(), read.get(4));

    CaptureCall decoded = CaptureCall.decode(tx.data());
    assertArrayEquals(root, decoded.root());
    assertEquals(3, decoded.count());
    assertArrayEquals(batch, decoded.batch());
  }

  @Test
  void boundsAndRepeatsAreRefusedAndChangeNothing() {
    byte[] root = chain.content("root");
    byte[] batch = {1, 2, 3};
    assertEquals("empty capture: a capture holds 1 to 1024 events, got 0",
        refused(Trace.captureCall(root, 0, batch)));
    assertEquals("a capture holds 1 to 1024 events, got 1025",
        refused(Trace.captureCall(root, 1025, batch)));
    assertEquals("a capture's batch is 1 to 98304 bytes, got 0: split the events into more"
        + " captures", refused(Trace.captureCall(root, 1, new byte[0])));
    assertEquals("a capture's batch is 1 to 98304 bytes, got 98305: split the events into"
        + " more captures", refused(Trace.captureCall(root, 1, new byte[Trace.BATCH_BYTES_MAX
            + 1])));
    assertEquals("the capture root is all zeros: send the Merkle root of the events' hash IDs",
        refused(Trace.captureCall(new byte[32], 1, batch)));
    assertEquals(0, Trace.captureCount(chain.state));
    assertNull(Trace.captureByRoot(chain.state, root));

    assertTrue(chain.send(0, TRACE, Trace.captureCall(root, 1, batch)).success());
    assertTrue(refused(Trace.captureCall(root, 2, batch)).endsWith("is already captured, as"
        + " capture 1"));
    assertEquals(1, Trace.captureCount(chain.state));
  }

  @Test
  void aSealedCaptureAnchorsAndLogsAsACaptureAndNamesItsReadersInItsCallData() {
    byte[] root = chain.content("sealed-root");
    byte[] envelope = "sealed events".getBytes(StandardCharsets.UTF_8);
    Transaction tx = chain.sign(1, TRACE, Trace.captureSealedCall(root, 2,
        List.of("org0", "org2"), envelope), 5_000_000);
    TransactionResult result = chain.apply(tx);
    assertTrue(result.success(), () -> NotaryChain.reason(result));
    Trace.Capture capture = Trace.captureByRoot(chain.state, root);
    assertEquals(2, capture.count());
    assertEquals(chain.accounts[1], capture.capturer());
    Log log = result.logs().getFirst();
    assertEquals(List.of(Trace.CAPTURED_TOPIC, Word.fromBytes(root), Word.of(1),
        Word.fromBytes(Bytes.leftPad(chain.accounts[1].toArray(), 32))), log.topics());

    CaptureCall decoded = CaptureCall.decode(tx.data());
    assertTrue(decoded.sealed());
    assertEquals(List.of("org0", "org2"), decoded.organisations());
    assertArrayEquals(envelope, decoded.batch());
    assertEquals(2, decoded.count());
    CaptureCall plain = CaptureCall.decode(Trace.captureCall(root, 2, envelope));
    assertTrue(!plain.sealed() && plain.organisations().isEmpty());
  }

  @Test
  void aSealedCaptureMustNameItsReadersOnceEachWithinTheBounds() {
    byte[] envelope = {1, 2, 3};
    assertEquals("a sealed capture names 1 to 32 organisations, got 0", refused(
        Trace.captureSealedCall(chain.content("a"), 1, List.of(), envelope)));
    assertEquals("organisation 'org1' is named twice", refused(Trace.captureSealedCall(
        chain.content("b"), 1, List.of("org1", "org1"), envelope)));
    assertTrue(refused(Trace.captureSealedCall(chain.content("c"), 1, List.of(" "), envelope))
        .startsWith("an organisation name is 1 to 64 characters"));
    assertTrue(refused(Trace.captureSealedCall(chain.content("d"), 1, List.of("o".repeat(65)),
        envelope)).startsWith("an organisation name is 1 to 64 characters"));
    assertTrue(refused(Trace.captureSealedCall(chain.content("e"), 1, List.of("org1"),
        new byte[0])).startsWith("a capture's batch is 1 to"));
    assertEquals(0, Trace.captureCount(chain.state));
  }

  @Test
  void aStaticCallMayReadButNotCapture() {
    TransactionResult result = chain.simulate(0, TRACE,
        Trace.captureCall(chain.content("r"), 1, new byte[] {1}));
    assertTrue(result.success(), "eth_call runs a capture on a copy, as any transaction");
    assertEquals(0, Trace.captureCount(chain.state));
    assertNull(CaptureCall.decode(new byte[] {1, 2, 3, 4, 5}));
  }
}
