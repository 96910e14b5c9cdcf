package dev.stacksim.tcp;

import dev.stacksim.socket.Errno;
import dev.stacksim.socket.ErrnoException;
import dev.stacksim.socket.Process;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.stacksim.socket.SocketConstants.*;
import static dev.stacksim.tcp.TcpLab.ext;
import static dev.stacksim.tcp.TcpLab.sock;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The handshake's retransmissions as Linux 6.x times them: the SYN (tcp_syn_linear_timeouts 4:
 * 1 s steps, then doubling; ETIMEDOUT) and the SYN-ACK of a request sock (1, 3, 7, 15, 31 s,
 * dropped at 63 s).
 */
class TcpRetransmitTest {
    private static final long S = 1_000_000_000L;

    /**
     * Observed on Linux 6.18 (defaults 6 and 4, a SYN to a full accept queue): SYNs at 0, 1.02,
     * 2.05, 3.07, 4.09, 5.11, 7.13, 11.19, 19.39, 35.52, 67.77 s, ETIMEDOUT at 133.3 s; virtual
     * time has no timer slack, so 0, 1, 2, 3, 4, 5, 7, 11, 19, 35, 67 and 131 s.
     */
    @Test
    void anUnansweredSynIsResentLinearlyThenExponentiallyAndConnectTimesOut() {
        try (TcpLab lab = new TcpLab(91)) {
            lab.a.addRoute("10.1.0.0/16 via 10.0.0.2"); // b does not forward
            Process cli = lab.a.spawn("cli");
            int fd = cli.socket(AF_INET, SOCK_STREAM, 0);
            long t0 = lab.now();
            ErrnoException e = assertThrows(ErrnoException.class, () -> cli.connect(fd, TcpLab.addr("10.1.0.5", 80)));
            assertEquals(Errno.ETIMEDOUT, e.errno());
            assertEquals(131.0, Math.round((lab.now() - t0) / 1e6) / 1e3, 0.001);
            List<TcpLab.Seg> syns = lab.segs(s -> s.flags().equals("S"));
            assertEquals(List.of(0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 7.0, 11.0, 19.0, 35.0, 67.0),
                    TcpLab.times(syns, syns.get(0).time()));
            assertEquals(10, ext(lab.a, "TCPSynRetrans"));
            assertEquals(11, ext(lab.a, "TCPTimeouts"));
            assertEquals(1, ext(lab.a, "TCPAbortOnTimeout"));
            assertEquals(1, TcpLab.mib(lab.a, "AttemptFails"));
            assertEquals(TcpState.CLOSE, sock(cli, fd).tcpState());
        }
    }

    @Test
    void tcpSyncntLimitsTheResends() {
        try (TcpLab lab = new TcpLab(92)) {
            lab.a.addRoute("10.1.0.0/16 via 10.0.0.2");
            lab.a.sysctl("net.ipv4.tcp_syn_linear_timeouts", 0);
            Process cli = lab.a.spawn("cli");
            int fd = cli.socket(AF_INET, SOCK_STREAM, 0);
            cli.setsockopt(fd, IPPROTO_TCP, TCP_SYNCNT, 2);
            long t0 = lab.now();
            assertEquals(Errno.ETIMEDOUT, assertThrows(ErrnoException.class,
                    () -> cli.connect(fd, TcpLab.addr("10.1.0.5", 80))).errno());
            List<TcpLab.Seg> syns = lab.segs(s -> s.flags().equals("S"));
            assertEquals(List.of(0.0, 1.0, 3.0), TcpLab.times(syns, syns.get(0).time()), "classic doubling without linear timeouts");
            assertEquals(7.0, Math.round((lab.now() - t0) / 1e6) / 1e3, 0.001);
        }
    }

    /**
     * Observed on Linux 6.18: a spoofed SYN left unanswered got its SYN-ACK at 0, 1.02, 3.04,
     * 7.26, 15.45, 31.58 s, and TcpExtTCPTimeouts counted 6 (the last run drops the request).
     */
    @Test
    void anUnansweredSynAckIsResentAtOneThreeSevenFifteenThirtyOneAndTheRequestDroppedAt63() {
        try (TcpLab lab = new TcpLab(93)) {
            Process srv = lab.b.spawn("srv");
            int lfd = lab.listen(srv, 80, 8);
            lab.inject(TcpLab.ip("10.1.0.7"), TcpLab.B, TcpLab.linuxSyn(4000, 80, 1, 1), null);
            lab.run(62 * S);
            assertEquals(1, sock(srv, lfd).synQueueLength());
            lab.run(2 * S);
            assertEquals(0, sock(srv, lfd).synQueueLength(), "dropped by the run at 63 s");
            List<TcpLab.Seg> synacks = lab.segs(s -> s.flags().equals("S."));
            assertEquals(List.of(0.0, 1.0, 3.0, 7.0, 15.0, 31.0), TcpLab.times(synacks, synacks.get(0).time()));
            assertTrue(synacks.stream().allMatch(s -> s.seq() == synacks.get(0).seq()), "the same ISN each time");
            assertEquals(6, ext(lab.b, "TCPTimeouts"));
            assertEquals(5, ext(lab.b, "TCPSynRetrans"));
        }
    }

    @Test
    void tcpSynackRetriesTwoGivesUpAtSevenSeconds() {
        try (TcpLab lab = new TcpLab(94)) {
            lab.b.sysctl("net.ipv4.tcp_synack_retries", 2);
            Process srv = lab.b.spawn("srv");
            int lfd = lab.listen(srv, 80, 8);
            lab.inject(TcpLab.ip("10.1.0.7"), TcpLab.B, TcpLab.linuxSyn(4000, 80, 1, 1), null);
            lab.run(6 * S);
            assertEquals(1, sock(srv, lfd).synQueueLength());
            lab.run(2 * S);
            assertEquals(0, sock(srv, lfd).synQueueLength());
            List<TcpLab.Seg> synacks = lab.segs(s -> s.flags().equals("S."));
            assertEquals(List.of(0.0, 1.0, 3.0), TcpLab.times(synacks, synacks.get(0).time()));
        }
    }

    /**
     * {@code reqsk_timer_handler} prunes a crowded SYN queue (qlen * 2 &gt; max(8, backlog)): with
     * no young requests left an old one gets 2 retries instead of 5. Nine requests on listen(8)
     * (syncookies 0): SYN-ACKs at 0, 1 and 3 s for all; at the 7 s run the limit is recomputed
     * for each request as the queue shrinks, so five expire and, once qlen is 4 (not crowded), the
     * other four are resent and stay. Observed on Linux 6.18 with the same nine hand-made SYNs:
     * 31 SYN-ACKs, 4 left in SYN-RECV, TCPTimeouts 27, TCPSynRetrans 22. There the survivors were
     * the four oldest: timers of one timer-wheel bucket run newest first; here they run in the
     * order they were armed, so the four newest survive.
     */
    @Test
    void aCrowdedSynQueueGivesOldRequestsFewerRetries() {
        try (TcpLab lab = new TcpLab(96)) {
            lab.b.sysctl("net.ipv4.tcp_syncookies", 0);
            Process srv = lab.b.spawn("srv");
            int lfd = lab.listen(srv, 80, 8);
            for (int i = 0; i < 9; i++) {
                lab.inject(TcpLab.ip("10.1.0.9"), TcpLab.B, TcpLab.linuxSyn(6000 + i, 80, 1000 * i, 7), null);
            }
            lab.run(9 * S);
            assertEquals(4, sock(srv, lfd).synQueueLength());
            assertEquals(31, lab.segs(s -> s.flags().equals("S.")).size());
            assertEquals(27, ext(lab.b, "TCPTimeouts"));
            assertEquals(22, ext(lab.b, "TCPSynRetrans"));
            List<Integer> late = lab.segs(s -> s.flags().equals("S.") && s.time() > 5 * S).stream()
                    .map(TcpLab.Seg::dport).toList();
            assertEquals(List.of(6005, 6006, 6007, 6008), late);
        }
    }

    /** A SYN resent by the client while its request waits gets the SYN-ACK again at once (tcp_check_req). */
    @Test
    void aRetransmittedSynIsAnsweredFromTheRequest() {
        try (TcpLab lab = new TcpLab(95)) {
            Process srv = lab.b.spawn("srv");
            int lfd = lab.listen(srv, 80, 8);
            int peer = TcpLab.ip("10.1.0.7");
            lab.inject(peer, TcpLab.B, TcpLab.linuxSyn(4000, 80, 1, 1), null);
            lab.run(S / 2);
            lab.inject(peer, TcpLab.B, TcpLab.linuxSyn(4000, 80, 1, 500), null);
            lab.run(S / 10);
            List<TcpLab.Seg> synacks = lab.segs(s -> s.flags().equals("S."));
            assertEquals(2, synacks.size());
            assertEquals(synacks.get(0).seq(), synacks.get(1).seq());
            assertEquals(1, sock(srv, lfd).synQueueLength());
        }
    }
}
