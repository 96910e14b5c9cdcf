package dev.stacksim.tcp;

import dev.stacksim.socket.Errno;
import dev.stacksim.socket.ErrnoException;
import dev.stacksim.socket.Process;
import dev.stacksim.wire.TcpHeader;
import dev.stacksim.wire.TcpOptions;
import dev.stacksim.wire.TcpRepr;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.stacksim.socket.SocketConstants.*;
import static dev.stacksim.tcp.TcpLab.ext;
import static dev.stacksim.tcp.TcpLab.sock;
import static org.junit.jupiter.api.Assertions.*;

/**
 * RST and SYN on a connection (RFC 9293 3.10.7, RFC 5961 as Linux's {@code tcp_validate_incoming}
 * and {@code tcp_reset} do them), and the errno each state leaves for the user. Forged segments
 * come from {@code a}'s address with the connection's ports, as a blind attacker would send them.
 */
class TcpResetTest {
    private static final long MS = 1_000_000L;

    TcpLab lab;
    Process cli;
    Process srv;
    int fd;
    int cfd;
    int port;
    TcpSock child;

    @BeforeEach
    void connect() {
        lab = new TcpLab(71);
        srv = lab.b.spawn("srv");
        int lfd = lab.listen(srv, 80, 8);
        cli = lab.a.spawn("cli");
        fd = cli.socket(AF_INET, SOCK_STREAM, 0);
        cli.connect(fd, TcpLab.addr("10.0.0.2", 80));
        cfd = srv.accept(lfd);
        port = sock(cli, fd).localPort();
        child = sock(srv, cfd);
        lab.run(MS);
        lab.clearWire();
    }

    @AfterEach
    void tearDown() {
        lab.close();
    }

    private void forge(int flags, int seq) {
        lab.inject(TcpLab.A, TcpLab.B, TcpLab.seg(port, 80, seq, child.sndNxt, flags, 502), null);
        lab.run(MS);
    }

    /**
     * Observed on Linux 6.18 against hand-made segments: five in-window RSTs in a row gave one
     * challenge ACK (TCPChallengeACK 1, TCPACKSkippedChallenge 4); a SYN 0.6 s later another
     * (TCPSYNChallenge 1); a RST far outside the window nothing; a RST at RCV.NXT reset the
     * connection (EstabResets 1) and recv() gave ECONNRESET, then 0.
     */
    @Nested
    class Rfc5961 {
        @Test
        void aRstAtExactlyRcvNxtResetsTheConnection() {
            forge(TcpHeader.RST, child.rcvNxt);
            assertEquals(TcpState.CLOSE, child.tcpState());
            assertEquals(1, TcpLab.mib(lab.b, "EstabResets"));
            assertEquals(Errno.ECONNRESET, assertThrows(ErrnoException.class, () -> srv.recv(cfd, new byte[1], 0, 1, 0)).errno());
            assertEquals(0, srv.recv(cfd, new byte[1], 0, 1, 0), "ECONNRESET once, then EOF");
        }

        /** RFC 5961 3.2: in the window but not exact: the connection stays and answers a challenge ACK. */
        @Test
        void anInWindowRstGetsAChallengeAck() {
            int rcvNxt = child.rcvNxt;
            forge(TcpHeader.RST, rcvNxt + 1000);
            assertEquals(TcpState.ESTABLISHED, child.tcpState());
            List<TcpLab.Seg> c = lab.conn(port);
            assertEquals(List.of("a R", "b ."), TcpLab.flow(c));
            assertEquals(child.sndNxt, c.get(1).seq());
            assertEquals(rcvNxt, c.get(1).ack(), "the challenge ACK tells the real peer where we are");
            assertEquals(1, ext(lab.b, "TCPChallengeACK"));
        }

        @Test
        void aRstOutsideTheWindowIsDroppedSilently() {
            forge(TcpHeader.RST, child.rcvNxt + 10_000_000);
            assertEquals(TcpState.ESTABLISHED, child.tcpState());
            assertEquals(List.of("a R"), TcpLab.flow(lab.conn(port)));
            assertEquals(0, ext(lab.b, "TCPChallengeACK"));
        }

        /** RFC 5961 4.2: any SYN on a synchronized connection, in window or not, gets a challenge ACK. */
        @Test
        void aSynOnAnEstablishedConnectionGetsAChallengeAck() {
            forge(TcpHeader.SYN, child.rcvNxt + 5);
            assertEquals(TcpState.ESTABLISHED, child.tcpState());
            assertEquals(List.of("a S", "b ."), TcpLab.flow(lab.conn(port)));
            assertEquals(1, ext(lab.b, "TCPSYNChallenge"));
            assertEquals(1, ext(lab.b, "TCPChallengeACK"));
        }

        /** One challenge ACK per tcp_invalid_ratelimit (500 ms) per socket; the rest are counted. */
        @Test
        void challengeAcksAreRateLimited() {
            for (int i = 0; i < 5; i++) {
                forge(TcpHeader.RST, child.rcvNxt + 1000 + i);
            }
            assertEquals(1, lab.segs(s -> s.from().equals("b")).size());
            assertEquals(1, ext(lab.b, "TCPChallengeACK"));
            assertEquals(4, ext(lab.b, "TCPACKSkippedChallenge"));
            lab.run(500 * MS);
            forge(TcpHeader.RST, child.rcvNxt + 2000);
            assertEquals(2, ext(lab.b, "TCPChallengeACK"));
        }

        @Test
        void anAckOfDataNeverSentIsDroppedWithAChallengeAck() {
            lab.inject(TcpLab.A, TcpLab.B, TcpLab.seg(port, 80, child.rcvNxt, child.sndNxt + 100_000, TcpHeader.ACK, 502), null);
            lab.run(MS);
            assertEquals(List.of("a .", "b ."), TcpLab.flow(lab.conn(port)));
            assertEquals(TcpState.ESTABLISHED, child.tcpState());
        }
    }

    @Nested
    class Errnos {
        /** tcp_reset: ECONNRESET is reported once, by whichever call comes first; send then sees EPIPE. */
        @Test
        void sendAfterRstFirstReportsTheResetThenEpipe() {
            forge(TcpHeader.RST, child.rcvNxt);
            assertEquals(Errno.ECONNRESET, assertThrows(ErrnoException.class, () -> srv.send(cfd, TcpLab.bytes("x"), 0)).errno());
            long sig = srv.sigpipeCount();
            assertEquals(Errno.EPIPE, assertThrows(ErrnoException.class, () -> srv.send(cfd, TcpLab.bytes("x"), 0)).errno());
            assertEquals(sig + 1, srv.sigpipeCount());
            assertEquals(Errno.EPIPE, assertThrows(ErrnoException.class, () -> srv.send(cfd, TcpLab.bytes("x"), MSG_NOSIGNAL)).errno());
            assertEquals(sig + 1, srv.sigpipeCount(), "MSG_NOSIGNAL: no SIGPIPE");
            assertEquals(0, srv.recv(cfd, new byte[1], 0, 1, 0), "the error was taken: recv sees EOF");
        }

        @Test
        void aRstInCloseWaitIsEpipe() {
            cli.shutdown(fd, SHUT_WR);
            lab.run(MS);
            assertEquals(TcpState.CLOSE_WAIT, child.tcpState());
            forge(TcpHeader.RST, child.rcvNxt);
            assertEquals(TcpState.CLOSE, child.tcpState());
            // tcp_recvmsg checks SOCK_DONE (the FIN came) before sk_err: EOF, and the EPIPE is left for send
            assertEquals(0, srv.recv(cfd, new byte[1], 0, 1, 0));
            assertEquals(Errno.EPIPE, assertThrows(ErrnoException.class,
                    () -> srv.send(cfd, TcpLab.bytes("x"), MSG_NOSIGNAL)).errno());
        }

        @Test
        void connectAgainIsEisconnAndAcceptOnAConnectedSocketIsEinval() {
            assertEquals(Errno.EISCONN, assertThrows(ErrnoException.class,
                    () -> cli.connect(fd, TcpLab.addr("10.0.0.2", 80))).errno());
            assertEquals(Errno.EINVAL, assertThrows(ErrnoException.class, () -> cli.accept(fd)).errno());
            assertEquals(Errno.EINVAL, assertThrows(ErrnoException.class, () -> cli.listen(fd, 5)).errno());
        }

        @Test
        void aNonBlockingConnectIsEinprogressThenEalready() {
            int nb = cli.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
            assertEquals(Errno.EINPROGRESS, assertThrows(ErrnoException.class,
                    () -> cli.connect(nb, TcpLab.addr("10.0.0.2", 80))).errno());
            assertEquals(TcpState.SYN_SENT, sock(cli, nb).tcpState());
            assertEquals(Errno.EALREADY, assertThrows(ErrnoException.class,
                    () -> cli.connect(nb, TcpLab.addr("10.0.0.2", 80))).errno());
            lab.run(MS);
            // inet_stream_connect: still SS_CONNECTING, now ESTABLISHED: the call that learns it returns 0
            cli.connect(nb, TcpLab.addr("10.0.0.2", 80));
            assertEquals(Errno.EISCONN, assertThrows(ErrnoException.class,
                    () -> cli.connect(nb, TcpLab.addr("10.0.0.2", 80))).errno());
        }

        @Test
        void sendOnANeverConnectedSocketIsEpipeAndRecvIsEnotconn() {
            int fresh = cli.socket(AF_INET, SOCK_STREAM, 0);
            assertEquals(Errno.EPIPE, assertThrows(ErrnoException.class, () -> cli.send(fresh, TcpLab.bytes("x"), MSG_NOSIGNAL)).errno());
            assertEquals(Errno.ENOTCONN, assertThrows(ErrnoException.class, () -> cli.recv(fresh, new byte[1], 0, 1, 0)).errno());
        }
    }

    @Nested
    class SynSent {
        private final int nowhere = TcpLab.ip("10.1.0.5");
        int nb;
        TcpSock s;

        @BeforeEach
        void connectNowhere() {
            lab.a.addRoute("10.1.0.0/16 via 10.0.0.2"); // b does not forward: the SYN is never answered
            nb = cli.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
            assertThrows(ErrnoException.class, () -> cli.connect(nb, TcpLab.addr("10.1.0.5", 80)));
            s = sock(cli, nb);
            lab.run(MS);
        }

        private void answer(int flags, int seq, int ack) {
            lab.inject(lab.b, nowhere, TcpLab.A, TcpLab.seg(80, s.localPort(), seq, ack, flags, 8192), null);
            lab.run(MS);
        }

        @Test
        void aRstAckingOurSynRefusesTheConnection() {
            answer(TcpHeader.RST | TcpHeader.ACK, 0, s.iss + 1);
            assertEquals(TcpState.CLOSE, s.tcpState());
            assertEquals(Errno.ECONNREFUSED, assertThrows(ErrnoException.class,
                    () -> cli.connect(nb, TcpLab.addr("10.1.0.5", 80))).errno());
        }

        @Test
        void aRstWithoutAckIsIgnored() {
            answer(TcpHeader.RST, 0, 0);
            assertEquals(TcpState.SYN_SENT, s.tcpState());
        }

        /** RFC 9293 3.10.7.3: a SYN-ACK acknowledging something else is answered by a RST at its ACK number. */
        @Test
        void aSynAckWithAWrongAckIsAnsweredWithRst() {
            lab.clearWire();
            answer(TcpHeader.SYN | TcpHeader.ACK, 1234, s.iss + 77);
            List<TcpLab.Seg> out = lab.segs(x -> x.from().equals("a"));
            assertEquals("R", out.get(0).flags());
            assertEquals(s.iss + 77, out.get(0).seq());
            assertEquals(TcpState.SYN_SENT, s.tcpState(), "the connection attempt goes on");
        }

        @Test
        void aSynAckWithTheRightAckEstablishes() {
            TcpOptions o = new TcpOptions(1400, -1, false, false, 0, 0, List.of(), List.of());
            lab.inject(lab.b, nowhere, TcpLab.A, new TcpRepr(80, s.localPort(), 5000, s.iss + 1,
                    TcpHeader.SYN | TcpHeader.ACK, 8192, 0, o, 0), null);
            lab.run(MS);
            assertEquals(TcpState.ESTABLISHED, s.tcpState());
            assertEquals(1400, s.mss(), "no timestamps: the whole MSS");
            assertEquals(5001, s.rcvNxt);
        }
    }
}
