package dev.stacksim.diag;

import dev.stacksim.host.Host;
import dev.stacksim.inet.InetBindTable;
import dev.stacksim.socket.Process;
import dev.stacksim.socket.Socket;
import dev.stacksim.socket.SocketConstants;
import dev.stacksim.socket.unix.UnixSockInfo;
import dev.stacksim.tcp.TcpInfo;
import dev.stacksim.tcp.TcpProc;
import dev.stacksim.tcp.TcpSock;
import dev.stacksim.tcp.TcpSockInfo;
import dev.stacksim.tcp.TcpState;
import dev.stacksim.udp.UdpSock;
import dev.stacksim.wire.Ipv4Address;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

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
 *   <li>{@code -e} ({@code sock_details_print}): {@code uid:N} when not root, {@code ino:N},
 *       {@code sk:} the socket cookie in hex, {@code cgroup:/}, and the shutdown mask
 *       {@code <->} ({@code <} crossed out once reading is shut down, {@code >} once writing
 *       is); a TIME_WAIT minisock has no uid, cgroup or mask, and inode 0. {@code -e} turns on
 *       {@code -o}'s timers, as in {@code ss}.</li>
 *   <li>{@code -m} ({@code print_skmeminfo}): {@code skmem:(r,rb,t,tb,f,w,o,bl,d)} after
 *       {@code "\n\t"}: {@code sk_rmem_alloc}, {@code sk_rcvbuf}, {@code sk_wmem_alloc},
 *       {@code sk_sndbuf}, {@code sk_forward_alloc}, {@code sk_wmem_queued}, option memory,
 *       backlog, {@code sk_drops}. Only sockets a descriptor refers to are measured (an
 *       unaccepted child or an orphan prints the tab alone, as a minisock does in Linux);
 *       {@code f} is the rest of the pages charged ({@code r + w} rounded up to 4096), and
 *       {@code w} is the TCP send queue's charge ({@link TcpSock#wmemQueued()}).</li>
 * </ul>
 *
 * <h2>Socket cookies</h2>
 * Linux numbers a socket the first time anyone asks ({@code sock_gen_cookie}), and a TIME_WAIT
 * minisock keeps its socket's number. Here each host numbers its sockets from 1 in the order
 * {@code ss -e} first shows them, keyed by the listener's inode or the connection's 4-tuple (so the
 * minisock keeps the number); a number is forgotten once its socket is gone.
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

    /** Each host's socket cookies ({@code sk_cookie}), handed out on first sight. */
    private static final Map<Host, Cookies> COOKIES = new WeakHashMap<>();

    private Ss() {
    }

    /** One host's cookie numbers: {@code sock_gen_cookie}'s counter and what it gave out. */
    private static final class Cookies {
        private final Map<String, Long> byKey = new HashMap<>();
        private long next = 1;

        long of(String key) {
            return byKey.computeIfAbsent(key, k -> next++);
        }

        void retain(Set<String> live) {
            byKey.keySet().retainAll(live);
        }
    }

    private static String tcpKey(TcpSockInfo s) {
        return s.state() == TcpState.LISTEN ? "L" + s.inode()
                : "T" + s.localAddr() + ":" + s.localPort() + "-" + s.remoteAddr() + ":" + s.remotePort();
    }

    private static String udpKey(UdpSock sk) {
        return "U" + Integer.toUnsignedLong(sk.socket().inode());
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
        Map<Long, Socket> byInode = options.memory() || options.details() ? socketsByInode(host) : Map.of();
        Cookies cookies;
        synchronized (COOKIES) {
            cookies = COOKIES.computeIfAbsent(host, h -> new Cookies());
        }
        List<TcpSockInfo> tcpSocks = TcpProc.sockets(host.tcp());
        Set<String> live = new HashSet<>();
        tcpSocks.forEach(t -> live.add(tcpKey(t)));
        SsFilter filter = options.filter();
        boolean filtered = filter != SsFilter.ALL;
        if (options.unix() && !filtered) {
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
                    live.add(udpKey(sk));
                    if (options.shows(sk.state()) && filter.matches(sk.rcvSaddr(), sk.port(), sk.daddr(), sk.dport())) {
                        udpRow(table.row(), sk, options, users, cookies);
                    }
                }
            }
        }
        if (options.tcp()) {
            for (TcpSockInfo s : tcpSocks) {
                if (options.shows(reported(s.state()).number())
                        && filter.matches(s.localAddr(), s.localPort(), s.remoteAddr(), s.remotePort())) {
                    tcpRow(table.row(), s, options, users, cookies, byInode.get(s.inode()));
                }
            }
        }
        cookies.retain(live);
        return table.render();
    }

    /** A request sock is reported as SYN_RECV ({@code inet_req_diag_fill}). */
    private static TcpState reported(TcpState s) {
        return s == TcpState.NEW_SYN_RECV ? TcpState.SYN_RECV : s;
    }

    /** Every socket a descriptor refers to, by inode (what {@code -m} and {@code -e} read). */
    private static Map<Long, Socket> socketsByInode(Host host) {
        Map<Long, Socket> out = new HashMap<>();
        for (Process p : host.sockets().processes()) {
            for (String link : p.fds()) {
                int arrow = link.indexOf(" -> socket:[");
                if (arrow > 0) {
                    Socket sock = p.sockfdLookup(Integer.parseInt(link.substring(0, arrow)));
                    out.put(Integer.toUnsignedLong(sock.inode()), sock);
                }
            }
        }
        return out;
    }

    /** {@code sock_details_print} and the shutdown mask. */
    private static void details(StringBuilder sb, int uid, long inode, long cookie, Socket sock) {
        if (uid != 0) {
            sb.append(" uid:").append(Integer.toUnsignedLong(uid));
        }
        sb.append(" ino:").append(inode).append(" sk:").append(Long.toHexString(cookie));
        if (sock != null) {
            int mask = sock.shutdownBits();
            sb.append(" cgroup:/ ").append((mask & Socket.RCV_SHUTDOWN) != 0 ? '-' : '<').append('-')
                    .append((mask & Socket.SEND_SHUTDOWN) != 0 ? '-' : '>');
        }
    }

    /** {@code print_skmeminfo}. */
    private static void skmem(StringBuilder sb, Socket sock, int wmemQueued, int drops) {
        int r = sock.rmemAlloc();
        int charged = r + wmemQueued;
        int fwd = charged == 0 ? 0 : ((charged + 4095) & ~4095) - charged;
        sb.append(" skmem:(r").append(r).append(",rb").append(sock.rcvbuf()).append(",t").append(sock.wmemAlloc())
                .append(",tb").append(sock.sndbuf()).append(",f").append(fwd).append(",w").append(wmemQueued)
                .append(",o0,bl0,d").append(drops).append(')');
    }

    private static void tcpRow(String[] row, TcpSockInfo s, SsOptions o, SocketUsers users, Cookies cookies,
            Socket sock) {
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
        if (o.details()) {
            details(proc, s.kind() == TcpSockInfo.Kind.TIME_WAIT ? 0 : s.uid(), s.inode(), cookies.of(tcpKey(s)),
                    s.kind() == TcpSockInfo.Kind.SOCK ? sock : null);
        }
        if (o.memory() || o.info()) {
            proc.append("\n\t");
            if (o.memory() && sock != null) {
                skmem(proc, sock, sock.ops() instanceof TcpSock tp ? tp.wmemQueued() : 0, 0);
            }
            if (o.info() && s.info() != null) {
                proc.append(tcpInfo(s.info(), o.timers(), o.numeric()));
            }
        }
        SsTable.set(row, SsTable.Col.PROC, proc.toString());
    }

    private static void udpRow(String[] row, UdpSock sk, SsOptions o, SocketUsers users, Cookies cookies) {
        String state = sk.state() == TcpState.ESTABLISHED.number() ? "ESTAB" : "UNCONN";
        Socket sock = sk.socket();
        stateColumns(row, "udp", state, sock.rmemAlloc(), sock.wmemAlloc());
        inetAddresses(row, sk.rcvSaddr(), sk.port(), sk.daddr(), sk.dport());
        StringBuilder proc = new StringBuilder();
        if (users != null) {
            proc.append(users.ss(Integer.toUnsignedLong(sock.inode())));
        }
        if (o.details()) {
            details(proc, sock.ownerUid(), Integer.toUnsignedLong(sock.inode()), cookies.of(udpKey(sk)), sock);
        }
        if (o.memory()) {
            proc.append("\n\t");
            skmem(proc, sock, 0, sk.drops());
        }
        SsTable.set(row, SsTable.Col.PROC, proc.toString());
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
     * {@code bytes_sent}, {@code bytes_retrans}, {@code bytes_acked}, {@code bytes_received},
     * {@code segs_out}/{@code segs_in}, {@code data_segs_out}/{@code data_segs_in}, {@code send}
     * (cwnd × mss × 8 / srtt, bits per second), {@code lastsnd}/{@code lastrcv}/{@code lastack} (ms
     * ago), {@code pacing_rate}, {@code delivered}, {@code unacked}, {@code retrans:in-flight/total}, {@code lost},
     * {@code sacked}, {@code dsack_dups}, {@code reordering}, {@code reord_seen}, {@code rcv_rtt},
     * {@code rcv_space}, {@code rcv_ssthresh}, {@code notsent}, {@code minrtt}, {@code snd_wnd}.
     * The delivery rate and {@code app_limited} are not modelled, so never printed.
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
        nonZero(sb, " bytes_sent:", i.bytesSent());
        nonZero(sb, " bytes_retrans:", i.bytesRetrans());
        nonZero(sb, " bytes_acked:", i.bytesAcked());
        nonZero(sb, " bytes_received:", i.bytesReceived());
        nonZero(sb, " segs_out:", i.segsOut());
        nonZero(sb, " segs_in:", i.segsIn());
        nonZero(sb, " data_segs_out:", i.dataSegsOut());
        nonZero(sb, " data_segs_in:", i.dataSegsIn());
        if (i.rttUs() > 0 && i.sndMss() != 0 && i.sndCwnd() != 0) {
            double bps = (double) i.sndCwnd() * (double) i.sndMss() * 8000000.0 / (double) i.rttUs();
            sb.append(" send ").append(CFormat.bandwidth(bps, numeric)).append("bps");
        }
        nonZero(sb, " lastsnd:", i.lastDataSentMs());
        nonZero(sb, " lastrcv:", i.lastDataRecvMs());
        nonZero(sb, " lastack:", i.lastAckRecvMs());
        if (i.pacingRate() != 0) {
            sb.append(" pacing_rate ").append(CFormat.bandwidth(i.pacingRate() * 8.0, numeric)).append("bps");
        }
        nonZero(sb, " delivered:", i.delivered());
        nonZero(sb, " unacked:", i.unacked());
        if (i.retrans() != 0 || i.totalRetrans() != 0) {
            sb.append(" retrans:").append(i.retrans()).append('/').append(i.totalRetrans());
        }
        nonZero(sb, " lost:", i.lost());
        if (i.state() != TcpState.LISTEN) {
            nonZero(sb, " sacked:", i.sacked());
        }
        nonZero(sb, " dsack_dups:", i.dsackDups());
        if (i.reordering() != TcpInfo.TCP_REORDERING) {
            sb.append(" reordering:").append(i.reordering());
        }
        nonZero(sb, " reord_seen:", i.reordSeen());
        if (i.rcvRttUs() != 0) {
            sb.append(" rcv_rtt:").append(CFormat.g(i.rcvRttUs() / 1000.0));
        }
        nonZero(sb, " rcv_space:", i.rcvSpace());
        nonZero(sb, " rcv_ssthresh:", i.rcvSsthresh());
        nonZero(sb, " notsent:", i.notsentBytes());
        if (i.minRttUs() != 0) {
            sb.append(" minrtt:").append(CFormat.g(i.minRttUs() / 1000.0));
        }
        nonZero(sb, " snd_wnd:", Integer.toUnsignedLong(i.sndWnd()));
        return sb.toString();
    }

    private static void nonZero(StringBuilder sb, String label, long v) {
        if (v != 0) {
            sb.append(label).append(v);
        }
    }
}
