package io.chorus.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A local BFT network's directory, as {@code chorus init --validators N} lays it out:
 *
 * <pre>
 * network.json      the members (below)
 * ca/ca.pem         the consortium root's certificate
 * ca/ca.key         the root's private key: needed only to certify organisations, keep it offline
 * ca/orgI/          member organisation orgI's CA (ca.pem, ca.key), which issued nodeI's
 *                   certificate ({@code chorus ca} adds organisations, nodes and users)
 * node0/ .. nodeN-1/  one member's data directory each: genesis.json (the same file in every
 *                   member), node.key (its consensus key), tls/ (ca.pem, node.pem, node-tls.key,
 *                   revoked.txt once something is revoked);
 *                   chain/, node.log and node.json appear once it runs
 * p2p-ports.json    while the network runs: the p2p ports 'chorus up' gave its members
 * </pre>
 *
 * <p>{@code network.json}, every path relative to the network directory so that it can move:
 *
 * <pre>{@code
 * { "chainId": 1337, "suite": "ethereum",
 *   "members": [ { "name": "node0", "organisation": "org0", "dir": "node0",
 *                  "host": "127.0.0.1", "rpcPort": 8545, "p2pPort": 30303,
 *                  "publicKey": "0x…(64 bytes)", "address": "0x…" }, … ] }
 * }</pre>
 *
 * A port 0 means "pick a free one at start": the node itself does for RPC; {@code chorus up}
 * does for p2p, since every member must know the others' p2p ports before they start.
 */
final class NetworkDir {
  /** Where {@code up} keeps a network without --dir. */
  static final String DEFAULT = ".chorus/net";
  static final String FILE = "network.json";
  private static final String PORTS_FILE = "p2p-ports.json";
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT);

  /** One validator of the network, as network.json lists it. */
  record Member(String name, String organisation, String dir, String host, int rpcPort,
      int p2pPort, String publicKey, String address) {}

  final Path root;

  NetworkDir(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  /** Whether a directory holds a network (rather than a dev node or nothing). */
  static boolean isNetwork(Path root) {
    return Files.isRegularFile(root.resolve(FILE));
  }

  Path file() {
    return root.resolve(FILE);
  }

  Path ca() {
    return root.resolve("ca");
  }

  DataDir data(Member member) {
    return new DataDir(root.resolve(member.dir()));
  }

  /** The members, in validator order. */
  List<Member> members() {
    try {
      JsonNode members = JSON.readTree(file().toFile()).path("members");
      if (!members.isArray() || members.isEmpty()) {
        throw new IllegalArgumentException(file() + " lists no members");
      }
      List<Member> out = new ArrayList<>();
      for (JsonNode m : members) {
        out.add(new Member(text(m, "name"), text(m, "organisation"), text(m, "dir"),
            text(m, "host"), m.path("rpcPort").asInt(), m.path("p2pPort").asInt(),
            text(m, "publicKey"), text(m, "address")));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file() + ": " + e.getMessage(), e);
    }
  }

  private String text(JsonNode member, String field) {
    JsonNode value = member.get(field);
    if (value == null || !value.isTextual()) {
      throw new IllegalArgumentException(file() + ": a member lacks \"" + field + "\": "
          + member);
    }
    return value.asText();
  }

  /** Writes network.json. */
  static void write(Path file, BigInteger chainId, String suite, List<Member> members) {
    ObjectNode root = JSON.createObjectNode().put("chainId", chainId).put("suite", suite);
    ArrayNode list = root.putArray("members");
    members.forEach(m -> list.add(JSON.valueToTree(m)));
    try {
      JSON.writeValue(file.toFile(), root);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /** The p2p ports 'chorus up' gave the members now running; empty when none runs. */
  List<Integer> p2pPortsInUse() {
    Path file = root.resolve(PORTS_FILE);
    if (!Files.isRegularFile(file)) {
      return List.of();
    }
    try {
      List<Integer> ports = new ArrayList<>();
      JSON.readTree(file.toFile()).forEach(p -> ports.add(p.asInt()));
      return ports;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  void writeP2pPortsInUse(List<Integer> ports) {
    try {
      JSON.writeValue(root.resolve(PORTS_FILE).toFile(), ports);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + PORTS_FILE + ": " + e.getMessage(), e);
    }
  }

  void clearP2pPortsInUse() {
    try {
      Files.deleteIfExists(root.resolve(PORTS_FILE));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + PORTS_FILE + ": " + e.getMessage(), e);
    }
  }
}
