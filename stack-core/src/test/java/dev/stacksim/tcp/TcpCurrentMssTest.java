package dev.stacksim.tcp;

import dev.stacksim.buf.DropReason;
import dev.stacksim.sim.SimTime;
import dev.stacksim.wire.TcpHeader;
import dev.stacksim.wire.TcpOptions;
import dev.stacksim.wire.TcpRepr;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SACK blocks take room from the payload ({@code tcp_current_mss}): with timestamps a segment
 * carries 1448 bytes on a 1500-byte MTU, and 12 bytes less beside one block (4 + 8 per block),
 * so that a host sending data while it reports out-of-order data never builds a packet larger
 * than the MTU (which IPv4 output, with DF set, would drop as too big). Found against the real
 * kernel through the TUN bridge: an echo under loss stalled on such drops.
 */
class TcpCurrentMssTest {
    private static final long HOP = SimTime.micros(250);

    /** b's segments carrying data, as {@code start:end} relative ranges with their SACK block count. */
    private static List<String> dataSegments(TcpPeer p, List<TcpLab.Seg> segs) {
        return segs.stream().filter(s -> s.len() > 0)
                .map(s -> (s.seq() - p.irs) + ":" + (s.seq() - p.irs + s.len()) + " sack=" + s.opts().sackBlocks().size())
                .collect(Collectors.toList());
    }

    @Test
    void newDataBesideASackBlockIsCutToLeaveRoomForTheBlock() {
        try (TcpLab lab = new TcpLab(31)) {
            TcpPeer p = TcpPeer.connect(lab, 1460, true, true);
            p.data(1001, 1000); // out of order: b now reports 1001:2001
            lab.run(HOP);
            p.out();
            p.write(1448);
            lab.run(HOP);
            assertEquals(List.of("1:1437 sack=1", "1437:1449 sack=1"), dataSegments(p, p.out()),
                    "1448 bytes: 1436 beside the block, the rest after it");

            p.data(1, 1000); // the hole fills: no block left
            p.ack(1449);
            lab.run(HOP);
            p.out();
            p.write(1448);
            lab.run(HOP);
            assertEquals(List.of("1449:2897 sack=0"), dataSegments(p, p.out()), "a full segment again");
            assertEquals(0, lab.pool.drops(DropReason.PKT_TOO_BIG));
        }
    }

    @Test
    void aRetransmissionCutBeforeTheBlocksAppearedLeavesThemOutRatherThanExceedTheMtu() {
        try (TcpLab lab = new TcpLab(32)) {
            TcpPeer p = TcpPeer.connect(lab, 1460, true, true);
            p.write(1448);
            lab.run(HOP);
            assertEquals(List.of("1:1449 sack=0"), dataSegments(p, p.out()));
            // out-of-order data that does not acknowledge b's segment: it will be sent again
            TcpOptions ts = new TcpOptions(-1, -1, false, true, (int) (lab.now() / 1_000_000L) + 1, 0, List.of(), List.of());
            lab.inject(TcpPeer.PEER, TcpLab.B, new TcpRepr(TcpPeer.PEER_PORT, TcpPeer.PORT, p.iss + 1001, p.irs + 1,
                    TcpHeader.ACK, 65535, 0, ts, 1000), new byte[1000]);
            lab.run(SimTime.millis(1500));
            List<String> again = dataSegments(p, p.out());
            assertFalse(again.isEmpty(), "b retransmits its unacknowledged segment");
            for (String s : again) {
                assertEquals("1:1449 sack=0", s, "1448 bytes and a block would not fit 1500: " + again);
            }
            assertEquals(0, lab.pool.drops(DropReason.PKT_TOO_BIG), "no packet too big for the MTU");
            assertTrue(p.sk.numSacks > 0, "b still holds the block, for its pure ACKs");
        }
    }
}
