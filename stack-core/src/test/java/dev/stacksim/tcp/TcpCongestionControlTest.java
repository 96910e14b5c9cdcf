package dev.stacksim.tcp;

import dev.stacksim.sim.SimTime;
import dev.stacksim.socket.Errno;
import dev.stacksim.socket.ErrnoException;
import dev.stacksim.socket.Process;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.stacksim.socket.SocketConstants.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Choosing the congestion control ({@code tcp_cong.c}): the default and the list of what is
 * available as sysctls, {@code TCP_CONGESTION} per socket and its errors
 * ({@code tcp_set_congestion_control}), inheritance by an accepted child
 * ({@code tcp_ca_openreq_child}), a user-registered algorithm ({@code tcp_register_congestion_control})
 * and what {@code ss -i} prints.
 */
class TcpCongestionControlTest {

    /** A window of {@link #W} segments, whatever happens: what the test can count on the wire. */
    static final class Fixed implements TcpCongestionOps {
        static final int W = 4;

        @Override
        public String name() {
            return "fixed";
        }

        @Override
        public void init(TcpSock sk) {
            sk.setSndCwnd(W);
        }

        @Override
        public int ssthresh(TcpSock sk) {
            return W;
        }

        @Override
        public void congAvoid(TcpSock sk, int ack, int acked) {
            sk.setSndCwnd(W);
        }
    }

    @Test
    void cubicIsTheDefaultAndRenoAndCubicAreAvailable() {
        try (TcpLab lab = new TcpLab(1)) {
            assertEquals("cubic", lab.a.sysctl().text("net.ipv4.tcp_congestion_control").strip());
            assertEquals("reno cubic", lab.a.sysctl().text("net.ipv4.tcp_available_congestion_control").strip());
            assertEquals("reno cubic", lab.a.tcp().congestion().available());
            Process p = lab.a.spawn("p");
            int fd = p.socket(AF_INET, SOCK_STREAM, 0);
            assertEquals("cubic", p.getsockoptString(fd, SOL_TCP, TCP_CONGESTION));
        }
    }

    @Test
    void tcpCongestionSetsAndGetsRenoAndAnswersEnoentForAnUnknownName() {
        try (TcpLab lab = new TcpLab(2)) {
            Process p = lab.a.spawn("p");
            int fd = p.socket(AF_INET, SOCK_STREAM, 0);
            p.setsockopt(fd, SOL_TCP, TCP_CONGESTION, "reno");
            assertEquals("reno", p.getsockoptString(fd, SOL_TCP, TCP_CONGESTION));
            ErrnoException e = assertThrows(ErrnoException.class, () -> p.setsockopt(fd, SOL_TCP, TCP_CONGESTION, "bbr"));
            assertEquals(Errno.ENOENT, e.errno());
            assertEquals("reno", p.getsockoptString(fd, SOL_TCP, TCP_CONGESTION), "a refused name changes nothing");
        }
    }

    @Test
    void theSysctlRefusesAnUnknownNameAndKeepsTheDefault() {
        try (TcpLab lab = new TcpLab(3)) {
            assertThrows(IllegalArgumentException.class, () -> lab.a.sysctl().set("net.ipv4.tcp_congestion_control", "vegas"));
            assertEquals("cubic", lab.a.sysctl().text("net.ipv4.tcp_congestion_control").strip());
            lab.a.sysctl().set("net.ipv4.tcp_congestion_control", "reno");
            Process p = lab.a.spawn("p");
            int fd = p.socket(AF_INET, SOCK_STREAM, 0);
            assertEquals("reno", p.getsockoptString(fd, SOL_TCP, TCP_CONGESTION), "new sockets take the new default");
        }
    }

    @Test
    void aListenersChoiceIsInheritedByItsChildren() {
        try (TcpLab lab = new TcpLab(4)) {
            Process srv = lab.b.spawn("srv");
            int lfd = srv.socket(AF_INET, SOCK_STREAM, 0);
            srv.setsockopt(lfd, SOL_TCP, TCP_CONGESTION, "reno");
            srv.bind(lfd, TcpLab.addr("0.0.0.0", 80));
            srv.listen(lfd, 8);
            Process cli = lab.a.spawn("cli");
            int fd = lab.connect(cli, 80);
            int cfd = srv.accept(lfd);
            assertEquals("reno", srv.getsockoptString(cfd, SOL_TCP, TCP_CONGESTION));
            assertEquals("reno", TcpInfo.of(TcpLab.sock(srv, cfd)).congestion());
            assertEquals("cubic", cli.getsockoptString(fd, SOL_TCP, TCP_CONGESTION), "the client keeps the default");
        }
    }

    @Test
    void registerRefusesADuplicateAndANameOfSixteenCharacters() {
        try (TcpLab lab = new TcpLab(5)) {
            TcpCongestion cc = lab.a.tcp().congestion();
            assertThrows(IllegalArgumentException.class, () -> cc.register("reno", TcpReno::new));
            assertThrows(IllegalArgumentException.class, () -> cc.register("abcdefghijklmnop", Fixed::new));
            assertThrows(IllegalArgumentException.class, () -> cc.register("", Fixed::new));
            cc.register("abcdefghijklmno", Fixed::new); // 15 characters + NUL = TCP_CA_NAME_MAX
            assertEquals("reno cubic abcdefghijklmno", cc.available());
            assertEquals("reno cubic abcdefghijklmno",
                    lab.a.sysctl().text("net.ipv4.tcp_available_congestion_control").strip());
            assertThrows(IllegalArgumentException.class, () -> cc.register("abcdefghijklmno", Fixed::new));
        }
    }

    /**
     * The algorithm's init runs when the connection is established (tcp_init_transfer calls
     * tcp_init_congestion_control after setting the initial window), so a fixed window of 4 is all
     * that is ever in flight: counted on the wire as the highest byte sent minus the highest ACK
     * that had arrived.
     */
    @Test
    void aRegisteredFixedWindowAlgorithmGovernsWhatIsInFlight() {
        try (TcpLab lab = new TcpLab(6)) {
            lab.a.tcp().congestion().register("fixed", Fixed::new);
            Process srv = lab.b.spawn("srv");
            int lfd = lab.listen(srv, 80, 8);
            Process cli = lab.a.spawn("cli");
            int fd = cli.socket(AF_INET, SOCK_STREAM, 0);
            cli.setsockopt(fd, SOL_TCP, TCP_CONGESTION, "fixed");
            cli.connect(fd, TcpLab.addr("10.0.0.2", 80));
            int cfd = srv.accept(lfd);
            int port = TcpLab.sock(cli, fd).localPort();
            assertEquals(40_000, cli.send(fd, new byte[40_000], 0));
            drain(lab, srv, cfd, 40_000);
            int mss = TcpLab.sock(cli, fd).mss();
            assertEquals(Fixed.W, maxInFlight(lab.conn(port), mss));
            assertEquals(Fixed.W, TcpLab.sock(cli, fd).sndCwnd());
            assertEquals(0, TcpLab.sock(cli, fd).sendQueueBytes(), "everything was delivered");
            // a loss probe may go past cwnd (tcp_send_loss_probe: tcp_write_xmit with push_one 2);
            // none was needed with a reader that keeps the ACKs coming
            assertEquals(0, TcpLab.ext(lab.a, "TCPLossProbes"));
            assertTrue(lab.a.ss("-ti").contains(" fixed "), lab.a.ss("-ti"));
            srv.close(cfd);
        }
    }

    /** The same transfer under the default cubic: the initial window alone puts 10 in flight. */
    @Test
    void underCubicTheInitialWindowPutsTenSegmentsInFlight() {
        try (TcpLab lab = new TcpLab(7)) {
            Process srv = lab.b.spawn("srv");
            int lfd = lab.listen(srv, 80, 8);
            Process cli = lab.a.spawn("cli");
            int fd = lab.connect(cli, 80);
            int cfd = srv.accept(lfd);
            int port = TcpLab.sock(cli, fd).localPort();
            cli.send(fd, new byte[40_000], 0);
            drain(lab, srv, cfd, 40_000);
            assertTrue(maxInFlight(lab.conn(port), TcpLab.sock(cli, fd).mss()) >= TcpConstants.TCP_INIT_CWND);
        }
    }

    @Test
    void ssDashIPrintsTheAlgorithmsName() {
        try (TcpLab lab = new TcpLab(8)) {
            Process srv = lab.b.spawn("srv");
            int lfd = lab.listen(srv, 80, 8);
            Process cli = lab.a.spawn("cli");
            int fd = cli.socket(AF_INET, SOCK_STREAM, 0);
            cli.setsockopt(fd, SOL_TCP, TCP_CONGESTION, "reno");
            cli.connect(fd, TcpLab.addr("10.0.0.2", 80));
            srv.accept(lfd);
            String a = lab.a.ss("-tni");
            String b = lab.b.ss("-tni");
            // the tcp_info line starts with the name (tcp_show_info)
            assertTrue(a.contains("\t reno wscale:"), a);
            assertTrue(b.contains("\t cubic wscale:"), b);
            // -o adds the options first (show_options in tcp_show_info)
            assertTrue(lab.a.ss("-tnio").contains(" ts sack reno wscale:"), lab.a.ss("-tnio"));
        }
    }

    /**
     * Reads {@code total} bytes on {@code fd} every 100 µs: a receiver that does not read
     * stops acknowledging at once once its window no longer advances (__tcp_ack_snd_check), and
     * the delayed-ACK timer (40 ms) would then clock the sender.
     */
    static void drain(TcpLab lab, Process srv, int fd, int total) {
        byte[] buf = new byte[65536];
        int got = 0;
        for (int i = 0; i < 10_000 && got < total; i++) {
            lab.run(SimTime.micros(100));
            while (TcpLab.sock(srv, fd).receiveQueueBytes() > 0) {
                got += srv.recv(fd, buf, 0, buf.length, MSG_DONTWAIT);
            }
        }
        assertEquals(total, got);
        lab.run(SimTime.millis(1));
    }

    /** Most bytes in flight from a, in segments: highest end sent minus highest ACK received, at each send. */
    static int maxInFlight(List<TcpLab.Seg> segs, int mss) {
        int max = 0;
        Integer una = null;
        Integer nxt = null;
        for (TcpLab.Seg s : segs) {
            if (s.from().equals("a") && s.len() > 0) {
                int end = s.seq() + s.len();
                if (nxt == null || TcpSeq.after(end, nxt)) {
                    nxt = end;
                }
                int base = una == null ? s.seq() : una;
                max = Math.max(max, (nxt - base + mss - 1) / mss);
            } else if (s.from().equals("b") && s.has(dev.stacksim.wire.TcpHeader.ACK)) {
                if (una == null || TcpSeq.after(s.ack(), una)) {
                    una = s.ack();
                }
            }
        }
        return max;
    }
}
