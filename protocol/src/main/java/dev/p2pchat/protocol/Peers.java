package dev.p2pchat.protocol;

import java.util.List;

/**
 * Addresses ({@code host:port}, see {@link HostPort}) of other peers the sender knows; at most
 * {@value Limits#MAX_PEERS}.
 */
public record Peers(List<String> addresses) implements Message {
  public static final String TYPE = "peers";

  public Peers {
    addresses = Check.addresses("addresses", addresses);
  }

  @Override
  public String type() {
    return TYPE;
  }
}
