package io.chorus.p2p;

import java.util.Objects;

/** A peer's listening address as configured: a host name or IP literal and a TCP port. */
public record PeerEndpoint(String host, int port) {
  public PeerEndpoint {
    Objects.requireNonNull(host, "host");
    if (host.isBlank()) {
      throw new IllegalArgumentException("a peer endpoint needs a host");
    }
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("peer port must be 1..65535, not " + port);
    }
  }

  /** Parses {@code host:port}, or {@code [v6-address]:port}. */
  public static PeerEndpoint parse(String text) {
    int colon = text.lastIndexOf(':');
    if (colon < 1 || colon == text.length() - 1) {
      throw new IllegalArgumentException("a peer is host:port, not '" + text + "'");
    }
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    try {
      return new PeerEndpoint(host, Integer.parseInt(text.substring(colon + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("a peer is host:port, not '" + text + "'", e);
    }
  }

  @Override
  public String toString() {
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
  }
}
