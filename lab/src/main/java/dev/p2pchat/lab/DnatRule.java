package dev.p2pchat.lab;

/**
 * A port forwarding a router's kernel actually applies, read from the DNAT rules miniupnpd wrote:
 * the ground truth beneath whatever UPnP or NAT-PMP reports.
 *
 * @param protocol "TCP" or "UDP"
 * @param externalPort the port on the router's WAN address
 * @param internalAddress the LAN host traffic is forwarded to
 * @param internalPort the port on that host
 */
public record DnatRule(String protocol, int externalPort, String internalAddress,
    int internalPort) {}
