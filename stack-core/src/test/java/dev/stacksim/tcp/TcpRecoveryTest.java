package dev.stacksim.tcp;

import dev.stacksim.sim.SimTime;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.stacksim.socket.SocketConstants.*;
import static dev.stacksim.tcp.TcpLab.ext;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Loss recovery on the sender ({@code tcp_fastretrans_alert} and friends in {@code tcp_input.c},
 * {@code tcp_recovery.c}, {@code tcp_output.c}), driven by a scripted receiver ({@link TcpPeer})
 * with MSS 1000 and no timestamps, so that sequence numbers read as segment counts and no
 * timestamp undo muddles the picture. The peer answers within a millisecond, well inside the
 * loss probe timeout (2 srtt + 2 ms) unless a test waits for it.
 */
class TcpRecoveryTest {
    private static final long RTT = SimTime.millis(1);
    /** Long enough for an injected ACK to reach b and b's answer to reach the tap. */
    private static final long HOP = SimTime.micros(250);

    private static TcpPeer peer(TcpLab lab, boolean sack, String cc) {
        return TcpPeer.connect(lab, 1000, sack, false, (srv, lfd) -> {
            srv.setsockopt(lfd, SOL_SOCKET, SO_SNDBUF, 1 << 20);
            if (cc != null) {
                srv.setsockopt(lfd, SOL_TCP, TCP_CONGESTION, cc);
            }
        });
    }

    /** Sends an ACK and returns the data b sent in answer, as relative ranges. */
    private static List<String> ackAndSee(TcpPeer p, int ack, int... sacks) {
        p.ack(ack, sacks);
        p.lab.run(HOP);
        return p.ranges(p.out());
    }

    private static List<String> segs(int from, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add((from + 1000 * i) + ":" + (from + 1000 * (i + 1)));
        }
        return out;
    }

    // ---------------------------------------------------------------- NewReno, no SACK

    /**
     * RFC 5681 3.2 / RFC 3042 / RFC 6582 as tcp_fastretrans_alert does them for a peer without
     * SACK (Reno CC, cwnd 10, segment 1 lost, later 10001:11001 too): the first two duplicate ACKs
     * each release a new segment (limited transmit: tcp_add_reno_sack counts them out of flight),
     * the third retransmits the head (ssthresh 5, high_seq 12001); PRR releases about one new
     * segment per two dupACKs; the partial ACK of 10001 retransmits the next hole at once
     * (tcp_newreno_mark_lost); the ACK past high_seq ends recovery with cwnd = ssthresh = 5.
     */
    @Test
    void threeDupAcksWithoutSackTriggerFastRetransmitAndNewRenoRecovery() {
        try (TcpLab lab = new TcpLab(11)) {
            TcpPeer p = peer(lab, false, "reno");
            p.write(20_000);
            lab.run(RTT);
            assertEquals(segs(1, 10), p.ranges(p.out()));
            assertEquals(List.of("10001:11001"), ackAndSee(p, 1), "limited transmit");
            assertEquals(TcpCaState.DISORDER, p.sk.caState());
            assertEquals(List.of("11001:12001"), ackAndSee(p, 1), "limited transmit");
            assertEquals(0, ext(lab.b, "TCPRenoRecovery"));
            assertEquals(List.of("1:1001"), ackAndSee(p, 1), "the third dupACK: fast retransmit");
            assertEquals(TcpCaState.RECOVERY, p.sk.caState());
            assertEquals(1, ext(lab.b, "TCPRenoRecovery"));
            assertEquals(1, ext(lab.b, "TCPFastRetrans"));
            assertEquals(5, p.sk.sndSsthresh());
            assertEquals(10, p.sk.priorCwnd());
            assertEquals(List.of(), ackAndSee(p, 1));
            assertEquals(List.of("12001:13001"), ackAndSee(p, 1));
            assertEquals(List.of(), ackAndSee(p, 1));
            assertEquals(List.of("13001:14001"), ackAndSee(p, 1));
            assertEquals(List.of(), ackAndSee(p, 1));
            assertEquals(List.of(), ackAndSee(p, 1));
            assertEquals(List.of("10001:11001", "14001:15001"), ackAndSee(p, 10001),
                    "a partial ACK: the next hole at once");
            assertEquals(2, ext(lab.b, "TCPFastRetrans"));
            assertEquals(TcpCaState.RECOVERY, p.sk.caState());
            assertEquals(segs(15001, 5), ackAndSee(p, 15001), "past high_seq: the rest of the data");
            assertEquals(TcpCaState.OPEN, p.sk.caState());
            // tcp_end_cwnd_reduction set cwnd = ssthresh = 5; the same ACK, now in Open, then
            // grows it in congestion avoidance by its 5 newly delivered segments (the partial ACK
            // already used up the dupACKs' credit, tcp_remove_reno_sacks): one window, one more
            assertEquals(5, p.sk.sndSsthresh());
            assertEquals(6, p.sk.sndCwnd());
            assertEquals(0, ext(lab.b, "TCPSackRecovery"));
            assertEquals(0, ext(lab.b, "TCPTimeouts"));
        }
    }

    // ---------------------------------------------------------------- SACK + RACK (defaults)

    /**
     * Slow start to 20 segments in flight (10 ACKs of one segment each), then 10001:11001 is
     * lost. A SACKed segment leaves the pipe (in flight = packets_out - sacked_out - lost_out +
     * retrans_out), so the first two SACKs each release a new segment while RACK (RFC 8985) waits:
     * fewer than three segments above the hole are SACKed, so reo_wnd is min_rtt/4. At the third
     * reo_wnd is 0 (tcp_rack_reo_wnd: sacked_out >= reordering) and the hole is marked lost and
     * retransmitted. Then PRR (RFC 6937, tcp_cwnd_reduction) with prior_cwnd 20 and ssthresh 14
     * (cubic): while more than ssthresh is in flight sndcnt = ceil(14 * prr_delivered / 20) -
     * prr_out, giving per further SACK of one segment 1, 1, 0, 1, 1, 0, 1, 1 (7 for 10).
     */
    @Test
    void aSingleLossIsRetransmittedAtTheThirdSackAndPrrPacesWhatFollows() {
        try (TcpLab lab = new TcpLab(12)) {
            TcpPeer p = peer(lab, true, null);
            p.write(60_000);
            lab.run(RTT);
            assertEquals(10, p.ranges(p.out()).size());
            for (int i = 1; i <= 10; i++) {
                p.ack(1 + 1000 * i);
            }
            lab.run(RTT);
            assertEquals(segs(10001, 20), p.ranges(p.out()));
            assertEquals(20, p.sk.sndCwnd());
            List<List<String>> sent = new ArrayList<>();
            for (int k = 1; k <= 11; k++) {
                sent.add(ackAndSee(p, 10001, 11001, 11001 + 1000 * k));
                if (k == 2) {
                    assertEquals(TcpCaState.DISORDER, p.sk.caState());
                    assertEquals(0, ext(lab.b, "TCPSackRecovery"));
                }
            }
            assertEquals(List.of(List.of("30001:31001"), List.of("31001:32001"), List.of("10001:11001"),
                    List.of("32001:33001"), List.of("33001:34001"), List.of(), List.of("34001:35001"),
                    List.of("35001:36001"), List.of(), List.of("36001:37001"), List.of("37001:38001")), sent);
            assertEquals(1, ext(lab.b, "TCPSackRecovery"));
            assertEquals(1, ext(lab.b, "TCPFastRetrans"));
            assertEquals(TcpCaState.RECOVERY, p.sk.caState());
            assertEquals(14, p.sk.sndSsthresh());
            assertEquals(0, ext(lab.b, "TCPTimeouts"));
            assertEquals(0, ext(lab.b, "TCPLossProbes"));
        }
    }

    /**
     * Segment 1 arrives after segment 2 (one SACK, then the cumulative ACK 100 µs later): less
     * than RACK's reordering window (min_rtt/4 plus the timer's 2 ms), so nothing is
     * retransmitted; the cumulative ACK of a never-retransmitted segment below the highest SACK
     * is reordering (tcp_clean_rtx_queue -> tcp_check_sack_reordering: TCPSACKReorder, reord_seen).
     */
    @Test
    void reorderingWithinTheRackWindowIsNotRetransmittedAndIsCountedAsReordering() {
        try (TcpLab lab = new TcpLab(13)) {
            TcpPeer p = peer(lab, true, null);
            p.write(10_000);
            lab.run(RTT);
            p.out();
            assertEquals(List.of(), ackAndSee(p, 1, 1001, 2001));
            assertEquals(TcpCaState.DISORDER, p.sk.caState());
            assertEquals(List.of(), ackAndSee(p, 3001));
            assertEquals(List.of(), ackAndSee(p, 10001));
            lab.run(SimTime.millis(10));
            assertEquals(List.of(), p.ranges(p.out()));
            assertEquals(0, p.info().totalRetrans());
            assertEquals(1, ext(lab.b, "TCPSACKReorder"));
            assertEquals(1, p.info().reordSeen());
            assertEquals(0, ext(lab.b, "TCPSackRecovery"));
        }
    }

    /**
     * The same path reordering segment 1 behind three others, with RACK off
     * (tcp_recovery=0): the duplicate-ACK threshold (sacked_out + 1 > reordering) starts a
     * recovery and retransmits segment 1 needlessly; the receiver's D-SACK for it (RFC 2883)
     * accounts for the only retransmission (undo_retrans 0) and tcp_try_undo_dsack restores the
     * window: TCPDSACKUndo.
     */
    @Test
    void withRackOffDupthreshRetransmitsSpuriouslyAndDsackUndoesIt() {
        try (TcpLab lab = new TcpLab(14)) {
            lab.b.sysctl("net.ipv4.tcp_recovery", 0);
            TcpPeer p = peer(lab, true, null);
            p.write(10_000); // nothing new to send: every segment seen is a retransmission
            lab.run(RTT);
            p.out();
            assertEquals(List.of(), ackAndSee(p, 1, 1001, 2001));
            assertEquals(List.of(), ackAndSee(p, 1, 1001, 3001));
            assertEquals("1:1001", ackAndSee(p, 1, 1001, 4001).get(0), "dupthresh: fast retransmit");
            assertEquals(TcpCaState.RECOVERY, p.sk.caState());
            assertEquals(7, p.sk.sndSsthresh());
            ackAndSee(p, 4001); // the original segment 1 arrives
            ackAndSee(p, 4001, 1, 1001); // then the retransmission: D-SACK
            assertEquals(1, ext(lab.b, "TCPDSACKRecv"));
            assertEquals(1, ext(lab.b, "TCPDSACKUndo"));
            assertEquals(TcpCaState.OPEN, p.sk.caState());
            assertEquals(10, p.sk.sndCwnd(), "undo: max(cwnd, prior_cwnd)");
            assertEquals(TcpInfo.TCP_INFINITE_SSTHRESH, p.sk.sndSsthresh(), "prior_ssthresh restored");
        }
    }

    /**
     * With RACK and reordering already seen, reo_wnd stays min_rtt/4 even with three segments
     * SACKed (tcp_rack_reo_wnd): a segment overtaken by three is not retransmitted if its
     * cumulative ACK comes soon enough.
     */
    @Test
    void onceReorderingWasSeenRackToleratesThreeSacksAboveAHole() {
        try (TcpLab lab = new TcpLab(15)) {
            TcpPeer p = peer(lab, true, null);
            p.write(10_000);
            lab.run(RTT);
            p.out();
            ackAndSee(p, 1, 1001, 2001);
            ackAndSee(p, 3001);
            assertEquals(1, p.info().reordSeen());
            assertEquals(List.of(), ackAndSee(p, 3001, 4001, 5001));
            assertEquals(List.of(), ackAndSee(p, 3001, 4001, 6001));
            assertEquals(List.of(), ackAndSee(p, 3001, 4001, 7001));
            assertEquals(TcpCaState.DISORDER, p.sk.caState());
            assertEquals(List.of(), ackAndSee(p, 10001));
            assertEquals(0, p.info().totalRetrans());
            assertEquals(0, ext(lab.b, "TCPSackRecovery"));
            assertEquals(2, p.info().reordSeen());
            assertEquals(2, ext(lab.b, "TCPSACKReorder"));
        }
    }

    // ---------------------------------------------------------------- TLP, RTO, F-RTO

    /**
     * The last of four segments is lost (RFC 8985 7): with one segment out the probe timeout is
     * 2 srtt + 200 ms (tcp_schedule_loss_probe), bounded by the RTO; the probe resends the last
     * segment (no new data), the RTO never fires. The ACK of the probe equals tlp_high_seq; the
     * next ACK beyond it shows the probe repaired a loss (tcp_process_tlp_ack):
     * TCPLossProbeRecovery, and the window is reduced once (CWR).
     */
    @Test
    void aTailLossIsRepairedByALossProbeBeforeTheRto() {
        try (TcpLab lab = new TcpLab(16)) {
            TcpPeer p = peer(lab, true, null);
            p.write(4000);
            lab.run(RTT);
            assertEquals(segs(1, 4), p.ranges(p.out()));
            p.ack(3001);
            lab.run(HOP);
            long acked = lab.now();
            lab.run(SimTime.millis(400));
            List<TcpLab.Seg> out = p.out();
            assertEquals(List.of("3001:4001"), p.ranges(out));
            assertTrue(out.get(0).time() - acked >= SimTime.millis(200), "one segment out: 200 ms for a delayed ACK");
            assertEquals(1, ext(lab.b, "TCPLossProbes"));
            assertEquals(0, ext(lab.b, "TCPTimeouts"));
            ackAndSee(p, 4001);
            assertEquals(0, ext(lab.b, "TCPLossProbeRecovery"), "an ACK up to tlp_high_seq proves nothing yet");
            p.write(1000);
            lab.run(HOP);
            assertEquals(List.of("4001:5001"), p.ranges(p.out()));
            int cwnd = p.sk.sndCwnd();
            ackAndSee(p, 5001);
            assertEquals(1, ext(lab.b, "TCPLossProbeRecovery"));
            assertEquals(TcpCaState.OPEN, p.sk.caState());
            assertEquals(p.sk.sndSsthresh(), p.sk.sndCwnd());
            assertTrue(p.sk.sndCwnd() < cwnd);
        }
    }

    /**
     * A spurious timeout (RFC 5682): the receiver's ACKs are held past the RTO, segment 1 is
     * retransmitted (Loss), then the ACK of segments 1 and 2 arrives. Segment 2 was never
     * retransmitted: F-RTO step 3.b (FLAG_ORIG_SACK_ACKED in tcp_process_loss) calls it
     * spurious, undoes (TCPSpuriousRTOs, TCPLossUndo) and restores cwnd and ssthresh. No SACK:
     * there is no loss probe to run first.
     */
    @Test
    void aSpuriousRtoIsDetectedByFrtoAndTheWindowRestored() {
        try (TcpLab lab = new TcpLab(17)) {
            TcpPeer p = peer(lab, false, null);
            p.write(20_000);
            lab.run(RTT);
            assertEquals(segs(1, 10), p.ranges(p.out()));
            lab.run(p.sk.rto() + RTT);
            assertEquals(List.of("1:1001"), p.ranges(p.out()));
            assertEquals(1, ext(lab.b, "TCPTimeouts"));
            assertEquals(TcpCaState.LOSS, p.sk.caState());
            assertEquals(4, p.info().caState().number());
            assertEquals(1, p.sk.sndCwnd());
            // segment 1's ACK: without SACK a cumulative ACK covering a retransmission proves
            // nothing (tcp_clean_rtx_queue clears FLAG_ORIG_SACK_ACKED for Reno); F-RTO step 2.b
            // sends new data instead, with the window slow start made of the two segments acked
            assertEquals(segs(10001, 3), ackAndSee(p, 2001));
            assertEquals(0, ext(lab.b, "TCPSpuriousRTOs"));
            assertEquals(TcpCaState.LOSS, p.sk.caState());
            // segment 3 was never retransmitted: step 3.b, the timeout was spurious
            ackAndSee(p, 3001);
            assertEquals(1, ext(lab.b, "TCPSpuriousRTOs"));
            assertEquals(1, ext(lab.b, "TCPLossUndo"));
            assertEquals(TcpCaState.OPEN, p.sk.caState());
            assertTrue(p.sk.sndCwnd() >= 10, "undo: max(cwnd, prior_cwnd), then the ACK's own growth");
            assertEquals(TcpInfo.TCP_INFINITE_SSTHRESH, p.sk.sndSsthresh());
        }
    }

    /**
     * Everything in flight lost: the RTO retransmits the head and enters Loss (tcpi_ca_state 4),
     * cwnd 1, ssthresh 7 (cubic of 10). The retransmission's ACK carries nothing new (F-RTO finds
     * no new data to send, so falls back), and the rest goes out in slow start: 2, then 4
     * segments, each counted in TCPSlowStartRetrans (tcp_xmit_retransmit_queue in Loss).
     */
    @Test
    void anRtoWithEverythingLostEntersLossAndRetransmitsInSlowStart() {
        try (TcpLab lab = new TcpLab(18)) {
            TcpPeer p = peer(lab, false, null);
            p.write(10_000);
            lab.run(RTT);
            assertEquals(segs(1, 10), p.ranges(p.out()));
            lab.run(p.sk.rto() + RTT);
            assertEquals(List.of("1:1001"), p.ranges(p.out()));
            assertEquals(4, p.info().caState().number());
            assertEquals(10, p.info().lost());
            assertEquals(1, p.info().retrans());
            assertEquals(7, p.sk.sndSsthresh());
            assertEquals(0, ext(lab.b, "TCPSlowStartRetrans"), "the timer's own retransmission is not counted there");
            assertEquals(segs(1001, 2), ackAndSee(p, 1001));
            assertEquals(2, ext(lab.b, "TCPSlowStartRetrans"));
            assertEquals(segs(3001, 4), ackAndSee(p, 3001));
            assertEquals(6, ext(lab.b, "TCPSlowStartRetrans"));
            assertEquals(TcpCaState.LOSS, p.sk.caState());
            assertEquals(segs(7001, 3), ackAndSee(p, 7001));
            ackAndSee(p, 10001);
            // without SACK, Loss is held until something above high_seq is acknowledged
            // (tcp_is_non_sack_preventing_reopen)
            assertEquals(TcpCaState.LOSS, p.sk.caState());
            p.write(1000);
            lab.run(HOP);
            assertEquals(List.of("10001:11001"), p.ranges(p.out()));
            ackAndSee(p, 11001);
            assertEquals(TcpCaState.OPEN, p.sk.caState());
            assertEquals(0, ext(lab.b, "TCPSpuriousRTOs"));
            assertEquals(0, ext(lab.b, "TCPLossUndo"));
        }
    }
}
