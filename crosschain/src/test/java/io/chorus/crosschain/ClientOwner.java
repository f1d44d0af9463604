package io.chorus.crosschain;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** What a system contract does with a light client, in memory: stores what updates return. */
final class ClientOwner implements ConsensusStates {
  LightClient client;
  private final Map<Long, ConsensusState> states = new HashMap<>();

  ClientOwner(Update.Advanced created) {
    client = created.client();
    states.put(created.state().height(), created.state());
  }

  Update update(byte[] header, byte[] certificate, AccountProof governance) {
    Update update = client.update(header, certificate, governance, this);
    switch (update) {
      case Update.Advanced advanced -> {
        client = advanced.client();
        states.put(advanced.state().height(), advanced.state());
      }
      case Update.Known known -> { }
      case Update.Frozen frozen -> client = frozen.client();
    }
    return update;
  }

  Update update(SourceFixture source, SourceFixture.Block block, int... signers) {
    return update(block.header(), source.certificate(block, source.keys(signers)),
        source.forUpdate(block, client.changes()));
  }

  @Override
  public Optional<ConsensusState> at(long height) {
    return Optional.ofNullable(states.get(height));
  }
}
