package dev.stacksim.udp;

import static dev.stacksim.socket.SocketConstants.*;
import static dev.stacksim.udp.UdpLab.addr;
import static dev.stacksim.udp.UdpLab.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stacksim.host.Host;
import dev.stacksim.socket.Errno;
import dev.stacksim.socket.ErrnoException;
import dev.stacksim.socket.Process;
import dev.stacksim.socket.SockAddr;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** UDP's receive path, lookup, ICMP errors, counters and /proc/net/udp. */
class UdpTest {
    private final UdpLab lab = new UdpLab(31);
    private final Process cli = lab.a.spawn("client", 1000);
    private final Process srv = lab.b.spawn("server", 1000);

    @AfterEach
    void tearDown() {
        lab.close();
    }

    private static long udp(Host h, String counter) {
        return h.snmp().get("Udp" + counter);
    }

    private int socket(Process p, int port, String address, boolean reuseAddr) {
        int fd = p.socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
        if (reuseAddr) {
            p.setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, 1);
        }
        p.bind(fd, SockAddr.of(address, port));
        return fd;
    }

    private static int drain(Process p, int fd) {
        int n = 0;
        while (true) {
            try {
                p.recv(fd, 100, 0);
                n++;
            } catch (ErrnoException e) {
                assertEquals(Errno.EAGAIN, e.errno());
                return n;
            }
        }
    }

    @Test
    void aClosedPortIsAnsweredWithPortUnreachable() {
        int c = cli.socket(AF_INET, SOCK_DGRAM, 0);
        cli.sendto(c, bytes("anyone?"), 0, addr("10.0.0.2", 9));
        lab.settle();
        assertEquals(1, udp(lab.b, "NoPorts"));
        assertEquals(0, udp(lab.b, "InErrors"));
        assertEquals(1, lab.b.snmp().get("IcmpOutDestUnreachs"));
        assertEquals(1, lab.b.snmp().get("IcmpMsgOutType3"));
        assertEquals(1, lab.a.snmp().get("IcmpInDestUnreachs"));
        assertEquals(0, lab.a.snmp().get("IcmpInErrors"), "the sending socket claimed the error (and ignored it)");
    }

    @Test
    void anIcmpErrorNoSocketClaimsCountsIcmpInErrors() {
        int c = cli.socket(AF_INET, SOCK_DGRAM, 0);
        cli.sendto(c, bytes("x"), 0, addr("10.0.0.2", 9));
        cli.close(c);
        lab.settle();
        assertEquals(1, lab.a.snmp().get("IcmpInErrors"));
    }

    @Test
    void aBadChecksumWithNoSocketIsCountedAndNotAnswered() {
        UdpLab.sendRaw(lab.a, "10.0.0.1", "10.0.0.2", 4000, 9, bytes("corrupt"), 0x1234, -1);
        lab.settle();
        assertEquals(1, udp(lab.b, "InCsumErrors"));
        assertEquals(1, udp(lab.b, "InErrors"));
        assertEquals(0, udp(lab.b, "NoPorts"), "RFC 1122 4.1.3.4: discarded silently");
        assertEquals(0, lab.b.snmp().get("IcmpOutDestUnreachs"));
    }

    @Test
    void aBadChecksumForASocketIsFoundWhenTheDatagramIsRead() {
        int s = socket(srv, 9000, "0.0.0.0", false);
        UdpLab.sendRaw(lab.a, "10.0.0.1", "10.0.0.2", 4000, 9000, bytes("corrupt"), 0x1234, -1);
        UdpLab.sendRaw(lab.a, "10.0.0.1", "10.0.0.2", 4000, 9000, bytes("good"), -1, -1);
        lab.settle();
        assertEquals(0, udp(lab.b, "InCsumErrors"), "queued: checked when copied, as Linux does");
        assertEquals(4, srv.ioctl(s, FIONREAD), "FIONREAD skips (and counts) the bad one");
        assertEquals(1, udp(lab.b, "InCsumErrors"));
        assertArrayEquals(bytes("good"), srv.recv(s, 100, 0));
        assertEquals(1, udp(lab.b, "InErrors"));
        assertEquals(1, udp(lab.b, "InDatagrams"));
        UdpLab.sendRaw(lab.a, "10.0.0.1", "10.0.0.2", 4000, 9000, bytes("bad again"), 0x4321, -1);
        lab.settle();
        assertEquals(Errno.EAGAIN, assertThrows(ErrnoException.class, () -> srv.recv(s, 100, 0)).errno(),
                "recv drops it and finds nothing else");
        assertEquals(2, udp(lab.b, "InCsumErrors"));
        assertTrue(lab.b.procNetUdp().endsWith(" 2" + " ".repeat(9) + "\n"), "drops column: " + lab.b.procNetUdp());
    }

    @Test
    void aZeroChecksumMeansNoneWasComputed() {
        int s = socket(srv, 9000, "0.0.0.0", false);
        UdpLab.sendRaw(lab.a, "10.0.0.1", "10.0.0.2", 4000, 9000, bytes("nocsum"), 0, -1);
        lab.settle();
        assertArrayEquals(bytes("nocsum"), srv.recv(s, 100, 0));
        assertEquals(0, udp(lab.b, "InCsumErrors"));
    }

    @Test
    void lengthFieldsAreChecked() {
        int s = socket(srv, 9000, "0.0.0.0", false);
        UdpLab.sendRaw(lab.a, "10.0.0.1", "10.0.0.2", 4000, 9000, bytes("abc"), 0, 200);  // longer than the data
        UdpLab.sendRaw(lab.a, "10.0.0.1", "10.0.0.2", 4000, 9000, bytes("abc"), 0, 7);    // shorter than a header
        UdpLab.sendRaw(lab.a, "10.0.0.1", "10.0.0.2", 4000, 9000, bytes("abcdef"), 0, 10); // trims to 2 bytes
        lab.settle();
        assertEquals(2, udp(lab.b, "InErrors"));
        assertArrayEquals(bytes("ab"), srv.recv(s, 100, 0), "bytes past the length field are cut off");
    }

    @Test
    void theNewestOfTwoReuseAddrSocketsTakesEverything() {
        // observed on 6.18: two SO_REUSEADDR sockets on 127.0.0.1:6000, five datagrams: 0 and 5
        int older = socket(srv, 6000, "10.0.0.2", true);
        int newer = socket(srv, 6000, "10.0.0.2", true);
        int c = cli.socket(AF_INET, SOCK_DGRAM, 0);
        for (int i = 0; i < 5; i++) {
            cli.sendto(c, bytes("x"), 0, addr("10.0.0.2", 6000));
        }
        lab.settle();
        assertEquals(0, drain(srv, older));
        assertEquals(5, drain(srv, newer));
    }

    @Test
    void aSpecificAddressBeatsTheWildcardAndAConnectedSocketBeatsBoth() {
        // observed on 6.18: wildcard c, specific d, wildcard e -> 0 5 0
        int wild1 = socket(srv, 6001, "0.0.0.0", true);
        int specific = socket(srv, 6001, "10.0.0.2", true);
        int wild2 = socket(srv, 6001, "0.0.0.0", true);
        int c = cli.socket(AF_INET, SOCK_DGRAM, 0);
        cli.bind(c, SockAddr.any(5555));
        for (int i = 0; i < 5; i++) {
            cli.sendto(c, bytes("x"), 0, addr("10.0.0.2", 6001));
        }
        lab.settle();
        assertEquals(0, drain(srv, wild1));
        assertEquals(5, drain(srv, specific));
        assertEquals(0, drain(srv, wild2));
        // observed: the older socket, connected to the sender, beats the newer one; others go to the newer
        int connected = socket(srv, 6002, "10.0.0.2", true);
        int open = socket(srv, 6002, "10.0.0.2", true);
        srv.connect(connected, addr("10.0.0.1", 5555));
        int other = cli.socket(AF_INET, SOCK_DGRAM, 0);
        for (int i = 0; i < 5; i++) {
            cli.sendto(c, bytes("x"), 0, addr("10.0.0.2", 6002));
            cli.sendto(other, bytes("y"), 0, addr("10.0.0.2", 6002));
        }
        lab.settle();
        assertEquals(5, drain(srv, connected));
        assertEquals(5, drain(srv, open));
    }

    @Test
    void reusePortSpreadsFlowsByHashAndKeepsEachFlowOnOneSocket() {
        int[] group = new int[4];
        for (int i = 0; i < 4; i++) {
            group[i] = srv.socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
            srv.setsockopt(group[i], SOL_SOCKET, SO_REUSEPORT, 1);
            srv.bind(group[i], SockAddr.any(6004));
        }
        List<Integer> senders = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            senders.add(cli.socket(AF_INET, SOCK_DGRAM, 0));
        }
        for (int round = 0; round < 3; round++) {
            for (int fd : senders) {
                cli.sendto(fd, bytes("x"), 0, addr("10.0.0.2", 6004));
            }
        }
        lab.settle();
        int total = 0;
        Set<Integer> flows = new HashSet<>();
        byte[] buf = new byte[10];
        for (int fd : group) {
            int got = 0;
            Set<Integer> mine = new HashSet<>();
            while (true) {
                try {
                    mine.add(((SockAddr.Inet) srv.recvfrom(fd, buf, 0, 10, 0).from()).port());
                    got++;
                } catch (ErrnoException e) {
                    break;
                }
            }
            assertTrue(got > 0, "every member gets flows");
            assertEquals(got, mine.size() * 3, "each flow's three datagrams on one member");
            for (int p : mine) {
                assertTrue(flows.add(p), "flow " + p + " on two members");
            }
            total += got;
        }
        assertEquals(120, total);
    }

    @Test
    void broadcastsReachEveryFittingSocketAndAreIgnoredOtherwise() {
        int w1 = socket(srv, 7000, "0.0.0.0", true);
        int w2 = socket(srv, 7000, "0.0.0.0", true);
        int specific = socket(srv, 7000, "10.0.0.2", true);
        int bcast = socket(srv, 7000, "10.0.0.255", true);
        int c = cli.socket(AF_INET, SOCK_DGRAM, 0);
        cli.setsockopt(c, SOL_SOCKET, SO_BROADCAST, 1);
        cli.sendto(c, bytes("all"), 0, addr("10.0.0.255", 7000));
        cli.sendto(c, bytes("nobody"), 0, addr("10.0.0.255", 7001));
        lab.settle();
        assertEquals(1, drain(srv, w1));
        assertEquals(1, drain(srv, w2));
        assertEquals(0, drain(srv, specific), "bound to another address");
        assertEquals(1, drain(srv, bcast));
        assertEquals(1, udp(lab.b, "IgnoredMulti"));
        assertEquals(0, udp(lab.b, "NoPorts"));
        assertEquals(0, lab.b.snmp().get("IcmpOutDestUnreachs"), "no ICMP about a broadcast");
        assertEquals(3, udp(lab.b, "InDatagrams"));
    }

    @Test
    void countersArePrintedInProcNetSnmpInLinuxsOrder() {
        int s = socket(srv, 9000, "0.0.0.0", false);
        int c = cli.socket(AF_INET, SOCK_DGRAM, 0);
        cli.sendto(c, bytes("x"), 0, addr("10.0.0.2", 9000));
        cli.sendto(c, bytes("x"), 0, addr("10.0.0.2", 9001));
        lab.settle();
        srv.recv(s, 10, 0);
        String snmp = lab.b.procNetSnmp();
        String expected = "Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors"
                + " IgnoredMulti MemErrors\n"
                + "Udp: 1 1 0 0 0 0 0 0 0\n"
                + "UdpLite: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors"
                + " IgnoredMulti MemErrors\n"
                + "UdpLite: 0 0 0 0 0 0 0 0 0\n";
        assertTrue(snmp.endsWith(expected), snmp);
        assertTrue(snmp.indexOf("IcmpMsg:") < snmp.indexOf("Udp:"), "after Icmp and IcmpMsg, as Linux");
        assertEquals(2, udp(lab.a, "OutDatagrams"));
    }

    @Test
    void procNetUdpIsByteExact() {
        int s = srv.socket(AF_INET, SOCK_DGRAM, 0);
        srv.bind(s, SockAddr.of("10.0.0.2", 9501));
        int c = srv.socket(AF_INET, SOCK_DGRAM, 0);
        srv.bind(c, SockAddr.any(40000));
        srv.connect(c, addr("10.0.0.1", 53));
        int peer = cli.socket(AF_INET, SOCK_DGRAM, 0);
        cli.sendto(peer, new byte[10], 0, addr("10.0.0.2", 9501));
        lab.settle();
        int rmem = lab.b.udp().lookup(0x0A000001, 1, 0x0A000002, 9501).socket().rmemAlloc();
        int inodeS = inode(9501);
        int inodeC = inode(40000);
        String header = "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout"
                + " inode ref pointer drops";
        String rowS = String.format("%5d: 0200000A:251D 00000000:0000 07 00000000:%08X 00:00000000 00000000  1000"
                + "        0 %d 2 0000000000000000 0", lab.b.udp().table().slot(9501), rmem, inodeS);
        String rowC = String.format("%5d: 0200000A:9C40 0100000A:0035 01 00000000:00000000 00:00000000 00000000  1000"
                + "        0 %d 2 0000000000000000 0", lab.b.udp().table().slot(40000), inodeC);
        String[] rows = lab.b.udp().table().slot(9501) < lab.b.udp().table().slot(40000)
                ? new String[] {rowS, rowC} : new String[] {rowC, rowS};
        String expected = pad(header) + pad(rows[0]) + pad(rows[1]);
        assertEquals(expected, lab.b.procNetUdp());
        assertTrue(rmem > 10, "rx_queue is the truesize charged, not the payload");
        for (String line : lab.b.procNetUdp().split("\n")) {
            assertEquals(127, line.length());
        }
    }

    private int inode(int port) {
        int slot = lab.b.udp().table().slot(port);
        return ((UdpSock) lab.b.udp().table().binder(slot, 0)).socket().inode();
    }

    private static String pad(String line) {
        return line + " ".repeat(127 - line.length()) + "\n";
    }
}
