package io.chorus.sharing;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.chorus.chain.Blockchain;
import io.chorus.evm.Log;
import io.chorus.ledger.Block;
import io.chorus.ledger.BlockHeader;
import io.chorus.ledger.Receipt;
import io.chorus.proof.ProofBundle;
import io.chorus.rpc.RpcException;
import io.chorus.rpc.rest.Problem;
import io.chorus.rpc.rest.RestRequest;
import io.chorus.rpc.rest.RestResponse;
import io.chorus.state.system.DataSharing;
import java.util.List;

/**
 * An audit entry's proof bundle: the {@code chorus-proof/1} log bundle (docs/proofs.md) of the
 * {@code Accessed} event that recorded it, which {@code chorus verify} checks offline and reads
 * back as the entry (io.chorus.proof.SharingEvidence). The log rather than the entry's storage
 * slots, because the log carries what the slots do not: the block and its time, and, in the
 * {@code recordAccess} call beside it, the department's name and the provider's account.
 *
 * <p>The node keeps no index of its own: the entry's time is its block's and block times rise,
 * so a binary search over the canonical headers finds that block, and its receipts the log.
 */
final class AuditProofs {
  private final SharingService service;

  AuditProofs(SharingService service) {
    this.service = service;
  }

  /** {@code GET /audit/{id}/proof}: to whoever may read the entry; to others it does not exist. */
  RestResponse proof(RestRequest request) {
    long id = SharingInput.id(request, "id");
    DataSharing.AuditEntry entry = service.visibleEntry(service.state(),
        request.requireCaller(), id);
    Located at = locate(service.context().chain(), entry);
    ProofBundle bundle;
    try {
      bundle = service.context().proofs().included(at.txHash(), ProofBundle.Kind.LOG,
          at.logIndex());
    } catch (RpcException e) {
      throw new Problem(409, "not-provable", "No proof for this block", e.getMessage());
    }
    try {
      return RestResponse.ok(SharingJson.JSON.readTree(bundle.toJson()));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a bundle's JSON always parses", e);
    }
  }

  /** The transaction and the index of its log that recorded an entry. */
  record Located(byte[] txHash, int logIndex) {}

  /** Where {@code entry}'s {@code Accessed} log is: in the one block of the entry's time. */
  static Located locate(Blockchain chain, DataSharing.AuditEntry entry) {
    // Block times rise by a second at least (BlockTime), so one block at most has that time.
    long number = firstAtOrAfter(chain, entry.time());
    if (number <= chain.head().number() && header(chain, number).timestamp() == entry.time()) {
      Block block = chain.store().blockByNumber(number).orElseThrow();
      List<Receipt> receipts = chain.store().receipts(chain.hashOf(block.header()))
          .orElseThrow();
      for (int tx = 0; tx < receipts.size(); tx++) {
        List<Log> logs = receipts.get(tx).logs();
        for (int i = 0; i < logs.size(); i++) {
          if (DataSharing.accessedEntry(List.of(logs.get(i))) == entry.id()) {
            return new Located(chain.suite().hash(block.transactions().get(tx).encoded()), i);
          }
        }
      }
    }
    throw new IllegalStateException("audit entry " + entry.id() + " is in the state, but the"
        + " block of its time " + entry.time() + " has no Accessed log of it");
  }

  // The lowest block number whose time is at least {@code time} (head + 1 when none is).
  private static long firstAtOrAfter(Blockchain chain, long time) {
    long low = 0;
    long high = chain.head().number() + 1;
    while (low < high) {
      long middle = (low + high) >>> 1;
      if (header(chain, middle).timestamp() < time) {
        low = middle + 1;
      } else {
        high = middle;
      }
    }
    return low;
  }

  private static BlockHeader header(Blockchain chain, long number) {
    return chain.store().canonicalHash(number).flatMap(chain.store()::headerByHash)
        .orElseThrow(() -> new IllegalStateException("no canonical block " + number));
  }
}
