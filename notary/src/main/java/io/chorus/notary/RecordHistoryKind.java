package io.chorus.notary;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.codec.Hex;
import io.chorus.crypto.Keccak256;
import io.chorus.evm.Address;
import io.chorus.evm.StateReader;
import io.chorus.evm.Word;
import io.chorus.ledger.BlockHeader;
import io.chorus.service.RecordHistory;
import io.chorus.state.WorldState;
import io.chorus.state.system.Notary;
import io.chorus.state.system.SystemContracts;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * A notary record's history ({@code notary} records): the record as {@code GET
 * /api/v1/notary/records/{id}} answered (its latest version) after each block that added a
 * version or an attestation, of any of its versions, with the {@code Recorded} and {@code
 * Attested} events of that block that name it (by the keccak-256 of its id).
 */
final class RecordHistoryKind implements RecordHistory.Kind {
  static final RecordHistoryKind KIND = new RecordHistoryKind();

  private RecordHistoryKind() {}

  @Override
  public String name() {
    return "notary";
  }

  @Override
  public String idForm() {
    return "a record id of 1 to " + Notary.ID_BYTES_MAX + " bytes of UTF-8";
  }

  @Override
  public Address contract() {
    return SystemContracts.NOTARY;
  }

  @Override
  public List<Word> slots(StateReader state, String id) {
    int bytes = id.getBytes(StandardCharsets.UTF_8).length;
    if (bytes == 0 || bytes > Notary.ID_BYTES_MAX) {
      throw new IllegalArgumentException("not " + bytes + " bytes");
    }
    return Notary.historySlots(state, id);
  }

  @Override
  public ObjectNode read(WorldState state, BlockHeader block, String id) {
    Notary.Record record = Notary.record(state, id);
    return record == null ? null : NotaryJson.record(record);
  }

  @Override
  public Set<String> idArguments() {
    return Set.of("idHash");
  }

  @Override
  public String idValue(String id) {
    return Hex.encode0x(Keccak256.INSTANCE.hash(id.getBytes(StandardCharsets.UTF_8)));
  }
}
