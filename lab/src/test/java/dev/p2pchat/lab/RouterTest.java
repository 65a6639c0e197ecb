package dev.p2pchat.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouterTest {
  /** What nft 1.0.6 printed for three mappings made with upnpc in the lab. */
  private static final String LISTING = String.join("\n",
      "table inet filter {",
      "\tchain prerouting_miniupnpd {",
      "\t\tiif \"wan0\" @nh,72,8 0x11 th dport 4001 dnat ip to 192.168.2.10:4001",
      "\t\tiif \"wan0\" @nh,72,8 0x6 th dport 5002 dnat ip to 192.168.2.10:4002",
      "\t}",
      "}",
      "");

  @Test
  void readsMiniupnpdsDnatRules() throws IOException {
    assertEquals(List.of(
        new DnatRule("UDP", 4001, "192.168.2.10", 4001),
        new DnatRule("TCP", 5002, "192.168.2.10", 4002)), Router.parseDnatRules(LISTING));
  }

  @Test
  void readsProtocolsPrintedByName() throws IOException {
    assertEquals(List.of(new DnatRule("TCP", 80, "10.0.0.2", 8080)), Router.parseDnatRules(
        "iif \"wan0\" meta l4proto tcp th dport 80 dnat ip to 10.0.0.2:8080\n"));
  }

  @Test
  void anEmptyChainHasNoMappings() throws IOException {
    assertEquals(List.of(), Router.parseDnatRules(
        "table inet filter {\n\tchain prerouting_miniupnpd {\n\t}\n}\n"));
  }

  @Test
  void aRuleItCannotReadIsAnErrorNotAMissingMapping() {
    IOException e = assertThrows(IOException.class, () -> Router.parseDnatRules(
        "iif \"wan0\" @nh,72,8 0x6 th dport 4001 dnat to [2001:db8::1]:4001\n"));
    assertTrue(e.getMessage().contains("cannot read miniupnpd's rule"), e.getMessage());
    assertThrows(IOException.class, () -> Router.parseDnatRules(
        "iif \"wan0\" @nh,72,8 0x84 th dport 4001 dnat ip to 10.0.0.2:4001\n"));
  }
}
