/**
 * NAT-PMP (RFC 6886) and its successor PCP (RFC 6887): the two port-mapping protocols a home
 * router answers on UDP 5351 of its LAN address. {@link dev.p2pchat.upnp.natpmp.NatPmpClient}
 * and {@link dev.p2pchat.upnp.natpmp.PcpClient} each send one request at a time and retransmit
 * it on the RFC's schedule until the client's timeout; a router's refusal is a typed exception
 * carrying the result code and a message for people.
 */
package dev.p2pchat.upnp.natpmp;
