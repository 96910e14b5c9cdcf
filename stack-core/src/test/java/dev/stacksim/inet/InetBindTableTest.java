package dev.stacksim.inet;

import dev.stacksim.sim.SimRandom;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InetBindTableTest {
    private static final int A = 0x0A000001;
    private static final int B = 0x7F000001;

    /** A socket as the table sees it. */
    static final class Sk implements InetBindTable.Binder {
        int addr;
        int port;
        boolean reuseAddr;
        boolean reusePort;
        int uid = 1000;
        boolean listening;
        boolean timeWait;
        boolean byConnect;

        Sk(int addr, int port) {
            this.addr = addr;
            this.port = port;
        }

        Sk ra() {
            reuseAddr = true;
            return this;
        }

        Sk rp() {
            reusePort = true;
            return this;
        }

        Sk uid(int u) {
            uid = u;
            return this;
        }

        @Override
        public int rcvSaddr() {
            return addr;
        }

        @Override
        public int port() {
            return port;
        }

        @Override
        public boolean reuseAddr() {
            return reuseAddr;
        }

        @Override
        public boolean reusePort() {
            return reusePort;
        }

        @Override
        public int uid() {
            return uid;
        }

        @Override
        public boolean isListening() {
            return listening;
        }

        @Override
        public boolean isTimeWait() {
            return timeWait;
        }

        @Override
        public boolean boundByConnect() {
            return byConnect;
        }
    }

    private static InetBindTable udp() {
        return new InetBindTable(InetBindTable.Rule.UDP, 256, 0);
    }

    private static InetBindTable tcp() {
        return new InetBindTable(InetBindTable.Rule.TCP, 256, 0);
    }

    @Test
    void slotsMustBeAPowerOfTwoAndPortsMixIntoThem() {
        assertThrows(IllegalArgumentException.class, () -> new InetBindTable(InetBindTable.Rule.UDP, 100, 0));
        InetBindTable t = new InetBindTable(InetBindTable.Rule.UDP, 16384, 6351);
        assertEquals(16148, t.slot(58949), "the sl observed on this machine's /proc/net/udp, mix 6351");
        assertEquals(4375, t.slot(47176));
    }

    @Test
    void chainsListTheNewestFirstAndRemoveKeepsTheOrder() {
        InetBindTable t = udp();
        Sk s1 = new Sk(A, 5000);
        Sk s2 = new Sk(B, 5000);
        Sk s3 = new Sk(0, 5256); // same slot: 5256 & 255 == 5000 & 255
        t.add(s1);
        t.add(s2);
        t.add(s3);
        int slot = t.slot(5000);
        assertEquals(3, t.chainLength(slot));
        assertSame(s3, t.binder(slot, 0));
        assertSame(s1, t.binder(slot, 2));
        assertTrue(t.remove(s2));
        assertFalse(t.remove(s2));
        assertSame(s3, t.binder(slot, 0));
        assertSame(s1, t.binder(slot, 1));
        assertEquals(2, t.size());
        assertTrue(t.isBound(5256));
        assertFalse(t.isBound(5512));
    }

    @Test
    void udpConflictUnlessBothReuseAddrOrBothReusePortWithOneUid() {
        int[][] addrs = {{0, 0}, {A, 0}, {0, A}, {A, A}};
        for (int[] pair : addrs) {
            for (int bits = 0; bits < 32; bits++) {
                boolean ra1 = (bits & 1) != 0;
                boolean rp1 = (bits & 2) != 0;
                boolean ra2 = (bits & 4) != 0;
                boolean rp2 = (bits & 8) != 0;
                int uid2 = (bits & 16) != 0 ? 1001 : 1000;
                InetBindTable t = udp();
                Sk first = new Sk(pair[0], 5000);
                first.reuseAddr = ra1;
                first.reusePort = rp1;
                t.add(first);
                Sk second = new Sk(pair[1], 0).uid(uid2);
                second.reuseAddr = ra2;
                second.reusePort = rp2;
                boolean expected = !((ra1 && ra2) || (rp1 && rp2 && uid2 == 1000));
                assertEquals(expected, t.inUse(second, pair[1], 5000), "addrs " + pair[0] + "/" + pair[1] + " bits " + bits);
            }
        }
    }

    @Test
    void disjointAddressesNeverConflict() {
        for (InetBindTable t : new InetBindTable[] {udp(), tcp()}) {
            t.add(new Sk(A, 5000));
            assertFalse(t.inUse(new Sk(B, 0), B, 5000));
            assertTrue(t.inUse(new Sk(0, 0), 0, 5000));
        }
    }

    @Test
    void udpDecidesAtTheNewestOverlappingSocketWithoutReuseAddrOnBothSides() {
        // udp_lib_lport_inuse returns at the first socket that decides, newest first: a compatible
        // SO_REUSEPORT socket there lets the bind through past an older one that would conflict
        InetBindTable t = udp();
        Sk old = new Sk(0, 5000).ra();             // wildcard, SO_REUSEADDR only
        Sk newer = new Sk(A, 5000).ra().rp();      // SO_REUSEADDR + SO_REUSEPORT, uid 1000
        t.add(old);
        t.add(newer);
        Sk asking = new Sk(A, 0).rp();             // SO_REUSEPORT only, uid 1000
        assertFalse(t.inUse(asking, A, 5000), "the newest (compatible) socket decides");
        InetBindTable tcp = tcp();
        tcp.add(old);
        tcp.add(newer);
        assertTrue(tcp.inUse(asking, A, 5000), "TCP looks at every socket: the old one conflicts");
    }

    @Test
    void tcpReuseAddrDoesNotShareWithAListener() {
        InetBindTable t = tcp();
        Sk listener = new Sk(0, 9501).ra();
        t.add(listener);
        assertFalse(t.inUse(new Sk(0, 0).ra(), 0, 9501), "both SO_REUSEADDR, neither listening");
        listener.listening = true;
        assertTrue(t.inUse(new Sk(0, 0).ra(), 0, 9501), "a listener keeps its port");
    }

    @Test
    void tcpReusePortIgnoresTheUidOfATimeWaitSocket() {
        InetBindTable t = tcp();
        Sk tw = new Sk(0, 9501).rp().uid(0);
        t.add(tw);
        assertTrue(t.inUse(new Sk(0, 0).rp().uid(1000), 0, 9501), "another user's socket");
        tw.timeWait = true;
        assertFalse(t.inUse(new Sk(0, 0).rp().uid(1000), 0, 9501), "TIME_WAIT: the uid no longer matters");
    }

    @Test
    void udpEphemeralPortsAreInRangeAndOfBothParities() {
        SimRandom r = new SimRandom(7);
        int odd = 0;
        int even = 0;
        for (int i = 0; i < 1000; i++) {
            int p = udp().udpGetPort(new Sk(0, 0), 0, 32768, 60999, r);
            assertTrue(p >= 32768 && p <= 60999, "port " + p);
            if ((p & 1) == 0) {
                even++;
            } else {
                odd++;
            }
        }
        assertTrue(odd > 400 && even > 400, "udp_lib_get_port has no parity preference: odd=" + odd + " even=" + even);
    }

    @Test
    void udpEphemeralPortsFillANarrowRangeThenRunOut() {
        InetBindTable t = udp();
        SimRandom r = new SimRandom(11);
        List<Integer> got = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Sk s = new Sk(0, 0);
            s.port = t.udpGetPort(s, 0, 40000, 40009, r);
            got.add(s.port);
            t.add(s);
        }
        got.sort(null);
        assertEquals(List.of(40000, 40001, 40002, 40003, 40004, 40005, 40006, 40007, 40008, 40009), got);
        assertEquals(0, t.udpGetPort(new Sk(0, 0), 0, 40000, 40009, r), "exhausted");
        assertEquals(0, t.udpGetPort(new Sk(A, 0), A, 40000, 40009, r), "a wildcard holder overlaps any address");
    }

    @Test
    void udpAutobindMayShareAPortWithCompatibleSockets() {
        // observed on 6.18: three SO_REUSEADDR sockets bind(0) in a two-port range
        InetBindTable t = udp();
        SimRandom r = new SimRandom(3);
        for (int i = 0; i < 3; i++) {
            Sk s = new Sk(0, 0).ra();
            s.port = t.udpGetPort(s, 0, 40000, 40001, r);
            assertTrue(s.port == 40000 || s.port == 40001);
            t.add(s);
        }
        assertEquals(0, t.udpGetPort(new Sk(0, 0), 0, 40000, 40001, r), "without SO_REUSEADDR: taken");
    }

    @Test
    void tcpBindZeroTakesOddPortsFirstThenEven() {
        InetBindTable t = tcp();
        SimRandom r = new SimRandom(5);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Sk s = new Sk(0, 0);
            s.port = t.findOpenPort(s, 0, 40000, 40009, r);
            order.add(s.port);
            t.add(s);
        }
        for (int i = 0; i < 5; i++) {
            assertEquals(1, order.get(i) & 1, "odd first: " + order);
            assertEquals(0, order.get(i + 5) & 1, "then even: " + order);
        }
        assertEquals(0, t.findOpenPort(new Sk(0, 0), 0, 40000, 40009, r), "exhausted");
    }

    @Test
    void tcpBindZeroWithReuseAddrSearchesTheLowerHalfFirst() {
        InetBindTable t = tcp();
        SimRandom r = new SimRandom(9);
        for (int i = 0; i < 50; i++) {
            Sk s = new Sk(0, 0).ra();
            s.port = t.findOpenPort(s, 0, 40000, 40099, r);
            assertTrue(s.port >= 40000 && s.port < 40050, "lower half [40000, 40050): " + s.port);
            assertEquals(i < 25 ? 1 : 0, s.port & 1, "odd first within the half");
            t.add(s);
        }
        Sk next = new Sk(0, 0).ra();
        assertTrue(t.findOpenPort(next, 0, 40000, 40099, r) >= 40050, "then the upper half");
    }

    @Test
    void tcpConnectTakesEvenPortsFirstThenOdd() {
        InetBindTable t = tcp();
        SimRandom r = new SimRandom(13);
        List<Integer> order = new ArrayList<>();
        long offset = 0x1234_5678_9abcL;
        for (int i = 0; i < 10; i++) {
            int p = t.hashConnect(40000, 40009, offset, port -> false, r);
            Sk s = new Sk(A, p);
            s.byConnect = true;
            order.add(p);
            t.add(s);
        }
        for (int i = 0; i < 5; i++) {
            assertEquals(0, order.get(i) & 1, "even first: " + order);
            assertEquals(1, order.get(i + 5) & 1, "then odd: " + order);
        }
        assertEquals(0, t.hashConnect(40000, 40009, offset, port -> false, r), "exhausted: EADDRNOTAVAIL");
        assertTrue(t.hashConnect(40000, 40009, offset, port -> true, r) != 0,
                "a port held only by connections is shared when the 4-tuple is unique");
    }

    @Test
    void tcpConnectSkipsPortsHeldByBind() {
        InetBindTable t = tcp();
        SimRandom r = new SimRandom(17);
        for (int p = 40000; p <= 40003; p++) {
            t.add(new Sk(0, p)); // bound explicitly: tb->fastreuse >= 0
        }
        assertEquals(0, t.hashConnect(40000, 40003, 42, port -> true, r));
    }
}
