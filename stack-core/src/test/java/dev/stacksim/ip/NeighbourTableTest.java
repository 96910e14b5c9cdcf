package dev.stacksim.ip;

import dev.stacksim.buf.DropReason;
import dev.stacksim.dev.FrameTap;
import dev.stacksim.dev.VethPair;
import dev.stacksim.dev.Wire;
import dev.stacksim.host.Host;
import dev.stacksim.host.Lab;
import dev.stacksim.host.PingOptions;
import dev.stacksim.host.PingResult;
import dev.stacksim.sim.SimTime;
import dev.stacksim.wire.IcmpCode;
import dev.stacksim.wire.IcmpType;
import dev.stacksim.wire.Ipv4Address;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static dev.stacksim.ip.Frames.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NeighbourTableTest {
    private final Lab lab = new Lab(21);
    private Host a;
    private Host b;
    private FrameTap tap;

    @AfterEach
    void tearDown() {
        lab.close();
    }

    /** a (10.0.0.1, :01) and b (10.0.0.2, :02) on a veth, with a tap on a's end; GARPs done. */
    private void twoHosts() {
        VethPair v = lab.veth("eth0", "eth0");
        tap = Lab.tap(v.first());
        a = lab.host("a", tap, "10.0.0.1/24");
        b = lab.host("b", v.second(), "10.0.0.2/24");
        lab.loop.runUntilIdle();
        tap.clear();
    }

    private Neighbour entry(Host h, String ip) {
        return h.neighbours().lookup(h.iface("eth0"), Ipv4Address.parse(ip).toInt());
    }

    @Test
    void resolutionSendsThreeBroadcastsOneSecondApartThenFailsWithHostUnreachable() {
        try (Wire w = new Wire(lab.loop, lab.pool, "eth0", 0x0200_0000_0001L, 0x0200_0000_0009L)) {
            Host h = lab.host("h", w.hostEnd(), "10.0.0.1/24");
            lab.loop.runUntilIdle();
            w.sent();
            PingResult r = h.ping("10.0.0.2", 1);
            List<FrameTap.Frame> sent = w.sent();
            assertEquals(3, sent.size());
            for (int i = 0; i < 3; i++) {
                assertEquals(SimTime.seconds(i), sent.get(i).time());
                assertEquals("ffffffffffff", hex(sent.get(i).bytes()).substring(0, 12));
                assertEquals(0x0806, Frames.etherType(sent.get(i).bytes()));
            }
            assertEquals(PingResult.Outcome.ERROR, r.reply(1).outcome());
            assertEquals(IcmpType.DEST_UNREACH, r.reply(1).icmpType());
            assertEquals(IcmpCode.HOST_UNREACH, r.reply(1).icmpCode());
            assertEquals("From 10.0.0.1 icmp_seq=1 Destination Host Unreachable", r.reply(1).text(56));
            assertEquals(SimTime.seconds(3), lab.loop.now(), "FAILED 3 s after the first request");
            assertEquals(NudState.FAILED, entry(h, "10.0.0.2").state());
            assertEquals("10.0.0.2 dev eth0 FAILED\n", h.ipNeigh());
            assertEquals(1, lab.pool.drops(DropReason.NEIGH_FAILED));
            assertEquals(1, h.snmp().get("IcmpOutDestUnreachs"));
            assertEquals(1, h.snmp().get("IcmpInDestUnreachs"));
        }
    }

    @Test
    void failedEntryStartsOverOnTheNextPacket() {
        try (Wire w = new Wire(lab.loop, lab.pool, "eth0", 0x0200_0000_0001L, 0x0200_0000_0009L)) {
            Host h = lab.host("h", w.hostEnd(), "10.0.0.1/24");
            h.ping("10.0.0.2", 1);
            lab.loop.runFor(SimTime.seconds(10));
            w.sent();
            SkBuffs.sendUdpLike(h, null, "10.0.0.2");
            assertEquals(NudState.INCOMPLETE, entry(h, "10.0.0.2").state());
            lab.loop.runUntilIdle();
            assertEquals(3, w.sent().size());
        }
    }

    @Test
    void fullResolutionQueueDropsTheOldest() {
        try (Wire w = new Wire(lab.loop, lab.pool, "eth0", 0x0200_0000_0001L, 0x0200_0000_0009L)) {
            Host h = lab.host("h", w.hostEnd(), "10.0.0.1/24");
            h.sysctl("net.ipv4.neigh.default.unres_qlen_bytes", 1);
            PingResult r = h.ping(Ipv4Address.parse("10.0.0.2"), PingOptions.of(3).withInterval(Duration.ofMillis(100)));
            assertEquals(2, lab.pool.drops(DropReason.NEIGH_QUEUEFULL));
            assertEquals(PingResult.Outcome.LOST, r.reply(1).outcome());
            assertEquals(PingResult.Outcome.LOST, r.reply(2).outcome());
            assertEquals(PingResult.Outcome.ERROR, r.reply(3).outcome());
            assertEquals(1, lab.pool.drops(DropReason.NEIGH_FAILED));
            assertEquals(SimTime.millis(200) + SimTime.seconds(10), lab.loop.now(), "ping lingers 10 s");
        }
    }

    @Test
    void replyMakesTheEntryReachableForTheRandomisedReachableTimeThenStale() {
        twoHosts();
        a.ping("10.0.0.2", 1);
        Neighbour n = entry(a, "10.0.0.2");
        assertEquals(NudState.REACHABLE, n.state());
        assertEquals(0x0200_0000_0002L, n.lladdr());
        long reach = a.neighbours().reachableTimeNanos();
        assertTrue(reach >= SimTime.seconds(15) && reach < SimTime.seconds(45), "0.5x..1.5x of 30 s: " + reach);
        long confirmed = n.confirmed();
        lab.loop.runFor(confirmed + reach - 1 - lab.loop.now());
        assertEquals(NudState.REACHABLE, n.state());
        lab.loop.runFor(1);
        assertEquals(NudState.STALE, n.state());
        assertEquals("10.0.0.2 dev eth0 lladdr 02:00:00:00:00:02 STALE\n", a.ipNeigh());
    }

    @Test
    void reachableTimeIsDrawnFromTheHostsStreamAndRedrawnEvery300Seconds() {
        twoHosts();
        long first = a.neighbours().reachableTimeNanos();
        assertEquals(first, a.neighbours().reachableTimeNanos());
        try (Lab other = new Lab(21)) {
            VethPair v = other.veth("eth0", "eth0");
            Host a2 = other.host("a", v.first(), "10.0.0.1/24");
            assertEquals(first, a2.neighbours().reachableTimeNanos(), "same seed, same host name, same draw");
        }
        assertNotEquals(first, b.neighbours().reachableTimeNanos(), "another host draws its own");
        lab.loop.runFor(SimTime.seconds(300));
        long second = a.neighbours().reachableTimeNanos();
        assertNotEquals(first, second);
        assertTrue(second >= SimTime.seconds(15) && second < SimTime.seconds(45));
    }

    @Test
    void usingAStaleEntryDelaysFiveSecondsThenProbesByUnicastAndBecomesReachable() {
        twoHosts();
        a.ping("10.0.0.2", 1);
        lab.loop.runFor(SimTime.seconds(60));
        Neighbour n = entry(a, "10.0.0.2");
        assertEquals(NudState.STALE, n.state());
        tap.clear();
        long t0 = lab.loop.now();
        PingResult r = a.ping("10.0.0.2", 1);
        assertEquals(PingResult.Outcome.REPLY, r.reply(1).outcome(), "a stale address is used at once");
        assertEquals(0, r.reply(1).rttNanos());
        assertEquals(NudState.DELAY, n.state());
        lab.loop.runFor(t0 + SimTime.seconds(5) - lab.loop.now() - 1);
        assertEquals(NudState.DELAY, n.state());
        lab.loop.runFor(1);
        // PROBE: a unicast request to the known MAC, answered at once, so REACHABLE again.
        assertEquals(NudState.REACHABLE, n.state());
        FrameTap.Frame probe = tap.sent().get(1);
        assertEquals(t0 + SimTime.seconds(5), probe.time());
        assertEquals("020000000002" + "020000000001" + "0806" + "0001080006040001", hex(probe.bytes()).substring(0, 44));
        assertEquals(t0 + SimTime.seconds(5), n.confirmed());
    }

    @Test
    void unansweredProbesFailAfterThreeUnicastRequests() {
        twoHosts();
        a.ping("10.0.0.2", 1);
        lab.loop.runFor(SimTime.seconds(60));
        b.close();
        tap.clear();
        long t0 = lab.loop.now();
        a.ping(Ipv4Address.parse("10.0.0.2"), PingOptions.of(1).withLinger(Duration.ofSeconds(1)));
        lab.loop.runFor(SimTime.seconds(20));
        Neighbour n = entry(a, "10.0.0.2");
        assertEquals(NudState.FAILED, n.state());
        assertEquals(t0 + SimTime.seconds(8), n.updated(), "DELAY 5 s, then 3 probes 1 s apart, FAILED at +8 s");
        List<FrameTap.Frame> sent = tap.sent();
        assertEquals(4, sent.size(), "the echo request, then three probes");
        for (int i = 1; i <= 3; i++) {
            assertEquals(t0 + SimTime.seconds(4 + i), sent.get(i).time());
            assertEquals("020000000002", hex(sent.get(i).bytes()).substring(0, 12), "unicast probe");
        }
    }

    @Test
    void permanentEntrySendsWithoutArp() {
        twoHosts();
        a.neighbours().addPermanent(a.iface("eth0"), Ipv4Address.parse("10.0.0.2"), 0x0200_0000_0002L);
        PingResult r = a.ping("10.0.0.2", 1);
        assertEquals(PingResult.Outcome.REPLY, r.reply(1).outcome());
        assertEquals(0x0800, Frames.etherType(tap.sent().get(0).bytes()));
        lab.loop.runFor(SimTime.seconds(100));
        assertEquals("10.0.0.2 dev eth0 lladdr 02:00:00:00:00:02 PERMANENT\n", a.ipNeigh());
    }

    @Test
    void confirmationKeepsAnEntryReachable() {
        twoHosts();
        a.ping("10.0.0.2", 1);
        long reach = a.neighbours().reachableTimeNanos();
        lab.loop.runFor(reach - SimTime.seconds(1));
        a.neighbours().confirm(a.iface("eth0"), Ipv4Address.parse("10.0.0.2").toInt());
        lab.loop.runFor(SimTime.seconds(2));
        assertEquals(NudState.REACHABLE, entry(a, "10.0.0.2").state());
    }

    @Test
    void flushRemovesAllButPermanentEntries() {
        twoHosts();
        a.ping("10.0.0.2", 1);
        a.neighbours().addPermanent(a.iface("eth0"), Ipv4Address.parse("10.0.0.3"), 0x0200_0000_0003L);
        assertEquals("10.0.0.2 dev eth0 lladdr 02:00:00:00:00:02 REACHABLE\n"
                + "10.0.0.3 dev eth0 lladdr 02:00:00:00:00:03 PERMANENT\n", a.ipNeigh());
        a.neighbours().flush();
        assertNull(entry(a, "10.0.0.2"));
        assertEquals(1, a.neighbours().entries().size());
    }

    /** {@code count} ARP requests for 10.0.0.1 from 10.0.100.0, 10.0.100.1 ..., answered by the host. */
    private void spoofRequests(Wire w, int count) {
        int first = Ipv4Address.parse("10.0.100.0").toInt();
        int me = Ipv4Address.parse("10.0.0.1").toInt();
        for (int i = 0; i < count; i++) {
            w.inject(Frames.arp(1, 0xFFFF_FFFF_FFFFL, 0x0200_0000_0066L, first + i, 0, me));
        }
        lab.loop.runFor(SimTime.millis(1));
        assertEquals(count, w.sent().size(), "each is answered");
    }

    @Test
    void spoofedRequestFloodRefusesNewNeighboursForFiveSecondsThenForcedGcMakesRoom() {
        try (Wire w = new Wire(lab.loop, lab.pool, "eth0", 0x0200_0000_0001L, 0x0200_0000_0009L)) {
            Host h = lab.host("h", w.hostEnd(), "10.0.0.1/16");
            h.neighbours().addPermanent(h.iface("eth0"), Ipv4Address.parse("10.0.0.9"), 0x0200_0000_0009L);
            lab.loop.runFor(SimTime.millis(1));
            w.sent();
            spoofRequests(w, 1024);
            assertEquals(1025, h.neighbours().entries().size());
            assertEquals(1024, h.neighbours().gcEntries(), "permanent entries are exempt");
            // gc_thresh3 reached and every entry updated within 5 s: neighbor table overflow.
            SkBuffs.sendUdpLike(h, null, "10.0.0.2");
            assertNull(entry(h, "10.0.0.2"));
            assertEquals(1, h.neighbours().tableFulls());
            assertEquals(1, lab.pool.drops(DropReason.NOMEM));
            lab.loop.runFor(SimTime.seconds(5));
            // Now the flood is older than 5 s: the oldest 1025 - gc_thresh2 = 513 go.
            SkBuffs.sendUdpLike(h, null, "10.0.0.2");
            assertEquals(NudState.INCOMPLETE, entry(h, "10.0.0.2").state());
            assertEquals(512, h.neighbours().gcEntries());
            assertNull(entry(h, "10.0.102.0"), "the 513th oldest is gone");
            assertEquals(NudState.STALE, entry(h, "10.0.102.1").state(), "the 514th stays");
            assertEquals(NudState.PERMANENT, entry(h, "10.0.0.9").state());
            assertEquals(1, lab.pool.drops(DropReason.NOMEM));
        }
    }

    @Test
    void periodicGcRemovesEntriesUnusedForGcStaleTimeAtOrAboveGcThresh1() {
        try (Wire w = new Wire(lab.loop, lab.pool, "eth0", 0x0200_0000_0001L, 0x0200_0000_0009L)) {
            Host h = lab.host("h", w.hostEnd(), "10.0.0.1/16");
            h.neighbours().addPermanent(h.iface("eth0"), Ipv4Address.parse("10.0.0.9"), 0x0200_0000_0009L);
            lab.loop.runFor(SimTime.millis(1));
            w.sent();
            spoofRequests(w, 128);
            // Runs every base_reachable_time/2 = 15 s; the entries are unused 60 s at the fourth run.
            lab.loop.runFor(SimTime.seconds(59));
            assertEquals(129, h.neighbours().entries().size());
            lab.loop.runFor(SimTime.seconds(2));
            assertEquals("10.0.0.9 dev eth0 lladdr 02:00:00:00:00:09 PERMANENT\n", h.ipNeigh());
            long now = lab.loop.now();
            lab.loop.runUntilIdle();
            assertEquals(now, lab.loop.now(), "below gc_thresh1 the collection stops: the loop is idle");
        }
    }

    @Test
    void belowGcThresh1NothingIsCollected() {
        try (Wire w = new Wire(lab.loop, lab.pool, "eth0", 0x0200_0000_0001L, 0x0200_0000_0009L)) {
            Host h = lab.host("h", w.hostEnd(), "10.0.0.1/16");
            lab.loop.runFor(SimTime.millis(1));
            w.sent();
            spoofRequests(w, 127);
            lab.loop.runFor(SimTime.seconds(3600));
            assertEquals(127, h.neighbours().entries().size());
            assertEquals(NudState.STALE, entry(h, "10.0.100.0").state());
        }
    }

    @Test
    void periodicGcSparesEntriesInUse() {
        try (Wire w = new Wire(lab.loop, lab.pool, "eth0", 0x0200_0000_0001L, 0x0200_0000_0009L)) {
            Host h = lab.host("h", w.hostEnd(), "10.0.0.1/16");
            lab.loop.runFor(SimTime.millis(1));
            w.sent();
            spoofRequests(w, 128);
            lab.loop.runFor(SimTime.seconds(50));
            // Sending through a STALE entry uses it: DELAY, then PROBE at 55 s, answered: REACHABLE.
            SkBuffs.sendUdpLike(h, null, "10.0.100.7");
            lab.loop.runFor(SimTime.seconds(6));
            assertEquals(NudState.PROBE, entry(h, "10.0.100.7").state());
            w.inject(Frames.arp(2, 0x0200_0000_0001L, 0x0200_0000_0066L, "10.0.100.7", 0x0200_0000_0001L, "10.0.0.1"));
            lab.loop.runFor(SimTime.seconds(5));
            assertEquals(1, h.neighbours().entries().size(), "the others were unused for 60 s");
            assertEquals(NudState.REACHABLE, entry(h, "10.0.100.7").state(), "an entry whose timer runs is spared");
        }
    }

    @Test
    void packetsWaitingForResolutionAreFreedWhenTheHostCloses() {
        try (Wire w = new Wire(lab.loop, lab.pool, "eth0", 0x0200_0000_0001L, 0x0200_0000_0009L)) {
            Host h = lab.host("h", w.hostEnd(), "10.0.0.1/24");
            SkBuffs.sendUdpLike(h, null, "10.0.0.2");
            SkBuffs.sendUdpLike(h, null, "10.0.0.2");
            assertEquals(2, entry(h, "10.0.0.2").queueLength());
            h.close();
            assertEquals(2, lab.pool.drops(DropReason.QUEUE_PURGE));
        }
    }
}
