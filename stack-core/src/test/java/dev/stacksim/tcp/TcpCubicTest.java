package dev.stacksim.tcp;

import dev.stacksim.sim.SimTime;
import dev.stacksim.socket.Process;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.stacksim.socket.SocketConstants.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * CUBIC ({@code net/ipv4/tcp_cubic.c}, RFC 9438) against values worked out by hand from the
 * kernel's integer arithmetic: {@code cubic_root}, {@code cubictcp_recalc_ssthresh} (beta 717/1024,
 * fast convergence), {@code bictcp_update}'s {@code cnt}, the window's cubic curve over time, and
 * on the wire the threshold after a loss next to Reno's.
 *
 * <p>The hand computations use {@code cube_factor = 2^40 / 410 = 2681735677},
 * {@code beta_scale = 8*(1024+717)/3/(1024-717) = 15} and HZ=1000. The window sequences were
 * obtained by stepping a line-by-line transcription of {@code bictcp_update} and
 * {@code tcp_cong_avoid_ai} (tcp_cong.c) through the same ACKs.
 */
class TcpCubicTest {
    private static final long CUBE_FACTOR = (1L << 40) / 410;

    @Test
    void cubicRootOfSmallAndExactCubes() {
        // a < 64: (v[a] + 35) >> 6 from the table
        assertEquals(1, TcpCubic.cubicRoot(1));
        assertEquals(2, TcpCubic.cubicRoot(8));
        assertEquals(3, TcpCubic.cubicRoot(27));
        assertEquals(4, TcpCubic.cubicRoot(63), "(v[63] + 35) >> 6 = 289 >> 6");
        // table estimate plus one Newton-Raphson step
        assertEquals(4, TcpCubic.cubicRoot(64));
        assertEquals(10, TcpCubic.cubicRoot(1000));
        assertEquals(100, TcpCubic.cubicRoot(1_000_000));
        assertEquals(1024, TcpCubic.cubicRoot(1L << 30));
    }

    /** K = cubic_root(cube_factor * (W_max - cwnd)), in 2^-10 s: cbrt(30 / 0.4) s = 4.217 s is 4318. */
    @Test
    void cubicRootGivesKForTheWindowsCubicMeets() {
        assertEquals(1388, TcpCubic.cubicRoot(CUBE_FACTOR));
        assertEquals(2523, TcpCubic.cubicRoot(CUBE_FACTOR * 6));
        assertEquals(4316, TcpCubic.cubicRoot(CUBE_FACTOR * 30));
        assertEquals(6451, TcpCubic.cubicRoot(CUBE_FACTOR * 100));
        assertEquals(13897, TcpCubic.cubicRoot(CUBE_FACTOR * 1000));
    }

    /** tcp_cubic.c promises an average error of 0.195%; over the K range no input is off by 0.2%. */
    @Test
    void cubicRootIsWithinLinuxsErrorOfTheTrueCubeRoot() {
        for (int d = 1; d <= 1000; d++) {
            long a = CUBE_FACTOR * d;
            double exact = Math.cbrt((double) a);
            int got = TcpCubic.cubicRoot(a);
            assertTrue(Math.abs(got - exact) / exact < 0.002, "cubic_root(" + a + ") = " + got + ", cbrt " + exact);
        }
        long big = Long.MAX_VALUE;
        assertEquals(Math.cbrt((double) big), TcpCubic.cubicRoot(big), Math.cbrt((double) big) * 0.002);
    }

    /** An unconnected socket is enough: CUBIC reads the window, the clock and counters from it. */
    private static TcpSock bare(TcpLab lab) {
        Process p = lab.a.spawn("p");
        TcpSock sk = TcpLab.sock(p, p.socket(AF_INET, SOCK_STREAM, 0));
        sk.isCwndLimited = true;
        lab.run(SimTime.millis(5)); // jiffies 0 would read as "no epoch"
        return sk;
    }

    @Test
    void ssthreshIsSevenTenthsOfTheWindowAndAtLeastTwo() {
        try (TcpLab lab = new TcpLab(1)) {
            TcpSock sk = bare(lab);
            int[][] cases = {{100, 70}, {20, 14}, {10, 7}, {3, 2}, {2, 2}, {1, 2}};
            for (int[] c : cases) {
                TcpCubic cubic = new TcpCubic();
                cubic.init(sk);
                sk.setSndCwnd(c[0]);
                assertEquals(c[1], cubic.ssthresh(sk), "max(" + c[0] + " * 717 / 1024, 2)");
            }
            TcpReno reno = new TcpReno();
            sk.setSndCwnd(20);
            assertEquals(10, reno.ssthresh(sk));
        }
    }

    /** Feeds one ACK of one segment at a time; returns how many ACKs it took for cwnd to rise by one. */
    private static int acksToGrow(TcpCubic cubic, TcpSock sk) {
        int start = sk.sndCwnd();
        for (int n = 1; n <= 100_000; n++) {
            cubic.congAvoid(sk, 0, 1);
            if (sk.sndCwnd() > start) {
                return n;
            }
        }
        throw new AssertionError("never grew");
    }

    /** A cubic instance that lost at {@code wmax} and now sits at 70% of it, epoch not started. */
    private static TcpCubic afterLoss(TcpSock sk, int wmax) {
        TcpCubic cubic = new TcpCubic();
        cubic.init(sk);
        sk.setSndCwnd(wmax);
        int ssthresh = cubic.ssthresh(sk);
        sk.setSndCwnd(ssthresh);
        sk.setSndSsthresh(ssthresh);
        sk.sndCwndCnt = 0;
        return cubic;
    }

    /**
     * bictcp_update at the epoch's start: K = 4316, t = 0, target = 100 - (410 * 4316^3 >> 40) =
     * 100 - 29 = 71, cnt = 70 / (71 - 70) = 70: seventy ACKs per extra segment.
     */
    @Test
    void atTheStartOfTheEpochCntIsCwndOverTargetMinusCwnd() {
        try (TcpLab lab = new TcpLab(2)) {
            TcpSock sk = bare(lab);
            TcpCubic cubic = afterLoss(sk, 100);
            assertEquals(70, sk.sndCwnd());
            assertEquals(70, acksToGrow(cubic, sk));
        }
    }

    /**
     * One second into the epoch (t = 1024/1024 s, cwnd still 70): offs = 4316 - 1024 = 3292,
     * delta = 410 * 3292^3 >> 40 = 13, target 87, cnt = 70 / 17 = 4. Two seconds in: offs 2268,
     * delta 4, target 96, cnt = 70 / 26 = 2.
     */
    @Test
    void laterInTheEpochCntFollowsTheCurve() {
        try (TcpLab lab = new TcpLab(3)) {
            TcpSock sk = bare(lab);
            TcpCubic cubic = afterLoss(sk, 100);
            cubic.congAvoid(sk, 0, 1); // the epoch starts
            sk.sndCwndCnt = 0;
            lab.run(SimTime.millis(1000));
            assertEquals(4, acksToGrow(cubic, sk));

            TcpSock sk2 = bare(lab);
            TcpCubic c2 = afterLoss(sk2, 100);
            c2.congAvoid(sk2, 0, 1);
            sk2.sndCwndCnt = 0;
            lab.run(SimTime.millis(2000));
            assertEquals(2, acksToGrow(c2, sk2));
        }
    }

    /** Before any loss (last_max_cwnd 0) the curve starts at the window and cnt is capped at 20. */
    @Test
    void theFirstEpochGrowsAtLeastFivePercentPerRound() {
        try (TcpLab lab = new TcpLab(4)) {
            TcpSock sk = bare(lab);
            TcpCubic cubic = new TcpCubic();
            cubic.init(sk);
            sk.setSndCwnd(100);
            sk.setSndSsthresh(100);
            assertEquals(20, acksToGrow(cubic, sk), "target = origin = cwnd gives 100 * cwnd, capped to 20");
        }
    }

    /** ACKs for a whole window every {@code rttMs}; the window after each round. */
    private static List<Integer> rounds(TcpLab lab, TcpCubic cubic, TcpSock sk, int rttMs, int n) {
        List<Integer> out = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            int w = sk.sndCwnd();
            for (int i = 0; i < w; i++) {
                cubic.congAvoid(sk, 0, 1);
            }
            out.add(sk.sndCwnd());
            lab.run(SimTime.millis(rttMs));
        }
        return out;
    }

    /**
     * After a loss at 100 the window restarts at 70 and climbs the cubic curve: fast at first,
     * flattening as it nears W_max = 100 around K = 4.2 s (rounds of 200 ms), then, past it,
     * growing faster again (convex). Reno-friendliness (one segment per 1.9 windows of ACKs) stays
     * below the curve at this RTT.
     */
    @Test
    void theWindowIsConcaveTowardsWmaxThenConvex() {
        try (TcpLab lab = new TcpLab(5)) {
            TcpSock sk = bare(lab);
            TcpCubic cubic = afterLoss(sk, 100);
            List<Integer> w = rounds(lab, cubic, sk, 200, 40);
            assertEquals(List.of(71, 75, 78, 82, 85, 87, 90, 92, 93, 95, 96, 97, 98, 99, 99, 101, 101, 101, 101, 101,
                    101, 101, 101, 101, 101, 101, 101, 101, 101, 101, 103, 103, 105, 105, 107, 108, 110, 112, 115, 118), w);
            // concave: the first second gains more than the second before K; convex: the last second more than the one after K
            assertTrue(w.get(5) - w.get(0) > w.get(20) - w.get(15));
            assertTrue(w.get(39) - w.get(34) > w.get(25) - w.get(20));
        }
    }

    /**
     * Fast convergence: a second loss below the last W_max (at 80 < 100) remembers
     * 80 * (1024 + 717) / 2048 = 68 instead of 80, and the window levels off there.
     */
    @Test
    void fastConvergenceLowersWmaxWhenTheWindowShrinks() {
        try (TcpLab lab = new TcpLab(6)) {
            TcpSock sk = bare(lab);
            TcpCubic cubic = new TcpCubic();
            cubic.init(sk);
            sk.setSndCwnd(100);
            cubic.ssthresh(sk);
            sk.setSndCwnd(80);
            int ssthresh = cubic.ssthresh(sk);
            assertEquals(56, ssthresh);
            sk.setSndCwnd(ssthresh);
            sk.setSndSsthresh(ssthresh);
            sk.sndCwndCnt = 0;
            assertEquals(List.of(57, 59, 61, 62, 64, 65, 66, 67, 67, 69, 69, 69, 69, 69, 69, 69, 69, 69, 69, 69, 69,
                    69, 69, 69, 69), rounds(lab, cubic, sk, 200, 25));
        }
    }

    // ---------------------------------------------------------------- on the wire

    /**
     * Slow start from 10 to 20 (ten ACKs of one segment each), then segment 10001:11001 of the
     * 20 in flight is lost: three SACKs above it start recovery (tcp_enter_recovery ->
     * tcp_init_cwnd_reduction), and ssthresh is what the algorithm makes of cwnd 20.
     */
    private static TcpSock lossAtTwenty(TcpLab lab, String algorithm) {
        TcpPeer p = TcpPeer.connect(lab, 1000, true, false,
                (srv, lfd) -> {
                    srv.setsockopt(lfd, SOL_TCP, TCP_CONGESTION, algorithm);
                    srv.setsockopt(lfd, SOL_SOCKET, SO_SNDBUF, 1 << 20); // room for the whole write
                });
        p.write(30_000);
        lab.run(SimTime.millis(2)); // within the loss probe's 2 srtt + 2 ms
        assertEquals(10, p.ranges(p.out()).size(), "the initial window");
        for (int i = 1; i <= 10; i++) {
            p.ack(1 + 1000 * i);
        }
        lab.run(SimTime.millis(2)); // within the loss probe's 2 srtt + 2 ms
        assertEquals(20, p.sk.sndCwnd(), "slow start: one more per segment acked");
        assertEquals(20, p.ranges(p.out()).size());
        p.ack(10001, 11001, 12001);
        p.ack(10001, 11001, 13001);
        p.ack(10001, 11001, 14001);
        lab.run(SimTime.micros(500));
        assertEquals(TcpCaState.RECOVERY, p.sk.caState());
        assertEquals(20, p.sk.priorCwnd());
        assertEquals("10001:11001", p.ranges(p.out()).get(0), "the hole is retransmitted first");
        assertEquals(1, TcpLab.ext(lab.b, "TCPSackRecovery"));
        return p.sk;
    }

    @Test
    void aLossAtTwentySetsSsthreshToFourteenUnderCubic() {
        try (TcpLab lab = new TcpLab(7)) {
            assertEquals(14, lossAtTwenty(lab, "cubic").sndSsthresh(), "max(20 * 717 / 1024, 2)");
        }
    }

    @Test
    void aLossAtTwentySetsSsthreshToTenUnderReno() {
        try (TcpLab lab = new TcpLab(7)) {
            assertEquals(10, lossAtTwenty(lab, "reno").sndSsthresh(), "max(20 / 2, 2)");
        }
    }
}
