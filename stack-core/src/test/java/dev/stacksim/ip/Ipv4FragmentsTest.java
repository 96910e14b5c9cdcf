package dev.stacksim.ip;

import dev.stacksim.buf.DropReason;
import dev.stacksim.buf.SkBuff;
import dev.stacksim.dev.FrameTap;
import dev.stacksim.dev.VethPair;
import dev.stacksim.dev.Wire;
import dev.stacksim.host.Host;
import dev.stacksim.host.Lab;
import dev.stacksim.host.PingOptions;
import dev.stacksim.host.PingResult;
import dev.stacksim.sim.SimTime;
import dev.stacksim.wire.IcmpHeader;
import dev.stacksim.wire.Ipv4Address;
import dev.stacksim.wire.Ipv4Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.stacksim.ip.Frames.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Ipv4FragmentsTest {
    private static final long MAC1 = 0x0200_0000_0001L;
    private static final long MAC9 = 0x0200_0000_0009L;
    private static final int MF = Ipv4Header.FLAG_MF;

    private final Lab lab = new Lab(51);
    private Wire wire;
    private Host h;

    @AfterEach
    void tearDown() {
        if (wire != null) {
            wire.close();
        }
        lab.close();
    }

    /** h = 10.0.0.1 on a wire; the test is 10.0.0.9. */
    private void wired() {
        wire = new Wire(lab.loop, lab.pool, "eth0", MAC1, MAC9);
        h = lab.host("h", wire.hostEnd(), "10.0.0.1/24");
        h.neighbours().addPermanent(h.iface("eth0"), Ipv4Address.parse("10.0.0.9"), MAC9);
        lab.loop.runUntilIdle();
        wire.sent();
    }

    /** An echo request with 16 data bytes: 24 bytes of ICMP, fragmentable at 8 and 16. */
    private static final byte[] ECHO = Frames.echo(8, 0x77, 1,
            new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15});

    private void fragment(int from, int to, boolean more) {
        byte[] part = Arrays.copyOfRange(ECHO, from, to);
        byte[] d = Frames.ipv4("10.0.0.9", "10.0.0.1", 1, 64, 0x4242, (from / 8) | (more ? MF : 0), part);
        wire.inject(Frames.ipFrame(MAC1, MAC9, d));
        lab.loop.runFor(SimTime.millis(1));
    }

    private long c(String name) {
        return h.snmp().get(name);
    }

    @Test
    void pingOf4000BytesIsFragmentedOverMtu1500AndReassembled() {
        VethPair v = lab.veth("eth0", "eth0");
        FrameTap tap = Lab.tap(v.first());
        Host a = lab.host("a", tap, "10.0.0.1/24");
        Host b = lab.host("b", v.second(), "10.0.0.2/24");
        lab.loop.runUntilIdle();
        tap.clear();
        PingResult p = a.ping(Ipv4Address.parse("10.0.0.2"), PingOptions.of(1).withSize(4000));
        assertEquals(PingResult.Outcome.REPLY, p.reply(1).outcome());
        assertEquals(0, p.reply(1).rttNanos());
        List<byte[]> out = new ArrayList<>();
        for (FrameTap.Frame f : tap.sent()) {
            if (Frames.etherType(f.bytes()) == 0x0800) {
                out.add(f.bytes());
            }
        }
        assertEquals(3, out.size());
        int[] lengths = {1514, 1514, 1082};
        int[] offsets = {0, 1480, 2960};
        int id = Frames.ipOf(out.get(0)).identification();
        for (int i = 0; i < 3; i++) {
            Ipv4Header ip = Frames.ipOf(out.get(i));
            assertEquals(lengths[i], out.get(i).length);
            assertEquals(offsets[i], ip.fragmentOffsetBytes());
            assertEquals(i < 2, ip.moreFragments());
            assertFalse(ip.dontFragment(), "too big for the MTU: sent without DF and fragmented (PMTUDISC_WANT)");
            assertEquals(id, ip.identification());
            assertTrue(ip.verifyChecksum());
        }
        assertEquals(1, a.snmp().get("IpFragOKs"));
        assertEquals(3, a.snmp().get("IpFragCreates"));
        assertEquals(1, a.snmp().get("IpOutRequests"));
        assertEquals(3, a.snmp().get("IpOutTransmits"));
        assertEquals(3, b.snmp().get("IpReasmReqds"));
        assertEquals(1, b.snmp().get("IpReasmOKs"));
        assertEquals(1, b.snmp().get("IpInDelivers"));
        assertEquals(1, b.snmp().get("IpFragOKs"), "the 4008-byte reply is fragmented too");
        assertEquals(3, b.snmp().get("IpFragCreates"));
        assertEquals(3, a.snmp().get("IpReasmReqds"));
        assertEquals(1, a.snmp().get("IpReasmOKs"));
        assertEquals(0, b.ip().fragments().queueCount());
        assertEquals(0, b.ip().fragments().memBytes());
    }

    @Test
    void fragmentsArrivingOutOfOrderAreReassembled() {
        wired();
        fragment(16, 24, false);
        fragment(0, 8, true);
        assertEquals(1, h.ip().fragments().queueCount());
        assertTrue(h.ip().fragments().memBytes() > 0);
        fragment(8, 16, true);
        List<byte[]> sent = wire.sentBytes();
        assertEquals(1, sent.size(), "the echo reply");
        assertEquals(0, Frames.icmpOf(sent.get(0)).type());
        assertEquals(hex(Arrays.copyOfRange(ECHO, 8, 24)), hex(sent.get(0)).substring(2 * (14 + 20 + 8)));
        assertEquals(3, c("IpReasmReqds"));
        assertEquals(1, c("IpReasmOKs"));
        assertEquals(0, h.ip().fragments().queueCount());
        assertEquals(0, h.ip().fragments().memBytes());
    }

    @Test
    void timeoutWithTheFirstFragmentSendsTimeExceededReassembly() {
        wired();
        fragment(0, 8, true);
        lab.loop.runFor(SimTime.seconds(30) - SimTime.millis(2));
        assertTrue(wire.sent().isEmpty());
        assertEquals(0, c("IpReasmTimeout"));
        lab.loop.runFor(SimTime.millis(2));
        List<FrameTap.Frame> sent = wire.sent();
        assertEquals(1, sent.size());
        assertEquals(SimTime.seconds(30), sent.get(0).time(), "30 s (ipfrag_time) after the first fragment");
        byte[] f = sent.get(0).bytes();
        IcmpHeader icmp = Frames.icmpOf(f);
        assertEquals(11, icmp.type());
        assertEquals(1, icmp.code(), "fragment reassembly time exceeded");
        assertEquals(Ipv4Address.parse("10.0.0.9").toInt(), Frames.ipOf(f).dstAddr());
        assertEquals(20 + 8, icmp.dataLen(), "quotes the fragment: its header and its 8 bytes");
        assertEquals(1, c("IpReasmTimeout"));
        assertEquals(1, c("IpReasmFails"));
        assertEquals(1, c("IcmpOutTimeExcds"));
        assertEquals(1, lab.pool.drops(DropReason.FRAG_REASM_TIMEOUT));
    }

    @Test
    void timeoutWithoutTheFirstFragmentSendsNothing() {
        wired();
        fragment(8, 16, true);
        fragment(16, 24, false);
        lab.loop.runFor(SimTime.seconds(31));
        assertTrue(wire.sent().isEmpty());
        assertEquals(1, c("IpReasmTimeout"));
        assertEquals(2, lab.pool.drops(DropReason.FRAG_REASM_TIMEOUT));
    }

    @Test
    void ipfragTimeSetsTheTimeout() {
        wired();
        h.sysctl("net.ipv4.ipfrag_time", 5);
        fragment(0, 8, true);
        lab.loop.runFor(SimTime.seconds(5));
        assertEquals(1, c("IpReasmTimeout"));
    }

    @Test
    void partialOverlapDiscardsTheWholeDatagram() {
        wired();
        fragment(0, 16, true);
        byte[] part = Arrays.copyOfRange(ECHO, 8, 24);
        wire.inject(Frames.ipFrame(MAC1, MAC9, Frames.ipv4("10.0.0.9", "10.0.0.1", 1, 64, 0x4242, 1, part)));
        lab.loop.runFor(SimTime.millis(1));
        assertEquals(1, c("IpExtReasmOverlaps"));
        assertEquals(1, c("IpReasmFails"));
        assertEquals(0, h.ip().fragments().queueCount());
        assertEquals(1, lab.pool.drops(DropReason.FRAG_REASM_TIMEOUT), "the queued fragment");
        assertEquals(1, lab.pool.drops(DropReason.DUP_FRAG), "the offending one");
        assertTrue(wire.sent().isEmpty());
    }

    @Test
    void exactDuplicateIsDroppedAloneAndReassemblyCompletes() {
        wired();
        fragment(0, 16, true);
        fragment(0, 16, true);
        fragment(8, 16, true);
        assertEquals(2, lab.pool.drops(DropReason.DUP_FRAG));
        assertEquals(0, c("IpReasmFails"));
        fragment(16, 24, false);
        assertEquals(1, c("IpReasmOKs"));
        assertEquals(1, wire.sent().size());
    }

    @Test
    void lastFragmentEndingBeforeDataAlreadySeenDiscards() {
        wired();
        fragment(0, 16, true);
        fragment(8, 12, false);
        assertEquals(1, c("IpReasmFails"));
        assertEquals(0, h.ip().fragments().queueCount());
    }

    @Test
    void fragmentsBeyondTheMemoryLimitAreDropped() {
        wired();
        h.sysctl("net.ipv4.ipfrag_low_thresh", 0);
        h.sysctl("net.ipv4.ipfrag_high_thresh", 1);
        fragment(0, 8, true);
        fragment(8, 16, true);
        assertEquals(2, c("IpReasmReqds"));
        assertEquals(1, c("IpReasmFails"));
        assertEquals(1, lab.pool.drops(DropReason.NOMEM));
        assertEquals(1, h.ip().fragments().queueCount());
    }

    @Test
    void dfDatagramTooBigForTheDeviceIsRefusedWithLocalFragmentationNeeded() {
        VethPair v = lab.veth("eth0", "eth0");
        Host a = lab.host("a", v.first(), "10.0.0.1/24");
        lab.host("b", v.second(), "10.0.0.2/24");
        List<int[]> errors = new ArrayList<>();
        a.ip().registerProtocol(253, new IpProtocolHandler() {
            @Override
            public void receive(SkBuff skb) {
                skb.consume();
            }

            @Override
            public void error(SkBuff skb, int type, int code, int info) {
                int quotedDst = skb.getInt(skb.data() + Ipv4Header.DST_ADDR_OFFSET);
                errors.add(new int[] {type, code, info, quotedDst});
            }
        });
        assertEquals(XmitResult.MSG_SIZE, SkBuffs.send(a, null, "10.0.0.2", 253, 2000, 0, true));
        lab.loop.runUntilIdle();
        assertEquals(1, a.snmp().get("IpFragFails"));
        assertEquals(1, a.snmp().get("IcmpOutDestUnreachs"));
        assertEquals(1, a.snmp().get("IcmpInDestUnreachs"));
        assertEquals(1, errors.size());
        assertEquals(List.of(3, 4, 1500, Ipv4Address.parse("10.0.0.2").toInt()),
                List.of(errors.get(0)[0], errors.get(0)[1], errors.get(0)[2], errors.get(0)[3]));
    }
}
