package dev.stacksim.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stacksim.buf.DropReason;
import dev.stacksim.buf.SkBuff;
import dev.stacksim.buf.SkBuffPool;
import dev.stacksim.ip.Frames;
import dev.stacksim.wire.EtherType;
import dev.stacksim.wire.IpProtocol;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HostTraceTest {
    private final SkBuffPool pool = SkBuffPool.create();
    private final Tracer tracer = new Tracer();
    private final TraceRecorder rec = new TraceRecorder();
    private long now = 5_000_000L;
    private final HostTrace trace = new HostTrace("server", tracer, () -> now);

    @AfterEach
    void tearDown() {
        pool.close();
    }

    /** An skb holding {@code bytes}, its data at offset {@code data} of them, headers marked as given. */
    private SkBuff skb(byte[] bytes, int data, int mac, int network) {
        SkBuff skb = pool.alloc(0, bytes.length).putBytes(bytes);
        if (mac >= 0) {
            skb.setMacHeader(mac);
        }
        if (network >= 0) {
            skb.setNetworkHeader(network);
        }
        skb.pull(data);
        return skb;
    }

    private static byte[] udp(int sport, int dport, int payload) {
        byte[] u = new byte[8 + payload];
        u[0] = (byte) (sport >> 8);
        u[1] = (byte) sport;
        u[2] = (byte) (dport >> 8);
        u[3] = (byte) dport;
        u[4] = (byte) ((8 + payload) >> 8);
        u[5] = (byte) (8 + payload);
        return u;
    }

    @Test
    void eventsCarryTheHostAndTheClockAndGoOnlyToListeners() {
        SkBuff unseen = pool.alloc(64, 8);
        trace.skbHop("ip", true, 20, unseen);
        unseen.consume();
        assertFalse(trace.enabled());
        tracer.addListener(rec);
        assertTrue(trace.enabled());
        SkBuff skb = pool.alloc(64, 8);
        skb.put(8);
        skb.push(20);
        trace.skbHop("ip", true, 20, skb);
        now = 6_000_000L;
        trace.stateChange("ARP", "10.0.0.1 dev eth0", "NONE", "INCOMPLETE");
        trace.ringMove("eth0", "tx0", "post", 3);
        trace.packet(true, "UDP", HostTrace.addr(0x0a000001, 4000), "10.0.0.2:9", "length 1");
        skb.consume();
        assertEquals(List.of(
                new TraceEvent.SkbHop(5_000_000L, "server", "ip", true, 20, 44, 28),
                new TraceEvent.StateChange(6_000_000L, "server", "ARP", "10.0.0.1 dev eth0", "NONE", "INCOMPLETE"),
                new TraceEvent.RingMove(6_000_000L, "server", "eth0", "tx0", "post", 3),
                new TraceEvent.Packet(6_000_000L, "server", true, "UDP", "10.0.0.1:4000", "10.0.0.2:9", "length 1")),
                rec.events());
    }

    @Test
    void noneNeverTraces() {
        assertFalse(HostTrace.NONE.enabled());
        HostTrace.NONE.emit(new TraceEvent.RingMove(0, "", "eth0", "rx0", "post", 0));
        assertEquals("", HostTrace.NONE.host());
    }

    @Test
    void aDropNamesTheMethodThatFreedItSkippingDropHelpers() {
        tracer.addListener(rec);
        SkBuff skb = pool.alloc(0, 8).setDropListener(trace);
        skb.put(8);
        dropIt(skb);
        TraceEvent.Drop d = rec.events(TraceEvent.Drop.class).get(0);
        assertEquals("HostTraceTest.aDropNamesTheMethodThatFreedItSkippingDropHelpers", d.where());
        assertEquals(DropReason.QUEUE_PURGE, d.reason());
        assertEquals("server", d.host());
        assertEquals(5_000_000L, d.time());
        assertEquals("length 8", d.what());
    }

    private static void dropIt(SkBuff skb) {
        skb.free(DropReason.QUEUE_PURGE);
    }

    @Test
    void aDropInsideALambdaNamesTheEnclosingMethod() {
        tracer.addListener(rec);
        SkBuff skb = pool.alloc(0, 8).setDropListener(trace);
        Runnable r = () -> skb.free(DropReason.NOMEM);
        r.run();
        assertEquals("HostTraceTest.aDropInsideALambdaNamesTheEnclosingMethod",
                rec.events(TraceEvent.Drop.class).get(0).where());
    }

    @Test
    void summariesStartFromTheOutermostHeaderTheSkbMarks() {
        byte[] dgram = Frames.ipv4("10.0.0.1", "10.0.0.2", IpProtocol.UDP, 64, 1, 0, udp(4000, 9, 5));
        byte[] frame = Frames.ipFrame(0x0200_0000_0002L, 0x0200_0000_0001L, dgram);
        // received and pulled to UDP: the network mark finds the IP header
        assertEquals("10.0.0.1:4000 > 10.0.0.2:9: UDP, length 5", summarise(skb(frame, 34, 0, 14)));
        // a frame no layer has looked at yet (a NIC's drop): read as Ethernet from its data
        assertEquals("10.0.0.1:4000 > 10.0.0.2:9: UDP, length 5", summarise(skb(frame, 0, -1, -1)));

        byte[] echo = Frames.ipv4("10.0.0.2", "10.0.0.1", IpProtocol.ICMP, 64, 2, 0, Frames.echo(0, 7, 1, new byte[56]));
        assertEquals("10.0.0.2 > 10.0.0.1: ICMP echo reply, id 7, seq 1, length 64", summarise(skb(echo, 20, -1, 0)));

        byte[] arp = Frames.arp(1, -1L & 0xFFFF_FFFF_FFFFL, 0x0200_0000_0001L, "10.0.0.1", 0, "10.0.0.2");
        SkBuff a = skb(arp, 14, 0, 14);
        a.setProtocol(EtherType.ARP);
        assertEquals("ARP, Request who-has 10.0.0.2 tell 10.0.0.1, length 28", summarise(a));

        byte[] fragment = Frames.ipv4("10.0.0.1", "10.0.0.2", IpProtocol.UDP, 64, 3, 185, new byte[16]);
        assertEquals("10.0.0.1 > 10.0.0.2: UDP fragment, offset 1480", summarise(skb(fragment, 0, -1, 0)));

        assertEquals("length 3", summarise(skb(new byte[] {1, 2, 3}, 0, -1, -1)));
        assertEquals("IP [bad header] length 20", summarise(skb(new byte[20], 0, -1, 0)));
    }

    private static String summarise(SkBuff skb) {
        String s = HostTrace.summary(skb);
        skb.consume();
        return s;
    }

    @Test
    void addressesPrintAsSsPrintsThem() {
        assertEquals("10.0.0.1:40000", HostTrace.addr(0x0a000001, 40000));
    }

    @Test
    void aTraceNeedsAHostATracerAndAClock() {
        assertThrows(IllegalArgumentException.class, () -> new HostTrace(null, tracer, () -> 0));
        assertThrows(IllegalArgumentException.class, () -> new HostTrace("h", null, () -> 0));
        assertThrows(IllegalArgumentException.class, () -> new HostTrace("h", tracer, null));
    }
}
