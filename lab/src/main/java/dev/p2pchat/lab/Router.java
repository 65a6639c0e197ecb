package dev.p2pchat.lab;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A home router: a network namespace that forwards between its LAN and the internet with
 * nftables masquerade, and runs the real miniupnpd (UPnP IGD, NAT-PMP and PCP, each switchable)
 * on the LAN side.
 * Unsolicited traffic from the internet is dropped unless a port mapping lets it in.
 */
public final class Router {
  private static final Logger log = LoggerFactory.getLogger(Router.class);

  static final String WAN_INTERFACE = "wan0";
  static final String LAN_INTERFACE = "lan0";
  private static final int HTTP_PORT = 5000;
  /** miniupnpd logs this once its NAT-PMP/PCP socket is open (the last it opens). */
  private static final String NAT_PMP_READY_LINE = "Listening for NAT-PMP/PCP traffic on port";
  /** miniupnpd logs this once its UPnP HTTP socket is open. */
  private static final String UPNP_READY_LINE = "HTTP listening on port";
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(20);

  // The table and chains miniupnpd fills; named in its config too, so the two always agree.
  private static final String TABLE = "filter";
  private static final String FORWARD_CHAIN = "miniupnpd";
  private static final String NAT_CHAIN = "prerouting_miniupnpd";
  private static final String POSTROUTING_CHAIN = "postrouting_miniupnpd";

  /**
   * A DNAT rule as nft prints miniupnpd's: the protocol as a raw header match
   * ({@code @nh,72,8 0x6}) or by name, then {@code th dport EXT dnat ip to ADDR:PORT}.
   */
  private static final Pattern DNAT_RULE = Pattern.compile(
      "(?:@nh,72,8 (0x[0-9a-f]+)|(?:meta l4proto|ip protocol) (\\w+)).*?"
          + "(?:th|tcp|udp) dport (\\d+) dnat (?:ip )?to ([0-9.]+):(\\d+)");

  private final String name;
  private final String namespace;
  private final String wanAddress;
  private final String lanAddress;
  private final String lanSubnet;
  private final Host lanHost;
  private final Path config;
  private final Path pidFile;
  private final Path logFile;
  private Process miniupnpd;
  private long logOffset;
  private boolean upnp = true;
  private boolean natPmp = true;

  Router(String name, String namespace, String wanAddress, String lanAddress, String lanSubnet,
      Host lanHost, Path dir) {
    this.name = name;
    this.namespace = namespace;
    this.wanAddress = wanAddress;
    this.lanAddress = lanAddress;
    this.lanSubnet = lanSubnet;
    this.lanHost = lanHost;
    this.config = dir.resolve("miniupnpd-" + name + ".conf");
    this.pidFile = dir.resolve("miniupnpd-" + name + ".pid");
    this.logFile = dir.resolve("miniupnpd-" + name + ".log");
  }

  /** "A" or "B". */
  String label() {
    return name;
  }

  /** The network namespace's name, for {@code ip netns exec}. */
  public String namespace() {
    return namespace;
  }

  /** The router's public address on the internet segment, e.g. {@code 5.6.7.2}. */
  public String wanAddress() {
    return wanAddress;
  }

  /** The router's address on its LAN, e.g. {@code 192.168.2.1}. */
  public String lanAddress() {
    return lanAddress;
  }

  /** The TCP port of miniupnpd's UPnP HTTP server on the LAN address. */
  public int httpPort() {
    return HTTP_PORT;
  }

  /** The UPnP root device description, as SSDP announces it to the LAN. */
  public URI descriptionUrl() {
    return URI.create("http://" + lanAddress + ":" + HTTP_PORT + "/rootDesc.xml");
  }

  /** The file miniupnpd logs to; gone once the lab is closed. */
  Path logFile() {
    return logFile;
  }

  /** Everything miniupnpd has logged since the lab started (it runs with {@code -d}). */
  public String log() throws IOException {
    try {
      return Files.readString(logFile, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return "";
    }
  }

  /**
   * The port mappings in force now, read from the router's nftables DNAT chain (not from
   * miniupnpd): what a UPnP or NAT-PMP client really achieved.
   */
  public List<DnatRule> dnatRules() throws IOException {
    return parseDnatRules(CommandRunner.check(inside(Tools.path("nft"), "list", "chain", "inet",
        TABLE, NAT_CHAIN), null, COMMAND_TIMEOUT));
  }

  /** Reads the DNAT rules of an {@code nft list chain} listing; fails on a rule it cannot read. */
  static List<DnatRule> parseDnatRules(String listing) throws IOException {
    List<DnatRule> mappings = new ArrayList<>();
    for (String line : listing.split("\n")) {
      if (!line.contains(" dnat ")) {
        continue;
      }
      Matcher rule = DNAT_RULE.matcher(line);
      if (!rule.find()) {
        throw new IOException("cannot read miniupnpd's rule: " + line.strip());
      }
      String protocol = rule.group(1) != null ? rule.group(1) : rule.group(2);
      mappings.add(new DnatRule(protocolName(protocol), Integer.parseInt(rule.group(3)),
          rule.group(4), Integer.parseInt(rule.group(5))));
    }
    return mappings;
  }

  private static String protocolName(String protocol) throws IOException {
    switch (protocol.toLowerCase(Locale.ROOT)) {
      case "6":
      case "0x6":
      case "tcp":
        return "TCP";
      case "11":
      case "0x11":
      case "udp":
        return "UDP";
      default:
        throw new IOException("unknown protocol in miniupnpd's rule: " + protocol);
    }
  }

  /**
   * Power-cycles the router: kills miniupnpd, drops every port mapping, and starts miniupnpd
   * again with the services chosen by {@link #services} (both, when both were off). Returns
   * once it answers on the LAN. Connections already tracked by the kernel's conntrack survive,
   * as they would not on real hardware; new ones see no mappings.
   */
  public synchronized void restart() throws IOException {
    log.info("restarting router {}", name);
    disableUpnp();
    if (!upnp && !natPmp) {
      upnp = true;
      natPmp = true;
    }
    Files.writeString(config, miniupnpdConfig(), StandardCharsets.UTF_8);
    start();
    awaitReady();
  }

  /**
   * Switches the router's port-mapping services as in its settings page, then power-cycles it
   * (every mapping goes): UPnP IGD ({@code enable_upnp}: SSDP and the HTTP server) and NAT-PMP
   * ({@code enable_natpmp}, which in miniupnpd 2.x also switches PCP, on the same UDP port 5351).
   * Both off stops miniupnpd: the router routes and NATs, and nothing answers on 1900, 5000 or
   * 5351.
   */
  public synchronized void services(boolean upnp, boolean natPmp) throws IOException {
    log.info("router {}: UPnP {}, NAT-PMP/PCP {}", name, upnp ? "on" : "off", natPmp ? "on" : "off");
    this.upnp = upnp;
    this.natPmp = natPmp;
    if (upnp || natPmp) {
      restart();
    } else {
      disableUpnp();
    }
  }

  /**
   * Turns UPnP and NAT-PMP off, as in a router's settings page: miniupnpd stops and its port
   * mappings go. The router still routes and NATs; nothing answers discovery, SOAP or NAT-PMP
   * any more. {@link #restart()} turns them back on.
   */
  public synchronized void disableUpnp() throws IOException {
    stop();
    nft("flush chain inet " + TABLE + " " + FORWARD_CHAIN + "\n"
        + "flush chain inet " + TABLE + " " + NAT_CHAIN + "\n"
        + "flush chain inet " + TABLE + " " + POSTROUTING_CHAIN + "\n");
  }

  /** Turns on forwarding, installs the firewall and NAT ruleset, writes miniupnpd's config. */
  void configure() throws IOException {
    Files.writeString(config, miniupnpdConfig(), StandardCharsets.UTF_8);
    CommandRunner.check(inside("sh", "-c",
        "echo 1 > /proc/sys/net/ipv4/ip_forward && exec \"$0\" -f -", Tools.path("nft")),
        ruleset(), COMMAND_TIMEOUT);
  }

  /** Starts miniupnpd in the foreground, its output appended to {@link #log()}. */
  synchronized void start() throws IOException {
    logOffset = Files.exists(logFile) ? Files.size(logFile) : 0;
    miniupnpd = inside(Tools.path("miniupnpd"), "-d", "-f", config.toString(),
        "-P", pidFile.toString())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
        .start();
  }

  /** Waits until miniupnpd has opened its sockets and its HTTP port answers from the LAN. */
  synchronized void awaitReady() throws IOException {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while ((natPmp && !loggedSinceStart(NAT_PMP_READY_LINE))
        || (upnp && !loggedSinceStart(UPNP_READY_LINE))) {
      if (!miniupnpd.isAlive()) {
        throw new IOException("miniupnpd of router " + name + " exited with "
            + miniupnpd.exitValue() + "; its log:\n" + log());
      }
      if (System.nanoTime() > deadline) {
        throw new IOException("miniupnpd of router " + name + " not ready after "
            + READY_TIMEOUT.toSeconds() + " s; its log:\n" + log());
      }
      pause();
    }
    if (!upnp) return;
    // One /dev/tcp connect per try, 100 tries 10 ms apart: it normally succeeds at once.
    ExecResult probe = lanHost.run(COMMAND_TIMEOUT, "bash", "-c",
        "for i in $(seq 100); do (exec 3<>\"/dev/tcp/$0/$1\") 2>/dev/null && exit 0;"
            + " sleep 0.01; done; exit 1", lanAddress, Integer.toString(HTTP_PORT));
    if (!probe.ok()) {
      throw new IOException("miniupnpd of router " + name + " does not accept connections on "
          + lanAddress + ":" + HTTP_PORT + " from " + lanHost + "; its log:\n" + log());
    }
  }

  /** Kills miniupnpd at once, as a power cut would. */
  synchronized void stop() {
    if (miniupnpd != null) {
      CommandRunner.kill(miniupnpd);
      miniupnpd = null;
    }
  }

  /** Pid of the running miniupnpd, or -1; for tests of the lab itself. */
  synchronized long miniupnpdPid() {
    return miniupnpd == null || !miniupnpd.isAlive() ? -1 : miniupnpd.pid();
  }

  private boolean loggedSinceStart(String line) throws IOException {
    // Latin-1 maps each byte to one char, so the byte offset is a char offset.
    String text = new String(Files.readAllBytes(logFile), StandardCharsets.ISO_8859_1);
    return text.indexOf(line, (int) logOffset) >= 0;
  }

  private void nft(String script) throws IOException {
    CommandRunner.check(inside(Tools.path("nft"), "-f", "-"), script, COMMAND_TIMEOUT);
  }

  /** A command run inside the router's namespace. */
  private ProcessBuilder inside(String... argv) {
    return new Host(namespace, lanAddress).command(argv);
  }

  private String ruleset() {
    return String.join("\n",
        "table inet " + TABLE + " {",
        "  chain " + FORWARD_CHAIN + " {",
        "  }",
        "  chain " + NAT_CHAIN + " {",
        "  }",
        "  chain " + POSTROUTING_CHAIN + " {",
        "  }",
        "  chain forward {",
        "    type filter hook forward priority 0; policy drop;",
        "    ct state established,related accept",
        "    iifname \"" + LAN_INTERFACE + "\" oifname \"" + WAN_INTERFACE + "\" accept",
        "    jump " + FORWARD_CHAIN,
        "  }",
        "  chain prerouting {",
        "    type nat hook prerouting priority -100; policy accept;",
        "    jump " + NAT_CHAIN,
        "  }",
        "  chain postrouting {",
        "    type nat hook postrouting priority 100; policy accept;",
        "    jump " + POSTROUTING_CHAIN,
        "    oifname \"" + WAN_INTERFACE + "\" masquerade",
        "  }",
        "}",
        "");
  }

  private String miniupnpdConfig() {
    return String.join("\n",
        "ext_ifname=" + WAN_INTERFACE,
        "listening_ip=" + LAN_INTERFACE,
        "http_port=" + HTTP_PORT,
        "enable_upnp=" + (upnp ? "yes" : "no"),
        "enable_natpmp=" + (natPmp ? "yes" : "no"),
        "secure_mode=yes",
        "ipv6_disable=yes",
        "system_uptime=no", // uptime and NAT-PMP/PCP epoch restart with miniupnpd, as on a reboot
        "friendly_name=p2p-chat lab router " + name,
        "uuid=" + UUID.randomUUID(),
        "upnp_table_name=" + TABLE,
        "upnp_nat_table_name=" + TABLE,
        "upnp_forward_chain=" + FORWARD_CHAIN,
        "upnp_nat_chain=" + NAT_CHAIN,
        "upnp_nat_postrouting_chain=" + POSTROUTING_CHAIN,
        "allow 1024-65535 " + lanSubnet + " 1024-65535",
        "deny 0-65535 0.0.0.0/0 0-65535",
        "");
  }

  private static void pause() throws InterruptedIOException {
    try {
      TimeUnit.MILLISECONDS.sleep(5);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for miniupnpd");
    }
  }

  @Override
  public String toString() {
    return "router " + name + " (" + wanAddress + " / " + lanAddress + " in " + namespace + ")";
  }
}
