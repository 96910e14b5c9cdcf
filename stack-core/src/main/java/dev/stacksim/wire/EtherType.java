package dev.stacksim.wire;

/** EtherType values (IEEE 802 numbers), the Ethernet II type field. */
public final class EtherType {
    /** IPv4 (RFC 894). */
    public static final int IPV4 = 0x0800;
    /** ARP (RFC 826). */
    public static final int ARP = 0x0806;
    /** 802.1Q VLAN tag; recognised only to be counted as unsupported. */
    public static final int VLAN = 0x8100;
    /** IPv6; recognised only to be counted as unsupported. */
    public static final int IPV6 = 0x86DD;

    private EtherType() {
    }

    /** The type's name as tcpdump prints it, or its hex value. */
    public static String name(int etherType) {
        switch (etherType) {
            case IPV4: return "IPv4";
            case ARP: return "ARP";
            case VLAN: return "802.1Q";
            case IPV6: return "IPv6";
            default: return String.format("0x%04x", etherType);
        }
    }
}
