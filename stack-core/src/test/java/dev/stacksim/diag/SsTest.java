package dev.stacksim.diag;

import dev.stacksim.host.GatedPair;
import dev.stacksim.socket.Process;
import dev.stacksim.socket.SockAddr;
import dev.stacksim.tcp.TcpState;
import org.junit.jupiter.api.Test;

import static dev.stacksim.socket.SocketConstants.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code ss} on the simulated hosts: the lines it prints for each TCP state, LISTEN's queues,
 * the process column after fork and dup, timers, TCP internals, AF_UNIX and UDP sockets.
 */
class SsTest {
    private static int listen(Process srv, int port, int backlog) {
        int lfd = srv.socket(AF_INET, SOCK_STREAM, 0);
        srv.bind(lfd, SockAddr.of("0.0.0.0", port));
        srv.listen(lfd, backlog);
        return lfd;
    }

    private static int connect(Process cli, int port) {
        int fd = cli.socket(AF_INET, SOCK_STREAM, 0);
        cli.bind(fd, SockAddr.of("10.0.0.1", port));
        cli.connect(fd, SockAddr.of("10.0.0.2", 8080));
        return fd;
    }

    @Test
    void listenRecvQIsTheAcceptQueueAndSendQTheBacklog() {
        try (GatedPair p = new GatedPair(7)) {
            Process srv = p.b.spawn("srv", 1000);
            listen(srv, 8080, 8);
            Process cli = p.a.spawn("cli", 1000);
            connect(cli, 40001);
            connect(cli, 40002);
            p.runMillis(10);
            assertEquals("State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess\n"
                + "LISTEN 2      8            0.0.0.0:8080      0.0.0.0:*          \n"
                + "", p.b.ss("-tln"));
            assertEquals("State  Recv-Q Send-Q Local Address:Port Peer Address:Port Process\n"
                + "LISTEN 2      8            0.0.0.0:8080      0.0.0.0:*           \n"
                + "ESTAB  0      0           10.0.0.2:8080     10.0.0.1:40001       \n"
                + "ESTAB  0      0           10.0.0.2:8080     10.0.0.1:40002       \n"
                + "", p.b.ss("-tan"));
        }
    }

    @Test
    void everyStateOnBothHosts() {
        try (GatedPair p = new GatedPair(7)) {
            Process srv = p.b.spawn("srv", 1000);
            int lfd = listen(srv, 8080, 8);
            Process cli = p.a.spawn("cli", 1000);
            int[] c = new int[7];
            int[] s = new int[7];
            for (int i = 0; i < 7; i++) {
                c[i] = connect(cli, 40001 + i);
                s[i] = srv.accept(lfd);
            }
            cli.send(c[0], new byte[5], 0);              // 40001: ESTAB, 5 bytes unread on the server
            cli.shutdown(c[1], SHUT_WR);                 // 40002: FIN-WAIT-2 / CLOSE-WAIT
            cli.close(c[2]);                             // 40003: TIME-WAIT / closed
            p.runMillis(1);
            srv.close(s[2]);
            p.runMillis(300);
            p.gate.blockIn = true;
            cli.shutdown(c[3], SHUT_WR);                 // 40004: FIN-WAIT-1
            cli.shutdown(c[4], SHUT_WR);                 // 40005: CLOSE-WAIT then LAST-ACK
            p.runMillis(1);
            srv.close(s[4]);
            p.gate.blockOut = true;                      // 40006: CLOSING on the server
            cli.shutdown(c[5], SHUT_WR);
            srv.shutdown(s[5], SHUT_WR);
            p.runMillis(1);
            p.gate.blockOut = false;
            int fd = cli.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
            cli.bind(fd, SockAddr.of("10.0.0.1", 40008));
            assertThrows(RuntimeException.class, () -> cli.connect(fd, SockAddr.of("10.0.0.2", 8080)));
            p.runMillis(1500);                           // 40008: SYN-SENT / SYN-RECV
            assertEquals("State      Recv-Q Send-Q Local Address:Port  Peer Address:PortProcess\n"
                + "ESTAB      0      0           10.0.0.1:40001     10.0.0.2:8080       \n"
                + "FIN-WAIT-2 0      0           10.0.0.1:40002     10.0.0.2:8080       \n"
                + "TIME-WAIT  0      0           10.0.0.1:40003     10.0.0.2:8080       \n"
                + "FIN-WAIT-1 0      1           10.0.0.1:40004     10.0.0.2:8080       \n"
                + "FIN-WAIT-1 0      1           10.0.0.1:40005     10.0.0.2:8080       \n"
                + "FIN-WAIT-1 0      1           10.0.0.1:40006     10.0.0.2:8080       \n"
                + "ESTAB      0      0           10.0.0.1:40007     10.0.0.2:8080       \n"
                + "SYN-SENT   0      1           10.0.0.1:40008     10.0.0.2:8080       \n"
                + "", p.a.ss("-tan"));
            assertEquals("State      Recv-Q Send-Q Local Address:Port Peer Address:Port Process\n"
                + "LISTEN     0      8            0.0.0.0:8080      0.0.0.0:*           \n"
                + "ESTAB      5      0           10.0.0.2:8080     10.0.0.1:40001       \n"
                + "CLOSE-WAIT 1      0           10.0.0.2:8080     10.0.0.1:40002       \n"
                + "CLOSE-WAIT 1      0           10.0.0.2:8080     10.0.0.1:40004       \n"
                + "LAST-ACK   1      1           10.0.0.2:8080     10.0.0.1:40005       \n"
                + "CLOSING    1      1           10.0.0.2:8080     10.0.0.1:40006       \n"
                + "ESTAB      0      0           10.0.0.2:8080     10.0.0.1:40007       \n"
                + "SYN-RECV   0      0           10.0.0.2:8080     10.0.0.1:40008       \n"
                + "", p.b.ss("-tan"));
            assertEquals("State      Recv-Q Send-Q Local Address:Port Peer Address:Port Process\n"
                + "ESTAB      5      0           10.0.0.2:8080     10.0.0.1:40001       \n"
                + "CLOSE-WAIT 1      0           10.0.0.2:8080     10.0.0.1:40002       \n"
                + "CLOSE-WAIT 1      0           10.0.0.2:8080     10.0.0.1:40004       \n"
                + "LAST-ACK   1      1           10.0.0.2:8080     10.0.0.1:40005       \n"
                + "CLOSING    1      1           10.0.0.2:8080     10.0.0.1:40006       \n"
                + "ESTAB      0      0           10.0.0.2:8080     10.0.0.1:40007       \n"
                + "", p.b.ss("-t"));
        }
    }

    @Test
    void processColumnListsEveryDescriptorAfterForkAndDup() {
        try (GatedPair p = new GatedPair(7)) {
            Process srv = p.b.spawn("httpd", 1000);
            int lfd = listen(srv, 8080, 16);
            srv.dup(lfd);
            Process child = srv.fork();
            Process cli = p.a.spawn("curl", 1000);
            connect(cli, 40001);
            int c2 = connect(cli, 40002);
            int a2 = child.accept(lfd);
            p.runMillis(10);
            assertEquals("State  Recv-Q Send-Q Local Address:Port Peer Address:Port Process                                                                                                 \n"
                + "LISTEN 1      16           0.0.0.0:8080      0.0.0.0:*     users:((\"httpd\",pid=1001,fd=4),(\"httpd\",pid=1001,fd=3),(\"httpd\",pid=1000,fd=4),(\"httpd\",pid=1000,fd=3))\n"
                + "ESTAB  0      0           10.0.0.2:8080     10.0.0.1:40001 users:((\"httpd\",pid=1001,fd=5))                                                                        \n"
                + "ESTAB  0      0           10.0.0.2:8080     10.0.0.1:40002                                                                                                        \n"
                + "", p.b.ss("-tanp"));
            assertEquals("State Recv-Q Send-Q Local Address:Port  Peer Address:PortProcess                        \n"
                + "ESTAB 0      0           10.0.0.1:40001     10.0.0.2:8080 users:((\"curl\",pid=1000,fd=3))\n"
                + "ESTAB 0      0           10.0.0.1:40002     10.0.0.2:8080 users:((\"curl\",pid=1000,fd=4))\n"
                + "", p.a.ss("-tnp"));
            child.exit();
            assertEquals("State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess\n"
                + "LISTEN 1      16           0.0.0.0:8080      0.0.0.0:*    users:((\"httpd\",pid=1000,fd=4),(\"httpd\",pid=1000,fd=3))\n"
                + "", p.b.ss("-tlnp"));
        }
    }

    @Test
    void timersWithDashO() {
        try (GatedPair p = new GatedPair(7)) {
            Process srv = p.b.spawn("srv", 1000);
            int lfd = listen(srv, 8080, 8);
            Process cli = p.a.spawn("cli", 1000);
            int c1 = connect(cli, 40001);
            srv.accept(lfd);
            cli.setsockopt(c1, SOL_SOCKET, SO_KEEPALIVE, 1);
            int c2 = connect(cli, 40002);
            int s2 = srv.accept(lfd);
            cli.close(c2);
            p.runMillis(1);
            srv.close(s2);
            int c3 = connect(cli, 40003);
            srv.accept(lfd);
            p.runMillis(100);
            p.gate.blockIn = true;
            cli.send(c3, new byte[100], 0);
            p.runMillis(1300);
            assertEquals("State     Recv-Q Send-Q Local Address:Port  Peer Address:PortProcess                    \n"
                + "ESTAB     0      0           10.0.0.1:40001     10.0.0.2:8080 timer:(keepalive,119min,0)\n"
                + "TIME-WAIT 0      0           10.0.0.1:40002     10.0.0.2:8080 timer:(timewait,58sec,0)  \n"
                + "ESTAB     0      100         10.0.0.1:40003     10.0.0.2:8080 timer:(on,302ms,2)        \n"
                + "", p.a.ss("-tano"));
        }
    }

    @Test
    void infoWithDashI() {
        try (GatedPair p = new GatedPair(7)) {
            Process srv = p.b.spawn("srv", 1000);
            int lfd = listen(srv, 8080, 8);
            Process cli = p.a.spawn("cli", 1000);
            int c1 = connect(cli, 40001);
            int s1 = srv.accept(lfd);
            connect(cli, 40002);
            cli.send(c1, new byte[3000], 0);
            p.runMillis(50);
            srv.send(s1, new byte[10], 0);
            p.runMillis(50);
            assertEquals("State  Recv-Q Send-Q Local Address:Port Peer Address:Port Process                                                                                                                                                                                                                                                                                                                                                        \n"
                + "LISTEN 1      8            0.0.0.0:8080      0.0.0.0:*    \n"
                + "\t cubic cwnd:10 unacked:1                                                                                                                                                                                                                                                                                                                                     \n"
                + "ESTAB  3000   0           10.0.0.2:8080     10.0.0.1:40001\n"
                + "\t cubic wscale:7,7 rto:200.2 rtt:0.2/0.075 ato:40 mss:1448 pmtu:1500 rcvmss:1448 advmss:1448 cwnd:10 bytes_sent:10 bytes_acked:10 bytes_received:3000 segs_out:4 segs_in:6 data_segs_out:1 data_segs_in:3 send 579200000bps lastsnd:50 lastrcv:99 lastack:49 pacing_rate 1158400000bps delivered:2 rcv_space:14480 rcv_ssthresh:64088 minrtt:0.2 snd_wnd:64256\n"
                + "ESTAB  0      0           10.0.0.2:8080     10.0.0.1:40002\n"
                + "\t cubic wscale:7,7 rto:200.2 rtt:0.2/0.1 mss:1448 pmtu:1500 rcvmss:536 advmss:1448 cwnd:10 segs_in:2 send 579200000bps lastsnd:99 lastrcv:100 lastack:99 pacing_rate 1158400000bps delivered:1 rcv_space:14480 rcv_ssthresh:64088 minrtt:0.2 snd_wnd:64256                                                                                                    \n"
                + "", p.b.ss("-tani"));
            assertEquals("State Recv-Q Send-Q Local Address:Port  Peer Address:PortProcess                                                                                                                                                                                                                                                                                                                                                                  \n"
                + "ESTAB 10     0           10.0.0.1:40001     10.0.0.2:8080\n"
                + "\t ts sack cubic wscale:7,7 rto:200.2 rtt:0.2/0.042 ato:40 mss:1448 pmtu:1500 rcvmss:536 advmss:1448 cwnd:10 bytes_sent:3000 bytes_acked:3001 bytes_received:10 segs_out:6 segs_in:5 data_segs_out:3 data_segs_in:1 send 579200000bps lastsnd:100 lastrcv:49 lastack:49 pacing_rate 1158400000bps delivered:4 rcv_space:14480 rcv_ssthresh:64088 minrtt:0.2 snd_wnd:63488\n"
                + "ESTAB 0      0           10.0.0.1:40002     10.0.0.2:8080\n"
                + "\t ts sack cubic wscale:7,7 rto:200.2 rtt:0.2/0.1 mss:1448 pmtu:1500 rcvmss:536 advmss:1448 cwnd:10 bytes_acked:1 segs_out:2 segs_in:1 send 579200000bps lastsnd:100 lastrcv:100 lastack:100 pacing_rate 419200000bps delivered:1 rcv_space:14480 rcv_ssthresh:64088 minrtt:0.2 snd_wnd:65160                                                                            \n"
                + "", p.a.ss("-tnio"));
            assertEquals("State Recv-Q Send-Q Local Address:Port  Peer Address:PortProcess                                                                                                                                                                                                                                                                                                                                                \n"
                + "ESTAB 10     0           10.0.0.1:40001     10.0.0.2:8080\n"
                + "\t cubic wscale:7,7 rto:200.2 rtt:0.2/0.042 ato:40 mss:1448 pmtu:1500 rcvmss:536 advmss:1448 cwnd:10 bytes_sent:3000 bytes_acked:3001 bytes_received:10 segs_out:6 segs_in:5 data_segs_out:3 data_segs_in:1 send 579Mbps lastsnd:100 lastrcv:49 lastack:49 pacing_rate 1.16Gbps delivered:4 rcv_space:14480 rcv_ssthresh:64088 minrtt:0.2 snd_wnd:63488\n"
                + "ESTAB 0      0           10.0.0.1:40002     10.0.0.2:8080\n"
                + "\t cubic wscale:7,7 rto:200.2 rtt:0.2/0.1 mss:1448 pmtu:1500 rcvmss:536 advmss:1448 cwnd:10 bytes_acked:1 segs_out:2 segs_in:1 send 579Mbps lastsnd:100 lastrcv:100 lastack:100 pacing_rate 419Mbps delivered:1 rcv_space:14480 rcv_ssthresh:64088 minrtt:0.2 snd_wnd:65160                                                                            \n"
                + "", p.a.ss("-ti"));
        }
    }

    @Test
    void unixSocketsWithDashX() {
        try (GatedPair p = new GatedPair(7)) {
            Process app = p.a.spawn("app", 1000);
            int l = app.socket(AF_UNIX, SOCK_STREAM, 0);
            app.bind(l, SockAddr.unix("/run/echo.sock"));
            app.listen(l, 5);
            int c1 = app.socket(AF_UNIX, SOCK_STREAM, 0);
            app.connect(c1, SockAddr.unix("/run/echo.sock"));
            int c2 = app.socket(AF_UNIX, SOCK_STREAM, 0);
            app.connect(c2, SockAddr.unix("/run/echo.sock"));
            int a1 = app.accept(l);
            app.send(c1, "hello".getBytes(), 0);
            int d = app.socket(AF_UNIX, SOCK_DGRAM, 0);
            app.bind(d, SockAddr.unix("/run/log.sock"));
            int d1 = app.socket(AF_UNIX, SOCK_DGRAM, 0);
            app.connect(d1, SockAddr.unix("/run/log.sock"));
            app.send(d1, new byte[10], 0);
            app.send(d1, new byte[3], 0);
            int[] pair = app.socketpair(AF_UNIX, SOCK_STREAM, 0);
            int lone = app.socket(AF_UNIX, SOCK_DGRAM, 0);
            assertEquals("Netid State  Recv-Q Send-Q  Local Address:Port  Peer Address:Port Process\n"
                + "u_str LISTEN 1      5      /run/echo.sock 12345            * 0           \n"
                + "u_str ESTAB  0      581                 * 12346            * 12348       \n"
                + "u_str ESTAB  0      0                   * 12347            * 0           \n"
                + "u_str ESTAB  5      0      /run/echo.sock 12348            * 12346       \n"
                + "u_dgr ESTAB  10     0       /run/log.sock 12349            * 0           \n"
                + "u_dgr ESTAB  0      1165                * 12350            * 12349       \n"
                + "u_str ESTAB  0      0                   * 12351            * 12352       \n"
                + "u_str ESTAB  0      0                   * 12352            * 12351       \n"
                + "u_dgr UNCONN 0      0                   * 12353            * 0           \n"
                + "", p.a.ss("-xa"));
            assertEquals("Netid State Recv-Q Send-Q  Local Address:Port  Peer Address:Port Process\n"
                + "u_str ESTAB 0      581                 * 12346            * 12348       \n"
                + "u_str ESTAB 0      0                   * 12347            * 0           \n"
                + "u_str ESTAB 5      0      /run/echo.sock 12348            * 12346       \n"
                + "u_dgr ESTAB 10     0       /run/log.sock 12349            * 0           \n"
                + "u_dgr ESTAB 0      1165                * 12350            * 12349       \n"
                + "u_str ESTAB 0      0                   * 12351            * 12352       \n"
                + "u_str ESTAB 0      0                   * 12352            * 12351       \n"
                + "", p.a.ss("-x"));
            assertEquals("Netid State  Recv-Q Send-Q  Local Address:Port  Peer Address:PortProcess                       \n"
                + "u_str LISTEN 1      5      /run/echo.sock 12345            * 0    users:((\"app\",pid=1000,fd=3))\n"
                + "u_dgr UNCONN 0      0                   * 12353            * 0    users:((\"app\",pid=1000,fd=11))\n"
                + "", p.a.ss("-xlp"));
        }
    }

    @Test
    void udpWithDashU() {
        try (GatedPair p = new GatedPair(7)) {
            Process app = p.b.spawn("named", 0);
            int q = app.socket(AF_INET, SOCK_DGRAM, 0);
            app.bind(q, SockAddr.of("0.0.0.0", 53));
            Process cli = p.a.spawn("dig", 1000);
            int c = cli.socket(AF_INET, SOCK_DGRAM, 0);
            cli.connect(c, SockAddr.of("10.0.0.2", 53));
            cli.send(c, new byte[20], 0);
            p.runMillis(10);
            assertEquals("State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess\n"
                + "UNCONN 680    0            0.0.0.0:53        0.0.0.0:*          \n"
                + "", p.b.ss("-uan"));
            assertEquals("State Recv-Q Send-Q Local Address:Port  Peer Address:PortProcess\n"
                + "ESTAB 0      0           10.0.0.1:43619     10.0.0.2:53         \n"
                + "", p.a.ss("-un"));
            assertEquals("Netid State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess\n"
                + "udp   UNCONN 680    0            0.0.0.0:53        0.0.0.0:*    users:((\"named\",pid=1000,fd=3))\n"
                + "", p.b.ss("-tuanp"));
        }
    }

    @Test
    void optionsParseLikeGetopt() {
        SsOptions o = SsOptions.parse("-tanpi");
        assertTrue(o.tcp() && !o.udp() && !o.unix() && o.numeric() && o.processes() && o.info() && !o.timers());
        assertEquals(SsOptions.SS_ALL, o.states());
        assertEquals(SsOptions.SS_LISTENING, SsOptions.parse("-t -a -l").states());
        assertEquals(SsOptions.SS_ALL, SsOptions.parse("--tcp --listening --all").states());
        SsOptions none = SsOptions.parse("");
        assertTrue(none.tcp() && none.udp() && none.unix());
        assertEquals(SsOptions.SS_CONN, none.states());
        assertFalse(SsOptions.parse("-tH").header());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SsOptions.parse("-tz"));
        assertEquals("ss: invalid option -- 'z'", e.getMessage());
        assertEquals(TcpState.ESTABLISHED.flag(), SsOptions.parse("-t state established").states());
        assertEquals(SsOptions.SS_ALL & ~TcpState.TIME_WAIT.flag(), SsOptions.parse("-t exclude time-wait").states());
        assertEquals(TcpState.LISTEN.flag() | TcpState.CLOSE_WAIT.flag(),
                SsOptions.parse("-t state listening state close-wait").states());
        SsOptions em = SsOptions.parse("-tem");
        assertTrue(em.details() && em.timers() && em.memory());
        assertThrows(IllegalArgumentException.class, () -> SsOptions.parse("-t state establishd"));
        assertThrows(IllegalArgumentException.class, () -> SsOptions.parse("-t '( dport = :80'"));
    }

    @Test
    void filtersSelectByStateAndPort() {
        try (GatedPair p = new GatedPair(7)) {
            Process srv = p.b.spawn("srv", 1000);
            int lfd = listen(srv, 8080, 8);
            Process cli = p.a.spawn("cli", 1000);
            connect(cli, 40001);
            int c2 = connect(cli, 40002);
            srv.accept(lfd);
            cli.close(c2);
            p.runMillis(10);
            // a single state hides the State column, as ss 6.1 does
            assertEquals("Recv-Q Send-Q Local Address:Port Peer Address:Port Process\n"
                + "0      0           10.0.0.2:8080     10.0.0.1:40001       \n"
                + "", p.b.ss("-tn state established '( sport = :8080 )'"));
            assertEquals("Recv-Q Send-Q Local Address:Port Peer Address:PortProcess\n"
                + "", p.b.ss("-tn state established '( dport = :8080 )'"));
            assertEquals("Recv-Q Send-Q Local Address:Port  Peer Address:PortProcess\n"
                + "0      0           10.0.0.1:40001     10.0.0.2:8080       \n"
                + "", p.a.ss("-tn state established dport = :8080"));
            assertEquals("State      Recv-Q Send-Q Local Address:Port  Peer Address:PortProcess\n"
                + "ESTAB      0      0           10.0.0.1:40001     10.0.0.2:8080       \n"
                + "FIN-WAIT-2 0      0           10.0.0.1:40002     10.0.0.2:8080       \n"
                + "", p.a.ss("-tan dst 10.0.0.2 and not sport lt 40000"));
            assertEquals(1, p.b.ss("-tan exclude listening exclude close-wait").lines().count() - 1);
        }
    }

    /**
     * {@code -e} and {@code -m} as ss 6.1 prints them on Linux 6.18: {@code uid:} only when not root,
     * {@code ino:}, {@code sk:} in hex, {@code cgroup:/}, the shutdown mask, and the skmem line.
     */
    @Test
    void extendedAndMemoryDetails() {
        try (GatedPair p = new GatedPair(7)) {
            Process srv = p.b.spawn("srv");
            int lfd = listen(srv, 8080, 8);
            Process cli = p.a.spawn("cli", 1000);
            int c = connect(cli, 40001);
            int s = srv.accept(lfd);
            cli.shutdown(c, SHUT_WR);
            p.runMillis(10);
            String server = p.b.ss("-tanem");
            assertTrue(server.contains("LISTEN     0      8            0.0.0.0:8080      0.0.0.0:*     ino:12345 sk:1 cgroup:/ <->"), server);
            assertTrue(server.contains("\n\t skmem:(r0,rb131072,t0,tb16384,f0,w0,o0,bl0,d0)"), server);
            assertTrue(server.contains("CLOSE-WAIT 1      0           10.0.0.2:8080     10.0.0.1:40001 ino:12346 sk:2 cgroup:/ -->"), server);
            String client = p.a.ss("-tane");
            assertTrue(client.contains("uid:1000 ino:12345 sk:1 cgroup:/ <--"), client);
            assertEquals(server.replace("\t", ""), p.b.ss("-tanem").replace("\t", ""), "cookies are stable");
        }
    }
}
