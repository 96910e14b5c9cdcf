package dev.stacksim.trace;

import static dev.stacksim.socket.SocketConstants.AF_INET;
import static dev.stacksim.socket.SocketConstants.SOCK_DGRAM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stacksim.buf.DropReason;
import dev.stacksim.socket.Process;
import dev.stacksim.socket.RecvFrom;
import dev.stacksim.socket.SockAddr;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The event trace of UDP datagrams between two hosts on a veth pair: what happens, in what order. */
class UdpTraceTest {
    private final TracedPair pair = new TracedPair(7);
    private final Process cli = pair.client.spawn("cli", 1000);
    private final Process srv = pair.server.spawn("srv", 1000);

    @AfterEach
    void tearDown() {
        pair.close();
    }

    private int bound(Process p, String addr, int port) {
        int fd = p.socket(AF_INET, SOCK_DGRAM, 0);
        p.bind(fd, SockAddr.of(addr, port));
        return fd;
    }

    @Test
    void aDatagramGoesDownTheSendersLayersWaitsForArpAndComesUpTheReceivers() {
        int s = bound(srv, "10.0.0.2", 5000);
        int c = bound(cli, "10.0.0.1", 4000);
        cli.sendto(c, "hello".getBytes(StandardCharsets.US_ASCII), 0, SockAddr.of("10.0.0.2", 5000));
        RecvFrom r = srv.recvfrom(s, new byte[100], 0, 100, 0);
        assertEquals(5, r.length());

        assertEquals(List.of(
                "client UDP out 10.0.0.1:4000 > 10.0.0.2:5000: length 5",
                "client skb udp push 8 -> data=76 len=13",
                "client skb ip push 20 -> data=56 len=33",
                "client ARP 10.0.0.2 dev eth0 NONE -> INCOMPLETE",          // the datagram waits in the neighbour
                "client ARP out 10.0.0.1 > 10.0.0.2: Request who-has 10.0.0.2 tell 10.0.0.1, length 28",
                "client skb eth push 14 -> data=2 len=42",
                "server skb eth pull 14 -> data=16 len=28",
                "server ARP in  10.0.0.1 > 10.0.0.2: Request who-has 10.0.0.2 tell 10.0.0.1, length 28",
                "server ARP 10.0.0.1 dev eth0 NONE -> STALE",
                "server ARP out 10.0.0.2 > 10.0.0.1: Reply 10.0.0.2 is-at 02:00:00:00:00:02, length 28",
                "server skb eth push 14 -> data=2 len=42",
                "client skb eth pull 14 -> data=16 len=28",
                "client ARP in  10.0.0.2 > 10.0.0.1: Reply 10.0.0.2 is-at 02:00:00:00:00:02, length 28",
                "client ARP 10.0.0.2 dev eth0 INCOMPLETE -> REACHABLE",
                "client skb eth push 14 -> data=42 len=47",                 // the queued datagram leaves
                "server skb eth pull 14 -> data=56 len=33",
                "server skb ip pull 20 -> data=76 len=13",
                "server UDP in  10.0.0.1:4000 > 10.0.0.2:5000: length 5",
                "server skb udp pull 8 -> data=84 len=5"),
                pair.lines());
        List<TraceEvent> events = pair.rec.events();
        for (int i = 1; i < events.size(); i++) {
            assertTrue(events.get(i).time() >= events.get(i - 1).time(), "one stream, in time order");
        }
        List<TraceEvent.Packet> udp = pair.rec.events(TraceEvent.Packet.class).stream()
                .filter(p -> p.protocol().equals("UDP")).toList();
        assertEquals(300_000, udp.get(1).time() - udp.get(0).time(),
                "three 100 us hops from sendto to udp_rcv: the ARP request, its reply, the datagram");
    }

    @Test
    void aDatagramToAClosedPortIsDroppedForNoSocketWhereUdpReceivesIt() {
        int c = bound(cli, "10.0.0.1", 4000);
        cli.sendto(c, "x".getBytes(StandardCharsets.US_ASCII), 0, SockAddr.of("10.0.0.2", 9));
        pair.loop.runFor(1_000_000);

        List<TraceEvent.Drop> drops = pair.rec.events(TraceEvent.Drop.class);
        assertEquals(1, drops.size(), pair.rec.toString());
        TraceEvent.Drop d = drops.get(0);
        assertEquals("server", d.host());
        assertEquals(DropReason.NO_SOCKET, d.reason());
        assertEquals("Udp.receive", d.where(), "the method that freed it, as kfree_skb's location");
        assertEquals("10.0.0.1:4000 > 10.0.0.2:9: UDP, length 1", d.what());
        assertEquals("drop Udp.receive NO_SOCKET 10.0.0.1:4000 > 10.0.0.2:9: UDP, length 1", d.describe());

        List<String> lines = pair.lines();
        int in = lines.indexOf("server UDP in  10.0.0.1:4000 > 10.0.0.2:9: length 1");
        int icmpOut = lines.indexOf("server ICMP out 10.0.0.2 > 10.0.0.1: 10.0.0.2 udp port 9 unreachable, length 37");
        int drop = lines.indexOf("server " + d.describe());
        int icmpIn = lines.indexOf("client ICMP in  10.0.0.2 > 10.0.0.1: 10.0.0.2 udp port 9 unreachable, length 37");
        assertTrue(in >= 0 && in < icmpOut && icmpOut < drop && drop < icmpIn,
                "received, answered (icmp_send), then freed (kfree_skb), as __udp4_lib_rcv does:\n" + pair.rec);
    }

    @Test
    void aDatagramDroppedOnAFullReceiveBufferNamesTheSocketQueue() {
        int s = bound(srv, "10.0.0.2", 5000);
        srv.setsockopt(s, dev.stacksim.socket.SocketConstants.SOL_SOCKET, dev.stacksim.socket.SocketConstants.SO_RCVBUF, 1);
        int c = bound(cli, "10.0.0.1", 4000);
        for (int i = 0; i < 3; i++) {
            cli.sendto(c, new byte[1000], 0, SockAddr.of("10.0.0.2", 5000));
        }
        pair.loop.runFor(1_000_000);
        List<TraceEvent.Drop> drops = pair.rec.events(TraceEvent.Drop.class);
        assertTrue(drops.size() >= 1, pair.rec.toString());
        for (TraceEvent.Drop d : drops) {
            assertEquals(DropReason.SOCKET_RCVBUFF, d.reason());
            assertEquals("UdpSock.queueRcv", d.where());
            assertEquals("server", d.host());
        }
    }

    @Test
    void detachingTheLastListenerStopsTheEventsAndReattachingResumesThem() {
        int s = bound(srv, "10.0.0.2", 5000);
        int c = bound(cli, "10.0.0.1", 4000);
        pair.tracer.removeListener(pair.rec);
        assertTrue(!pair.tracer.enabled() && !pair.client.trace().enabled());
        cli.sendto(c, new byte[10], 0, SockAddr.of("10.0.0.2", 5000));
        srv.recvfrom(s, new byte[100], 0, 100, 0);
        assertEquals(List.of(), pair.rec.events(), "nothing is emitted while nobody listens");

        pair.tracer.addListener(pair.rec);
        cli.sendto(c, new byte[10], 0, SockAddr.of("10.0.0.2", 5000));
        srv.recvfrom(s, new byte[100], 0, 100, 0);
        assertEquals(2, pair.rec.events(TraceEvent.Packet.class).size(), pair.rec.toString());
    }
}
