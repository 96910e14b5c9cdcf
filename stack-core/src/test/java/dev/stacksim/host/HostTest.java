package dev.stacksim.host;

import dev.stacksim.buf.DropReason;
import dev.stacksim.buf.SkBuff;
import dev.stacksim.dev.DeviceContext;
import dev.stacksim.dev.DeviceStats;
import dev.stacksim.dev.FrameTap;
import dev.stacksim.dev.NetDevice;
import dev.stacksim.dev.TxResult;
import dev.stacksim.dev.VethPair;
import dev.stacksim.dev.Wire;
import dev.stacksim.ip.Ipv4;
import dev.stacksim.ip.NudState;
import dev.stacksim.sim.SimTime;
import dev.stacksim.wire.IpProtocol;
import dev.stacksim.wire.Ipv4Address;
import dev.stacksim.wire.Ipv4Cidr;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HostTest {
    private final Lab lab = new Lab(71);

    @AfterEach
    void tearDown() {
        lab.close();
    }

    private Host bare(String name) {
        return lab.add(Host.builder(lab.loop, lab.pool, name).build());
    }

    @Test
    void everyHostHasLoAtIfindexOneWith127001() {
        Host h = bare("h");
        Interface lo = h.loopback();
        assertSame(lo, h.iface(1));
        assertSame(lo, h.iface("lo"));
        assertEquals("lo", lo.name());
        assertEquals(65536, lo.mtu());
        assertEquals(List.of(Ipv4Cidr.parse("127.0.0.1/8")), lo.addresses());
        assertEquals("1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN qlen 1000\n"
                + "    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n"
                + "    inet 127.0.0.1/8 scope host lo\n"
                + "       valid_lft forever preferred_lft forever\n", h.ipAddr());
        assertEquals("", h.ipRoute(), "lo adds nothing to the main table");
        assertEquals("local 127.0.0.0/8 dev lo proto kernel scope host src 127.0.0.1\n"
                + "local 127.0.0.1 dev lo proto kernel scope host src 127.0.0.1\n"
                + "broadcast 127.255.255.255 dev lo proto kernel scope link src 127.0.0.1\n", h.routes().showLocal());
    }

    @Test
    void pingToSelfGoesThroughLoWithRttZero() {
        VethPair v = lab.veth("eth0", "eth0");
        Host h = lab.host("h", v.first(), "10.0.0.1/24");
        lab.loop.runUntilIdle();
        long ethTx = v.first().stats().txPackets();
        PingResult r = h.ping("127.0.0.1", 3);
        assertArrayEquals(new long[] {0, 0, 0}, r.rtts());
        assertEquals(64, r.reply(1).ttl());
        PingResult own = h.ping("10.0.0.1", 1);
        assertEquals(0, own.reply(1).rttNanos());
        assertEquals(Ipv4Address.parse("10.0.0.1"), own.reply(1).from());
        assertEquals(8, h.loopback().device().stats().txPackets());
        assertEquals(8, h.loopback().device().stats().rxPackets());
        assertEquals(ethTx, v.first().stats().txPackets(), "own addresses never reach eth0");
        assertEquals(4, h.snmp().get("IcmpInEchos"));
        assertEquals(4, h.snmp().get("IcmpInEchoReps"));
    }

    @Test
    void addingAnAddressDerivesLocalBroadcastAndConnectedRoutes() {
        VethPair v = lab.veth("eth0", "eth0");
        Host h = lab.host("h", v.first(), "10.0.0.1/24");
        h.addAddress("eth0", "10.0.0.7/24");
        h.addAddress("eth0", Ipv4Cidr.parse("192.168.9.9/32"));
        assertEquals("10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.1\n", h.ipRoute(),
                "a secondary on the same prefix and a /32 add no prefix route");
        assertEquals("local 10.0.0.1 dev eth0 proto kernel scope host src 10.0.0.1\n"
                + "local 10.0.0.7 dev eth0 proto kernel scope host src 10.0.0.7\n"
                + "broadcast 10.0.0.255 dev eth0 proto kernel scope link src 10.0.0.1\n"
                + "local 127.0.0.0/8 dev lo proto kernel scope host src 127.0.0.1\n"
                + "local 127.0.0.1 dev lo proto kernel scope host src 127.0.0.1\n"
                + "broadcast 127.255.255.255 dev lo proto kernel scope link src 127.0.0.1\n"
                + "local 192.168.9.9 dev eth0 proto kernel scope host src 192.168.9.9\n", h.routes().showLocal());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> h.addAddress("eth0", "10.0.0.7/24"));
        assertTrue(e.getMessage().startsWith("RTNETLINK answers: File exists"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> h.addAddress("eth9", "10.0.0.8/24"));
        assertEquals("Cannot find device \"eth9\" on h", e.getMessage());
    }

    @Test
    void routesAreAddedAsIpRouteTakesThem() {
        VethPair v = lab.veth("eth0", "eth0");
        Host h = lab.host("h", v.first(), "10.0.0.1/24");
        h.addRoute("default via 10.0.0.254");
        h.addRoute("10.1.0.0/16 via 10.0.0.253 metric 100");
        h.addRoute("192.168.5.0/24 dev eth0");
        h.addRoute("172.16.0.9 via 10.0.0.252 dev eth0");
        assertEquals("default via 10.0.0.254 dev eth0\n"
                + "10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.1\n"
                + "10.1.0.0/16 via 10.0.0.253 dev eth0 metric 100\n"
                + "172.16.0.9 via 10.0.0.252 dev eth0\n"
                + "192.168.5.0/24 dev eth0 scope link\n", h.ipRoute());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> h.addRoute("10.2.0.0/16 via 10.9.9.9"));
        assertTrue(e.getMessage().startsWith("Error: Nexthop has invalid gateway."), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> h.addRoute("10.3.0.0/16 over 10.0.0.1"));
        assertThrows(IllegalArgumentException.class, () -> h.addRoute("10.3.0.0/16 via"));
        assertThrows(IllegalArgumentException.class, () -> h.addRoute("10.3.0.0/16"));
        e = assertThrows(IllegalArgumentException.class, () -> h.addRoute("default via 10.0.0.250"));
        assertTrue(e.getMessage().startsWith("RTNETLINK answers: File exists"), e.getMessage());
    }

    @Test
    void builderAppliesSysctlsDevicesAddressesAndRoutesInOrder() {
        VethPair v = lab.veth("eth0", "eth0");
        VethPair w = lab.veth("eth1", "eth1");
        Host r = lab.add(Host.builder(lab.loop, lab.pool, "r")
                .sysctl("net.ipv4.ip_forward", 1)
                .sysctl("net.ipv4.ip_local_port_range", "40000 40999")
                .device(v.first()).device(w.first())
                .address("eth0", "10.0.0.1/24").address("eth1", "10.0.1.1/24")
                .route("default via 10.0.1.254")
                .build());
        assertEquals(1, r.sysctl().getInt("net.ipv4.ip_forward"));
        assertEquals(2, r.iface("eth0").ifindex());
        assertEquals(3, r.iface("eth1").ifindex());
        assertEquals("eth1", r.routes().lookup(Ipv4Address.parse("8.8.8.8").toInt()).dev());
        assertEquals(List.of("lo", "eth0", "eth1"), r.interfaces().stream().map(Interface::name).toList());
        assertThrows(IllegalArgumentException.class, () -> r.addDevice(lab.veth("eth0", "x").first()));
        assertThrows(IllegalArgumentException.class, () -> Host.builder(lab.loop, lab.pool, ""));
    }

    @Test
    void unhandledEtherTypeIsCountedAndDropped() {
        try (Wire wire = new Wire(lab.loop, lab.pool, "eth0", 0x0200_0000_0001L, 0x0200_0000_0009L)) {
            Host h = lab.host("h", wire.hostEnd(), "10.0.0.1/24");
            byte[] ipv6 = new byte[54];
            ipv6[5] = 1;
            ipv6[0] = 2;
            ipv6[12] = (byte) 0x86;
            ipv6[13] = (byte) 0xDD;
            wire.inject(ipv6);
            byte[] ieee8023 = ipv6.clone();
            ieee8023[12] = 0;
            ieee8023[13] = 40;
            wire.inject(ieee8023);
            wire.inject(new byte[] {2, 0, 0, 0, 0, 1, 2, 0, 0, 0});
            lab.loop.runUntilIdle();
            assertEquals(2, h.iface("eth0").rxNohandler());
            assertEquals(2, lab.pool.drops(DropReason.UNHANDLED_PROTO));
            assertEquals(1, h.iface("eth0").rxDropped());
            assertEquals(1, lab.pool.drops(DropReason.PKT_TOO_SMALL));
            assertEquals(0, h.snmp().get("IpInReceives"));
        }
    }

    /** A NIC whose TX ring holds {@code room} frames: BUSY when full; {@link #complete()} empties it and wakes the queue. */
    static final class SlowNic implements NetDevice {
        final List<SkBuff> ring = new ArrayList<>();
        final List<Integer> sentIds = new ArrayList<>();
        final DeviceStats stats = new DeviceStats();
        final int room;
        DeviceContext ctx;
        int ifindex;
        boolean up;

        SlowNic(int room) {
            this.room = room;
        }

        void complete() {
            for (SkBuff s : ring) {
                sentIds.add(s.getUnsignedShort(s.data() + 14 + 4));
                s.consume();
            }
            ring.clear();
            ctx.wakeQueue(this);
        }

        @Override public String name() { return "eth0"; }
        @Override public int type() { return ARPHRD_ETHER; }
        @Override public long macAddress() { return 0x0200_0000_0001L; }
        @Override public int mtu() { return 1500; }
        @Override public void open(DeviceContext c, int i) { ctx = c; ifindex = i; up = true; }
        @Override public int ifindex() { return ifindex; }
        @Override public boolean isUp() { return up; }
        @Override public DeviceStats stats() { return stats; }

        @Override
        public void stop() {
            up = false;
            ring.forEach(s -> s.free(DropReason.QUEUE_PURGE));
            ring.clear();
        }

        @Override
        public TxResult startXmit(SkBuff skb) {
            if (ring.size() >= room) {
                return TxResult.BUSY;
            }
            ring.add(skb);
            return TxResult.OK;
        }
    }

    @Test
    void busyDeviceQueuesInTheQdiscUntilItWakesTheQueue() {
        SlowNic nic = new SlowNic(1);
        Host h = lab.add(Host.builder(lab.loop, lab.pool, "h").device(nic).address("eth0", "10.0.0.1/24").build());
        h.neighbours().addPermanent(h.iface("eth0"), Ipv4Address.parse("10.0.0.2"), 0x0200_0000_0002L);
        nic.complete(); // the gratuitous ARP
        nic.sentIds.clear();
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            SkBuff skb = lab.pool.alloc(Ipv4.MAX_HEADER, 8).putBytes(new byte[8]);
            h.ip().queueXmit(skb, 0, Ipv4Address.parse("10.0.0.2").toInt(), 253, 0, 0, false);
        }
        assertEquals(1, nic.ring.size());
        assertTrue(h.iface("eth0").qdisc().isStopped());
        assertEquals(3, h.iface("eth0").qdisc().qlen());
        nic.complete();
        assertEquals(1, nic.ring.size());
        assertEquals(2, h.iface("eth0").qdisc().qlen());
        nic.complete();
        nic.complete();
        nic.complete();
        assertEquals(0, h.iface("eth0").qdisc().qlen());
        assertFalse(h.iface("eth0").qdisc().isStopped());
        assertEquals(4, nic.sentIds.size());
        for (int i = 1; i < 4; i++) {
            ids.add(nic.sentIds.get(i) - nic.sentIds.get(i - 1));
        }
        assertEquals(List.of(1, 1, 1), ids, "sent in order: IP identifications one apart");
        assertEquals(5, h.iface("eth0").qdisc().sentPackets(), "the four and the gratuitous ARP");
    }

    @Test
    void fullQdiscDropsAreCountedThere() {
        SlowNic nic = new SlowNic(0);
        Host h = lab.add(Host.builder(lab.loop, lab.pool, "h").device(nic).address("eth0", "10.0.0.1/24").build());
        h.iface("eth0").qdisc().setLimit(2);
        h.neighbours().addPermanent(h.iface("eth0"), Ipv4Address.parse("10.0.0.2"), 0x0200_0000_0002L);
        for (int i = 0; i < 3; i++) {
            SkBuff skb = lab.pool.alloc(Ipv4.MAX_HEADER, 8).putBytes(new byte[8]);
            h.ip().queueXmit(skb, 0, Ipv4Address.parse("10.0.0.2").toInt(), 253, 0, 0, false);
        }
        assertEquals(2, h.iface("eth0").qdisc().qlen(), "the GARP and one datagram");
        assertEquals(2, h.iface("eth0").qdisc().dropped());
        assertEquals(2, lab.pool.drops(DropReason.QDISC_DROP));
    }

    @Test
    void closeFreesEveryQueueAndRefusesFurtherWork() {
        VethPair v = lab.veth("eth0", "eth0");
        Host h = lab.host("h", v.first(), "10.0.0.1/24");
        Host peer = lab.host("peer", v.second(), "10.0.0.2/24");
        SkBuff skb = lab.pool.alloc(Ipv4.MAX_HEADER, 8).putBytes(new byte[8]);
        h.ip().queueXmit(skb, 0, Ipv4Address.parse("10.0.0.3").toInt(), 253, 0, 0, false);
        assertEquals(NudState.INCOMPLETE,
                h.neighbours().lookup(h.iface("eth0"), Ipv4Address.parse("10.0.0.3").toInt()).state());
        var ping = h.pingAsync(Ipv4Address.parse("10.0.0.2"), PingOptions.of(5));
        lab.loop.runFor(SimTime.millis(1500));
        h.close();
        h.close();
        assertTrue(h.isClosed());
        assertTrue(ping.isCompletedExceptionally());
        assertThrows(IllegalStateException.class, () -> h.addAddress("eth0", "10.0.0.9/24"));
        assertEquals(0, lab.pool.outstanding(), "nothing is left alive after both timers ran dry");
        PingResult r = peer.ping("10.0.0.1", 1);
        assertEquals(PingResult.Outcome.LOST, r.reply(1).outcome());
        assertFalse(h.iface("eth0").isUp());
    }

    @Test
    void theSameSeedGivesTheSameFramesAtTheSameTimes() {
        List<String> first = capture(77);
        List<String> second = capture(77);
        assertEquals(first, second);
        assertTrue(first.size() > 4);
    }

    private static List<String> capture(long seed) {
        try (Lab l = new Lab(seed)) {
            VethPair v = VethPair.create("eth0", "eth0", l.loop.random().fork("veth")).delay(SimTime.micros(50));
            FrameTap tap = Lab.tap(v.first());
            Host a = l.host("a", tap, "10.0.0.1/24");
            l.host("b", v.second(), "10.0.0.2/24");
            a.ping("10.0.0.2", 3);
            List<String> out = new ArrayList<>();
            for (FrameTap.Frame f : tap.frames()) {
                out.add(f.time() + (f.outgoing() ? " > " : " < ") + dev.stacksim.ip.Frames.hex(f.bytes()));
            }
            return out;
        }
    }

    @Test
    void icmpIsRegisteredAsProtocolOne() {
        Host h = bare("h");
        assertSame(h.icmp(), h.ip().protocol(IpProtocol.ICMP));
        assertThrows(IllegalArgumentException.class, () -> h.ip().registerProtocol(IpProtocol.ICMP, s -> s.consume()));
        assertEquals("Host[h interfaces=1]", h.toString());
    }

    @Test
    void processesAreSpawnedOnTheHostsSocketLayer() {
        Host h = bare("h");
        dev.stacksim.socket.Process root = h.spawn("init");
        dev.stacksim.socket.Process user = h.spawn("user", 1000);
        assertEquals(0, root.uid());
        assertEquals(1000, user.uid());
        assertSame(h.sockets(), root.layer());
        assertEquals(List.of(root, user), h.sockets().processes());
        assertSame(h.inet(), h.sockets().family(dev.stacksim.socket.SocketConstants.AF_INET));
        assertTrue(h.sockets().family(dev.stacksim.socket.SocketConstants.AF_UNIX) != null);
    }

    @Test
    void theSocketLayersLimitsFollowTheSysctls() {
        Host h = Host.builder(lab.loop, lab.pool, "h").sysctl("net.core.rmem_default", 65536).build();
        lab.add(h);
        assertEquals(65536, h.sockets().config().rmemDefault(), "set before the host started");
        h.sysctl("net.core.wmem_default", 32768);
        h.sysctl("net.core.rmem_max", 1 << 20);
        h.sysctl("net.core.wmem_max", 1 << 21);
        h.sysctl("net.core.somaxconn", 128);
        h.sysctl("net.unix.max_dgram_qlen", 3);
        assertEquals(new dev.stacksim.socket.SocketLayer.Config(65536, 32768, 1 << 20, 1 << 21, 128, 3, 1024),
                h.sockets().config());
        dev.stacksim.socket.Process p = h.spawn("p");
        int fd = p.socket(dev.stacksim.socket.SocketConstants.AF_INET, dev.stacksim.socket.SocketConstants.SOCK_DGRAM, 0);
        assertEquals(65536, p.getsockopt(fd, dev.stacksim.socket.SocketConstants.SOL_SOCKET,
                dev.stacksim.socket.SocketConstants.SO_RCVBUF), "new sockets take rmem_default");
        h.sysctl().reset();
        assertEquals(dev.stacksim.socket.SocketLayer.Config.defaults(), h.sockets().config());
    }

    @Test
    void closeEndsEveryProcessFirst() {
        Host h = bare("h");
        dev.stacksim.socket.Process p = h.spawn("p");
        int[] sv = p.socketpair(dev.stacksim.socket.SocketConstants.AF_UNIX, dev.stacksim.socket.SocketConstants.SOCK_DGRAM, 0);
        p.send(sv[0], new byte[100], 0); // queued, unread: freed by the close
        h.close();
        assertFalse(p.isAlive());
        assertTrue(h.sockets().processes().isEmpty());
        assertThrows(IllegalStateException.class, () -> h.spawn("late"));
    }

    @Test
    void procNetUnixListsTheHostsUnixSocketsFromItsSocketLayer() {
        Host h = bare("h");
        dev.stacksim.socket.Process p = h.spawn("p");
        int fd = p.socket(dev.stacksim.socket.SocketConstants.AF_UNIX, dev.stacksim.socket.SocketConstants.SOCK_DGRAM, 0);
        p.bind(fd, dev.stacksim.socket.SockAddr.unix("/run/h.sock"));
        assertEquals("Num       RefCount Protocol Flags    Type St Inode Path\n"
                + "0000000000000000: 00000002 00000000 00000000 0002 01 12345 /run/h.sock\n", h.procNetUnix());
        assertEquals(h.sockets().procNetUnix(), h.procNetUnix());
        p.close(fd);
        assertEquals("Num       RefCount Protocol Flags    Type St Inode Path\n", h.procNetUnix());
    }
}
