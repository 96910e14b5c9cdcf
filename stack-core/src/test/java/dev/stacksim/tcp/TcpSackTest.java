package dev.stacksim.tcp;

import dev.stacksim.sim.SimTime;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.stacksim.socket.SocketConstants.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * SACK (RFC 2018, RFC 2883) on both ends. Receiver: the blocks b puts in its ACKs as Linux
 * builds them ({@code tcp_sack_new_ofo_skb}: the block just changed first, at most
 * {@code TCP_NUM_SACKS} 4 kept; {@code tcp_sack_maybe_coalesce} when a hole fills;
 * {@code tcp_sack_remove} as {@code rcv_nxt} passes them; {@code tcp_dsack_set} placing a
 * duplicate's block first, once), and how many fit the 40 bytes of options
 * ({@code tcp_established_options}: 3 beside timestamps, 4 without). Sender: the scoreboard
 * counts {@code tcp_info} and {@code ss -i} report during a recovery.
 */
class TcpSackTest {
    private static final long HOP = SimTime.micros(250);

    /** Sends {@code len} bytes at {@code seq} and returns b's last ACK in answer. */
    private static TcpLab.Seg send(TcpPeer p, int seq, int len) {
        p.data(seq, len);
        p.lab.run(HOP);
        List<TcpLab.Seg> out = p.out();
        assertFalse(out.isEmpty(), "out-of-order and duplicate data are acknowledged at once");
        return out.get(out.size() - 1);
    }

    private static List<String> sacks(TcpPeer p, int seq, int len) {
        return p.sacks(send(p, seq, len));
    }

    @Test
    void blocksAreSentMostRecentFirstAndThreeFitBesideTimestamps() {
        try (TcpLab lab = new TcpLab(21)) {
            TcpPeer p = TcpPeer.connect(lab, 1012, true, true); // MSS 1000 with timestamps
            TcpLab.Seg a = send(p, 1, 1000);
            assertEquals(1001, p.relAck(a));
            assertEquals(List.of(), p.sacks(a));
            assertEquals(List.of("2001:3001"), sacks(p, 2001, 1000));
            assertEquals(List.of("4001:5001", "2001:3001"), sacks(p, 4001, 1000));
            assertEquals(List.of("6001:7001", "4001:5001", "2001:3001"), sacks(p, 6001, 1000));
            TcpLab.Seg last = send(p, 8001, 1000);
            assertEquals(List.of("8001:9001", "6001:7001", "4001:5001"), p.sacks(last),
                    "four blocks kept, three sent: 40 - 12 (TS) leaves room for 3");
            assertEquals(1001, p.relAck(last));
            assertTrue(last.opts().timestamps());
            assertEquals(4, p.sk.numSacks);
        }
    }

    @Test
    void withoutTimestampsFourBlocksAreSent() {
        try (TcpLab lab = new TcpLab(22)) {
            TcpPeer p = TcpPeer.connect(lab, 1000, true, false);
            send(p, 1, 1000);
            sacks(p, 2001, 1000);
            sacks(p, 4001, 1000);
            sacks(p, 6001, 1000);
            assertEquals(List.of("8001:9001", "6001:7001", "4001:5001", "2001:3001"), sacks(p, 8001, 1000));
            assertEquals(List.of("10001:11001", "8001:9001", "6001:7001", "4001:5001"), sacks(p, 10001, 1000),
                    "a fifth block pushes the oldest out");
        }
    }

    /**
     * Filling 3001:4001 extends block 4001:5001 downwards, which moves to the front, and then
     * swallows 2001:3001 (tcp_sack_maybe_coalesce).
     */
    @Test
    void blocksCoalesceWhenTheHoleBetweenThemFills() {
        try (TcpLab lab = new TcpLab(23)) {
            TcpPeer p = TcpPeer.connect(lab, 1012, true, true);
            send(p, 1, 1000);
            sacks(p, 2001, 1000);
            sacks(p, 4001, 1000);
            sacks(p, 6001, 1000);
            sacks(p, 8001, 1000);
            assertEquals(List.of("2001:5001", "8001:9001", "6001:7001"), sacks(p, 3001, 1000));
            assertEquals(3, p.sk.numSacks);
        }
    }

    /**
     * A duplicate of data already received (RFC 2883 4.1.1): the ACK reports it in a first
     * D-SACK block, followed by the SACK blocks that still fit; the next ACK has none.
     */
    @Test
    void aDuplicateSegmentIsReportedInADsackBlockFirstAndOnlyOnce() {
        try (TcpLab lab = new TcpLab(24)) {
            TcpPeer p = TcpPeer.connect(lab, 1012, true, true);
            send(p, 1, 1000);
            sacks(p, 2001, 1000);
            sacks(p, 4001, 1000);
            TcpLab.Seg d = send(p, 1, 1000);
            assertEquals(1001, p.relAck(d));
            assertEquals(List.of("1:1001", "4001:5001", "2001:3001"), p.sacks(d));
            assertEquals(1, TcpLab.ext(lab.b, "TCPDSACKOldSent"));
            assertEquals(List.of("6001:7001", "4001:5001", "2001:3001"), sacks(p, 6001, 1000));
        }
    }

    /** As rcv_nxt advances past blocks they go; the others keep their order (tcp_sack_remove). */
    @Test
    void blocksAreRemovedAsRcvNxtPassesThem() {
        try (TcpLab lab = new TcpLab(25)) {
            TcpPeer p = TcpPeer.connect(lab, 1012, true, true);
            send(p, 1, 1000);
            sacks(p, 2001, 1000);
            sacks(p, 4001, 1000);
            sacks(p, 6001, 1000);
            TcpLab.Seg a = send(p, 1001, 1000);
            assertEquals(3001, p.relAck(a));
            assertEquals(List.of("6001:7001", "4001:5001"), p.sacks(a));
            a = send(p, 3001, 1000);
            assertEquals(5001, p.relAck(a));
            assertEquals(List.of("6001:7001"), p.sacks(a));
            a = send(p, 5001, 1000);
            assertEquals(7001, p.relAck(a));
            assertEquals(List.of(), p.sacks(a));
            assertEquals(0, p.sk.numSacks);
        }
    }

    // ---------------------------------------------------------------- sender

    /**
     * Ten segments out, the first lost, the next three SACKed: at the third SACK RACK marks the
     * first lost and it is retransmitted. tcp_info then counts unacked 10 (packets_out),
     * sacked 3, lost 1, retrans 1 (in flight) of total 1, ca_state Recovery; ss -i prints them.
     * The cumulative ACK clears them.
     */
    @Test
    void tcpInfoAndSsCountSackedLostAndRetransmittedSegmentsDuringRecovery() {
        try (TcpLab lab = new TcpLab(26)) {
            TcpPeer p = TcpPeer.connect(lab, 1000, true, false,
                    (srv, lfd) -> srv.setsockopt(lfd, SOL_SOCKET, SO_SNDBUF, 1 << 20));
            p.write(10_000);
            lab.run(SimTime.millis(1));
            p.out();
            p.ack(1, 1001, 2001);
            p.ack(1, 1001, 3001);
            lab.run(HOP);
            TcpInfo before = p.info();
            assertEquals(2, before.sacked());
            assertEquals(0, before.lost());
            assertEquals(TcpCaState.DISORDER, before.caState());
            p.ack(1, 1001, 4001);
            lab.run(HOP);
            assertEquals(List.of("1:1001"), p.ranges(p.out()));
            TcpInfo i = p.info();
            assertEquals(10, i.unacked());
            assertEquals(3, i.sacked());
            assertEquals(1, i.lost());
            assertEquals(1, i.retrans());
            assertEquals(1, i.totalRetrans());
            assertEquals(TcpCaState.RECOVERY, i.caState());
            assertEquals(3, i.caState().number());
            String ss = lab.b.ss("-tni");
            for (String field : List.of(" unacked:10 ", " retrans:1/1 ", " lost:1 ", " sacked:3 ")) {
                assertTrue(ss.contains(field), field + " in " + ss);
            }
            p.ack(10001);
            lab.run(HOP);
            i = p.info();
            assertEquals(0, i.unacked());
            assertEquals(0, i.sacked());
            assertEquals(0, i.lost());
            assertEquals(0, i.retrans());
            assertEquals(1, i.totalRetrans());
            assertEquals(TcpCaState.OPEN, i.caState());
        }
    }
}
