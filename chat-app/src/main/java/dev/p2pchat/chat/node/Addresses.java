package dev.p2pchat.chat.node;

import dev.p2pchat.protocol.HostPort;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** Formats socket addresses the way people paste them: {@code 5.6.7.1:48083}, {@code [::1]:48083}. */
final class Addresses {
  /** Four dotted numbers; {@link HostPort} has checked each for range and leading zeros. */
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private Addresses() {}

  /** {@code address} with an IP literal host in its one text form ({@code [::1]}, not {@code [0:0::1]}). */
  static HostPort normalise(HostPort address) {
    String host = address.host();
    if (!isIpLiteral(host)) return address;
    try {
      return HostPort.parse(format(InetAddress.getByName(host), address.port()));
    } catch (UnknownHostException e) {
      return address; // a literal never needs a look-up
    }
  }

  /** Whether {@code host}, as {@link HostPort} holds it, is an IPv4 or IPv6 literal, not a name. */
  static boolean isIpLiteral(String host) {
    return host.indexOf(':') >= 0 || IPV4.matcher(host).matches();
  }

  static String format(InetSocketAddress address) {
    InetAddress ip = address.getAddress();
    if (ip == null) return address.getHostString() + ":" + address.getPort();
    return format(ip, address.getPort());
  }

  static String format(InetAddress ip, int port) {
    String host = ip instanceof Inet6Address ? "[" + compress(ip.getAddress()) + "]" : ip.getHostAddress();
    return host + ":" + port;
  }

  /** The RFC 5952 text form of an IPv6 address: the longest run of zero groups becomes "::". */
  private static String compress(byte[] a) {
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) groups[i] = ((a[2 * i] & 0xff) << 8) | (a[2 * i + 1] & 0xff);
    int bestStart = -1;
    int bestLength = 1; // a single zero group is not compressed
    for (int i = 0; i < 8; ) {
      int j = i;
      while (j < 8 && groups[j] == 0) j++;
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j == i ? i + 1 : j;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLength - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') sb.append(':');
      sb.append(Integer.toHexString(groups[i]));
    }
    return sb.toString();
  }
}
