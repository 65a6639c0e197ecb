package dev.p2pchat.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2pchat.chat.node.NodeConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.ParameterException;

class ChatOptionsTest {
  @Test
  void defaults() throws Exception {
    ChatOptions o = ChatOptions.parse(new String[0]);
    assertNull(o.port);
    assertTrue(o.portMapping());
    assertEquals(List.of(), o.connect);
    assertFalse(o.verbose);
    assertFalse(o.noTimestamps);
    NodeConfig c = o.nodeConfig();
    assertEquals(NodeConfig.DEFAULT_PORT, c.port());
    assertTrue(c.portFallback(), "the default port falls back to a free one");
    assertEquals(Duration.ofSeconds(5), c.pingInterval());
    assertEquals(Duration.ofSeconds(15), c.deadAfter());
    assertEquals(Duration.ofSeconds(5), c.ackTimeout());
    assertEquals(ChatOptions.defaultNick(), c.nick());
  }

  @Test
  void everyOption() throws Exception {
    ChatOptions o = ChatOptions.parse(new String[] {
        "--nick", "alice", "--port", "40000", "--external-port=40001", "--no-upnp",
        "--gateway", "http://192.168.1.1:5000/rootDesc.xml", "--connect", "5.6.7.2:48083",
        "--connect=[2001:db8::1]:48083", "--connect", "5.6.7.3:48083#p56ioi7mzjnu2yiqgdreydm2mgtimgl3bxnpq6w5bmtbbz4tjxzwicq2",
        "--identity", "/tmp/id", "-v", "--log-file", "/tmp/chat.log",
        "--ping-interval", "500ms", "--dead-after=2s", "--ack-timeout", "1s", "--no-timestamps"});
    assertEquals("alice", o.nick);
    assertFalse(o.portMapping());
    assertEquals(URI.create("http://192.168.1.1:5000/rootDesc.xml"), o.gateway);
    assertEquals(Path.of("/tmp/id"), o.identity);
    assertEquals(List.of("5.6.7.2:48083", "[2001:db8::1]:48083", "5.6.7.3:48083#P56IOI7-MZJNU2Y-IQGDREY-DM2MGTI-MGL3BXN-PQ6W5BM-TBBZ4TJ-XZWICQ2"),
        o.connect.stream().map(Object::toString).collect(java.util.stream.Collectors.toList()));
    assertTrue(o.verbose);
    assertTrue(o.noTimestamps);
    assertEquals(Path.of("/tmp/chat.log"), o.logFile);
    NodeConfig c = o.nodeConfig();
    assertEquals(40000, c.port());
    assertFalse(c.portFallback(), "an explicit port must not silently change");
    assertEquals(40001, c.externalPort());
    assertEquals(Duration.ofMillis(500), c.pingInterval());
    assertEquals(Duration.ofSeconds(2), c.deadAfter());
    assertEquals(Duration.ofSeconds(1), c.ackTimeout());
  }

  @Test
  void helpAndVersion() throws Exception {
    assertTrue(ChatOptions.parse(new String[] {"--help"}).help());
    assertTrue(ChatOptions.parse(new String[] {"-h"}).help());
    assertTrue(ChatOptions.parse(new String[] {"--version"}).version());
  }

  @Test
  void badOptionsSayWhatIsWrongInOneLine() {
    assertProblem("Unknown option: '--colour'", "--colour");
    assertProblem("Missing required parameter for option '--port' (N)", "--port");
    assertProblem("Invalid value for option '--port': must be a port number 0-65535, not 70000", "--port", "70000");
    assertProblem("Invalid value for option '--port': must be a port number 0-65535, not http", "--port", "http");
    assertProblem("Invalid value for option '--external-port': must be a port number 1-65535, not 0", "--external-port", "0");
    assertProblem("Invalid value for option '--nick': nickname contains a space (U+0020)", "--nick", "a b");
    assertProblem("Invalid value for option '--gateway': must be an http:// URL of the router's description, not ftp://x/",
        "--gateway", "ftp://x/");
    assertProblem("Invalid value for option '--ping-interval': not a duration: soon (try 1.5, 500ms, 5s or 2m)", "--ping-interval", "soon");
    assertProblem("Invalid value for option '--ack-timeout': must be above zero: 0s", "--ack-timeout", "0s");
    assertProblem("--dead-after must be longer than the ping interval", "--dead-after", "5s");
    ParameterException e = assertThrows(ParameterException.class,
        () -> ChatOptions.parse(new String[] {"--connect", "nowhere"}));
    assertEquals("Invalid value for option '--connect' (IP:PORT#FINGERPRINT): address \"nowhere\" has no port (expected host:port)", e.getMessage());
    e = assertThrows(ParameterException.class,
        () -> ChatOptions.parse(new String[] {"--connect", "5.6.7.3:48083#P56IOI7-MZJNU2Y-IQGDREY-DM2MGTI-MGL3BXN-PQ6W5BM-TBBZ4TJ-XZWICQ3"}));
    assertTrue(e.getMessage().contains("do not match their check character"), e.getMessage());
  }

  private static void assertProblem(String message, String... args) {
    ParameterException e = assertThrows(ParameterException.class, () -> ChatOptions.parse(args));
    assertEquals(message, e.getMessage());
  }
}
