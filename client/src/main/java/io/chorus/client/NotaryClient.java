package io.chorus.client;

import com.esaulpaugh.headlong.abi.Function;
import io.chorus.codec.Hex;
import io.chorus.crypto.ContentHash;
import io.chorus.crypto.MerkleBatch;
import io.chorus.proof.ProofBundle;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The notarization service (存证) for a Java application: deposit a content hash as a record, or
 * many digests at once as one Merkle batch, and get back proof bundles that anyone checks offline
 * with {@code chorus notary verify} or {@code NotaryEvidence.verify}. Transactions go to the
 * notary system contract at 0x…1002 signed by the caller's account; a proof is fetched once the
 * block is final (on a BFT network, as soon as the receipt is there).
 */
public final class NotaryClient {
  /** The notary system contract. */
  public static final byte[] ADDRESS = Hex.decode("0x0000000000000000000000000000000000001002");
  private static final Function NOTARIZE = Abi.function(
      "Notarize(string,uint8,bytes,string,string)", null);
  private static final Function ANCHOR_BATCH = Abi.function(
      "AnchorBatch(bytes32,uint32,string)", "(uint64)");

  private final ChorusClient client;
  private final Duration timeout;

  public NotaryClient(ChorusClient client, Duration timeout) {
    this.client = client;
    this.timeout = timeout;
  }

  /**
   * Deposits {@code hash} as record {@code id} and returns the proof of its {@code Recorded}
   * event once final.
   *
   * @throws ClientException when the node refuses it or the contract reverts (with the reason:
   *     a duplicate id, metadata too long, …)
   */
  public ProofBundle notarize(Account from, String id, ContentHash algorithm, byte[] hash,
      String recordType, String metadata) {
    byte[] data = NOTARIZE.encodeCallWithArgs(id, algorithm.code(), hash, recordType, metadata)
        .array();
    return eventProof(from, data);
  }

  /**
   * Anchors {@code digests} as one Merkle batch ({@link MerkleBatch} over the chain's hash) and
   * returns a proof per digest, in order: the batch's {@code BatchAnchored} event with the
   * digest's path to the root.
   */
  public List<ProofBundle> anchor(Account from, List<byte[]> digests, String metadata) {
    MerkleBatch batch = MerkleBatch.of(client.suite().hashFunction(), digests);
    byte[] data = ANCHOR_BATCH.encodeCallWithArgs(batch.root(), (long) digests.size(), metadata)
        .array();
    ProofBundle anchored = eventProof(from, data);
    List<ProofBundle> proofs = new ArrayList<>(digests.size());
    for (int i = 0; i < digests.size(); i++) {
      proofs.add(anchored.withBatch(new ProofBundle.BatchPath(digests.get(i), i,
          digests.size(), batch.path(i))));
    }
    return proofs;
  }

  /** Sends the call and proves the notary's first log in its receipt. */
  private ProofBundle eventProof(Account from, byte[] data) {
    Receipt receipt = client.waitForReceipt(client.send(from, ADDRESS, BigInteger.ZERO, data, 0),
        timeout);
    if (!receipt.success()) {
      String reason;
      try {
        client.call(from.address(), ADDRESS, data);
        reason = "it reverted in its block";
      } catch (RpcException e) {
        reason = e.getMessage();
      }
      throw new ClientException("the notary refused transaction "
          + Hex.encode0x(receipt.transactionHash()) + ": " + reason);
    }
    int index = -1;
    for (int i = 0; i < receipt.logs().size() && index < 0; i++) {
      if (Arrays.equals(receipt.logs().get(i).address(), ADDRESS)) {
        index = i;
      }
    }
    if (index < 0) {
      throw new ClientException("transaction " + Hex.encode0x(receipt.transactionHash())
          + " left no notary event");
    }
    return ProofBundle.fromJson(client.rpc().call("chorus_getLogProof",
        Hex.encode0x(receipt.transactionHash()), "0x" + Integer.toHexString(index)).toString());
  }
}
