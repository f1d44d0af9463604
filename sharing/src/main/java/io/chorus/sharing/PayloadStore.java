package io.chorus.sharing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.codec.Hex;
import io.chorus.evm.Address;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The provider node's own copy of what it shares, in a directory beside its chain ({@code
 * DIR/sharing}): never on chain, which holds only the hashes of what was delivered.
 *
 * <ul>
 *   <li>{@code payloads/<dataset>.json}: a data set's records as its provider put them (JSON
 *       objects keyed by field name) and the account that put them, which the node records
 *       each access attempt as;
 *   <li>{@code served/<hash>.envelope}: each delivered envelope, named by the hash recorded on
 *       chain, kept until the provider purges it.
 * </ul>
 *
 * Each file is written to a temporary name and moved into place, so that a reader never sees
 * half of one.
 */
final class PayloadStore {
  /** A data set's payload: the records and the provider account that put them. */
  record Payload(long dataset, Address account, ArrayNode records) {}

  private final Path payloads;
  private final Path served;

  PayloadStore(Path dir) {
    this.payloads = dir.resolve("payloads");
    this.served = dir.resolve("served");
    try {
      Files.createDirectories(payloads);
      Files.createDirectories(served);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the sharing store in " + dir + ": "
          + e.getMessage(), e);
    }
  }

  void put(Payload payload) {
    ObjectNode file = SharingJson.JSON.createObjectNode().put("dataset", payload.dataset())
        .put("account", payload.account().toString());
    file.set("records", payload.records());
    try {
      write(payloads.resolve(payload.dataset() + ".json"),
          SharingJson.JSON.writeValueAsBytes(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Optional<Payload> payload(long dataset) {
    Path file = payloads.resolve(dataset + ".json");
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      JsonNode json = SharingJson.JSON.readTree(file.toFile());
      return Optional.of(new Payload(dataset, Address.parse(json.path("account").asText()),
          (ArrayNode) json.path("records")));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  void keepServed(byte[] payloadHash, byte[] envelope) {
    write(servedFile(payloadHash), envelope);
  }

  Optional<byte[]> served(byte[] payloadHash) {
    Path file = servedFile(payloadHash);
    try {
      return Files.exists(file) ? Optional.of(Files.readAllBytes(file)) : Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Erases a served envelope; whether there was one. */
  boolean purgeServed(byte[] payloadHash) {
    try {
      return Files.deleteIfExists(servedFile(payloadHash));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Path servedFile(byte[] payloadHash) {
    return served.resolve(Hex.encode(payloadHash) + ".envelope");
  }

  private static void write(Path file, byte[] bytes) {
    Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      Files.write(temporary, bytes);
      Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
