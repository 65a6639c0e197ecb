package dev.p2pchat.upnp.natpmp;

import java.net.InetAddress;

/**
 * What the router granted for a MAP request.
 *
 * @param epochSeconds the router's epoch when it answered (see {@link ServerEpoch})
 * @param externalAddress the router's external address
 * @param externalPort the external port assigned, which may differ from the one suggested
 * @param lifetimeSeconds the lifetime granted, which may be shorter than the one asked
 */
public record MapAnswer(long epochSeconds, InetAddress externalAddress, int externalPort,
    long lifetimeSeconds) {}
