package dev.p2pchat.upnp;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fake gateway's WAN connection service: a real port-mapping table behind the IGD actions,
 * with programmable refusals. Thread-safe (all methods synchronized).
 */
public final class FakeIgdService {
  /** A SOAP fault to send instead of a reply. */
  record Fault(int code, String description) {}

  /** A reply: out-arguments in order, or a fault. */
  record Reply(Map<String, String> out, Fault fault) {
    static Reply ok(Map<String, String> out) {
      return new Reply(out, null);
    }

    static Reply fault(int code, String description) {
      return new Reply(Map.of(), new Fault(code, description));
    }
  }

  private final boolean v2;
  private final Map<String, PortMappingEntry> table = new LinkedHashMap<>();
  private final Map<String, Deque<Fault>> scriptedFaults = new LinkedHashMap<>();
  private String externalIp = "203.0.113.7";
  private String status = "Connected";
  private boolean onlyPermanentLeases;
  private boolean samePortRequired;
  private boolean replacesOwnHostsMappings;

  FakeIgdService(boolean v2) {
    this.v2 = v2;
  }

  public synchronized void externalIp(String ip) {
    externalIp = ip;
  }

  synchronized void status(String connectionStatus) {
    status = connectionStatus;
  }

  /** Refuse any lease but 0 with 725, like some old routers. */
  public synchronized void onlyPermanentLeases(boolean on) {
    onlyPermanentLeases = on;
  }

  /** Refuse external != internal port with 724. */
  synchronized void samePortRequired(boolean on) {
    samePortRequired = on;
  }

  /**
   * Let a host replace any mapping to its own address, whatever the internal port, as miniupnpd
   * does (upnpredirect.c: "updating existing port mapping"); else such a request gets 718.
   */
  public synchronized void replacesOwnHostsMappings(boolean on) {
    replacesOwnHostsMappings = on;
  }

  /** The next call of {@code action} fails with this fault (queue several for several calls). */
  public synchronized void failNext(String action, int code, String description) {
    scriptedFaults.computeIfAbsent(action, a -> new ArrayDeque<>()).add(new Fault(code, description));
  }

  /** Adds a mapping as if another LAN host made it. */
  public synchronized void putMapping(PortMappingEntry entry) {
    table.put(key(entry.externalPort(), entry.protocol().name()), entry);
  }

  public synchronized List<PortMappingEntry> mappings() {
    return new ArrayList<>(table.values());
  }

  /** Forgets every mapping, as a rebooting router does. */
  public synchronized void clearMappings() {
    table.clear();
  }

  synchronized Reply handle(String action, Map<String, String> in) {
    Deque<Fault> faults = scriptedFaults.get(action);
    if (faults != null && !faults.isEmpty()) {
      Fault f = faults.poll();
      return Reply.fault(f.code(), f.description());
    }
    switch (action) {
      case "GetExternalIPAddress":
        return Reply.ok(Map.of("NewExternalIPAddress", externalIp));
      case "GetStatusInfo":
        return Reply.ok(ordered("NewConnectionStatus", status, "NewLastConnectionError",
            "ERROR_NONE", "NewUptime", "4242"));
      case "GetConnectionTypeInfo":
        return Reply.ok(ordered("NewConnectionType", "IP_Routed",
            "NewPossibleConnectionTypes", "IP_Routed"));
      case "AddPortMapping":
        return add(in, false);
      case "AddAnyPortMapping":
        return v2 ? add(in, true) : Reply.fault(401, "Invalid Action");
      case "DeletePortMapping":
        return table.remove(key(in)) != null ? Reply.ok(Map.of())
            : Reply.fault(714, "NoSuchEntryInArray");
      case "GetSpecificPortMappingEntry": {
        PortMappingEntry e = table.get(key(in));
        if (e == null) return Reply.fault(714, "NoSuchEntryInArray");
        return Reply.ok(ordered("NewInternalPort", Integer.toString(e.internalPort()),
            "NewInternalClient", e.internalClient(), "NewEnabled", e.enabled() ? "1" : "0",
            "NewPortMappingDescription", e.description(),
            "NewLeaseDuration", Integer.toString(e.leaseSeconds())));
      }
      case "GetGenericPortMappingEntry": {
        int index = Integer.parseInt(in.get("NewPortMappingIndex"));
        if (index >= table.size()) return Reply.fault(713, "SpecifiedArrayIndexInvalid");
        PortMappingEntry e = new ArrayList<>(table.values()).get(index);
        return Reply.ok(ordered("NewRemoteHost", e.remoteHost(),
            "NewExternalPort", Integer.toString(e.externalPort()),
            "NewProtocol", e.protocol().name(),
            "NewInternalPort", Integer.toString(e.internalPort()),
            "NewInternalClient", e.internalClient(), "NewEnabled", e.enabled() ? "1" : "0",
            "NewPortMappingDescription", e.description(),
            "NewLeaseDuration", Integer.toString(e.leaseSeconds())));
      }
      default:
        return Reply.fault(401, "Invalid Action");
    }
  }

  private Reply add(Map<String, String> in, boolean any) {
    int external = Integer.parseInt(in.get("NewExternalPort"));
    int internal = Integer.parseInt(in.get("NewInternalPort"));
    int lease = Integer.parseInt(in.get("NewLeaseDuration"));
    String client = in.get("NewInternalClient");
    if (samePortRequired && external != internal) return Reply.fault(724, "SamePortValuesRequired");
    if (onlyPermanentLeases && lease != 0) return Reply.fault(725, "OnlyPermanentLeasesSupported");
    PortMappingEntry entry = new PortMappingEntry(in.get("NewRemoteHost"), external,
        Protocol.valueOf(in.get("NewProtocol")), internal, client,
        in.get("NewEnabled").equals("1"), in.get("NewPortMappingDescription"), lease);
    if (any) {
      while (taken(entry)) entry = entry.withExternalPort(entry.externalPort() % 65535 + 1);
      table.put(key(entry.externalPort(), entry.protocol().name()), entry);
      return Reply.ok(Map.of("NewReservedPort", Integer.toString(entry.externalPort())));
    }
    if (taken(entry)) return Reply.fault(718, "ConflictInMappingEntry");
    table.put(key(external, entry.protocol().name()), entry);
    return Reply.ok(Map.of());
  }

  /** Held by another client or internal port: the same client may update its own mapping. */
  private boolean taken(PortMappingEntry wanted) {
    PortMappingEntry existing = table.get(key(wanted.externalPort(), wanted.protocol().name()));
    return existing != null && (!existing.internalClient().equals(wanted.internalClient())
        || existing.internalPort() != wanted.internalPort() && !replacesOwnHostsMappings);
  }

  private static String key(Map<String, String> in) {
    return key(Integer.parseInt(in.get("NewExternalPort")), in.get("NewProtocol"));
  }

  private static String key(int port, String protocol) {
    return protocol + "/" + port;
  }

  private static Map<String, String> ordered(String... keysAndValues) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) map.put(keysAndValues[i], keysAndValues[i + 1]);
    return map;
  }
}
