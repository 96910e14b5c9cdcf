package dev.stacksim.udp;

import dev.stacksim.buf.SkBuff;
import dev.stacksim.dev.VethPair;
import dev.stacksim.host.Host;
import dev.stacksim.host.Lab;
import dev.stacksim.ip.Ipv4;
import dev.stacksim.ip.XmitResult;
import dev.stacksim.sim.SimTime;
import dev.stacksim.socket.SockAddr;
import dev.stacksim.wire.IpProtocol;
import dev.stacksim.wire.Ipv4Address;
import dev.stacksim.wire.UdpHeader;

import java.nio.charset.StandardCharsets;

/**
 * Two hosts on a veth pair (100 µs each way): {@code a} 10.0.0.1/24 and {@code b} 10.0.0.2/24, on one virtual-time
 * loop. {@link #close()} closes both (every process exits, every skb is released).
 */
final class UdpLab implements AutoCloseable {
    final Lab lab;
    final Host a;
    final Host b;

    UdpLab(long seed) {
        lab = new Lab(seed);
        VethPair v = lab.veth("eth0", "eth0").delay(SimTime.micros(100));
        a = lab.host("a", v.first(), "10.0.0.1/24");
        b = lab.host("b", v.second(), "10.0.0.2/24");
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static String str(byte[] b, int n) {
        return new String(b, 0, n, StandardCharsets.US_ASCII);
    }

    static SockAddr.Inet addr(String ip, int port) {
        return SockAddr.of(ip, port);
    }

    /** Runs the loop until nothing is left to do. */
    void settle() {
        lab.loop.runUntilIdle();
    }

    /**
     * Sends a hand-made UDP datagram from {@code from} through its IP output: {@code checksum} -1
     * computes the right one, any other value is written as is; {@code ulen} -1 writes the right
     * length field.
     */
    static XmitResult sendRaw(Host from, String src, String dst, int sport, int dport, byte[] payload, int checksum,
                              int ulen) {
        int len = UdpHeader.HEADER_LEN + payload.length;
        SkBuff skb = from.pool().alloc(Ipv4.MAX_HEADER, len);
        int at = skb.put(len);
        skb.setBytes(at + UdpHeader.HEADER_LEN, payload, 0, payload.length);
        int s = Ipv4Address.parse(src).toInt();
        int d = Ipv4Address.parse(dst).toInt();
        UdpHeader h = new UdpHeader().wrap(skb.buf(), at, len).setSrcPort(sport).setDstPort(dport).setDatagramLength(len);
        h.fillChecksum(s, d);
        if (checksum != -1) {
            h.setChecksum(checksum);
        }
        if (ulen != -1) {
            h.setDatagramLength(ulen);
        }
        skb.resetTransportHeader();
        return from.ip().queueXmit(skb, s, d, IpProtocol.UDP, 0, 0, false);
    }

    @Override
    public void close() {
        lab.close();
    }
}
