package io.chorus.trace;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Where a node refuses to send webhook deliveries, whoever subscribes: addresses no receiver
 * has, but that reach what only the node's own machine should — link-local addresses (the
 * cloud metadata service at 169.254.169.254 hands out the machine's credentials), the
 * unspecified address (this host) and multicast. Loopback and private networks stay allowed:
 * a consortium member's receiver often runs beside its node. The host is resolved when the
 * subscription is made and again before each delivery, so a name that later points at such an
 * address is caught then (the HTTP client resolves it once more to connect: a DNS server that
 * answers differently within that moment is not).
 */
final class WebhookDestinations {
  private WebhookDestinations() {}

  /** Why deliveries to {@code dest} are refused, or empty when they may be sent. */
  static Optional<String> refusal(URI dest) {
    InetAddress[] addresses;
    try {
      addresses = InetAddress.getAllByName(dest.getHost());
    } catch (UnknownHostException e) {
      return Optional.of("its host " + dest.getHost() + " does not resolve");
    }
    for (InetAddress address : addresses) {
      if (address.isLinkLocalAddress() || address.isAnyLocalAddress()
          || address.isMulticastAddress()) {
        return Optional.of("its host " + dest.getHost() + " is " + address.getHostAddress()
            + ", a link-local, unspecified or multicast address, which a node never sends"
            + " deliveries to");
      }
    }
    return Optional.empty();
  }
}
