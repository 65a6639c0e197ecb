package dev.p2pchat.protocol;

import java.util.List;

/**
 * Other peers the sender knows, each {@code host:port#FINGERPRINT} (see {@link Introduction});
 * at most
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
