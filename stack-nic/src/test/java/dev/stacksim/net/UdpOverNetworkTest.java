package dev.stacksim.net;

import static dev.stacksim.socket.SocketConstants.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stacksim.host.Host;
import dev.stacksim.socket.ErrnoException;
import dev.stacksim.socket.Process;
import dev.stacksim.socket.RecvFrom;
import dev.stacksim.socket.SockAddr;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * UDP between hosts with simulated NICs on a {@link Network} link: one test thread plays both
 * programs in virtual time; what the link loses or corrupts is what the counters report.
 */
class UdpOverNetworkTest {
    private static final long GBIT = 1_000_000_000L;
    private static final long MS5 = 5_000_000L;

    private static byte[] seq(int i, int len) {
        return ByteBuffer.allocate(len).putInt(i).array();
    }

    /** Reads every datagram queued on a non-blocking socket. */
    private static List<RecvFrom> drain(Process p, int fd, byte[][] payloads) {
        List<RecvFrom> got = new ArrayList<>();
        while (true) {
            byte[] buf = new byte[2000];
            try {
                RecvFrom r = p.recvfrom(fd, buf, 0, buf.length, 0);
                got.add(r);
                payloads[got.size() - 1] = java.util.Arrays.copyOf(buf, r.length());
            } catch (ErrnoException e) {
                return got;
            }
        }
    }

    @Test
    void oneThreadRunsAUdpEchoWithRoundTripsOfExactlyTheWire() {
        try (Network net = Network.builder().seed(7).build()) {
            Host server = net.host("server").ip("10.0.0.2/24").build();
            Host client = net.host("client").ip("10.0.0.1/24").build();
            net.link(client, server).latency(Duration.ofMillis(5)).bandwidth(GBIT);
            Process srv = server.spawn("echod");                          // root: port 7 is below 1024
            int s = srv.socket(AF_INET, SOCK_DGRAM, 0);
            srv.bind(s, SockAddr.any(7));
            Process cli = client.spawn("echo", 1000);
            int c = cli.socket(AF_INET, SOCK_DGRAM, 0);
            cli.connect(c, SockAddr.of("10.0.0.2", 7));
            byte[] buf = new byte[1500];
            long frame = Link.serializationNanos(14 + 20 + 8 + 100, GBIT);
            long arp = 2 * (MS5 + Link.serializationNanos(42, GBIT));
            for (int i = 0; i < 5; i++) {
                long t0 = net.loop().now();
                cli.send(c, seq(i, 100), 0);
                RecvFrom req = srv.recvfrom(s, buf, 0, buf.length, 0);       // runs the loop until it arrives
                assertEquals(100, req.length());
                srv.sendto(s, buf, 0, req.length(), 0, req.from());          // echo to the sender
                byte[] reply = cli.recv(c, 1500, 0);
                assertArrayEquals(seq(i, 100), reply);
                long rtt = net.loop().now() - t0;
                assertEquals((i == 0 ? arp : 0) + 2 * (MS5 + frame), rtt,
                        "round trip " + i + ": latency and serialization each way (first, ARP: the server learns"
                        + " the client's address from its request)");
            }
            assertEquals(5, client.snmp().get("UdpOutDatagrams"));
            assertEquals(5, client.snmp().get("UdpInDatagrams"));
            assertEquals(5, server.snmp().get("UdpInDatagrams"));
            assertEquals(5, server.snmp().get("UdpOutDatagrams"));
        }
    }

    @Test
    void aLossyLinkLosesDatagramsAndTheCountersAccountForEachOne() {
        try (Network net = Network.builder().seed(11).build()) {
            Host server = net.host("server").ip("10.0.0.2/24").build();
            Host client = net.host("client").ip("10.0.0.1/24").build();
            NetworkLink link = net.link(client, server).latency(Duration.ofMillis(5));
            Process srv = server.spawn("echod", 1000);
            int s = srv.socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
            srv.bind(s, SockAddr.any(9000));
            Process cli = client.spawn("client", 1000);
            int c = cli.socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
            cli.connect(c, SockAddr.of("10.0.0.2", 9000));
            cli.send(c, seq(-1, 8), 0);                 // ARP on a clean link first
            net.runUntilIdle();
            byte[][] warm = new byte[1][];
            assertEquals(1, drain(srv, s, warm).size());
            link.lossRate(0.1);
            LinkStats upBefore = link.link().endA().stats();
            LinkStats downBefore = link.link().endB().stats();
            int arrivedTotal = 0;
            int back = 0;
            int last = -1;
            for (int batch = 0; batch < 10; batch++) {
                // 20 at a time: 200 at once would overflow the server's SO_RCVBUF (NIC buffers are big)
                for (int i = 0; i < 20; i++) {
                    cli.send(c, seq(batch * 20 + i, 64), 0);
                }
                net.runFor(Duration.ofMillis(50)); // not runUntilIdle: ARP's timers would age the entries
                byte[][] arrived = new byte[20][];
                List<RecvFrom> got = drain(srv, s, arrived);
                for (int k = 0; k < got.size(); k++) {
                    int n = ByteBuffer.wrap(arrived[k]).getInt();
                    assertTrue(n > last, "in order, with gaps where the link lost one");
                    last = n;
                    srv.sendto(s, arrived[k], 0, got.get(k).from());
                }
                arrivedTotal += got.size();
                net.runFor(Duration.ofMillis(50));
                back += drain(cli, c, new byte[20][]).size();
            }
            long lostUp = link.link().endA().stats().lossDrops() - upBefore.lossDrops();
            long lostDown = link.link().endB().stats().lossDrops() - downBefore.lossDrops();
            assertTrue(lostUp > 5 && lostUp < 40, "about 10% of 200: " + lostUp);
            assertEquals(200 - lostUp, arrivedTotal, "every datagram not lost on the wire arrived");
            assertEquals(arrivedTotal - lostDown, back, "and every echo not lost on the way back");
            assertEquals(201, client.snmp().get("UdpOutDatagrams"));
            assertEquals(arrivedTotal + 1, server.snmp().get("UdpInDatagrams"));
            assertEquals(arrivedTotal, server.snmp().get("UdpOutDatagrams"));
            assertEquals(back, client.snmp().get("UdpInDatagrams"));
            assertEquals(0, server.snmp().get("UdpInErrors") + client.snmp().get("UdpInErrors"),
                    "UDP hides nothing and repairs nothing: the losses are the link's");
        }
    }

    @Test
    void corruptedDatagramsFailTheirChecksumAndAreCounted() {
        try (Network net = Network.builder().seed(5).build()) {
            Host server = net.host("server").ip("10.0.0.2/24").build();
            Host client = net.host("client").ip("10.0.0.1/24").build();
            NetworkLink link = net.link(client, server).latency(Duration.ofMillis(1));
            Process srv = server.spawn("sink", 1000);
            int s = srv.socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
            srv.bind(s, SockAddr.any(9000));
            Process cli = client.spawn("client", 1000);
            int c = cli.socket(AF_INET, SOCK_DGRAM, 0);
            cli.connect(c, SockAddr.of("10.0.0.2", 9000));
            cli.send(c, seq(-1, 8), 0);
            net.runUntilIdle();
            drain(srv, s, new byte[1][]);
            link.link().endA().setImpairments(Impairments.builder().corruptRate(1.0).build());
            LinkStats before = link.link().endA().stats();
            for (int i = 0; i < 100; i++) {
                cli.send(c, seq(i, 200), 0);
            }
            net.runUntilIdle();
            LinkStats after = link.link().endA().stats();
            assertEquals(after.txPackets() - before.txPackets(), after.corrupted() - before.corrupted(),
                    "one bit flipped in every frame");
            byte[][] arrived = new byte[100][];
            List<RecvFrom> got = drain(srv, s, arrived);
            for (int k = 0; k < got.size(); k++) {
                assertEquals(200, got.get(k).length());
            }
            long csum = server.snmp().get("UdpInCsumErrors");
            long ipHdr = server.snmp().get("IpInHdrErrors");
            assertTrue(csum > 50, "most of a frame is UDP header and payload: " + csum);
            long udpErrors = server.snmp().get("UdpInErrors");
            assertTrue(udpErrors >= csum, "a flipped length field is an error too, without a checksum error");
            assertTrue(got.size() + udpErrors + ipHdr <= 100, "nothing counted twice");
            assertTrue(got.size() < 10, "only a flip the checksums do not cover (a MAC source byte) gets through: "
                    + got.size());
        }
    }
}
