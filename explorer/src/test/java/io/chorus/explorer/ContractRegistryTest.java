package io.chorus.explorer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.esaulpaugh.headlong.abi.Function;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chorus.evm.Address;
import io.chorus.state.system.SystemContracts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry keeps uploads in the data directory and refuses what would make a name or a
 * system contract ambiguous. Method: a registry is reopened from the same directory and must
 * hold what the first one wrote, decoding with it; each refusal leaves the file as it was.
 */
class ContractRegistryTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-03-01T08:00:00Z"),
      ZoneOffset.UTC);
  private static final Address VAULT = Address.parse("0x" + "ab".repeat(20));
  private static final Address OTHER = Address.parse("0x" + "cd".repeat(20));
  private static final Address UPLOADER = Address.parse("0x" + "01".repeat(20));

  @TempDir Path dir;

  private static JsonNode abi() throws Exception {
    return JSON.readTree("[{\"type\":\"function\",\"name\":\"store\",\"inputs\":["
        + "{\"name\":\"label\",\"type\":\"string\"}],\"outputs\":[]}]");
  }

  @Test
  void anUploadSurvivesReopeningAndDecodes() throws Exception {
    ContractRegistry registry = ContractRegistry.open(dir, CLOCK);
    assertEquals(SystemContracts.described().size(), registry.all().size(),
        "the system contracts are built in");
    registry.put(VAULT, "Vault", abi(), UPLOADER);

    ContractRegistry reopened = ContractRegistry.open(dir, CLOCK);
    ContractRegistry.Entry entry = reopened.get(VAULT).orElseThrow();
    assertEquals("Vault", entry.name());
    assertEquals(ContractRegistry.Source.UPLOADED, entry.source());
    assertEquals(UPLOADER, entry.uploadedBy().orElseThrow());
    assertEquals(CLOCK.instant(), entry.uploadedAt().orElseThrow());
    byte[] call = Function.parse("store(string)").encodeCallWithArgs("rent").array();
    assertEquals("rent", reopened.abi(VAULT).orElseThrow().call(call).orElseThrow()
        .arguments().get(0).path("value").asText());
    assertEquals(List.of("Vault"), reopened.byNamePrefix("VA", 5).stream()
        .map(ContractRegistry.Entry::name).toList());
  }

  @Test
  void aTakenNameOrASystemAddressIsRefusedAndNothingIsWritten() throws Exception {
    ContractRegistry registry = ContractRegistry.open(dir, CLOCK);
    registry.put(VAULT, "Vault", abi(), UPLOADER);
    String file = Files.readString(dir.resolve(ContractRegistry.FILE_NAME));
    ContractRegistry.Conflict taken = assertThrows(ContractRegistry.Conflict.class,
        () -> registry.put(OTHER, "VAULT", abi(), UPLOADER));
    assertTrue(taken.getMessage().contains("taken by " + VAULT), taken.getMessage());
    assertThrows(ContractRegistry.Conflict.class,
        () -> registry.put(OTHER, "chorusnotary", abi(), UPLOADER));
    ContractRegistry.Conflict system = assertThrows(ContractRegistry.Conflict.class,
        () -> registry.put(SystemContracts.GOVERNANCE, "Mine", abi(), UPLOADER));
    assertTrue(system.getMessage().contains("ChorusGovernance"), system.getMessage());
    assertEquals(file, Files.readString(dir.resolve(ContractRegistry.FILE_NAME)));
    registry.put(VAULT, "Vault v2", abi(), UPLOADER);
    assertEquals("Vault v2", ContractRegistry.open(dir, CLOCK).get(VAULT).orElseThrow().name());
  }

  @Test
  void aDamagedFileStopsTheNodeNamingIt() throws Exception {
    Files.writeString(dir.resolve(ContractRegistry.FILE_NAME), "{\"contracts\": [{\"address\":"
        + "\"" + VAULT + "\", \"name\": \"V\", \"abi\": 5}]}");
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> ContractRegistry.open(dir, CLOCK));
    assertTrue(e.getMessage().contains(ContractRegistry.FILE_NAME), e.getMessage());
  }
}
