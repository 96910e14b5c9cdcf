package dev.stacksim.diag;

import dev.stacksim.host.Host;
import dev.stacksim.inet.InetBindTable;
import dev.stacksim.socket.SocketConstants;
import dev.stacksim.socket.unix.UnixSockInfo;
import dev.stacksim.tcp.TcpInfo;
import dev.stacksim.tcp.TcpProc;
import dev.stacksim.tcp.TcpSockInfo;
import dev.stacksim.tcp.TcpState;
import dev.stacksim.udp.UdpSock;
import dev.stacksim.wire.Ipv4Address;

/**
 * iproute2's {@code ss}: a host's sockets, one line each, laid out as {@code ss} 6.1 prints them
 * when its output is not a terminal ({@code ss -tan | cat}); see {@link SsTable} for the column
 * rules, which the tests check against lines captured on Linux 6.18.
 *
 * <pre>
 * State      Recv-Q Send-Q Local Address:Port  Peer Address:Port Process
 * LISTEN     2      3           10.0.0.2:80         0.0.0.0:*
 * ESTAB      5      0           10.0.0.2:80        10.0.0.1:41600
 * TIME-WAIT  0      0           10.0.0.1:41602     10.0.0.2:80
 * </pre>
 *
 * <h2>The columns ({@code inet_diag_msg}, {@code tcp_diag_get_info})</h2>
 * <ul>
 *   <li>State: {@code ESTAB}, {@code SYN-SENT}, {@code SYN-RECV} (a request sock, and a full
 *       socket still in SYN_RECV), {@code FIN-WAIT-1}, {@code FIN-WAIT-2}, {@code TIME-WAIT},
 *       {@code UNCONN}, {@code CLOSE-WAIT}, {@code LAST-ACK}, {@code LISTEN}, {@code CLOSING}.</li>
 *   <li>Recv-Q, Send-Q: for a LISTEN socket the accept queue length and the backlog
 *       ({@code sk_ack_backlog}, {@code sk_max_ack_backlog}); otherwise
 *       {@code rcv_nxt - copied_seq} (bytes received, not read) and {@code write_seq - snd_una}
 *       (bytes written, not acknowledged; a SYN or FIN counts one). UDP: the bytes charged to the
 *       receive and send buffers. AF_UNIX: see {@link UnixSockInfo}.</li>
 *   <li>Local and Peer Address:Port: port 0 prints {@code *}; AF_UNIX prints the path (or
 *       {@code *}) and the inode, the peer as {@code *} and its inode.</li>
 *   <li>Process ({@code -p}): every descriptor of every process that refers to the socket,
 *       highest pid first; {@code -o} adds {@code timer:(on|keepalive|timewait|persist,left,n)};
 *       {@code -i} adds a line of {@code tcp_info} after a tab.</li>
 * </ul>
 *
 * <h2>Order</h2>
 * AF_UNIX, then UDP, then TCP, as {@code ss} asks the kernel. UDP in its hash table's order (as
 * {@code /proc/net/udp}); TCP listeners first, then the established table in the order of
 * {@link TcpProc#sockets}; AF_UNIX by inode. Linux's orders inside a table follow keyed hashes and
 * differ from boot to boot.
 */
public final class Ss {
    /** {@code tcp_timer_print}'s {@code tmr_name[]}. */
    private static final String[] TIMER_NAMES = {"off", "on", "keepalive", "timewait", "persist", "unknown"};

    private Ss() {
    }

    /** {@code ss} with {@code options} on {@code host}. */
    public static String render(Host host, SsOptions options) {
        int dbs = (options.unix() ? 3 : 0) + (options.udp() ? 1 : 0) + (options.tcp() ? 1 : 0);
        int st = options.states();
        SsTable table = new SsTable(dbs > 1, (st & (st - 1)) != 0);
        if (options.header()) {
            table.header();
        }
        SocketUsers users = options.processes() ? SocketUsers.scan(host.sockets()) : null;
        if (options.unix()) {
            for (UnixSockInfo u : host.sockets().unixNamespace().sockets()) {
                if (options.shows(u.state())) {
                    unixRow(table.row(), u, users);
                }
            }
        }
        if (options.udp()) {
            InetBindTable t = host.udp().table();
            for (int slot = 0; slot < t.slots(); slot++) {
                for (int i = 0; i < t.chainLength(slot); i++) {
                    UdpSock sk = (UdpSock) t.binder(slot, i);
                    if (options.shows(sk.state())) {
                        udpRow(table.row(), sk, users);
                    }
                }
            }
        }
        if (options.tcp()) {
            for (TcpSockInfo s : TcpProc.sockets(host.tcp())) {
                if (options.shows(reported(s.state()).number())) {
                    tcpRow(table.row(), s, options, users);
                }
            }
        }
        return table.render();
    }

    /** A request sock is reported as SYN_RECV ({@code inet_req_diag_fill}). */
    private static TcpState reported(TcpState s) {
        return s == TcpState.NEW_SYN_RECV ? TcpState.SYN_RECV : s;
    }

    private static void tcpRow(String[] row, TcpSockInfo s, SsOptions o, SocketUsers users) {
        stateColumns(row, "tcp", reported(s.state()).ssName(), s.ssRecvQ(), s.ssSendQ());
        inetAddresses(row, s.localAddr(), s.localPort(), s.remoteAddr(), s.remotePort());
        StringBuilder proc = new StringBuilder();
        if (users != null) {
            proc.append(users.ss(s.inode()));
        }
        if (o.timers() && s.timer() != 0) {
            proc.append(" timer:(").append(TIMER_NAMES[Math.min(s.timer(), 5)]).append(',')
                    .append(CFormat.msTimer(s.timerRemaining() / 1_000_000L)).append(',').append(s.diagRetrans())
                    .append(')');
        }
        if (o.info()) {
            proc.append("\n\t");
            if (s.info() != null) {
                proc.append(tcpInfo(s.info(), o.timers(), o.numeric()));
            }
        }
        SsTable.set(row, SsTable.Col.PROC, proc.toString());
    }

    private static void udpRow(String[] row, UdpSock sk, SocketUsers users) {
        String state = sk.state() == TcpState.ESTABLISHED.number() ? "ESTAB" : "UNCONN";
        stateColumns(row, "udp", state, sk.socket().rmemAlloc(), sk.socket().wmemAlloc());
        inetAddresses(row, sk.rcvSaddr(), sk.port(), sk.daddr(), sk.dport());
        if (users != null) {
            SsTable.set(row, SsTable.Col.PROC, users.ss(Integer.toUnsignedLong(sk.socket().inode())));
        }
    }

    private static void unixRow(String[] row, UnixSockInfo u, SocketUsers users) {
        String netid = switch (u.type()) {
            case SocketConstants.SOCK_STREAM -> "u_str";
            case SocketConstants.SOCK_DGRAM -> "u_dgr";
            default -> "u_seq";
        };
        String state = u.state() == UnixSockInfo.TCP_LISTEN ? "LISTEN"
                : u.state() == UnixSockInfo.TCP_ESTABLISHED ? "ESTAB" : "UNCONN";
        stateColumns(row, netid, state, u.rqueue(), u.wqueue());
        SsTable.set(row, SsTable.Col.ADDR, (u.path() == null ? "*" : u.path()) + " ");
        SsTable.set(row, SsTable.Col.SERV, Long.toString(u.inode()));
        SsTable.set(row, SsTable.Col.RADDR, "* ");
        SsTable.set(row, SsTable.Col.RSERV, Long.toString(u.peer()));
        if (users != null) {
            SsTable.set(row, SsTable.Col.PROC, users.ss(u.inode()));
        }
    }

    /** {@code sock_state_print}: Netid, State, and the queues as {@code %-6d}. */
    private static void stateColumns(String[] row, String netid, String state, int rq, int wq) {
        SsTable.set(row, SsTable.Col.NETID, netid);
        SsTable.set(row, SsTable.Col.STATE, state);
        SsTable.set(row, SsTable.Col.RECVQ, String.format("%-6d", rq));
        SsTable.set(row, SsTable.Col.SENDQ, String.format("%-6d", wq));
    }

    /** {@code inet_addr_print} twice: {@code 10.0.0.2:} then the port, {@code *} for 0. */
    private static void inetAddresses(String[] row, int laddr, int lport, int raddr, int rport) {
        SsTable.set(row, SsTable.Col.ADDR, Ipv4Address.toString(laddr) + ":");
        SsTable.set(row, SsTable.Col.SERV, lport == 0 ? "*" : Integer.toString(lport));
        SsTable.set(row, SsTable.Col.RADDR, Ipv4Address.toString(raddr) + ":");
        SsTable.set(row, SsTable.Col.RSERV, rport == 0 ? "*" : Integer.toString(rport));
    }

    /**
     * {@code tcp_stats_print}: the {@code -i} line, in {@code ss}'s order, each field only when
     * non-zero: {@code ts sack} (with {@code -o}), the congestion control, {@code wscale},
     * {@code rto} (ms), {@code backoff}, {@code rtt:srtt/rttvar} (ms), {@code ato}, {@code mss},
     * {@code pmtu}, {@code rcvmss}, {@code advmss}, {@code cwnd}, {@code ssthresh} (below 65535),
     * {@code bytes_received}, {@code send} (cwnd × mss × 8 / srtt, bits per second),
     * {@code lastsnd}/{@code lastrcv}/{@code lastack} (ms ago), {@code unacked},
     * {@code retrans:in-flight/total}, {@code lost}, {@code sacked}, {@code rcv_ssthresh},
     * {@code notsent}, {@code snd_wnd}.
     */
    static String tcpInfo(TcpInfo i, boolean options, boolean numeric) {
        StringBuilder sb = new StringBuilder();
        if (options) {
            if (i.has(TcpInfo.TCPI_OPT_TIMESTAMPS)) {
                sb.append(" ts");
            }
            if (i.has(TcpInfo.TCPI_OPT_SACK)) {
                sb.append(" sack");
            }
            if (i.has(TcpInfo.TCPI_OPT_ECN)) {
                sb.append(" ecn");
            }
        }
        sb.append(' ').append(i.congestion());
        if (i.has(TcpInfo.TCPI_OPT_WSCALE)) {
            sb.append(" wscale:").append(i.sndWscale()).append(',').append(i.rcvWscale());
        }
        if (i.rtoUs() != 0 && i.rtoUs() != 3_000_000) {
            sb.append(" rto:").append(CFormat.g(i.rtoUs() / 1000.0));
        }
        nonZero(sb, " backoff:", i.backoff());
        if (i.rttUs() != 0) {
            sb.append(" rtt:").append(CFormat.g(i.rttUs() / 1000.0)).append('/').append(CFormat.g(i.rttvarUs() / 1000.0));
        }
        if (i.atoUs() != 0) {
            sb.append(" ato:").append(CFormat.g(i.atoUs() / 1000.0));
        }
        nonZero(sb, " mss:", i.sndMss());
        nonZero(sb, " pmtu:", i.pmtu());
        nonZero(sb, " rcvmss:", i.rcvMss());
        nonZero(sb, " advmss:", i.advmss());
        nonZero(sb, " cwnd:", i.sndCwnd());
        if (i.sndSsthresh() < 0xFFFF) {
            nonZero(sb, " ssthresh:", i.sndSsthresh());
        }
        nonZero(sb, " bytes_received:", i.bytesReceived());
        if (i.rttUs() > 0 && i.sndMss() != 0 && i.sndCwnd() != 0) {
            double bps = (double) i.sndCwnd() * (double) i.sndMss() * 8000000.0 / (double) i.rttUs();
            sb.append(" send ").append(CFormat.bandwidth(bps, numeric)).append("bps");
        }
        nonZero(sb, " lastsnd:", i.lastDataSentMs());
        nonZero(sb, " lastrcv:", i.lastDataRecvMs());
        nonZero(sb, " lastack:", i.lastAckRecvMs());
        nonZero(sb, " unacked:", i.unacked());
        if (i.retrans() != 0 || i.totalRetrans() != 0) {
            sb.append(" retrans:").append(i.retrans()).append('/').append(i.totalRetrans());
        }
        nonZero(sb, " lost:", i.lost());
        if (i.state() != TcpState.LISTEN) {
            nonZero(sb, " sacked:", i.sacked());
        }
        if (i.reordering() != TcpInfo.TCP_REORDERING) {
            sb.append(" reordering:").append(i.reordering());
        }
        nonZero(sb, " rcv_ssthresh:", i.rcvSsthresh());
        nonZero(sb, " notsent:", i.notsentBytes());
        nonZero(sb, " snd_wnd:", Integer.toUnsignedLong(i.sndWnd()));
        return sb.toString();
    }

    private static void nonZero(StringBuilder sb, String label, long v) {
        if (v != 0) {
            sb.append(label).append(v);
        }
    }
}
