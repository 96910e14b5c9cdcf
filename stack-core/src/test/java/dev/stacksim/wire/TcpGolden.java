package dev.stacksim.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.util.List;

/**
 * Real TCP segments captured on this machine's loopback (Linux 6.18), header and payload, with
 * the text {@code tcpdump -r t.pcap -nn -S} (4.99.3) printed for each.
 *
 * <p>How they were made: {@code tcpdump -i lo -w t.pcap port 9501} while {@code nc -l 127.0.0.1
 * 9501} received {@code hello} from {@code nc -N 127.0.0.1 9501}. The SACK segments come from a
 * second capture in a private network namespace ({@code unshare -n}, loopback only): after a real
 * handshake, two out-of-order segments were injected with a raw socket 100 and 200 bytes beyond
 * the receiver's {@code rcv_nxt}, and the receiving kernel answered with duplicate ACKs carrying
 * one and then two SACK blocks.
 *
 * <p>Loopback leaves checksums to offload ({@code CHECKSUM_PARTIAL}), so the captured checksum
 * fields hold only the folded pseudo-header sum ({@link Segment#capturedChecksum}) and
 * {@code tcpdump -v} reports them as {@code incorrect -> 0xad1e}. The hex below carries the
 * checksum tcpdump computed instead; {@code tcpdump -v} on the rewritten pcap reports each one
 * {@code (correct)}.
 */
final class TcpGolden {
    /** 127.0.0.1, both ends of every segment. */
    static final int LOOPBACK = 0x7F00_0001;

    /**
     * One captured segment.
     *
     * @param name             what it is in the conversation
     * @param hex              header and payload
     * @param capturedChecksum the checksum field as captured (partial, before offload)
     * @param tcpdump          the text after {@code 127.0.0.1.44580 > 127.0.0.1.9501: }
     */
    record Segment(String name, String hex, int capturedChecksum, String tcpdump) {
        byte[] bytes() {
            return TcpGolden.hex(hex);
        }

        int length() {
            return hex.length() / 2;
        }

        /** The segment copied into a fresh buffer at {@code offset}, with bytes before and after it. */
        ByteBuf buffer(int offset) {
            byte[] b = bytes();
            byte[] all = new byte[offset + b.length + 7];
            java.util.Arrays.fill(all, (byte) 0xEE);
            System.arraycopy(b, 0, all, offset, b.length);
            return Unpooled.wrappedBuffer(all);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** 44580 -> 9501, the client's SYN. */
    static final Segment SYN = new Segment("SYN",
            "ae24251dd54370a900000000a002ffd7ad1e00000204ffd70402080a82d206df000000000103030a", 0xfe30,
            "Flags [S], seq 3577966761, win 65495, "
                    + "options [mss 65495,sackOK,TS val 2194802399 ecr 0,nop,wscale 10], length 0");

    /** 9501 -> 44580. */
    static final Segment SYN_ACK = new Segment("SYN-ACK",
            "251dae24caf34fe0d54370aaa012ffcbaaa300000204ffd70402080a6ed578cc82d206df0103030a", 0xfe30,
            "Flags [S.], seq 3404943328, ack 3577966762, win 65483, "
                    + "options [mss 65495,sackOK,TS val 1859483852 ecr 2194802399,nop,wscale 10], length 0");

    /** 44580 -> 9501, completes the handshake. */
    static final Segment ACK = new Segment("ACK",
            "ae24251dd54370aacaf34fe180100040d32200000101080a82d206df6ed578cc", 0xfe28,
            "Flags [.], ack 3404943329, win 64, options [nop,nop,TS val 2194802399 ecr 1859483852], length 0");

    /** 44580 -> 9501, "hello". */
    static final Segment DATA = new Segment("DATA",
            "ae24251dd54370aacaf34fe1801800408f4300000101080a82d206df6ed578cc68656c6c6f", 0xfe2d,
            "Flags [P.], seq 3577966762:3577966767, ack 3404943329, win 64, "
                    + "options [nop,nop,TS val 2194802399 ecr 1859483852], length 5");

    /** 9501 -> 44580, acknowledges the data. */
    static final Segment DATA_ACK = new Segment("DATA-ACK",
            "251dae24caf34fe1d54370af80100040d31d00000101080a6ed578cc82d206df", 0xfe28,
            "Flags [.], ack 3577966767, win 64, options [nop,nop,TS val 1859483852 ecr 2194802399], length 0");

    /** 44580 -> 9501, the client closes. */
    static final Segment FIN = new Segment("FIN",
            "ae24251dd54370afcaf34fe180110040d31c00000101080a82d206df6ed578cc", 0xfe28,
            "Flags [F.], seq 3577966767, ack 3404943329, win 64, "
                    + "options [nop,nop,TS val 2194802399 ecr 1859483852], length 0");

    /** 9501 -> 44580, the server closes. */
    static final Segment FIN_ACK = new Segment("FIN-ACK",
            "251dae24caf34fe1d54370b080110040d31b00000101080a6ed578cc82d206df", 0xfe28,
            "Flags [F.], seq 3404943329, ack 3577966768, win 64, "
                    + "options [nop,nop,TS val 1859483852 ecr 2194802399], length 0");

    /** 44580 -> 9501, acknowledges the server's FIN. */
    static final Segment LAST_ACK = new Segment("LAST-ACK",
            "ae24251dd54370b0caf34fe280100040d31b00000101080a82d206df6ed578cc", 0xfe28,
            "Flags [.], ack 3404943330, win 64, options [nop,nop,TS val 2194802399 ecr 1859483852], length 0");

    /** 9502 -> 57418, a duplicate ACK with one SACK block. */
    static final Segment SACK1 = new Segment("SACK-1",
            "251ee04ad65131589295e9b7b0100040ab1a00000101080abb8d8ad82068adb20101050a9295ea1b9295ea20", 0xfe34,
            "Flags [.], ack 2459298231, win 64, "
                    + "options [nop,nop,TS val 3146615512 ecr 543731122,nop,nop,sack 1 {2459298331:2459298336}], "
                    + "length 0");

    /** 9502 -> 57418, a duplicate ACK with two SACK blocks, the most recent first. */
    static final Segment SACK2 = new Segment("SACK-2",
            "251ee04ad65131589295e9b7d0100041907500000101080abb8d8b3c2068adb2"
                    + "010105129295ea7f9295ea849295ea1b9295ea20", 0xfe3c,
            "Flags [.], ack 2459298231, win 65, options [nop,nop,TS val 3146615612 ecr 543731122,"
                    + "nop,nop,sack 2 {2459298431:2459298436}{2459298331:2459298336}], length 0");

    /** Every captured segment. */
    static final List<Segment> ALL = List.of(SYN, SYN_ACK, ACK, DATA, DATA_ACK, FIN, FIN_ACK, LAST_ACK, SACK1, SACK2);

    private TcpGolden() {
    }

    static byte[] hex(String hex) {
        byte[] b = new byte[hex.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }

    static String hex(ByteBuf buf, int offset, int length) {
        StringBuilder sb = new StringBuilder(length * 2);
        for (int i = 0; i < length; i++) {
            sb.append(String.format("%02x", buf.getUnsignedByte(offset + i)));
        }
        return sb.toString();
    }

    /** A view over {@code bytes} at offset 0. */
    static TcpHeader view(byte[] bytes) {
        return new TcpHeader().wrap(Unpooled.wrappedBuffer(bytes), 0, bytes.length);
    }
}
