package dev.stacksim.tcp;

import dev.stacksim.socket.Errno;
import dev.stacksim.socket.ErrnoException;
import dev.stacksim.socket.Process;
import dev.stacksim.wire.TcpHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.stacksim.socket.SocketConstants.*;
import static dev.stacksim.tcp.TcpLab.ext;
import static dev.stacksim.tcp.TcpLab.sock;
import static org.junit.jupiter.api.Assertions.*;

/**
 * TIME_WAIT ({@code tcp_timewait_state_process}): the minisock answers the peer's retransmitted
 * FIN and waits 60 s again, holds its port, dies on a RST (RFC 1337 off, Linux's default), and lets
 * a SYN with a higher sequence number open a new connection on the same 4-tuple.
 */
class TcpTimeWaitTest {
    private static final long MS = 1_000_000L;
    private static final long S = 1_000_000_000L;

    TcpLab lab;
    Process cli;
    Process srv;
    int lfd;
    int port;
    int finSeq;
    int finAck;

    /** The client closes first and ends in TIME_WAIT; the server's FIN is recorded for replays. */
    @BeforeEach
    void closeActively() {
        lab = new TcpLab(81);
        srv = lab.b.spawn("srv");
        lfd = lab.listen(srv, 80, 8);
        cli = lab.a.spawn("cli");
        int fd = cli.socket(AF_INET, SOCK_STREAM, 0);
        cli.connect(fd, TcpLab.addr("10.0.0.2", 80));
        int cfd = srv.accept(lfd);
        port = sock(cli, fd).localPort();
        cli.close(fd);
        lab.run(MS);
        srv.close(cfd);
        lab.run(MS);
        TcpLab.Seg fin = lab.segs(s -> s.from().equals("b") && s.flags().equals("F.")).get(0);
        finSeq = fin.seq();
        finAck = fin.ack();
        lab.clearWire();
    }

    @AfterEach
    void tearDown() {
        lab.close();
    }

    private void replayFin() {
        lab.inject(lab.b, TcpLab.B, TcpLab.A, TcpLab.seg(80, port, finSeq, finAck, TcpHeader.FIN | TcpHeader.ACK, 509), null);
        lab.run(MS);
    }

    /**
     * The replayed FIN stands for a retransmission by a peer that lost our last ACK. Here the
     * peer's socket is gone, so it answers our ACK with a RST, which would end the TIME_WAIT
     * (RFC 1337's hazard): tcp_rfc1337 1 keeps it, so that the restarted 60 s can be seen.
     */
    @Test
    void aRetransmittedFinIsAckedAndRestartsTheSixtySeconds() {
        lab.a.sysctl("net.ipv4.tcp_rfc1337", 1);
        lab.run(30 * S);
        replayFin();
        List<TcpLab.Seg> c = lab.conn(port);
        assertEquals(List.of("b F.", "a .", "b R"), TcpLab.flow(c));
        assertEquals(finSeq + 1, c.get(1).ack());
        lab.run(59 * S);
        assertEquals(0, ext(lab.a, "TW"), "60 s from the replayed FIN, not from the first");
        lab.run(2 * S);
        assertEquals(1, ext(lab.a, "TW"));
    }

    /**
     * {@code tcp_timewait_check_oow_rate_limit}: old ACKs get one ACK per 500 ms
     * (TCPACKSkippedTimeWait), a bare ACK at exactly rcv_nxt none at all. Observed on Linux 6.18
     * against a server in TIME_WAIT: three old ACKs in a row, one answer, TCPACKSkippedTimeWait
     * 2; two bare ACKs at rcv_nxt, nothing; an old ACK 0.6 s later, an answer again.
     */
    @Test
    void strayAcksAreAnsweredAtMostTwiceASecond() {
        // host b no longer knows the connection and answers our ACKs with RSTs, which would end
        // the TIME_WAIT: tcp_rfc1337 1 keeps it for the test
        lab.a.sysctl("net.ipv4.tcp_rfc1337", 1);
        for (int i = 0; i < 3; i++) {
            lab.inject(lab.b, TcpLab.B, TcpLab.A, TcpLab.seg(80, port, finSeq - 1000, finAck, TcpHeader.ACK, 509), null);
        }
        lab.run(MS);
        assertEquals(1, fromA().size());
        assertEquals(finSeq + 1, fromA().get(0).ack());
        assertEquals(2, ext(lab.a, "TCPACKSkippedTimeWait"));
        lab.clearWire();
        lab.inject(lab.b, TcpLab.B, TcpLab.A, TcpLab.seg(80, port, finSeq + 1, finAck, TcpHeader.ACK, 509), null);
        lab.run(600 * MS);
        assertEquals(List.of(), fromA(), "a bare ACK at rcv_nxt is taken silently");
        lab.inject(lab.b, TcpLab.B, TcpLab.A, TcpLab.seg(80, port, finSeq - 1000, finAck, TcpHeader.ACK, 509), null);
        lab.run(MS);
        assertEquals(1, fromA().size(), "0.6 s later: answered again");
    }

    private List<TcpLab.Seg> fromA() {
        return lab.segs(s -> s.from().equals("a") && s.sport() == port);
    }

    @Test
    void timeWaitHoldsThePortUntilItEnds() {
        int again = cli.socket(AF_INET, SOCK_STREAM, 0);
        assertEquals(Errno.EADDRINUSE, assertThrows(ErrnoException.class,
                () -> cli.bind(again, TcpLab.addr("0.0.0.0", port))).errno());
        // inet_bind_conflict wants SO_REUSEADDR on both: the TIME_WAIT keeps the old socket's
        // (off). Observed on Linux 6.18: after a client's active close, bind() of its port fails
        // with EADDRINUSE with and without SO_REUSEADDR, to 0.0.0.0 and to 127.0.0.1 alike.
        int reuse = cli.socket(AF_INET, SOCK_STREAM, 0);
        cli.setsockopt(reuse, SOL_SOCKET, SO_REUSEADDR, 1);
        assertEquals(Errno.EADDRINUSE, assertThrows(ErrnoException.class,
                () -> cli.bind(reuse, TcpLab.addr("0.0.0.0", port))).errno());
        lab.run(61 * S);
        cli.bind(again, TcpLab.addr("0.0.0.0", port));
    }

    /** tcp_rfc1337 0 (default): a RST in TIME_WAIT ends it at once (the assassination RFC 1337 warns of). */
    @Test
    void aRstEndsTimeWaitUnlessRfc1337() {
        lab.inject(lab.b, TcpLab.B, TcpLab.A, TcpLab.seg(80, port, finSeq + 1, 0, TcpHeader.RST, 0), null);
        lab.run(MS);
        int again = cli.socket(AF_INET, SOCK_STREAM, 0);
        cli.bind(again, TcpLab.addr("0.0.0.0", port));
        assertEquals(0, ext(lab.a, "TW"), "killed, not expired");
    }

    @Test
    void withRfc1337ARstIsIgnored() {
        lab.a.sysctl("net.ipv4.tcp_rfc1337", 1);
        lab.inject(lab.b, TcpLab.B, TcpLab.A, TcpLab.seg(80, port, finSeq + 1, 0, TcpHeader.RST, 0), null);
        lab.run(MS);
        int again = cli.socket(AF_INET, SOCK_STREAM, 0);
        assertEquals(Errno.EADDRINUSE, assertThrows(ErrnoException.class,
                () -> cli.bind(again, TcpLab.addr("0.0.0.0", port))).errno());
    }

    /**
     * A SYN to a TIME_WAIT whose sequence number is beyond the old connection's (here: the
     * server is in TIME_WAIT and the client comes back from the same port) opens a new
     * connection; the SYN-ACK's ISN is the old snd_nxt + 65537 ({@code tcp_timewait_state_process}).
     * Observed on Linux 6.18: a server in TIME_WAIT answered a hand-made SYN (higher sequence
     * number, newer TSval) with a SYN-ACK whose ISN was exactly its FIN's sequence + 1 + 65537.
     */
    @Test
    void aNewSynReopensATimeWaitConnection() {
        // the roles reversed: this time the server closes first
        lab.run(61 * S);
        int fd = cli.socket(AF_INET, SOCK_STREAM, 0);
        cli.connect(fd, TcpLab.addr("10.0.0.2", 80));
        int p = sock(cli, fd).localPort();
        int cfd = srv.accept(lfd);
        srv.close(cfd);
        lab.run(MS);
        cli.close(fd);
        lab.run(MS);
        TcpLab.Seg serverFin = lab.segs(s -> s.from().equals("b") && s.dport() == p && s.flags().equals("F.")).get(0);
        lab.run(10 * S);
        lab.clearWire();
        int fd2 = cli.socket(AF_INET, SOCK_STREAM, 0);
        cli.bind(fd2, TcpLab.addr("0.0.0.0", p));
        cli.connect(fd2, TcpLab.addr("10.0.0.2", 80));
        List<TcpLab.Seg> c = lab.conn(p);
        assertEquals(List.of("a S", "b S.", "a ."), TcpLab.flow(c));
        assertEquals(serverFin.seq() + 1 + 65535 + 2, c.get(1).seq());
        assertEquals(TcpState.ESTABLISHED, sock(srv, srv.accept(lfd)).tcpState());
    }
}
