package dev.p2pchat.upnp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2pchat.upnp.FakeGateway;
import dev.p2pchat.upnp.cli.UpnpToolTest.Result;
import dev.p2pchat.upnp.natpmp.FakePortControlServer;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** upnp-tool with --via, against fakes on 127.0.0.1 (NAT-PMP/PCP always given by --pcp-address). */
class PortControlToolTest {
  private final FakePortControlServer pcp = new FakePortControlServer();
  private final FakeGateway igd = new FakeGateway();
  private final String pcpAddress = "127.0.0.1:" + pcp.address().getPort();

  PortControlToolTest() throws Exception {}

  @AfterEach
  void close() throws Exception {
    pcp.close();
    igd.close();
  }

  @Test
  void statusSaysWhichOfTheThreeAnsweredAndHowFastThenUpnpDetails() {
    pcp.pcp(false);
    Result r = UpnpToolTest.run("status", "--via", "auto", "--pcp-address", pcpAddress, "--search-address",
        UpnpToolTest.searchAddress(igd));
    assertEquals(0, r.status(), r.toString());
    List<String> lines = r.out().lines().toList();
    assertTrue(lines.get(0).matches("PCP: +no answer after [0-9.]+ ms \\(router at 127\\.0\\.0\\.1:"
        + pcp.address().getPort() + " refused the PCP request: the router does not speak PCP"
        + " version 2 \\(UNSUPP_VERSION, result code 1\\)\\)"), r.toString());
    assertTrue(lines.get(1).matches("NAT-PMP: +answered in [0-9.]+ ms \\(external address"
        + " 5\\.6\\.7\\.1\\)"), r.toString());
    assertTrue(lines.get(2).matches("UPnP: +answered in [0-9.]+ ms \\(Fake Router at 127\\.0\\.0\\.1\\)"),
        r.toString());
    assertTrue(lines.contains("Gateway:       Fake Router"), r.toString());
  }

  @Test
  void statusViaOneProtocolAsksOnlyThat() {
    Result r = UpnpToolTest.run("status", "--via", "pcp", "--pcp-address", pcpAddress);
    assertEquals(0, r.status(), r.toString());
    assertEquals(1, r.out().lines().count(), r.toString());
    assertTrue(r.out().startsWith("PCP:           answered in "), r.toString());
    assertEquals(1, pcp.requests().size());
  }

  @Test
  void addAutoMapsWithPcpWhenTheRouterSpeaksIt() {
    Result r = UpnpToolTest.run("add", "8080", "--via", "auto", "--pcp-address", pcpAddress, "--search-address",
        UpnpToolTest.searchAddress(igd));
    assertEquals(0, r.status(), r.toString());
    assertEquals("✓ mapped TCP 5.6.7.1:8080 → 127.0.0.1:8080 with PCP (lease 3600 s)\n", r.out());
    assertEquals(List.of(new FakePortControlServer.Held("TCP", 8080, 8080, 3600)), pcp.held());
    assertTrue(igd.service.mappings().isEmpty());
  }

  @Test
  void addAndDeleteViaNatPmp() {
    Result added = UpnpToolTest.run("add", "8080", "9090", "--udp", "--lease", "600", "--via",
        "natpmp", "--pcp-address", pcpAddress);
    assertEquals("✓ mapped UDP 5.6.7.1:9090 → 127.0.0.1:8080 with NAT-PMP (lease 600 s)\n",
        added.out(), added.toString());
    assertEquals(List.of(new FakePortControlServer.Held("UDP", 8080, 9090, 600)), pcp.held());
    Result deleted = UpnpToolTest.run("delete", "8080", "--udp", "--via", "natpmp",
        "--pcp-address", pcpAddress);
    assertEquals("✓ deleted the NAT-PMP mapping of UDP port 8080 of 127.0.0.1\n", deleted.out(),
        deleted.toString());
    assertEquals(List.of(), pcp.held());
  }

  @Test
  void aRefusalIsOneLineWithTheResultCode() {
    pcp.natPmpResult(4);
    Result r = UpnpToolTest.run("add", "8080", "--via", "natpmp", "--pcp-address", pcpAddress);
    assertEquals(1, r.status());
    assertEquals("error: router at " + pcpAddress + " refused the NAT-PMP request: the router has"
        + " no room for another mapping (result code 4)", r.errorLine());
  }

  @Test
  void nothingAnsweringIsExitStatusTwo() {
    pcp.silent(true);
    igd.ssdpSilent(true);
    Result r = UpnpToolTest.run("status", "--via", "auto", "--timeout", "300ms", "--pcp-address", pcpAddress,
        "--search-address", UpnpToolTest.searchAddress(igd));
    assertEquals(2, r.status(), r.toString());
    assertTrue(r.err().endsWith("error: no router answered PCP, NAT-PMP, UPnP within 300 ms\n"),
        r.toString());
  }

  @Test
  void whatNatPmpAndPcpCannotDoIsAUsageError() {
    assertEquals(64, UpnpToolTest.run("list", "--via", "natpmp").status());
    assertEquals(64, UpnpToolTest.run("delete", "8080", "--via", "pcp").status());
    assertEquals(64, UpnpToolTest.run("status", "--via", "carrier-pigeon").status());
  }
}
