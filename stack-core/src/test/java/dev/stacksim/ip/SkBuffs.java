package dev.stacksim.ip;

import dev.stacksim.buf.SkBuff;
import dev.stacksim.host.Host;
import dev.stacksim.wire.Ipv4Address;

/** Sends test datagrams through a host's IP output. */
final class SkBuffs {
    private SkBuffs() {
    }

    /** A datagram of protocol 253 (RFC 3692 experimentation) with 10 payload bytes from {@code src} to {@code dst}. */
    static XmitResult sendUdpLike(Host h, String src, String dst) {
        return send(h, src, dst, 253, 10, 0, false);
    }

    static XmitResult send(Host h, String src, String dst, int protocol, int len, int ttl, boolean df) {
        SkBuff skb = h.pool().alloc(Ipv4.MAX_HEADER, len);
        byte[] payload = new byte[len];
        for (int i = 0; i < len; i++) {
            payload[i] = (byte) i;
        }
        skb.putBytes(payload);
        skb.resetTransportHeader();
        int s = src == null ? 0 : Ipv4Address.parse(src).toInt();
        return h.ip().queueXmit(skb, s, Ipv4Address.parse(dst).toInt(), protocol, 0, ttl, df);
    }
}
