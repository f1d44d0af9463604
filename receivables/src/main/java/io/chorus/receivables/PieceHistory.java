package io.chorus.receivables;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.evm.Address;
import io.chorus.evm.StateReader;
import io.chorus.evm.Word;
import io.chorus.ledger.BlockHeader;
import io.chorus.service.RecordHistory;
import io.chorus.state.WorldState;
import io.chorus.state.system.Receivables;
import io.chorus.state.system.SystemContracts;
import java.util.List;
import java.util.Set;

/**
 * A piece's history ({@code receivable} records): the piece as {@code GET
 * /api/v1/receivables/pieces/{id}} answered at each block that changed it, its steps left out,
 * with the contract's events that name it ({@code Issued}, {@code TransferValue},
 * {@code Transfer}, {@code FinancingOffered}, {@code Financed}, {@code Paid}…).
 */
final class PieceHistory implements RecordHistory.Kind {
  static final PieceHistory KIND = new PieceHistory();

  private PieceHistory() {}

  @Override
  public String name() {
    return "receivable";
  }

  @Override
  public String idForm() {
    return "a piece number from 1";
  }

  @Override
  public Address contract() {
    return SystemContracts.RECEIVABLES;
  }

  @Override
  public List<Word> slots(StateReader state, String id) {
    long piece = id(id);
    return Receivables.piece(state, piece) == null ? List.of() : Receivables.pieceSlots(piece);
  }

  @Override
  public ObjectNode read(WorldState state, BlockHeader block, String id) {
    Receivables.Piece piece = Receivables.piece(state, id(id));
    return piece == null ? null : ReceivablesJson.record(state, piece, block.timestamp());
  }

  @Override
  public Set<String> idArguments() {
    return Set.of("id", "tokenId", "fromTokenId", "toTokenId");
  }

  @Override
  public String idValue(String id) {
    return Long.toString(id(id));
  }

  private static long id(String text) {
    if (!text.matches("[1-9][0-9]{0,17}")) {
      throw new IllegalArgumentException("not '" + ReceivablesInput.abbreviate(text) + "'");
    }
    return Long.parseLong(text);
  }
}
