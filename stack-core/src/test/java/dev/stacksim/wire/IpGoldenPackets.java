package dev.stacksim.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Packets captured with tcpdump on Linux 6.18, Ethernet header stripped: the golden bytes of the
 * IPv4, ICMP and UDP tests. ICMP, options and fragments come from the loopback of a private network
 * namespace (lo MTU 1500); UDP comes from a veth pair between two private namespaces (10.0.0.1 and
 * 10.0.0.2) with transmit checksum offload turned off, because lo never fills in UDP checksums.
 */
final class IpGoldenPackets {
    /**
     * ping -c1 127.0.0.1 (loopback): the echo request (IP id 17782, DF; ICMP id 4831, seq 1, 56 data
     * bytes).
     */
    static final String ECHO_REQUEST =
            "45000054457640004001f7307f0000017f000001080027e112df0001ab4f026b" +
            "0000000048b1080000000000101112131415161718191a1b1c1d1e1f20212223" +
            "2425262728292a2b2c2d2e2f3031323334353637";

    /**
     * The kernel's reply to {@link #ECHO_REQUEST} (IP id 17783, no DF).
     */
    static final String ECHO_REPLY =
            "4500005445770000400137307f0000017f00000100002fe112df0001ab4f026b" +
            "0000000048b1080000000000101112131415161718191a1b1c1d1e1f20212223" +
            "2425262728292a2b2c2d2e2f3031323334353637";

    /**
     * echo hello | nc -u -w1 10.0.0.2 9501 (veth, tx checksum offload off):
     * 10.0.0.1:51779 > 10.0.0.2:9501, "hello\n", checksum 0xb892.
     */
    static final String UDP_HELLO =
            "45000022fb6a400040112b5e0a0000010a000002ca43251d000eb89268656c6c" +
            "6f0a";

    /**
     * echo hi | nc -u -w1 10.0.0.2 9 (veth) with nobody listening:
     * 10.0.0.1:33717 > 10.0.0.2:9, checksum 0xf5ad.
     */
    static final String UDP_TO_CLOSED_PORT =
            "4500001f4ff640004011d6d50a0000010a00000283b50009000bf5ad68690a";

    /**
     * 10.0.0.2's answer to {@link #UDP_TO_CLOSED_PORT}: tos 0xc0, port unreachable quoting all 31 bytes of it.
     */
    static final String ICMP_PORT_UNREACHABLE =
            "45c0003bcb1c000040019ae30a0000020a0000010303111c000000004500001f" +
            "4ff640004011d6d50a0000010a00000283b50009000bf5ad68690a";

    /**
     * The same "hello\n" sent over loopback (127.0.0.1:57435 > 127.0.0.1:9501). lo offloads the UDP checksum
     * (CHECKSUM_PARTIAL) and never finishes it, so the field holds only the pseudo-header sum 0xfe21,
     * which tcpdump -vv calls "bad udp cksum 0xfe21 -> 0xb87a".
     */
    static final String UDP_HELLO_LOOPBACK =
            "45000022677d40004011d54b7f0000017f000001e05b251d000efe2168656c6c" +
            "6f0a";

    /**
     * ping -c1 -R 127.0.0.1: IHL 15, options NOP + record route (len 39, ptr 8, one slot filled).
     */
    static final String RR_REQUEST =
            "4f00007c466b4000400145037f0000017f000001010727087f00000100000000" +
            "000000000000000000000000000000000000000000000000000000000800d344" +
            "12ea0001ad4f026b00000000a242010000000000101112131415161718191a1b" +
            "1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637";

    /**
     * The reply to {@link #RR_REQUEST}: record route (ptr 16, three slots filled), then EOL.
     */
    static final String RR_REPLY =
            "4f00007c466c00004001106f7f0000017f0000010727107f0000017f0000017f" +
            "000001000000000000000000000000000000000000000000000000000000db44" +
            "12ea0001ad4f026b00000000a242010000000000101112131415161718191a1b" +
            "1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637";

    /**
     * ping -c1 -T tsonly 127.0.0.1: IHL 15, one timestamp option (kind 68, len 40, ptr 9).
     */
    static final String TS_REQUEST =
            "4f00007c466d40004001d6527f0000017f000001442809000079c81d00000000" +
            "0000000000000000000000000000000000000000000000000000000008003639" +
            "12eb0001ad4f026b000000003f4d010000000000101112131415161718191a1b" +
            "1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637";

    /**
     * ping -c1 -s 3000 127.0.0.1 over lo with MTU 1500: the last fragment (offset 2960, MF clear, 48
     * data bytes).
     */
    static final String FRAGMENT_LAST =
            "45000044466f0172400134d67f0000017f00000188898a8b8c8d8e8f90919293" +
            "9495969798999a9b9c9d9e9fa0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3" +
            "b4b5b6b7";

    /**
     * The IPv4 header of the middle fragment of the same datagram (offset 1480, MF set, total length 1500).
     */
    static final String FRAGMENT_MIDDLE_HEADER =
            "450005dc466f20b940010ff77f0000017f000001";

    /**
     * The Ethernet header of {@link #UDP_TO_CLOSED_PORT}: d6:52:6e:74:e6:a5 < fa:e5:06:6d:be:6f, IPv4.
     */
    static final String VETH_ETHERNET_HEADER =
            "d6526e74e6a5fae5066dbe6f0800";

    private IpGoldenPackets() {
    }

    /** The bytes of a hex string (whitespace ignored). */
    static byte[] bytes(String hex) {
        String h = hex.replaceAll("\\s", "");
        byte[] out = new byte[h.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }

    /** A heap buffer over exactly these bytes: reading past them throws, so tests catch any overrun. */
    static ByteBuf buffer(byte[] bytes) {
        return Unpooled.wrappedBuffer(bytes);
    }

    /** The middle fragment in full: its header and 1480 data bytes of ping's counting pattern, from 0xc0. */
    static byte[] fragmentMiddle() {
        byte[] header = bytes(FRAGMENT_MIDDLE_HEADER);
        byte[] packet = new byte[1500];
        System.arraycopy(header, 0, packet, 0, header.length);
        for (int i = 0; i < 1480; i++) {
            packet[20 + i] = (byte) (0xc0 + i);
        }
        return packet;
    }

    /** The golden datagrams whole, for tests that run over all of them. */
    static byte[][] all() {
        return new byte[][] {bytes(ECHO_REQUEST), bytes(ECHO_REPLY), bytes(UDP_HELLO), bytes(UDP_TO_CLOSED_PORT),
            bytes(ICMP_PORT_UNREACHABLE), bytes(UDP_HELLO_LOOPBACK), bytes(RR_REQUEST), bytes(RR_REPLY), bytes(TS_REQUEST),
            bytes(FRAGMENT_LAST), fragmentMiddle()};
    }
}
