package dev.stacksim.tcp;

import dev.stacksim.socket.Linger;
import dev.stacksim.socket.Process;
import dev.stacksim.wire.TcpHeader;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.stacksim.socket.SocketConstants.*;
import static dev.stacksim.tcp.TcpLab.sock;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Opening a connection (RFC 9293 3.5) as Linux 6.x does it on the wire: the SYN and SYN-ACK
 * options, MSS from the route's MTU, ISNs (RFC 6528), simultaneous open, the states on both sides.
 */
class TcpHandshakeTest {
    private static final long MS = 1_000_000L;
    private static final long S = 1_000_000_000L;

    @Test
    void threeWayHandshakeCarriesLinuxOptionsAndWindows() {
        try (TcpLab lab = new TcpLab(1)) {
            Process srv = lab.b.spawn("srv");
            int lfd = lab.listen(srv, 80, 8);
            Process cli = lab.a.spawn("cli");
            int fd = cli.socket(AF_INET, SOCK_STREAM, 0);
            cli.connect(fd, TcpLab.addr("10.0.0.2", 80));
            int port = sock(cli, fd).localPort();
            List<TcpLab.Seg> c = lab.conn(port);
            assertEquals(List.of("a S", "b S.", "a ."), TcpLab.flow(c));
            TcpLab.Seg syn = c.get(0);
            TcpLab.Seg synack = c.get(1);
            TcpLab.Seg ack = c.get(2);
            // Linux: [mss 1460,sackOK,TS val .. ecr 0,nop,wscale 7], win 64240 (44 * 1460)
            assertEquals(64240, syn.tcp().window());
            assertEquals(1460, syn.opts().mss());
            assertTrue(syn.opts().sackPermitted());
            assertTrue(syn.opts().timestamps());
            assertEquals(0, syn.opts().tsEcr());
            assertEquals(7, syn.opts().windowScale());
            assertTrue(syn.toString().contains("options [mss 1460,sackOK,TS val " + Integer.toUnsignedString(syn.opts().tsVal())
                    + " ecr 0,nop,wscale 7]"), syn.toString());
            // the SYN-ACK: 65160 (45 * 1448: the MSS less the timestamp option), echoes TSval
            assertEquals(syn.seq() + 1, synack.ack());
            assertEquals(65160, synack.tcp().window());
            assertEquals(1460, synack.opts().mss());
            assertEquals(syn.opts().tsVal(), synack.opts().tsEcr());
            assertEquals(7, synack.opts().windowScale());
            assertTrue(synack.opts().sackPermitted());
            // the ACK: 64240 >> 7 rounded up = 502, NOP NOP TS
            assertEquals(synack.seq() + 1, ack.ack());
            assertEquals(syn.seq() + 1, ack.seq());
            assertEquals(502, ack.tcp().window());
            assertEquals(synack.opts().tsVal(), ack.opts().tsEcr());
            assertEquals(List.of("CLOSE", "SYN_SENT", "ESTABLISHED"),
                    lab.statesOf("a", "10.0.0.1:" + port + " -> 10.0.0.2:80"));
            int cfd = srv.accept(lfd);
            assertEquals(List.of("NEW_SYN_RECV", "SYN_RECV", "ESTABLISHED"),
                    lab.statesOf("b", "10.0.0.2:80 -> 10.0.0.1:" + port));
            TcpSock child = sock(srv, cfd);
            assertEquals(1448, child.mss(), "1460 less 12 bytes of timestamps");
            assertEquals(1448, sock(cli, fd).mss());
        }
    }

    @Test
    void mssFollowsTheMtuOfTheRoute() {
        try (TcpLab lab = new TcpLab(2)) {
            lab.veth.first().setMtu(1400);
            lab.veth.second().setMtu(9000);
            Process srv = lab.b.spawn("srv");
            lab.listen(srv, 80, 8);
            Process cli = lab.a.spawn("cli");
            int fd = cli.socket(AF_INET, SOCK_STREAM, 0);
            cli.connect(fd, TcpLab.addr("10.0.0.2", 80));
            List<TcpLab.Seg> c = lab.conn(sock(cli, fd).localPort());
            assertEquals(1360, c.get(0).opts().mss(), "MTU 1400 - 40");
            assertEquals(8960, c.get(1).opts().mss(), "MTU 9000 - 40");
            assertEquals(1348, sock(cli, fd).mss(), "the smaller, less timestamps");
        }
    }

    @Test
    void withoutTimestampsTheSynCarriesNopsInstead() {
        try (TcpLab lab = new TcpLab(3)) {
            lab.a.sysctl("net.ipv4.tcp_timestamps", 0);
            Process srv = lab.b.spawn("srv");
            int lfd = lab.listen(srv, 80, 8);
            Process cli = lab.a.spawn("cli");
            int fd = cli.socket(AF_INET, SOCK_STREAM, 0);
            cli.connect(fd, TcpLab.addr("10.0.0.2", 80));
            List<TcpLab.Seg> c = lab.conn(sock(cli, fd).localPort());
            // Linux: [mss 1460,nop,nop,sackOK,nop,wscale 7]
            assertTrue(c.get(0).toString().contains("options [mss 1460,nop,nop,sackOK,nop,wscale 7]"), c.get(0).toString());
            assertTrue(c.get(1).toString().contains("options [mss 1460,nop,nop,sackOK,nop,wscale 7]"), c.get(1).toString());
            assertFalse(c.get(2).opts().timestamps());
            assertEquals(20, c.get(2).tcp().headerLen());
            assertEquals(1460, sock(srv, srv.accept(lfd)).mss());
        }
    }

    @Test
    void aSynWithoutOptionsGetsOnlyAnMssAndTheDefault536() {
        try (TcpLab lab = new TcpLab(4)) {
            Process srv = lab.b.spawn("srv");
            int lfd = lab.listen(srv, 80, 8);
            int peer = TcpLab.ip("10.1.0.9"); // a spoofed peer: host a would reset what it did not open
            lab.inject(peer, TcpLab.B, TcpLab.seg(4000, 80, 100, 0, TcpHeader.SYN, 8192), null);
            lab.run(MS);
            TcpLab.Seg synack = lab.segs(s -> s.flags().equals("S.")).get(0);
            assertEquals(1460, synack.opts().mss());
            assertFalse(synack.opts().timestamps());
            assertFalse(synack.opts().sackPermitted());
            assertEquals(-1, synack.opts().windowScale());
            lab.inject(peer, TcpLab.B, TcpLab.seg(4000, 80, 101, synack.seq() + 1, TcpHeader.ACK, 8192), null);
            lab.run(MS);
            TcpSock child = sock(srv, srv.accept(lfd));
            assertEquals(536, child.mss(), "RFC 9293 3.7.1: no MSS option means 536");
        }
    }

    /**
     * RFC 6528: ISN = M + F(4-tuple, secret), M a clock of 64 ns ticks ({@code secure_tcp_seq}
     * adds {@code ktime_get_real_ns() >> 6}). The same 4-tuple one second later starts 15,625,000
     * further on; another source port starts somewhere unrelated.
     */
    @Test
    void isnIsAKeyedHashOfTheTuplePlusA64NanosecondClock() {
        try (TcpLab lab = new TcpLab(5)) {
            Process srv = lab.b.spawn("srv");
            int lfd = lab.listen(srv, 80, 8);
            Process cli = lab.a.spawn("cli");
            int[] isn = new int[3];
            int[] ports = {5000, 5000, 5001};
            for (int i = 0; i < 3; i++) {
                int fd = cli.socket(AF_INET, SOCK_STREAM, 0);
                cli.bind(fd, TcpLab.addr("0.0.0.0", ports[i]));
                lab.runUntil(i * S);
                cli.connect(fd, TcpLab.addr("10.0.0.2", 80));
                int port = ports[i];
                isn[i] = lab.segs(s -> s.sport() == port && s.flags().equals("S")).get(i == 1 ? 1 : 0).seq();
                cli.setsockopt(fd, SOL_SOCKET, SO_LINGER, new Linger(1, 0));
                cli.close(fd); // RST: no TIME_WAIT holds the tuple
                srv.close(srv.accept(lfd));
            }
            assertEquals(15_625_000, isn[1] - isn[0], "connects 1 s apart: 10^9 / 64 ticks");
            assertNotEquals(isn[1] + 15_625_000, isn[2]);
        }
    }

    /**
     * RFC 9293 3.5 figure 7: both ends send SYN; each answers the other's with SYN-ACK.
     * Observed on Linux 6.18 (a socket in a private netns against hand-made segments): our SYN;
     * the peer's SYN is answered with SYN-ACK carrying our ISN again, ack = its ISN + 1 and TSecr
     * = its TSval; the peer's SYN-ACK makes the socket ESTABLISHED and is answered at once with an
     * ACK (DelayedACKLost 1, TCPDSACKOldSent 1: Linux puts a D-SACK block for the old SYN on it,
     * which this stack, generating no SACK blocks yet, leaves out).
     */
    @Test
    void simultaneousOpenGoesThroughSynRecvOnBothSides() {
        try (TcpLab lab = new TcpLab(6)) {
            Process pa = lab.a.spawn("pa");
            Process pb = lab.b.spawn("pb");
            int fa = pa.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
            int fb = pb.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
            pa.bind(fa, TcpLab.addr("10.0.0.1", 5000));
            pb.bind(fb, TcpLab.addr("10.0.0.2", 6000));
            // ARP first, so that both SYNs leave at the same instant
            lab.a.ping("10.0.0.2", 1);
            lab.clearWire();
            assertThrows(dev.stacksim.socket.ErrnoException.class, () -> pa.connect(fa, TcpLab.addr("10.0.0.2", 6000)));
            assertThrows(dev.stacksim.socket.ErrnoException.class, () -> pb.connect(fb, TcpLab.addr("10.0.0.1", 5000)));
            lab.run(10 * MS);
            assertEquals(TcpState.ESTABLISHED, sock(pa, fa).tcpState());
            assertEquals(TcpState.ESTABLISHED, sock(pb, fb).tcpState());
            assertEquals(List.of("CLOSE", "SYN_SENT", "SYN_RECV", "ESTABLISHED"),
                    lab.statesOf("a", "10.0.0.1:5000 -> 10.0.0.2:6000"));
            assertEquals(List.of("CLOSE", "SYN_SENT", "SYN_RECV", "ESTABLISHED"),
                    lab.statesOf("b", "10.0.0.2:6000 -> 10.0.0.1:5000"));
            List<TcpLab.Seg> c = lab.conn(5000);
            // each SYN-ACK repeats the SYN's sequence number; each is then an old segment for
            // the ESTABLISHED receiver (tcp_data_queue: DelayedACKLost), answered by an ACK
            assertEquals(List.of("a S", "b S", "a S.", "b S.", "a .", "b ."), TcpLab.flow(c));
            assertEquals(c.get(0).seq(), c.get(2).seq());
            assertEquals(c.get(1).seq() + 1, c.get(2).ack());
            assertEquals(c.get(1).opts().tsVal(), c.get(2).opts().tsEcr(), "the SYN-ACK echoes the peer's TSval");
            byte[] buf = new byte[8];
            pa.send(fa, TcpLab.bytes("ping"), 0);
            lab.run(10 * MS);
            assertEquals("ping", TcpLab.str(buf, pb.recv(fb, buf, 0, 8, 0)));
        }
    }

    @Test
    void connectToAPortWithoutListenerIsRefusedByRst() {
        try (TcpLab lab = new TcpLab(7)) {
            Process cli = lab.a.spawn("cli");
            int fd = cli.socket(AF_INET, SOCK_STREAM, 0);
            dev.stacksim.socket.ErrnoException e = assertThrows(dev.stacksim.socket.ErrnoException.class,
                    () -> cli.connect(fd, TcpLab.addr("10.0.0.2", 81)));
            assertEquals(dev.stacksim.socket.Errno.ECONNREFUSED, e.errno());
            List<TcpLab.Seg> c = lab.segs();
            assertEquals(List.of("a S", "b R."), TcpLab.flow(c));
            assertEquals(0, c.get(1).seq());
            assertEquals(c.get(0).seq() + 1, c.get(1).ack());
            assertEquals(1, TcpLab.mib(lab.b, "OutRsts"));
            assertEquals(1, TcpLab.mib(lab.a, "AttemptFails"));
        }
    }
}
