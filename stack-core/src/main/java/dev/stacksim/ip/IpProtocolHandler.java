package dev.stacksim.ip;

import dev.stacksim.buf.SkBuff;

/**
 * A transport protocol's entry points in IPv4, Linux's {@code struct net_protocol}: registered
 * with {@link Ipv4#registerProtocol} for one protocol number (ICMP 1, TCP 6, UDP 17).
 */
public interface IpProtocolHandler {
    /**
     * A datagram for this host carrying the protocol ({@code tcp_v4_rcv}, {@code udp_rcv},
     * {@code icmp_rcv}). The skb's data starts at the transport header, its transport header mark
     * is set there, and its network header mark still finds the IPv4 header (addresses, TTL).
     * Fragments have been reassembled. The handler owns the skb: it must consume or free it.
     */
    void receive(SkBuff skb);

    /**
     * An ICMP error about a datagram this protocol sent ({@code tcp_v4_err}, {@code udp_err}): the
     * skb's data starts at the IPv4 header quoted in the error (followed by at least 8 bytes of
     * its payload: the ports, or the ICMP echo identifier), and its transport header mark is at
     * the ICMP header. The skb stays the caller's: the handler reads it and must not release it.
     *
     * @param type the ICMP type ({@code IcmpType.DEST_UNREACH}, {@code TIME_EXCEEDED} ...)
     * @param code the ICMP code
     * @param info the next-hop MTU for fragmentation needed, the pointer for parameter problem, else 0
     */
    default void error(SkBuff skb, int type, int code, int info) {
    }
}
