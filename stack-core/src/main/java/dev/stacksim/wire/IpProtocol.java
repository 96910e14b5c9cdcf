package dev.stacksim.wire;

/** IPv4 protocol numbers (IANA), the values of the IPv4 header's protocol field. */
public final class IpProtocol {
    /** ICMP (RFC 792). */
    public static final int ICMP = 1;
    /** TCP (RFC 9293). */
    public static final int TCP = 6;
    /** UDP (RFC 768). */
    public static final int UDP = 17;

    private IpProtocol() {
    }

    /** The protocol's name as tcpdump prints it, or its number. */
    public static String name(int protocol) {
        switch (protocol) {
            case ICMP: return "ICMP";
            case TCP: return "TCP";
            case UDP: return "UDP";
            default: return "proto-" + protocol;
        }
    }
}
