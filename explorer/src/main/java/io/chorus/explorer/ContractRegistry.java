package io.chorus.explorer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.abi.ContractAbi;
import io.chorus.evm.Address;
import io.chorus.state.system.SystemContracts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Names and ABIs of contracts by address, for the console: the system contracts' built in
 * (their interfaces compiled by solc, shipped in the state module), the others uploaded by
 * callers with the {@code contracts.writer} role and kept in {@value #FILE_NAME} of the data
 * directory (written whole and synced before it replaces the old file, so an upload survives
 * a crash). A name belongs to one address, compared without case, so a search by name has one
 * answer per contract; a system contract's entry cannot be replaced.
 */
public final class ContractRegistry {
  /** The file in a node's data directory. */
  public static final String FILE_NAME = "contracts.json";
  /** The most uploaded contracts a node keeps: bounds the file and the maps. */
  public static final int CONTRACTS_MAX = 10_000;
  /** The longest name, in characters. */
  public static final int NAME_CHARS_MAX = 64;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Where an entry comes from. */
  public enum Source {
    /** Built into every node: a system contract. */
    SYSTEM,
    /** Uploaded through the REST API. */
    UPLOADED;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * One contract's name and ABI.
   *
   * @param abi the JSON ABI as uploaded (or compiled, for a system contract)
   * @param uploadedBy the account of the token that uploaded it; empty for a system contract
   */
  public record Entry(Address address, String name, JsonNode abi, Source source,
      Optional<Address> uploadedBy, Optional<Instant> uploadedAt) {}

  /** A refused upload: the name belongs to another contract, or the address to the system. */
  public static final class Conflict extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Conflict(String message) {
      super(message, null, false, false);
    }
  }

  private record Known(Entry entry, ContractAbi abi) {}

  private final Path file;
  private final Clock clock;
  private final Map<Address, Known> byAddress = new LinkedHashMap<>();

  private ContractRegistry(Path file, Clock clock) {
    this.file = file;
    this.clock = clock;
  }

  /** The registry of a node's data directory: the system contracts and what was uploaded. */
  public static ContractRegistry open(Path dataDir, Clock clock) {
    ContractRegistry registry = new ContractRegistry(dataDir.resolve(FILE_NAME), clock);
    for (SystemContracts.Described system : SystemContracts.described()) {
      registry.add(new Entry(system.address(), system.name(), parse(system.abiJson()),
          Source.SYSTEM, Optional.empty(), Optional.empty()));
    }
    registry.load();
    return registry;
  }

  /** Whether {@code name} may name a contract: 1 to 64 characters, none a control one. */
  public static boolean isValidName(String name) {
    return !name.isEmpty() && name.length() <= NAME_CHARS_MAX && name.equals(name.strip())
        && name.chars().noneMatch(Character::isISOControl);
  }

  public synchronized Optional<Entry> get(Address address) {
    return Optional.ofNullable(byAddress.get(address)).map(Known::entry);
  }

  synchronized Optional<ContractAbi> abi(Address address) {
    return Optional.ofNullable(byAddress.get(address)).map(Known::abi);
  }

  /** Every entry, system contracts first, then uploads in the order first made. */
  public synchronized List<Entry> all() {
    return byAddress.values().stream().map(Known::entry).toList();
  }

  /** Entries whose name starts with {@code prefix}, ignoring case, by name; at most {@code limit}. */
  public synchronized List<Entry> byNamePrefix(String prefix, int limit) {
    String lower = prefix.toLowerCase(Locale.ROOT);
    return byAddress.values().stream().map(Known::entry)
        .filter(e -> e.name().toLowerCase(Locale.ROOT).startsWith(lower))
        .sorted(Comparator.comparing(Entry::name, String.CASE_INSENSITIVE_ORDER))
        .limit(limit).toList();
  }

  /**
   * Names {@code address} and gives its ABI, replacing what was uploaded for it before, and
   * writes the file.
   *
   * @param abi a JSON ABI that {@link AbiValidation#check} found valid
   * @throws Conflict when the address is a system contract's, the name another contract's, or
   *     the registry is full
   * @throws IllegalArgumentException when the name is not {@link #isValidName valid}
   */
  public synchronized Entry put(Address address, String name, JsonNode abi, Address uploadedBy) {
    if (!isValidName(name)) {
      throw new IllegalArgumentException("a contract's name is 1 to " + NAME_CHARS_MAX
          + " characters without control characters or surrounding spaces, not '" + name + "'");
    }
    Known current = byAddress.get(address);
    if (current != null && current.entry().source() == Source.SYSTEM) {
      throw new Conflict(address + " is the system contract " + current.entry().name()
          + ", whose ABI is built into the node");
    }
    for (Known known : byAddress.values()) {
      if (!known.entry().address().equals(address)
          && known.entry().name().equalsIgnoreCase(name)) {
        throw new Conflict("the name '" + name + "' is taken by " + known.entry().address()
            + "; choose another");
      }
    }
    if (current == null && uploadedCount() >= CONTRACTS_MAX) {
      throw new Conflict("the node holds " + CONTRACTS_MAX + " uploaded contracts already");
    }
    Entry entry = new Entry(address, name, abi.deepCopy(), Source.UPLOADED,
        Optional.of(uploadedBy), Optional.of(clock.instant()));
    Known previous = byAddress.get(address);
    add(entry);
    try {
      write();
    } catch (UncheckedIOException e) {
      if (previous == null) {
        byAddress.remove(address);
      } else {
        byAddress.put(address, previous);
      }
      throw e;
    }
    return entry;
  }

  private long uploadedCount() {
    return byAddress.values().stream()
        .filter(k -> k.entry().source() == Source.UPLOADED).count();
  }

  private void add(Entry entry) {
    byAddress.put(entry.address(), new Known(entry, ContractAbi.ofJson(entry.abi().toString())));
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new IllegalStateException("a built-in ABI is not JSON: " + e.getMessage(), e);
    }
  }

  private void load() {
    JsonNode root;
    try {
      root = JSON.readTree(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      return;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the contract registry " + file + ": "
          + e.getMessage() + " (restore it from a backup, or move it away to start empty)", e);
    }
    for (JsonNode contract : root.path("contracts")) {
      Address address = Address.parse(contract.path("address").asText());
      JsonNode abi = contract.path("abi");
      if (!AbiValidation.check(abi, "/abi").isEmpty() || byAddress.containsKey(address)
          || !isValidName(contract.path("name").asText())) {
        throw new IllegalStateException(file + " holds an invalid entry for " + address
            + ": restore the file from a backup, or delete the entry");
      }
      add(new Entry(address, contract.path("name").asText(), abi, Source.UPLOADED,
          Optional.of(Address.parse(contract.path("uploadedBy").asText())),
          Optional.of(Instant.parse(contract.path("uploadedAt").asText()))));
    }
  }

  // Whole file to a temporary one, synced, then renamed over: a crash leaves one or the other.
  private void write() {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode contracts = root.putArray("contracts");
    List<Entry> uploaded = new ArrayList<>();
    byAddress.values().forEach(k -> {
      if (k.entry().source() == Source.UPLOADED) {
        uploaded.add(k.entry());
      }
    });
    for (Entry entry : uploaded) {
      contracts.addObject().put("address", entry.address().toString())
          .put("name", entry.name())
          .put("uploadedBy", entry.uploadedBy().orElseThrow().toString())
          .put("uploadedAt", entry.uploadedAt().orElseThrow().toString())
          .set("abi", entry.abi());
    }
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE,
          StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
        ByteBuffer bytes = ByteBuffer.wrap(JSON.writeValueAsBytes(root));
        while (bytes.hasRemaining()) {
          out.write(bytes);
        }
        out.force(true);
      }
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the contract registry " + file + ": "
          + e.getMessage(), e);
    }
  }
}
