package io.chorus.state.system;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.esaulpaugh.headlong.abi.ABIJSON;
import com.esaulpaugh.headlong.abi.Event;
import com.esaulpaugh.headlong.abi.Function;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The JSON ABIs shipped for the system contracts (compiled by solc from their .sol interfaces)
 * describe exactly what the Java dispatch answers: every function it matches by selector and
 * every event it emits, no more and no fewer. Method: the canonical signatures of both sides are
 * compared as sets, so a function added to Java but not to the .sol file (or the reverse, or a
 * changed parameter type) fails here until the ABI is regenerated with state/tools/system-abi.sh.
 * The same holds for {@code IPacketReceiver}, the interface the router calls applications by.
 */
class SystemAbiTest {
  private static Set<String> signatures(List<Function> functions) {
    return functions.stream().map(Function::getCanonicalSignature)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static Set<String> eventSignatures(List<? extends Event<?>> events) {
    return events.stream().map(Event::getCanonicalSignature)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  @Test
  void eachShippedAbiMatchesTheJavaDispatch() {
    Map<String, List<Function>> dispatched = Map.of(
        "ChorusGovernance", Governance.FUNCTIONS,
        "ChorusPermissions", Permissions.VIEWS,
        "ChorusNotary", NotaryContract.FUNCTIONS,
        "ChorusTrace", TraceContract.FUNCTIONS,
        "ChorusReceivables", ReceivablesContract.FUNCTIONS,
        "ChorusDataSharing", DataSharingContract.FUNCTIONS,
        "ChorusCrossChain", CrossChainContract.FUNCTIONS);
    Map<String, List<Event<?>>> emitted = Map.of(
        "ChorusGovernance", List.of(Governance.PROPOSED, Governance.VOTED),
        "ChorusPermissions", List.of(),
        "ChorusNotary", List.of(NotaryContract.RECORDED, NotaryContract.ATTESTED,
            NotaryContract.BATCH_ANCHORED),
        "ChorusTrace", List.of(TraceContract.CAPTURED),
        "ChorusReceivables", ReceivableEvents.ALL,
        "ChorusDataSharing", SharingEvents.ALL,
        "ChorusCrossChain", CrossChainContract.EVENTS);
    List<SystemContracts.Described> described = SystemContracts.described();
    assertEquals(dispatched.keySet(), described.stream().map(SystemContracts.Described::name)
        .collect(Collectors.toSet()));
    for (SystemContracts.Described contract : described) {
      assertEquals(signatures(dispatched.get(contract.name())),
          signatures(ABIJSON.parseNormalFunctions(contract.abiJson())), contract.name());
      assertEquals(eventSignatures(emitted.get(contract.name())),
          eventSignatures(ABIJSON.parseEvents(contract.abiJson())), contract.name());
    }
  }

  @Test
  void theApplicationInterfaceMatchesWhatTheRouterCalls() {
    assertEquals(signatures(List.of(CrossChainPorts.ON_RECV_PACKET,
        CrossChainPorts.ON_ACKNOWLEDGEMENT, CrossChainPorts.ON_TIMEOUT)),
        signatures(ABIJSON.parseNormalFunctions(SystemContracts.abiJson("IPacketReceiver"))));
  }
}
