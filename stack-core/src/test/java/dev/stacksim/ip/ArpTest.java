package dev.stacksim.ip;

import dev.stacksim.buf.DropReason;
import dev.stacksim.dev.FrameTap;
import dev.stacksim.dev.VethPair;
import dev.stacksim.dev.Wire;
import dev.stacksim.host.Host;
import dev.stacksim.host.Lab;
import dev.stacksim.sim.SimTime;
import dev.stacksim.wire.Ipv4Address;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.stacksim.ip.Frames.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArpTest {
    private static final long MAC1 = 0x0200_0000_0001L;
    private static final long MAC9 = 0x0200_0000_0009L;
    private static final String BCAST = "ffffffffffff";
    private static final long BROADCAST_MAC = 0xFFFF_FFFF_FFFFL;

    private final Lab lab = new Lab(11);

    @AfterEach
    void tearDown() {
        lab.close();
    }

    /** A host 10.0.0.1 (MAC :01) whose eth0 is a wire the test drives from MAC :09. */
    private Wire wired() {
        return new Wire(lab.loop, lab.pool, "eth0", MAC1, MAC9);
    }

    private static byte[] arp(int op, long eDst, long sha, String spa, long tha, String tpa) {
        return Frames.arp(op, eDst, sha, spa, tha, tpa);
    }

    @Test
    void requestAndReplyBytesOnTheWire() {
        VethPair v = lab.veth("eth0", "eth0");
        FrameTap tap = Lab.tap(v.first());
        Host a = lab.host("a", tap, "10.0.0.1/24");
        lab.host("b", v.second(), "10.0.0.2/24");
        lab.loop.runUntilIdle();
        tap.clear();
        a.ping("10.0.0.2", 1);
        List<FrameTap.Frame> frames = tap.frames();
        // who-has 10.0.0.2 tell 10.0.0.1, broadcast, THA zero
        assertEquals(BCAST + "020000000001" + "0806" + "0001080006040001" + "020000000001" + "0a000001"
                + "000000000000" + "0a000002", hex(frames.get(0).bytes()));
        assertTrue(frames.get(0).outgoing());
        // 10.0.0.2 is-at 02:00:00:00:00:02, unicast back, THA = the asker
        assertEquals("020000000001" + "020000000002" + "0806" + "0001080006040002" + "020000000002" + "0a000002"
                + "020000000001" + "0a000001", hex(frames.get(1).bytes()));
        assertTrue(!frames.get(1).outgoing());
        assertEquals(0x0800, Frames.etherType(frames.get(2).bytes()), "then the echo request");
        assertEquals(4, frames.size());
    }

    @Test
    void gratuitousArpAnnouncesEachAddressAdded() {
        try (Wire w = wired()) {
            Host h = lab.add(Host.builder(lab.loop, lab.pool, "h").device(w.hostEnd()).build());
            h.addAddress("eth0", "10.0.0.1/24");
            h.addAddress("eth0", "192.168.7.1/24");
            lab.loop.runUntilIdle();
            List<byte[]> sent = w.sentBytes();
            assertEquals(2, sent.size());
            assertEquals(BCAST + "020000000001" + "0806" + "0001080006040001" + "020000000001" + "0a000001"
                    + "000000000000" + "0a000001", hex(sent.get(0)));
            assertEquals("c0a80701", hex(sent.get(1)).substring(56, 64));
        }
    }

    @Test
    void requestForOurAddressIsAnsweredAndTheAskerEnteredAsStale() {
        try (Wire w = wired()) {
            Host h = lab.host("h", w.hostEnd(), "10.0.0.1/24");
            lab.loop.runUntilIdle();
            w.sent();
            w.inject(arp(1, BROADCAST_MAC, MAC9, "10.0.0.9", 0, "10.0.0.1"));
            lab.loop.runUntilIdle();
            List<byte[]> sent = w.sentBytes();
            assertEquals(1, sent.size());
            assertEquals("020000000009" + "020000000001" + "0806" + "0001080006040002" + "020000000001" + "0a000001"
                    + "020000000009" + "0a000009", hex(sent.get(0)));
            assertEquals("10.0.0.9 dev eth0 lladdr 02:00:00:00:00:09 STALE\n", h.ipNeigh());
        }
    }


    @Test
    void requestForAnotherAddressIsIgnored() {
        try (Wire w = wired()) {
            Host h = lab.host("h", w.hostEnd(), "10.0.0.1/24");
            lab.loop.runUntilIdle();
            w.sent();
            w.inject(arp(1, BROADCAST_MAC, MAC9, "10.0.0.9", 0, "10.0.0.5"));
            lab.loop.runUntilIdle();
            assertTrue(w.sent().isEmpty());
            assertEquals("", h.ipNeigh());
        }
    }

    @Test
    void unsolicitedReplyCreatesNoEntryButUpdatesAnExistingOne() {
        try (Wire w = wired()) {
            Host h = lab.host("h", w.hostEnd(), "10.0.0.1/24");
            w.inject(arp(2, MAC1, MAC9, "10.0.0.9", MAC1, "10.0.0.1"));
            lab.loop.runUntilIdle();
            assertEquals("", h.ipNeigh(), "arp_accept=0: unsolicited replies are not learned");
            w.inject(arp(1, BROADCAST_MAC, MAC9, "10.0.0.9", 0, "10.0.0.1"));
            lab.loop.runFor(SimTime.seconds(2));
            assertEquals(NudState.STALE, h.neighbours().lookup(h.iface("eth0"), ip("10.0.0.9")).state());
            w.inject(arp(2, MAC1, MAC9, "10.0.0.9", MAC1, "10.0.0.1"));
            lab.loop.runFor(SimTime.millis(1));
            Neighbour n = h.neighbours().lookup(h.iface("eth0"), ip("10.0.0.9"));
            assertEquals(NudState.REACHABLE, n.state());
            assertEquals(SimTime.seconds(2), n.confirmed());
        }
    }

    @Test
    void broadcastReplyDoesNotProveReachability() {
        try (Wire w = wired()) {
            Host h = lab.host("h", w.hostEnd(), "10.0.0.1/24");
            w.inject(arp(1, BROADCAST_MAC, MAC9, "10.0.0.9", 0, "10.0.0.1"));
            lab.loop.runFor(SimTime.seconds(2));
            w.inject(arp(2, BROADCAST_MAC, MAC9, "10.0.0.9", 0, "10.0.0.1"));
            lab.loop.runFor(SimTime.seconds(1));
            assertEquals(NudState.STALE, h.neighbours().lookup(2, ip("10.0.0.9")).state());
        }
    }

    @Test
    void differentAddressWithinLocktimeIsIgnored() {
        try (Wire w = wired()) {
            Host h = lab.host("h", w.hostEnd(), "10.0.0.1/24");
            w.inject(arp(1, BROADCAST_MAC, MAC9, "10.0.0.9", 0, "10.0.0.1"));
            lab.loop.runFor(SimTime.millis(500));
            long other = 0x0200_0000_00AAL;
            w.inject(arp(2, MAC1, other, "10.0.0.9", MAC1, "10.0.0.1"));
            lab.loop.runFor(SimTime.millis(100));
            Neighbour n = h.neighbours().lookup(h.iface("eth0"), ip("10.0.0.9"));
            assertEquals(MAC9, n.lladdr(), "within locktime (1 s) the first answer stays");
            lab.loop.runFor(SimTime.seconds(1));
            w.inject(arp(2, MAC1, other, "10.0.0.9", MAC1, "10.0.0.1"));
            lab.loop.runFor(SimTime.millis(1));
            assertEquals(other, n.lladdr());
            assertEquals(NudState.REACHABLE, n.state());
        }
    }

    @Test
    void duplicateAddressProbeIsAnsweredWithoutLearning() {
        try (Wire w = wired()) {
            Host h = lab.host("h", w.hostEnd(), "10.0.0.1/24");
            lab.loop.runUntilIdle();
            w.sent();
            w.inject(arp(1, BROADCAST_MAC, MAC9, "0.0.0.0", 0, "10.0.0.1"));
            lab.loop.runUntilIdle();
            List<byte[]> sent = w.sentBytes();
            assertEquals(1, sent.size());
            assertEquals("020000000009020000000001080600010800060400020200000000010a000001020000000009" + "00000000",
                    hex(sent.get(0)));
            assertEquals("", h.ipNeigh());
        }
    }

    @Test
    void requestFromAMartianSenderIsNeitherAnsweredNorLearned() {
        try (Wire w = wired()) {
            Host h = lab.host("h", w.hostEnd(), "10.0.0.1/24");
            lab.loop.runUntilIdle();
            w.sent();
            // arp_process routes the request as a datagram from its sender: ip_route_input_noref
            // fails (martian source), so no neigh_event_ns and no reply.
            for (String sender : new String[] {"10.0.0.1", "224.0.0.5", "255.255.255.255", "127.0.0.1", "0.1.2.3"}) {
                w.inject(arp(1, BROADCAST_MAC, 0x0200_0000_0066L, sender, 0, "10.0.0.1"));
            }
            lab.loop.runUntilIdle();
            assertTrue(w.sent().isEmpty());
            assertEquals("", h.ipNeigh());
            assertEquals(0, lab.pool.totalDrops(), "consumed, as Linux's out_consume_skb");
            // A duplicate address probe (sender 0.0.0.0) is still answered (RFC 5227).
            w.inject(arp(1, BROADCAST_MAC, 0x0200_0000_0066L, "0.0.0.0", 0, "10.0.0.1"));
            lab.loop.runUntilIdle();
            assertEquals(1, w.sent().size());
            assertEquals("", h.ipNeigh());
        }
    }

    @Test
    void requestFromAnotherNetworksSenderIsAnsweredWithRpFilterOff() {
        try (Wire w = wired()) {
            Host h = lab.host("h", w.hostEnd(), "10.0.0.1/24");
            lab.loop.runUntilIdle();
            w.sent();
            // rp_filter 0: fib_validate_source only refuses our own addresses.
            w.inject(arp(1, BROADCAST_MAC, MAC9, "192.168.5.5", 0, "10.0.0.1"));
            lab.loop.runUntilIdle();
            assertEquals(1, w.sent().size());
            assertEquals("192.168.5.5 dev eth0 lladdr 02:00:00:00:00:09 STALE\n", h.ipNeigh());
        }
    }

    @Test
    void malformedArpIsDroppedWithAReason() {
        try (Wire w = wired()) {
            lab.host("h", w.hostEnd(), "10.0.0.1/24");
            lab.loop.runUntilIdle();
            w.sent();
            byte[] good = arp(1, BROADCAST_MAC, MAC9, "10.0.0.9", 0, "10.0.0.1");
            w.inject(java.util.Arrays.copyOf(good, 14 + 27));
            byte[] token = good.clone();
            token[15] = 6 + 1; // htype 7
            w.inject(token);
            byte[] op3 = good.clone();
            op3[21] = 3;
            w.inject(op3);
            byte[] loop = arp(1, BROADCAST_MAC, MAC9, "10.0.0.9", 0, "127.0.0.1");
            w.inject(loop);
            lab.loop.runUntilIdle();
            assertTrue(w.sent().isEmpty());
            assertEquals(1, lab.pool.drops(DropReason.HDR_TRUNC));
            assertEquals(3, lab.pool.drops(DropReason.UNHANDLED_PROTO));
        }
    }

    @Test
    void requestSourceIsTheTriggeringPacketsSource() {
        try (Wire w = wired()) {
            Host h = lab.host("h", w.hostEnd(), "10.0.0.1/24");
            h.addAddress("eth0", "10.0.0.100/24");
            lab.loop.runUntilIdle();
            w.sent();
            SkBuffs.sendUdpLike(h, "10.0.0.100", "10.0.0.7");
            lab.loop.runUntilIdle();
            byte[] req = w.sentBytes().get(0);
            assertEquals("0a000064", hex(req).substring(56, 64), "SPA = the queued packet's source");
        }
    }

    static int ip(String s) {
        return Ipv4Address.parse(s).toInt();
    }
}
