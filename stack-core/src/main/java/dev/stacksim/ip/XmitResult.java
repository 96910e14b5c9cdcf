package dev.stacksim.ip;

/**
 * What {@link Ipv4#queueXmit} did with a datagram: the cases a socket layer turns into an errno.
 * In every case the skb's ownership passed to IP.
 */
public enum XmitResult {
    /**
     * Handed on: to a device queue, or waiting for ARP resolution (a later resolution failure is
     * reported by ICMP, as Linux reports it to the socket's error queue). Linux: 0.
     */
    OK,
    /** No route to the destination ({@code IpOutNoRoutes}); Linux: {@code -EHOSTUNREACH}/{@code -ENETUNREACH}. */
    NO_ROUTE,
    /** Larger than the path MTU with DF set (ICMP fragmentation needed sent to the sender); Linux: {@code -EMSGSIZE}. */
    MSG_SIZE,
    /** Dropped on the way out: device down or its queue full; Linux: {@code NET_XMIT_DROP}, {@code -ENOBUFS}. */
    DROP
}
