package dev.p2pchat.upnp.cli;

import dev.p2pchat.upnp.PortMappingEntry;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * The library's test {@code FakeGateway} (an IGD on 127.0.0.1) seen from this package. It and
 * its service are package-private in {@code dev.p2pchat.upnp}, so they are reached reflectively
 * here rather than copied; if they become public this shrinks to plain calls.
 */
final class FakeRouter implements AutoCloseable {
  private final Object gateway;
  private final Object service;

  FakeRouter() throws Exception {
    Constructor<?> constructor = Class.forName("dev.p2pchat.upnp.FakeGateway")
        .getDeclaredConstructor();
    constructor.setAccessible(true);
    gateway = constructor.newInstance();
    var field = gateway.getClass().getDeclaredField("service");
    field.setAccessible(true);
    service = field.get(gateway);
  }

  /** The description URL, for {@code --gateway}. */
  String location() {
    return (String) call(gateway, "location");
  }

  /** Where it answers M-SEARCH, for {@code --search-address}. */
  String ssdpAddress() {
    InetSocketAddress a = (InetSocketAddress) call(gateway, "ssdpAddress");
    return a.getAddress().getHostAddress() + ":" + a.getPort();
  }

  void ssdpSilent(boolean silent) {
    call(gateway, "ssdpSilent", silent);
  }

  /** Reads every SOAP request and never answers it. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  void soapNeverAnswers() throws ClassNotFoundException {
    Class style = Class.forName("dev.p2pchat.upnp.FakeGateway$Style");
    call(gateway, "soapStyle", Enum.valueOf(style, "NEVER_ANSWER"));
  }

  @SuppressWarnings("unchecked")
  List<String> actions() {
    return (List<String>) call(gateway, "actions");
  }

  void externalIp(String ip) {
    call(service, "externalIp", ip);
  }

  void onlyPermanentLeases(boolean on) {
    call(service, "onlyPermanentLeases", on);
  }

  /** The next call of {@code action} fails with this UPnP error. */
  void failNext(String action, int code, String description) {
    call(service, "failNext", action, code, description);
  }

  /** A mapping as if another LAN host had made it. */
  void putMapping(PortMappingEntry entry) {
    call(service, "putMapping", entry);
  }

  @SuppressWarnings("unchecked")
  List<PortMappingEntry> mappings() {
    return (List<PortMappingEntry>) call(service, "mappings");
  }

  @Override
  public void close() {
    call(gateway, "close");
  }

  private static Object call(Object target, String name, Object... args) {
    for (Method m : target.getClass().getDeclaredMethods()) {
      if (m.getName().equals(name) && m.getParameterCount() == args.length) {
        m.setAccessible(true);
        try {
          return m.invoke(target, args);
        } catch (InvocationTargetException e) {
          throw new AssertionError(name + " failed", e.getCause());
        } catch (IllegalAccessException e) {
          throw new AssertionError(e);
        }
      }
    }
    throw new AssertionError("FakeGateway has no " + name + " with " + args.length + " arguments");
  }
}
