package dev.stacksim.tcp;

import dev.stacksim.wire.Inet;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The TCP tables walked as {@code /proc/net/tcp} and {@code ss} walk them
 * ({@code tcp_seq_start}/{@code tcp_seq_next} and {@code inet_diag_dump_icsk} in
 * {@code net/ipv4/tcp_ipv4.c}, {@code inet_diag.c}), and {@code /proc/net/tcp} itself
 * ({@code tcp4_seq_show}).
 *
 * <h2>Order</h2>
 * Linux walks the listening hash ({@code lhash2}) first, then the established hash
 * ({@code ehash}), which holds the connected sockets, the request socks (NEW_SYN_RECV) and the
 * TIME_WAIT minisocks together. Inside each table the order is the hash buckets', keyed by a
 * secret drawn at boot: effectively random, and different on every machine, so no tool may rely
 * on it. {@link #sockets} keeps the two phases (every listener before any other entry, as on
 * Linux) and orders inside each by address so that output is reproducible and readable:
 * listeners by local port, then local address; the rest by local address, local port, remote
 * address, remote port (unsigned). A socket that is bound but neither listening nor connected is
 * in neither table and is not shown, as on Linux.
 *
 * <h2>/proc/net/tcp</h2>
 * <pre>
 *   sl  local_address rem_address   st tx_queue rx_queue tr tm-&gt;when retrnsmt   uid  timeout inode
 *    0: 0100007F:251D 00000000:0000 0A 00000000:00000002 00:00000000 00000000     0        0 737286 3 0000000000000000 100 0 0 10 0
 *    5: 0100007F:0050 0300090A:C350 03 00000000:00000000 01:00000045 00000000     0        0 0 0 0000000000000000
 *   14: 0100007F:9C45 0100007F:0050 06 00000000:00000000 03:00001751 00000000     0        0 0 3 0000000000000000
 * </pre>
 * <ul>
 *   <li>{@code sl}: the running number of the entry (not a bucket), {@code %4d};</li>
 *   <li>addresses: the network-order u32 printed as a little-endian integer, {@code %08X}
 *       (127.0.0.1 is {@code 0100007F}); ports in host order, {@code %04X} (9501 is {@code 251D});</li>
 *   <li>{@code st}: {@link TcpState#procHex()}, a request sock as 03;</li>
 *   <li>{@code tm->when}: the time left on the timer in {@code clock_t} ticks of 10 ms
 *       ({@code USER_HZ} 100), rounded down; {@code tr} 0 prints 0;</li>
 *   <li>after the inode: refcount, the socket's kernel address ({@code %pK}: zeros, as a reader
 *       without CAP_SYSLOG sees it under {@code kptr_restrict}), then for full sockets only: RTO and
 *       ATO in {@code clock_t}, {@code (quick << 1) | pingpong}, cwnd, and ssthresh (-1 in the
 *       initial slow start; a listener prints its TCP Fast Open queue limit there, 0);</li>
 *   <li>every line, the header included, padded with spaces to 149 columns
 *       ({@code seq_setwidth(seq, TMPSZ - 1)}, TMPSZ 150).</li>
 * </ul>
 * Observed on Linux 6.18 in a private network namespace: a listener with two unaccepted children
 * ({@code rx_queue} 2, refcount 3), a request sock to an unreachable client ({@code 01:00000045}
 * 0.69 s before its SYN-ACK resend, refcount 0, inode 0), TIME_WAIT ({@code 03:00001751}) and an
 * orphan's FIN_WAIT2 minisock (st 05, tr 3), keepalive ({@code 02:000AFC61}, two hours),
 * SYN_SENT ({@code tx_queue} 1: the SYN, tr 1), unaccepted children with inode 0.
 */
public final class TcpProc {
    /** Every line of {@code /proc/net/tcp} is padded to this width ({@code TMPSZ - 1}). */
    public static final int PROC_WIDTH = 149;
    /** The header of {@code /proc/net/tcp}, before padding. */
    public static final String PROC_HEADER = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when "
            + "retrnsmt   uid  timeout inode";
    /** {@code %pK} as an unprivileged reader sees it. */
    private static final String KPTR = "0000000000000000";
    /** Nanoseconds per {@code clock_t} tick ({@code USER_HZ} = 100). */
    private static final long CLOCK_T = 10_000_000L;

    private TcpProc() {
    }

    /**
     * Every entry of {@code tcp}'s tables, listeners first (see the class comment for the order):
     * what {@code /proc/net/tcp} prints and what {@code ss -ta} asks the kernel for.
     */
    public static List<TcpSockInfo> sockets(Tcp tcp) {
        long now = tcp.now();
        List<TcpSock> listeners = new ArrayList<>();
        for (TcpSock tp : tcp.bound) {
            if (tp.tstate == TcpState.LISTEN) {
                listeners.add(tp);
            }
        }
        listeners.sort(Comparator.comparingInt(TcpSock::port).thenComparingLong(tp -> Integer.toUnsignedLong(tp.rcvSaddr())));
        List<TcpSockInfo> out = new ArrayList<>();
        for (TcpSock l : listeners) {
            out.add(TcpSockInfo.of(l));
        }
        List<TcpSockInfo> established = new ArrayList<>();
        tcp.ehash.forEach(e -> {
            if (e instanceof TcpSock tp) {
                established.add(TcpSockInfo.of(tp));
            } else if (e instanceof TcpTimewaitSock tw) {
                established.add(TcpSockInfo.of(tw, now));
            }
        });
        for (TcpSock l : listeners) {
            l.listener.reqQueue.forEach(req -> established.add(TcpSockInfo.of(req, l)));
        }
        established.sort(Comparator.comparingLong((TcpSockInfo i) -> Integer.toUnsignedLong(i.localAddr()))
                .thenComparingInt(TcpSockInfo::localPort)
                .thenComparingLong(i -> Integer.toUnsignedLong(i.remoteAddr()))
                .thenComparingInt(TcpSockInfo::remotePort));
        out.addAll(established);
        return out;
    }

    /** {@code cat /proc/net/tcp} of {@code tcp}: the header and one line per entry of {@link #sockets}. */
    public static String procNetTcp(Tcp tcp) {
        List<TcpSockInfo> all = sockets(tcp);
        StringBuilder sb = new StringBuilder(PROC_WIDTH * (all.size() + 1) + all.size() + 1);
        pad(sb.append(PROC_HEADER), 0);
        for (int sl = 0; sl < all.size(); sl++) {
            int start = sb.length();
            sb.append(line(all.get(sl), sl));
            pad(sb, start);
        }
        return sb.toString();
    }

    /** The line {@code tcp4_seq_show} prints for {@code s} as entry number {@code sl}, without padding. */
    public static String line(TcpSockInfo s, int sl) {
        String head = String.format("%4d: %08X:%04X %08X:%04X %s %08X:%08X %02X:%08X %08X",
                sl, Inet.htonl(s.localAddr()), s.localPort(), Inet.htonl(s.remoteAddr()), s.remotePort(),
                s.state().procHex(), s.txQueue(), s.rxQueue(), s.timer(), s.timerRemaining() / CLOCK_T,
                s.retransmits());
        return switch (s.kind()) {
            case REQUEST -> head + String.format(" %5d %8d %d %d %s", Integer.toUnsignedLong(s.uid()), 0, 0, 0, KPTR);
            case TIME_WAIT -> head + String.format(" %5d %8d %d %d %s", 0, 0, 0, s.refcount(), KPTR);
            case SOCK -> head + String.format(" %5d %8d %d %d %s %d %d %d %d %d", Integer.toUnsignedLong(s.uid()),
                    s.probesOut(), s.inode(), s.refcount(), KPTR, s.rto() / CLOCK_T, s.ato() / CLOCK_T, s.qack(),
                    s.sndCwnd(), s.state() == TcpState.LISTEN ? 0
                            : s.sndSsthresh() >= TcpInfo.TCP_INFINITE_SSTHRESH ? -1 : s.sndSsthresh());
        };
    }

    /** {@code seq_pad}: spaces up to {@link #PROC_WIDTH}, then the newline. */
    private static void pad(StringBuilder sb, int lineStart) {
        while (sb.length() - lineStart < PROC_WIDTH) {
            sb.append(' ');
        }
        sb.append('\n');
    }
}
