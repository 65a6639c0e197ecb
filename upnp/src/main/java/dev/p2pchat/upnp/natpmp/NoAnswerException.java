package dev.p2pchat.upnp.natpmp;

import java.io.IOException;

/**
 * Nothing answered on the router's port 5351 before the timeout, or the router said nothing
 * listens there (ICMP port unreachable: NAT-PMP and PCP are switched off). The message says which.
 */
public final class NoAnswerException extends IOException {
  NoAnswerException(String message) {
    super(message);
  }
}
