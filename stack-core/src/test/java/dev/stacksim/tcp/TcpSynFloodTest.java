package dev.stacksim.tcp;

import dev.stacksim.socket.Errno;
import dev.stacksim.socket.ErrnoException;
import dev.stacksim.socket.Process;
import dev.stacksim.wire.TcpHeader;
import dev.stacksim.wire.TcpOptions;
import dev.stacksim.wire.TcpRepr;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.stacksim.socket.SocketConstants.*;
import static dev.stacksim.tcp.TcpLab.ext;
import static dev.stacksim.tcp.TcpLab.sock;
import static org.junit.jupiter.api.Assertions.*;

/**
 * SYN floods and SYN cookies ({@code tcp_syncookies} 0, 1, 2): spoofed SYNs from 10.1.0.0/16,
 * whose SYN-ACKs go nowhere, against a listener with backlog 128; a legitimate client beside them.
 */
class TcpSynFloodTest {
    private static final long MS = 1_000_000L;
    private static final long S = 1_000_000_000L;
    private static final int BACKLOG = 128;

    /** The i-th spoofed SYN's source: 10.1.x.y, a port that makes every 4-tuple of the flood distinct. */
    private static int floodAddr(int i) {
        return TcpLab.ip("10.1.0.0") | (i & 0xFFFF);
    }

    private static int floodPort(int i) {
        return 1024 + (i >>> 16) * 1000 + (i & 0x3FF);
    }

    /**
     * Sends {@code n} spoofed SYNs to 10.0.0.2:80 in 1000 even batches over {@code duration};
     * {@code atBatch} runs before batch {@code startAt}. Returns the largest SYN queue seen.
     */
    private static int flood(TcpLab lab, TcpSock listener, int n, long duration, int startAt, Runnable atBatch) {
        int batches = 1000;
        int per = n / batches;
        int maxQ = 0;
        for (int b = 0; b < batches; b++) {
            if (b == startAt && atBatch != null) {
                atBatch.run();
            }
            for (int k = 0; k < per; k++) {
                int i = b * per + k;
                lab.inject(floodAddr(i), TcpLab.B, TcpLab.linuxSyn(floodPort(i), 80, i * 7919, i), null);
            }
            lab.run(duration / batches);
            maxQ = Math.max(maxQ, listener.synQueueLength());
        }
        return maxQ;
    }

    @Nested
    class Flood {
        /**
         * 100,000 spoofed SYNs in one second with syncookies 1: the SYN queue fills to backlog + 1
         * and stays there; every SYN beyond gets a cookie (TCPReqQFullDoCookies, SyncookiesSent),
         * nothing more is kept. A real client connecting in the middle of it gets a cookie too, and
         * its ACK (SyncookiesRecv) makes its connection, with its window scale and SACK recovered
         * from the timestamp echo.
         */
        @Test
        void withSyncookiesTheSynQueueStaysBoundedAndALegitimateClientConnects() {
            try (TcpLab lab = new TcpLab(41, true)) {
                Process srv = lab.b.spawn("srv");
                int lfd = lab.listen(srv, 80, BACKLOG);
                TcpSock l = sock(srv, lfd);
                Process cli = lab.a.spawn("cli");
                int[] fd = new int[1];
                long wall = System.nanoTime();
                int maxQ = flood(lab, l, 100_000, S, 500, () -> fd[0] = lab.connectNonBlocking(cli, 80));
                wall = System.nanoTime() - wall;
                assertTrue(wall < 10 * S, "100k SYNs took " + wall / 1e9 + " s of wall time");
                assertEquals(BACKLOG + 1, maxQ, "qlen > backlog is full");
                assertEquals(BACKLOG + 1, l.synQueueLength());
                assertEquals(TcpState.ESTABLISHED, sock(cli, fd[0]).tcpState());
                assertEquals(1, l.acceptQueueLength());
                long cookies = 100_000 - (BACKLOG + 1) + 1;
                assertEquals(cookies, ext(lab.b, "SyncookiesSent"));
                assertEquals(cookies, ext(lab.b, "TCPReqQFullDoCookies"));
                assertEquals(1, ext(lab.b, "SyncookiesRecv"));
                assertEquals(0, ext(lab.b, "SyncookiesFailed"));
                assertEquals(0, ext(lab.b, "ListenDrops"));
                TcpSock child = sock(srv, srv.accept(lfd));
                assertEquals(7, child.sndWscale, "wscale recovered from the cookie's TSval");
                assertTrue(child.sackOk);
                assertTrue(child.tstampOk);
                assertEquals(1448, child.mss());
            }
        }

        /**
         * The same flood (spread over 130 s) with syncookies 0: the queue is full whenever the
         * client's SYN arrives, every such SYN is dropped (TCPReqQFullDrop, ListenDrops), and
         * connect() fails with ETIMEDOUT after its resends.
         */
        @Test
        void withoutSyncookiesALegitimateClientCannotConnect() {
            try (TcpLab lab = new TcpLab(42, true)) {
                lab.b.sysctl("net.ipv4.tcp_syncookies", 0);
                Process srv = lab.b.spawn("srv");
                int lfd = lab.listen(srv, 80, BACKLOG);
                TcpSock l = sock(srv, lfd);
                Process cli = lab.a.spawn("cli");
                int[] fd = new int[1];
                int maxQ = flood(lab, l, 100_000, 135 * S, 10, () -> fd[0] = lab.connectNonBlocking(cli, 80));
                assertEquals(BACKLOG + 1, maxQ);
                assertEquals(TcpState.CLOSE, sock(cli, fd[0]).tcpState());
                ErrnoException e = assertThrows(ErrnoException.class, () -> cli.recv(fd[0], new byte[1], 0, 1, 0));
                assertEquals(Errno.ETIMEDOUT, e.errno());
                assertEquals(0, ext(lab.b, "SyncookiesSent"));
                assertEquals(ext(lab.b, "TCPReqQFullDrop"), ext(lab.b, "ListenDrops"));
                assertTrue(ext(lab.b, "TCPReqQFullDrop") > 90_000, "dropped " + ext(lab.b, "TCPReqQFullDrop"));
                assertEquals(0, l.acceptQueueLength());
            }
        }
    }

    @Nested
    class Cookies {
        private final int peer = TcpLab.ip("10.1.2.3");

        /** The SYN-ACK of a cookie for a hand-made SYN from {@code peer}:{@code sport}. */
        private TcpLab.Seg cookieFor(TcpLab lab, int sport, TcpRepr syn) {
            lab.inject(peer, TcpLab.B, syn, null);
            lab.run(MS);
            List<TcpLab.Seg> s = lab.segs(x -> x.dport() == sport && x.flags().equals("S."));
            return s.get(s.size() - 1);
        }

        private static TcpRepr ackOf(TcpLab.Seg synack, int seq, TcpOptions opts) {
            return new TcpRepr(synack.dport(), synack.sport(), seq, synack.seq() + 1, TcpHeader.ACK, 502, 0, opts, 0);
        }

        /**
         * syncookies 2: every SYN gets a cookie, nothing is queued; the ISN carries the MSS index
         * (1300 → the 1300 entry of the table) and the time counter; the ACK is validated and the
         * child has the options the TSval kept (wscale 7, SACK). Observed on Linux 6.18 with the
         * same SYN (mss 1300, wscale 7, SACK, TS): SYN-ACK mss 1460; after the ACK, SyncookiesRecv 1
         * and ss -i of the child: wscale:7,10 mss:1288 (1300 less the timestamps).
         */
        @Test
        void syncookiesTwoAnswersEverySynWithACookieAndTheAckMakesTheChild() {
            try (TcpLab lab = new TcpLab(43)) {
                lab.b.sysctl("net.ipv4.tcp_syncookies", 2);
                Process srv = lab.b.spawn("srv");
                int lfd = lab.listen(srv, 80, BACKLOG);
                TcpOptions o = new TcpOptions(1300, 7, true, true, 1000, 0, List.of(), List.of());
                TcpLab.Seg synack = cookieFor(lab, 4000, new TcpRepr(4000, 80, 777, 0, TcpHeader.SYN, 64240, 0, o, 0));
                assertEquals(0, sock(srv, lfd).synQueueLength());
                assertEquals(1, ext(lab.b, "SyncookiesSent"));
                assertEquals(1, ext(lab.b, "TCPReqQFullDoCookies"), "syncookies 2 counts every SYN");
                assertEquals(1460, synack.opts().mss(), "the SYN-ACK advertises its own MSS");
                int tsEcr = synack.opts().tsVal();
                lab.inject(peer, TcpLab.B, ackOf(synack, 778, new TcpOptions(-1, -1, false, true, 1001, tsEcr, List.of(), List.of())), null);
                lab.run(MS);
                assertEquals(1, ext(lab.b, "SyncookiesRecv"));
                TcpSock child = sock(srv, srv.accept(lfd));
                assertEquals(TcpState.ESTABLISHED, child.tcpState());
                assertEquals(1300, child.mssClamp, "MSS from the cookie's index");
                assertEquals(7, child.sndWscale);
                assertTrue(child.sackOk);
                assertEquals(778, child.rcvNxt);
                assertEquals(synack.seq() + 1, child.sndNxt);
            }
        }

        @Test
        void aForgedCookieIsCountedAsFailedAndAnsweredWithRst() {
            try (TcpLab lab = new TcpLab(44)) {
                lab.b.sysctl("net.ipv4.tcp_syncookies", 2);
                Process srv = lab.b.spawn("srv");
                int lfd = lab.listen(srv, 80, BACKLOG);
                TcpLab.Seg synack = cookieFor(lab, 4000, TcpLab.linuxSyn(4000, 80, 777, 1000));
                TcpOptions ts = new TcpOptions(-1, -1, false, true, 1001, synack.opts().tsVal(), List.of(), List.of());
                TcpRepr forged = new TcpRepr(4000, 80, 778, synack.seq() + 2, TcpHeader.ACK, 502, 0, ts, 0);
                lab.inject(peer, TcpLab.B, forged, null);
                lab.run(MS);
                assertEquals(1, ext(lab.b, "SyncookiesFailed"));
                assertEquals(0, ext(lab.b, "SyncookiesRecv"));
                assertEquals(0, sock(srv, lfd).acceptQueueLength());
                TcpLab.Seg rst = lab.segs(x -> x.dport() == 4000 && x.has(TcpHeader.RST)).get(0);
                assertEquals("R", rst.flags());
                assertEquals(synack.seq() + 2, rst.seq());
            }
        }

        /**
         * The cookie's time counter: a cookie is good for two minutes ({@code MAX_SYNCOOKIE_AGE}
         * counts of 64 s, so 128 to 192 s); an ACK later than that fails even though the listener
         * overflowed recently (it is checked at all only then).
         */
        @Test
        void aCookieAnsweredTooLateFails() {
            try (TcpLab lab = new TcpLab(45)) {
                lab.b.sysctl("net.ipv4.tcp_syncookies", 2);
                Process srv = lab.b.spawn("srv");
                lab.listen(srv, 80, BACKLOG);
                TcpLab.Seg synack = cookieFor(lab, 4000, TcpLab.linuxSyn(4000, 80, 777, 1000));
                lab.run(200 * S);
                cookieFor(lab, 4001, TcpLab.linuxSyn(4001, 80, 5, 1000)); // a recent overflow again
                TcpOptions ts = new TcpOptions(-1, -1, false, true, 1001, synack.opts().tsVal(), List.of(), List.of());
                lab.inject(peer, TcpLab.B, ackOf(synack, 778, ts), null);
                lab.run(MS);
                assertEquals(1, ext(lab.b, "SyncookiesFailed"));
                assertEquals(0, ext(lab.b, "SyncookiesRecv"));
            }
        }

        @Test
        void aValidCookieFindingTheAcceptQueueFullIsDroppedWithoutRst() {
            try (TcpLab lab = new TcpLab(46)) {
                lab.b.sysctl("net.ipv4.tcp_syncookies", 2);
                Process srv = lab.b.spawn("srv");
                int lfd = lab.listen(srv, 80, 0);
                Process cli = lab.a.spawn("cli");
                int fd = cli.socket(AF_INET, SOCK_STREAM, 0);
                cli.connect(fd, TcpLab.addr("10.0.0.2", 80));
                lab.run(MS);
                assertEquals(1, sock(srv, lfd).acceptQueueLength());
                // the accept queue is full: a SYN is dropped before any cookie is made
                TcpLab.Seg synack;
                lab.inject(peer, TcpLab.B, TcpLab.linuxSyn(4000, 80, 777, 1000), null);
                lab.run(MS);
                assertEquals(1, ext(lab.b, "ListenOverflows"));
                assertEquals(0, lab.segs(x -> x.dport() == 4000).size());
                // so take the cookie from before: accept, get a cookie, fill the queue again, answer it
                srv.accept(lfd);
                synack = cookieFor(lab, 4000, TcpLab.linuxSyn(4000, 80, 777, 1000));
                int fd2 = cli.socket(AF_INET, SOCK_STREAM, 0);
                cli.connect(fd2, TcpLab.addr("10.0.0.2", 80));
                lab.run(MS);
                TcpOptions ts = new TcpOptions(-1, -1, false, true, 1001, synack.opts().tsVal(), List.of(), List.of());
                lab.inject(peer, TcpLab.B, ackOf(synack, 778, ts), null);
                lab.run(MS);
                assertEquals(2, ext(lab.b, "ListenOverflows"));
                assertEquals(2, ext(lab.b, "ListenDrops"));
                assertEquals(3, ext(lab.b, "SyncookiesRecv"), "both clients and the peer: cookie_tcp_check counts before tcp_v4_syn_recv_sock fails");
                assertEquals(1, sock(srv, lfd).acceptQueueLength());
                assertTrue(lab.segs(x -> x.dport() == 4000 && x.has(TcpHeader.RST)).isEmpty(), "no RST");
            }
        }
    }
}
