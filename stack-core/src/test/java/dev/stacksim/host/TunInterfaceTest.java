package dev.stacksim.host;

import dev.stacksim.buf.SkBuff;
import dev.stacksim.buf.SkBuffPool;
import dev.stacksim.dev.TunDevice;
import dev.stacksim.sim.EventLoop;
import dev.stacksim.socket.Process;
import dev.stacksim.socket.RecvFrom;
import dev.stacksim.socket.SockAddr;
import dev.stacksim.wire.Checksum;
import dev.stacksim.wire.IcmpType;
import dev.stacksim.wire.IpProtocol;
import dev.stacksim.wire.Ipv4Address;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

import static dev.stacksim.socket.SocketConstants.AF_INET;
import static dev.stacksim.socket.SocketConstants.SOCK_DGRAM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A host whose only wire is a tun device: raw IPv4 in and out, no Ethernet, no ARP. */
class TunInterfaceTest {
    private static final int LOCAL = Ipv4Address.parse("192.168.0.1").toInt();
    private static final int REMOTE = Ipv4Address.parse("192.0.2.1").toInt();

    private final EventLoop loop = EventLoop.virtual(11);
    private final SkBuffPool pool = SkBuffPool.create();
    private final TunDevice tun = new TunDevice("tun0");
    private final Host host = Host.builder(loop, pool, "dut").device(tun).address("tun0", "192.168.0.1/16")
            .route("192.0.2.0/24 dev tun0").build();

    @AfterEach
    void tearDown() {
        SkBuff skb;
        while ((skb = tun.read()) != null) {
            skb.consume();
        }
        host.close();
        loop.close();
        pool.close();
    }

    /** An IPv4 packet from {@code src} to {@code dst} carrying {@code l4} (whose checksum is already right). */
    private static byte[] ipv4(int src, int dst, int protocol, byte[] l4) {
        ByteBuffer b = ByteBuffer.allocate(20 + l4.length);
        b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + l4.length)).putShort((short) 1).putShort((short) 0x4000)
                .put((byte) 64).put((byte) protocol).putShort((short) 0).putInt(src).putInt(dst).put(l4);
        byte[] a = b.array();
        int sum = Checksum.finish(Checksum.sum(a, 0, 20));
        a[10] = (byte) (sum >> 8);
        a[11] = (byte) sum;
        return a;
    }

    private static byte[] icmpEcho(int type, int id, int seq, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(8 + data.length);
        b.put((byte) type).put((byte) 0).putShort((short) 0).putShort((short) id).putShort((short) seq).put(data);
        byte[] a = b.array();
        int sum = Checksum.finish(Checksum.sum(a, 0, a.length));
        a[2] = (byte) (sum >> 8);
        a[3] = (byte) sum;
        return a;
    }

    private static byte[] udp(int src, int dst, int sport, int dport, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(8 + data.length);
        b.putShort((short) sport).putShort((short) dport).putShort((short) (8 + data.length)).putShort((short) 0).put(data);
        byte[] a = b.array();
        int sum = Checksum.finish(Checksum.combine(Checksum.pseudoHeader(src, dst, IpProtocol.UDP, a.length),
                Checksum.sum(a, 0, a.length)));
        a[6] = (byte) (sum >> 8);
        a[7] = (byte) sum;
        return a;
    }

    private byte[] readPacket() {
        SkBuff skb = tun.read();
        assertNotNull(skb, "nothing was transmitted on tun0");
        byte[] b = skb.toByteArray();
        skb.consume();
        return b;
    }

    @Test
    void anInjectedEchoRequestIsAnsweredOnTheTunWithoutArp() {
        byte[] data = "ping".getBytes(StandardCharsets.US_ASCII);
        assertTrue(tun.write(ipv4(REMOTE, LOCAL, IpProtocol.ICMP, icmpEcho(IcmpType.ECHO, 77, 1, data)), 0, 32));
        loop.runUntilIdle();
        byte[] reply = readPacket();
        ByteBuffer r = ByteBuffer.wrap(reply);
        assertEquals(0x45, reply[0]);
        assertEquals(32, r.getShort(2));
        assertEquals(IpProtocol.ICMP, reply[9]);
        assertEquals(LOCAL, r.getInt(12));
        assertEquals(REMOTE, r.getInt(16));
        assertEquals(0xFFFF, Checksum.sum(reply, 0, 20));
        assertEquals(IcmpType.ECHOREPLY, reply[20]);
        assertEquals(77, r.getShort(24));
        assertEquals(0xFFFF, Checksum.sum(reply, 20, 12));
        assertNull(tun.read());
        assertTrue(host.neighbours().entries().isEmpty(), "a tun device resolves no neighbours");
    }

    @Test
    void pingThroughTheTunIsAnsweredByWhatTheProgramWrites() {
        CompletableFuture<PingResult> ping = host.pingAsync(Ipv4Address.parse("192.0.2.1"), PingOptions.of(1));
        loop.runFor(1_000);
        byte[] request = readPacket();
        assertEquals(IcmpType.ECHO, request[20]);
        ByteBuffer q = ByteBuffer.wrap(request);
        byte[] l4 = java.util.Arrays.copyOfRange(request, 20, request.length);
        l4[0] = IcmpType.ECHOREPLY;
        l4[2] = 0;
        l4[3] = 0;
        int sum = Checksum.finish(Checksum.sum(l4, 0, l4.length));
        l4[2] = (byte) (sum >> 8);
        l4[3] = (byte) sum;
        loop.runFor(4_000_000);
        tun.write(ipv4(q.getInt(16), q.getInt(12), IpProtocol.ICMP, l4), 0, request.length);
        loop.runUntil(ping::isDone);
        PingResult result = ping.join();
        assertEquals(1, result.received());
        assertEquals(4_001_000L, result.reply(1).rttNanos(), "sent at 0, answered at 4.001 ms");
    }

    @Test
    void udpDatagramsGoBothWaysThroughTheTun() {
        Process p = host.spawn("app");
        int fd = p.socket(AF_INET, SOCK_DGRAM, 0);
        p.bind(fd, SockAddr.of("0.0.0.0", 8080));
        byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);
        tun.write(ipv4(REMOTE, LOCAL, IpProtocol.UDP, udp(REMOTE, LOCAL, 5000, 8080, hello)), 0, 33);
        loop.runUntilIdle();
        byte[] buf = new byte[100];
        RecvFrom got = p.recvfrom(fd, buf, 0, buf.length, 0);
        assertEquals(5, got.length());
        assertEquals(SockAddr.of("192.0.2.1", 5000), got.from());

        p.sendto(fd, "pong!!".getBytes(StandardCharsets.US_ASCII), 0, SockAddr.of("192.0.2.1", 5000));
        loop.runUntilIdle();
        byte[] out = readPacket();
        ByteBuffer o = ByteBuffer.wrap(out);
        assertEquals(34, o.getShort(2));
        assertEquals(IpProtocol.UDP, out[9]);
        assertEquals(LOCAL, o.getInt(12));
        assertEquals(8080, o.getShort(20));
        assertEquals(5000, o.getShort(22));
        assertEquals(14, o.getShort(24));
        int check = Checksum.combine(Checksum.pseudoHeader(LOCAL, REMOTE, IpProtocol.UDP, 14), Checksum.sum(out, 20, 14));
        assertEquals(0xFFFF, check);
        assertEquals(1, tun.stats().txPackets());
        assertEquals(1, tun.stats().rxPackets());
    }

    @Test
    void ipAddrShowsAPointToPointLinkWithoutBroadcast() {
        String text = host.iface("tun0").toString();
        assertTrue(text.startsWith("2: tun0: <POINTOPOINT,MULTICAST,NOARP,UP,LOWER_UP> mtu 1500"), text);
        assertTrue(text.contains("    link/none \n"), text);
        assertTrue(text.contains("    inet 192.168.0.1/16 scope global tun0\n"), text);
    }
}
