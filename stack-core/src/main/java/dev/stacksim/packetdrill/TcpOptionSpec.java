package dev.stacksim.packetdrill;

import dev.stacksim.wire.TcpHeader;

import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * One TCP option in a packet line's {@code <...>} list, in the order written (packetdrill's
 * {@code tcp_option}): {@code nop}, {@code eol}, {@code mss 1460}, {@code wscale 7},
 * {@code sackOK}, {@code sack 1:1001 2001:3001}, {@code TS val 100 ecr 0},
 * {@code FO abcd1234} (fast open, kind 34) and {@code FOEXP} (kind 254). As in packetdrill, the
 * script must pad the list to a multiple of 4 bytes itself (with {@code nop}).
 */
public sealed interface TcpOptionSpec {
    /** The option's kind (RFC 9293 section 3.2, IANA registry). */
    int kind();

    /** Appends the option's bytes as they go on the wire. */
    void encode(ByteArrayOutputStream out);

    /** {@code nop}: kind 1. */
    record Nop() implements TcpOptionSpec {
        @Override
        public int kind() {
            return TcpHeader.OPT_NOP;
        }

        @Override
        public void encode(ByteArrayOutputStream out) {
            out.write(TcpHeader.OPT_NOP);
        }

        @Override
        public String toString() {
            return "nop";
        }
    }

    /** {@code eol}: kind 0. */
    record Eol() implements TcpOptionSpec {
        @Override
        public int kind() {
            return TcpHeader.OPT_EOL;
        }

        @Override
        public void encode(ByteArrayOutputStream out) {
            out.write(TcpHeader.OPT_EOL);
        }

        @Override
        public String toString() {
            return "eol";
        }
    }

    /** {@code mss N}: kind 2, length 4 (RFC 9293 3.7.1). */
    record Mss(int mss) implements TcpOptionSpec {
        @Override
        public int kind() {
            return TcpHeader.OPT_MSS;
        }

        @Override
        public void encode(ByteArrayOutputStream out) {
            out.write(TcpHeader.OPT_MSS);
            out.write(TcpHeader.OPTLEN_MSS);
            out.write(mss >> 8);
            out.write(mss);
        }

        @Override
        public String toString() {
            return "mss " + mss;
        }
    }

    /** {@code wscale N}: kind 3, length 3 (RFC 7323 2.2). */
    record WindowScale(int shift) implements TcpOptionSpec {
        @Override
        public int kind() {
            return TcpHeader.OPT_WINDOW;
        }

        @Override
        public void encode(ByteArrayOutputStream out) {
            out.write(TcpHeader.OPT_WINDOW);
            out.write(TcpHeader.OPTLEN_WINDOW);
            out.write(shift);
        }

        @Override
        public String toString() {
            return "wscale " + shift;
        }
    }

    /** {@code sackOK}: kind 4, length 2 (RFC 2018). */
    record SackPermitted() implements TcpOptionSpec {
        @Override
        public int kind() {
            return TcpHeader.OPT_SACK_PERM;
        }

        @Override
        public void encode(ByteArrayOutputStream out) {
            out.write(TcpHeader.OPT_SACK_PERM);
            out.write(TcpHeader.OPTLEN_SACK_PERM);
        }

        @Override
        public String toString() {
            return "sackOK";
        }
    }

    /** {@code sack L:R ...}: kind 5, 8 bytes per block, sequence numbers relative as in the script (RFC 2018). */
    record Sack(List<long[]> blocks) implements TcpOptionSpec {
        @Override
        public int kind() {
            return TcpHeader.OPT_SACK;
        }

        @Override
        public void encode(ByteArrayOutputStream out) {
            out.write(TcpHeader.OPT_SACK);
            out.write(TcpHeader.OPTLEN_SACK_BASE + TcpHeader.OPTLEN_SACK_PERBLOCK * blocks.size());
            for (long[] b : blocks) {
                writeInt(out, b[0]);
                writeInt(out, b[1]);
            }
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("sack");
            for (long[] b : blocks) {
                sb.append(' ').append(b[0]).append(':').append(b[1]);
            }
            return sb.toString();
        }
    }

    /** {@code TS val V ecr E}: kind 8, length 10 (RFC 7323 3.2). */
    record Timestamp(long val, long ecr) implements TcpOptionSpec {
        @Override
        public int kind() {
            return TcpHeader.OPT_TIMESTAMP;
        }

        @Override
        public void encode(ByteArrayOutputStream out) {
            out.write(TcpHeader.OPT_TIMESTAMP);
            out.write(TcpHeader.OPTLEN_TIMESTAMP);
            writeInt(out, val);
            writeInt(out, ecr);
        }

        @Override
        public String toString() {
            return "TS val " + val + " ecr " + ecr;
        }
    }

    /**
     * {@code FO cookie} (kind 34, RFC 7413) or {@code FOEXP cookie} (kind 254 with magic 0xF989,
     * the experimental form): the cookie as hex, possibly empty.
     */
    record FastOpen(byte[] cookie, boolean experimental) implements TcpOptionSpec {
        @Override
        public int kind() {
            return experimental ? 254 : 34;
        }

        @Override
        public void encode(ByteArrayOutputStream out) {
            out.write(kind());
            out.write(2 + (experimental ? 2 : 0) + cookie.length);
            if (experimental) {
                out.write(0xF9);
                out.write(0x89);
            }
            out.write(cookie, 0, cookie.length);
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder(experimental ? "FOEXP" : "FO");
            if (cookie.length > 0) {
                sb.append(' ');
                for (byte b : cookie) {
                    sb.append(String.format("%02x", b & 0xFF));
                }
            }
            return sb.toString();
        }
    }

    /** The options' bytes, in order. */
    static byte[] encodeAll(List<TcpOptionSpec> options) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (TcpOptionSpec o : options) {
            o.encode(out);
        }
        return out.toByteArray();
    }

    private static void writeInt(ByteArrayOutputStream out, long v) {
        out.write((int) (v >>> 24));
        out.write((int) (v >>> 16));
        out.write((int) (v >>> 8));
        out.write((int) v);
    }
}
