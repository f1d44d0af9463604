package io.chorus.notary;

import io.chorus.chain.Blockchain;
import io.chorus.codec.Hex;
import io.chorus.crypto.Keccak256;
import io.chorus.crypto.MerkleBatch;
import io.chorus.evm.Log;
import io.chorus.ledger.Receipt;
import io.chorus.proof.ProofBundle;
import io.chorus.rpc.RpcException;
import io.chorus.rpc.eth.ProofApi;
import io.chorus.rpc.rest.Problem;
import io.chorus.state.system.Notary;
import io.chorus.state.system.SystemContracts;
import io.chorus.storage.ChainStore;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/**
 * Proof bundles of the notary's events: the {@code Recorded} log that deposited a record's
 * version (found from the version's transaction: its receipt's notary log whose id hash and
 * version match), and a batch's {@code BatchAnchored} log with each digest's path.
 */
final class NotaryProofs {
  private static final byte[] RECORDED = Keccak256.INSTANCE.hash(
      "Recorded(bytes32,bytes32,address,string,uint32,uint8,string,string)"
          .getBytes(StandardCharsets.US_ASCII));
  private static final byte[] BATCH_ANCHORED = Keccak256.INSTANCE.hash(
      "BatchAnchored(bytes32,uint64,address,uint32,string)".getBytes(StandardCharsets.US_ASCII));

  private final Blockchain chain;
  private final ProofApi proofs;

  NotaryProofs(Blockchain chain, ProofApi proofs) {
    this.chain = chain;
    this.proofs = proofs;
  }

  /**
   * The bundle proving the {@code Recorded} event of this version.
   *
   * @throws Problem 409 when its block has no commit certificate (a dev chain)
   */
  ProofBundle record(Notary.Record record) {
    byte[] idHash = Keccak256.INSTANCE.hash(record.id().getBytes(StandardCharsets.UTF_8));
    int index = logIndex(record.txId(), log -> event(log, RECORDED)
        && Arrays.equals(log.topics().get(1).toBytes(), idHash)
        && version(log) == record.version());
    return prove(record.txId(), index);
  }

  /**
   * One bundle per digest of the batch anchored by transaction {@code txHash}: its
   * {@code BatchAnchored} event with the digest's path to the root, in the digests' order.
   */
  List<ProofBundle> batch(byte[] txHash, MerkleBatch batch, List<byte[]> digests) {
    byte[] root = batch.root();
    ProofBundle anchored = prove(txHash, logIndex(txHash, log -> event(log, BATCH_ANCHORED)
        && Arrays.equals(log.topics().get(1).toBytes(), root)));
    List<ProofBundle> out = new ArrayList<>(digests.size());
    for (int i = 0; i < digests.size(); i++) {
      out.add(anchored.withBatch(new ProofBundle.BatchPath(digests.get(i), i, digests.size(),
          batch.path(i))));
    }
    return out;
  }

  private ProofBundle prove(byte[] txHash, int logIndex) {
    try {
      return proofs.included(txHash, ProofBundle.Kind.LOG, logIndex);
    } catch (RpcException e) {
      throw new Problem(409, "not-provable", "No proof for this block", e.getMessage());
    }
  }

  // The position in its receipt of the transaction's first notary log that matches.
  private int logIndex(byte[] txHash, Predicate<Log> wanted) {
    ChainStore.TxLocation at = chain.store().transactionLocation(txHash).orElseThrow(() ->
        new IllegalStateException("the notary names transaction " + Hex.encode0x(txHash)
            + ", which the store does not hold"));
    Receipt receipt = chain.store().receipts(at.blockHash()).orElseThrow().get(at.index());
    for (int i = 0; i < receipt.logs().size(); i++) {
      Log log = receipt.logs().get(i);
      if (log.address().equals(SystemContracts.NOTARY) && wanted.test(log)) {
        return i;
      }
    }
    throw new IllegalStateException("transaction " + Hex.encode0x(txHash) + " has no such"
        + " notary event");
  }

  private static boolean event(Log log, byte[] signature) {
    return log.topics().size() == 4 && Arrays.equals(log.topics().get(0).toBytes(), signature);
  }

  // Recorded's data: (string id, uint32 version, ...); the version is its second head word.
  private static long version(Log log) {
    byte[] data = log.data();
    return data.length < 64 ? -1
        : new BigInteger(1, Arrays.copyOfRange(data, 32, 64)).longValue();
  }
}
