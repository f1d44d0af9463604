package io.chorus.sharing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.evm.Address;
import io.chorus.evm.StateReader;
import io.chorus.evm.Word;
import io.chorus.ledger.BlockHeader;
import io.chorus.service.RecordHistory;
import io.chorus.state.WorldState;
import io.chorus.state.system.DataSharing;
import io.chorus.state.system.SystemContracts;
import java.util.List;
import java.util.Set;

/**
 * The histories of data sharing's records: an application with its grant ({@code
 * sharing-request}, as {@code GET /api/v1/sharing/requests/{id}} answers it at each block that
 * applied, checked, extended, decided or revoked it) and a data set ({@code sharing-dataset},
 * as {@code GET /api/v1/sharing/datasets/{id}} answers it at each block that published a
 * version), each with the contract's events of that block that name it.
 */
final class SharingHistory {
  static final RecordHistory.Kind REQUEST = new Numbered("sharing-request", "request") {
    @Override
    List<Word> slots(StateReader state, long id) {
      return DataSharing.request(state, id, 0) == null ? List.of()
          : DataSharing.requestSlots(id);
    }

    @Override
    ObjectNode read(WorldState state, BlockHeader block, long id) {
      DataSharing.Request r = DataSharing.request(state, id, block.timestamp());
      return r == null ? null
          : SharingJson.request(r, DataSharing.version(state, r.dataset(), r.version()));
    }
  };

  static final RecordHistory.Kind DATASET = new Numbered("sharing-dataset", "dataset") {
    @Override
    List<Word> slots(StateReader state, long id) {
      return DataSharing.dataset(state, id) == null ? List.of() : DataSharing.datasetSlots(id);
    }

    @Override
    ObjectNode read(WorldState state, BlockHeader block, long id) {
      DataSharing.Dataset dataset = DataSharing.dataset(state, id);
      return dataset == null ? null
          : SharingJson.dataset(dataset, DataSharing.version(state, id, 0));
    }
  };

  private SharingHistory() {}

  /** A record of the data sharing contract named by a number from 1. */
  private abstract static class Numbered implements RecordHistory.Kind {
    private final String name;
    private final String idArgument;

    Numbered(String name, String idArgument) {
      this.name = name;
      this.idArgument = idArgument;
    }

    abstract List<Word> slots(StateReader state, long id);

    abstract ObjectNode read(WorldState state, BlockHeader block, long id);

    @Override
    public String name() {
      return name;
    }

    @Override
    public String idForm() {
      return "a " + idArgument + " number from 1";
    }

    @Override
    public Address contract() {
      return SystemContracts.DATA_SHARING;
    }

    @Override
    public List<Word> slots(StateReader state, String id) {
      return slots(state, id(id));
    }

    @Override
    public ObjectNode read(WorldState state, BlockHeader block, String id) {
      return read(state, block, id(id));
    }

    @Override
    public Set<String> idArguments() {
      return Set.of(idArgument);
    }

    @Override
    public String idValue(String id) {
      return Long.toString(id(id));
    }

    private static long id(String text) {
      if (!text.matches("[1-9][0-9]{0,17}")) {
        throw new IllegalArgumentException("not '" + SharingInput.abbreviate(text) + "'");
      }
      return Long.parseLong(text);
    }
  }
}
