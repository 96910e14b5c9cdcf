package dev.stacksim.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Golden frames captured from a real Linux 6.x kernel (Debian 12 userland, tcpdump 4.99), pasted
 * from {@code tcpdump -r x.pcap -xx}. Captures carry no preamble and no FCS.
 *
 * <p>Loopback frames ({@code tcpdump -i lo}) have all-zero MAC addresses. ARP cannot be seen on
 * loopback, so the {@code VETH_*} frames come from a veth pair between two private network
 * namespaces made for the purpose:
 * <pre>
 *   ip netns add wl-a; ip netns add wl-b
 *   ip netns exec wl-a ip link add wl0 type veth peer name wl1 netns wl-b
 *   wl0 = 02:00:00:00:00:01 10.200.0.1/24 (in wl-a)     wl1 = 02:00:00:00:00:02 10.200.0.2/24 (in wl-b)
 *   ip netns exec wl-a tcpdump -i wl0 -w arp.pcap 'arp or icmp'
 *   ip netns exec wl-a ping -c 1 10.200.0.2                         (ARP request, reply, echo)
 *   ip netns exec wl-a arping -c 1 -U    -i wl0 -S 10.200.0.1 10.200.0.1  (gratuitous request)
 *   ip netns exec wl-a arping -c 1 -U -P -i wl0 -S 10.200.0.1 10.200.0.1  (gratuitous reply)
 * </pre>
 * The kernel hands its ARP frames to veth unpadded, 42 bytes (padding to the 60-byte minimum is a
 * NIC driver's job, and veth has none to do); arping builds its own frames and pads them to 58.
 */
final class Captures {
    private Captures() {
    }

    /**
     * {@code ping -c 1 127.0.0.1}, the request: {@code 00:00:00:00:00:00 > 00:00:00:00:00:00, ethertype
     * IPv4 (0x0800), length 98: 127.0.0.1 > 127.0.0.1: ICMP echo request, id 4960, seq 1, length 64}.
     * IPv4 header checksum 0x6900 at frame offset 24, ICMP checksum 0x1523 at 36.
     */
    static final String LO_ICMP_ECHO_REQUEST = ""
            + "0000 0000 0000 0000 0000 0000 0800 4500"
            + "0054 d3a6 4000 4001 6900 7f00 0001 7f00"
            + "0001 0800 1523 1360 0001 b64f 026b 0000"
            + "0000 53ee 0400 0000 0000 1011 1213 1415"
            + "1617 1819 1a1b 1c1d 1e1f 2021 2223 2425"
            + "2627 2829 2a2b 2c2d 2e2f 3031 3233 3435"
            + "3637";

    /**
     * {@code nc -u 127.0.0.1 9501} sending {@code hello} from port 43470: {@code 127.0.0.1.43470 >
     * 127.0.0.1.9501: UDP, length 5}. Loopback offloads the UDP checksum (CHECKSUM_PARTIAL), so the
     * field holds only the pseudo-header sum {@code 0xfe20}; tcpdump says the full checksum would
     * be {@code 0xef13}. The IPv4 header checksum {@code 0xe7a1} is real.
     */
    static final String LO_UDP_HELLO = ""
            + "0000 0000 0000 0000 0000 0000 0800 4500"
            + "0021 5528 4000 4011 e7a1 7f00 0001 7f00"
            + "0001 a9ce 251d 000d fe20 6865 6c6c 6f";

    /**
     * The kernel's broadcast request: {@code 02:00:00:00:00:01 > ff:ff:ff:ff:ff:ff, ethertype ARP
     * (0x0806), length 42: Request who-has 10.200.0.2 tell 10.200.0.1, length 28}.
     */
    static final String VETH_ARP_REQUEST = ""
            + "ffff ffff ffff 0200 0000 0001 0806 0001"
            + "0800 0604 0001 0200 0000 0001 0ac8 0001"
            + "0000 0000 0000 0ac8 0002";

    /**
     * The kernel's answer: {@code 02:00:00:00:00:02 > 02:00:00:00:00:01, ethertype ARP (0x0806),
     * length 42: Reply 10.200.0.2 is-at 02:00:00:00:00:02, length 28}.
     */
    static final String VETH_ARP_REPLY = ""
            + "0200 0000 0001 0200 0000 0002 0806 0001"
            + "0800 0604 0002 0200 0000 0002 0ac8 0002"
            + "0200 0000 0001 0ac8 0001";

    /**
     * Five seconds later, the kernel confirming its entry with a unicast request (NUD_PROBE):
     * {@code 02:00:00:00:00:02 > 02:00:00:00:00:01, ethertype ARP (0x0806), length 42: Request
     * who-has 10.200.0.1 tell 10.200.0.2, length 28}.
     */
    static final String VETH_ARP_UNICAST_PROBE = ""
            + "0200 0000 0001 0200 0000 0002 0806 0001"
            + "0800 0604 0001 0200 0000 0002 0ac8 0002"
            + "0000 0000 0000 0ac8 0001";

    /**
     * {@code arping -U}: a gratuitous request, THA broadcast, padded to 58 bytes: {@code
     * 02:00:00:00:00:01 > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), length 58: Request who-has
     * 10.200.0.1 (ff:ff:ff:ff:ff:ff) tell 10.200.0.1, length 44}.
     */
    static final String VETH_GRATUITOUS_REQUEST = ""
            + "ffff ffff ffff 0200 0000 0001 0806 0001"
            + "0800 0604 0001 0200 0000 0001 0ac8 0001"
            + "ffff ffff ffff 0ac8 0001 0000 0000 0000"
            + "0000 0000 0000 0000 0000";

    /**
     * {@code arping -U -P}: a gratuitous reply: {@code 02:00:00:00:00:01 > ff:ff:ff:ff:ff:ff,
     * ethertype ARP (0x0806), length 58: Reply 10.200.0.1 is-at 02:00:00:00:00:01, length 44}.
     */
    static final String VETH_GRATUITOUS_REPLY = ""
            + "ffff ffff ffff 0200 0000 0001 0806 0001"
            + "0800 0604 0002 0200 0000 0001 0ac8 0001"
            + "ffff ffff ffff 0ac8 0001 0000 0000 0000"
            + "0000 0000 0000 0000 0000";

    /**
     * The echo request that followed the ARP exchange: {@code 02:00:00:00:00:01 > 02:00:00:00:00:02,
     * ethertype IPv4 (0x0800), length 98: 10.200.0.1 > 10.200.0.2: ICMP echo request, id 5159, seq 1,
     * length 64}. IPv4 header checksum 0xd011.
     */
    static final String VETH_ICMP_ECHO_REQUEST = ""
            + "0200 0000 0002 0200 0000 0001 0800 4500"
            + "0054 5505 4000 4001 d011 0ac8 0001 0ac8"
            + "0002 0800 2da0 1427 0001 c64f 026b 0000"
            + "0000 2aaa 0400 0000 0000 1011 1213 1415"
            + "1617 1819 1a1b 1c1d 1e1f 2021 2223 2425"
            + "2627 2829 2a2b 2c2d 2e2f 3031 3233 3435"
            + "3637";

    /** Its echo reply, IPv4 header checksum 0xf87c. */
    static final String VETH_ICMP_ECHO_REPLY = ""
            + "0200 0000 0001 0200 0000 0002 0800 4500"
            + "0054 6c9a 0000 4001 f87c 0ac8 0002 0ac8"
            + "0001 0000 35a0 1427 0001 c64f 026b 0000"
            + "0000 2aaa 0400 0000 0000 1011 1213 1415"
            + "1617 1819 1a1b 1c1d 1e1f 2021 2223 2425"
            + "2627 2829 2a2b 2c2d 2e2f 3031 3233 3435"
            + "3637";

    /** The bytes of hex text, blanks ignored: {@code bytes("0800 45")} is {@code {8, 0, 0x45}}. */
    static byte[] bytes(String hex) {
        String h = hex.replace(" ", "");
        if (h.length() % 2 != 0) {
            throw new IllegalArgumentException("odd hex length " + h.length());
        }
        byte[] out = new byte[h.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }

    /** A heap buffer over a copy of the bytes of hex text, readable from index 0. */
    static ByteBuf buf(String hex) {
        return Unpooled.wrappedBuffer(bytes(hex));
    }

    /** The {@code length} bytes of {@code buf} at {@code offset}, copied. */
    static byte[] slice(ByteBuf buf, int offset, int length) {
        byte[] out = new byte[length];
        buf.getBytes(offset, out);
        return out;
    }
}
