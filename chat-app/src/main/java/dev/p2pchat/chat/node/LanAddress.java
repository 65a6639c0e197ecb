package dev.p2pchat.chat.node;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Guesses this host's LAN address from its interfaces, without sending anything: the first
 * IPv4 address of an interface that is up and not loopback, site-local addresses first.
 */
final class LanAddress {
  private LanAddress() {}

  static Optional<InetAddress> guess() {
    try {
      List<InetAddress> candidates = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
          .filter(LanAddress::usable)
          .flatMap(NetworkInterface::inetAddresses)
          .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
          .sorted(Comparator.comparing(a -> a.isSiteLocalAddress() ? 0 : 1))
          .collect(Collectors.toList());
      return candidates.stream().findFirst();
    } catch (SocketException e) {
      return Optional.empty();
    }
  }

  private static boolean usable(NetworkInterface ni) {
    try {
      return ni.isUp() && !ni.isLoopback();
    } catch (SocketException e) {
      return false;
    }
  }
}
