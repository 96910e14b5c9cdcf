package dev.stacksim.packetdrill;

import dev.stacksim.wire.TcpHeader;

import java.util.List;

/**
 * A packet line: {@code < S 0:0(0) win 32792 <mss 1000,nop,wscale 7>} (injected) or
 * {@code > S. 0:0(0) ack 1 <...>} (expected). Fields hold script values: sequence numbers as
 * written (absolute on a SYN, relative to the ISN otherwise), ports 0 when the line names none.
 *
 * @param direction inbound ({@code <}) or outbound ({@code >})
 * @param ip        the optional {@code [ect0]}, {@code (tos 0x10)}, {@code [ttl 64]} part
 * @param transport the TCP, UDP or ICMP part
 */
public record PacketSpec(Direction direction, IpInfo ip, Transport transport) implements ScriptEvent.Action {
    /** Which way the packet goes, seen from the host under test. */
    public enum Direction {
        /** {@code <}: the script injects it. */
        INBOUND,
        /** {@code >}: the script expects the host to send it. */
        OUTBOUND
    }

    /** What the IP header is checked for ({@code tos_chk} in packetdrill). */
    public enum TosCheck {
        /** Nothing. */
        NONE,
        /** The ECN bits equal {@link IpInfo#tos}: {@code [noecn]}, {@code [ect0]}, {@code [ect1]}, {@code [ce]}. */
        ECN,
        /** The ECN bits are ECT(0) or ECT(1): {@code [ect01]}. */
        ECT01,
        /** The whole TOS byte: {@code (tos 0x10)}. */
        TOS
    }

    /**
     * The IP-level part of a line.
     *
     * @param tosCheck what to check of the TOS byte
     * @param tos      the ECN bits or TOS byte
     * @param ttl      the TTL to check (outbound) or send (inbound); 0 for none
     */
    public record IpInfo(TosCheck tosCheck, int tos, int ttl) {
        /** No IP-level information. */
        public static final IpInfo NONE = new IpInfo(TosCheck.NONE, 0, 0);
    }

    /** The transport part of a line. */
    public sealed interface Transport permits Tcp, Udp, Icmp {
    }

    /**
     * A TCP line.
     *
     * @param srcPort    the source port written as {@code src>dst}, or 0
     * @param dstPort    the destination port, or 0
     * @param flags      the flag letters as written ({@code S.}, {@code P.}, {@code F.}, {@code R}, {@code .}, empty for {@code -})
     * @param seq        the start sequence number
     * @param payloadLen the payload length
     * @param ack        the acknowledgment number (meaningful with the {@code .} flag)
     * @param window     the window, or -1 when the line gives none (not checked)
     * @param urgPointer the urgent pointer
     * @param options    the options in order, or null for {@code <...>} (not checked)
     */
    public record Tcp(int srcPort, int dstPort, String flags, long seq, int payloadLen, long ack, int window,
                      int urgPointer, List<TcpOptionSpec> options) implements Transport {
        /** The header's flag bits for {@link #flags} (packetdrill's F S R P . U E W A, or an ACE digit). */
        public int flagBits() {
            int bits = 0;
            for (int i = 0; i < flags.length(); i++) {
                char c = flags.charAt(i);
                switch (c) {
                    case 'F': bits |= TcpHeader.FIN; break;
                    case 'S': bits |= TcpHeader.SYN; break;
                    case 'R': bits |= TcpHeader.RST; break;
                    case 'P': bits |= TcpHeader.PSH; break;
                    case '.': bits |= TcpHeader.ACK; break;
                    case 'U': bits |= TcpHeader.URG; break;
                    case 'E': bits |= TcpHeader.ECE; break;
                    case 'W': bits |= TcpHeader.CWR; break;
                    case 'A': bits |= AE; break;
                    default:
                        if (c >= '0' && c <= '7') {
                            int ace = c - '0';
                            bits |= ((ace & 1) != 0 ? TcpHeader.ECE : 0) | ((ace & 2) != 0 ? TcpHeader.CWR : 0)
                                    | ((ace & 4) != 0 ? AE : 0);
                        }
                        break;
                }
            }
            return bits;
        }

        /** True when the line sets {@code c} among its flags. */
        public boolean has(char c) {
            return flags.indexOf(c) >= 0;
        }

        /** True when the line names an ACE value (AccECN) rather than ECN letters. */
        public boolean hasAce() {
            for (int i = 0; i < flags.length(); i++) {
                if (Character.isDigit(flags.charAt(i))) {
                    return true;
                }
            }
            return false;
        }
    }

    /** The AE bit (RFC 9768, the former NS bit): bit 8 of the 12-bit flags field, as flagBits() carries it. */
    public static final int AE = 0x100;

    /**
     * A UDP line: {@code < udp (100)} or {@code > udp 5000>8080 (10)}.
     *
     * @param srcPort    the source port, or 0
     * @param dstPort    the destination port, or 0
     * @param payloadLen the payload length
     */
    public record Udp(int srcPort, int dstPort, int payloadLen) implements Transport {
    }

    /**
     * An ICMP line: {@code < icmp unreachable port_unreachable [udp (10)]},
     * {@code < icmp unreachable frag_needed mtu 1200 [1:1461(1460)]}.
     *
     * @param type    the type's name ({@code unreachable}, {@code echo_request} ...)
     * @param code    the code's name, or null (code 0)
     * @param mtu     the next-hop MTU of a fragmentation-needed message, or -1
     * @param echoId  the identifier of an echo message
     * @param echoed  what the message quotes of the offending datagram
     */
    public record Icmp(String type, String code, int mtu, int echoId, Echoed echoed) implements Transport {
    }

    /**
     * The datagram an ICMP error quotes: a TCP segment (its sequence number), a UDP datagram (its
     * payload length), or raw bytes (protocol {@code IPPROTO_RAW}).
     */
    public record Echoed(int protocol, long seq, int payloadLen) {
    }

    /** True for a line the host is expected to send. */
    public boolean outbound() {
        return direction == Direction.OUTBOUND;
    }
}
