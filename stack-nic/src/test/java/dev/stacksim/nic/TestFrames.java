package dev.stacksim.nic;

import dev.stacksim.buf.SkBuff;
import dev.stacksim.buf.SkBuffPool;

/** Ethernet frames for the tests, built byte by byte (the NIC reads only addresses and ports). */
final class TestFrames {
    static final long MAC_A = 0x02_00_00_00_00_0AL;
    static final long MAC_B = 0x02_00_00_00_00_0BL;

    private TestFrames() {
    }

    /** An Ethernet frame of {@code len} bytes with the given EtherType; the payload counts from {@code seed}. */
    static byte[] ethernet(long dst, long src, int etherType, int len, int seed) {
        byte[] f = new byte[len];
        putMac(f, 0, dst);
        putMac(f, 6, src);
        f[12] = (byte) (etherType >>> 8);
        f[13] = (byte) etherType;
        for (int i = 14; i < len; i++) {
            f[i] = (byte) (seed + i);
        }
        return f;
    }

    /**
     * An IPv4 frame of {@code len} bytes (at least 38) carrying {@code protocol} with the given ports
     * in its first four payload bytes; {@code fragOff} is the flags/fragment-offset field.
     */
    static byte[] ipv4(int protocol, int src, int dst, int srcPort, int dstPort, int fragOff, int len) {
        byte[] f = ethernet(MAC_B, MAC_A, 0x0800, len, 7);
        int ip = 14;
        f[ip] = 0x45;
        f[ip + 1] = 0;
        putShort(f, ip + 2, len - 14);
        putShort(f, ip + 6, fragOff);
        f[ip + 8] = 64;
        f[ip + 9] = (byte) protocol;
        putInt(f, ip + 12, src);
        putInt(f, ip + 16, dst);
        putShort(f, ip + 20, srcPort);
        putShort(f, ip + 22, dstPort);
        return f;
    }

    /** An IPv4 address from its dotted text. */
    static int addr(String dotted) {
        String[] p = dotted.split("\\.");
        return (Integer.parseInt(p[0]) << 24) | (Integer.parseInt(p[1]) << 16) | (Integer.parseInt(p[2]) << 8)
                | Integer.parseInt(p[3]);
    }

    /** An skb holding {@code bytes}, with headroom as a stack would leave it. */
    static SkBuff skb(SkBuffPool pool, byte[] bytes) {
        return pool.alloc(SkBuffPool.NET_SKB_PAD, bytes.length).putBytes(bytes);
    }

    private static void putMac(byte[] f, int at, long mac) {
        for (int i = 0; i < 6; i++) {
            f[at + i] = (byte) (mac >>> (40 - 8 * i));
        }
    }

    private static void putShort(byte[] f, int at, int v) {
        f[at] = (byte) (v >>> 8);
        f[at + 1] = (byte) v;
    }

    private static void putInt(byte[] f, int at, int v) {
        putShort(f, at, v >>> 16);
        putShort(f, at + 2, v);
    }
}
