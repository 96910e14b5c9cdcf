package dev.stacksim.tun;

import dev.stacksim.wire.Checksum;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bridge's two pumps without a TUN device or privileges: this test plays socat's part with a
 * datagram socket of its own ({@link TunBridgeBuilder#peerPort}), sending hand-made IPv4 packets
 * and reading what the simulated host answers. The host runs in real time, so waits are on the
 * wall clock, each bounded.
 */
@Timeout(30)
class TunBridgeDatagramTest {
    private static final byte[] KERNEL = {10, 9, 0, 1};
    private static final byte[] HOST = {10, 9, 0, 2};

    private DatagramChannel peer;
    private TunBridge bridge;
    private InetSocketAddress bridgeAddress;

    @BeforeEach
    void open() throws IOException {
        InetAddress lo = InetAddress.getLoopbackAddress();
        peer = DatagramChannel.open().bind(new InetSocketAddress(lo, 0));
        int bridgePort;
        try (DatagramChannel probe = DatagramChannel.open().bind(new InetSocketAddress(lo, 0))) {
            bridgePort = ((InetSocketAddress) probe.getLocalAddress()).getPort();
        }
        bridge = TunBridge.builder().seed(5).peerPort(((InetSocketAddress) peer.getLocalAddress()).getPort())
                .bridgePort(bridgePort).build();
        bridgeAddress = new InetSocketAddress(lo, bridgePort);
        peer.configureBlocking(false);
    }

    @AfterEach
    void close() throws IOException {
        try {
            if (bridge != null) {
                bridge.close();
            }
        } finally {
            peer.close();
        }
    }

    @Test
    void anEchoRequestDatagramComesBackAsOneEchoReplyDatagram() throws IOException {
        byte[] data = "stacksim over udp".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        peer.send(ByteBuffer.wrap(echoRequest(0x1234, 7, data)), bridgeAddress);

        byte[] reply = receive(5000);
        assertNotNull(reply, "no echo reply within 5 s: " + bridge);
        assertEquals(20 + 8 + data.length, reply.length);
        assertEquals(0x45, reply[0] & 0xFF);
        assertEquals(1, reply[9], "protocol ICMP");
        assertArrayEquals(HOST, Arrays.copyOfRange(reply, 12, 16), "source");
        assertArrayEquals(KERNEL, Arrays.copyOfRange(reply, 16, 20), "destination");
        assertTrue(Checksum.verify(Checksum.sum(reply, 0, 20)), "IPv4 header checksum");
        assertEquals(0, reply[20], "type echo reply");
        assertEquals(0x1234, ((reply[24] & 0xFF) << 8) | (reply[25] & 0xFF), "identifier");
        assertEquals(7, ((reply[26] & 0xFF) << 8) | (reply[27] & 0xFF), "sequence");
        assertTrue(Checksum.verify(Checksum.sum(reply, 20, reply.length - 20)), "ICMP checksum");
        assertArrayEquals(data, Arrays.copyOfRange(reply, 28, reply.length));

        assertEquals(1, bridge.rxDatagrams());
        // the loop counts a datagram once its write returned, which may be after we received it
        assertTrue(waitFor(() -> bridge.txDatagrams() == 1, 5000), bridge.toString());
        assertEquals(1L, bridge.onLoop(() -> bridge.host().snmp().get("IcmpInEchos")));
        assertEquals(1L, bridge.onLoop(() -> bridge.host().snmp().get("IcmpOutEchoReps")));
    }

    @Test
    void aPacketWithABadHeaderChecksumIsCountedAndDroppedByTheHost() throws IOException {
        byte[] p = echoRequest(1, 1, new byte[8]);
        p[10] ^= 0x55;
        peer.send(ByteBuffer.wrap(p), bridgeAddress);
        assertTrue(waitFor(() -> bridge.onLoop(() -> bridge.host().snmp().get("IpInHdrErrors")) == 1L, 5000),
                "IpInHdrErrors never reached 1: " + bridge);
        assertNull(receive(200), "no answer to a corrupt packet");
        assertEquals(0L, bridge.onLoop(() -> bridge.host().snmp().get("IcmpInEchos")));
    }

    @Test
    void aDatagramThatIsNoIpPacketIsDroppedByTheDevice() throws IOException {
        peer.send(ByteBuffer.wrap(new byte[] {0x50, 1, 2, 3}), bridgeAddress);
        assertTrue(waitFor(() -> bridge.onLoop(() -> bridge.device().stats().rxDropped()) == 1L, 5000),
                "rx_dropped never reached 1: " + bridge);
    }

    @Test
    void aDatagramLongerThanTheMtuIsCountedAsALengthError() throws IOException {
        byte[] big = echoRequest(2, 2, new byte[1600]);
        peer.send(ByteBuffer.wrap(big), bridgeAddress);
        assertTrue(waitFor(() -> bridge.rxLengthErrors() == 1, 5000), "no length error: " + bridge);
        assertEquals(0L, bridge.onLoop(() -> bridge.host().snmp().get("IpInReceives")));
    }

    @Test
    void closeStopsTheLoopAndReleasesEverySkb() throws IOException {
        peer.send(ByteBuffer.wrap(echoRequest(3, 3, new byte[32])), bridgeAddress);
        assertNotNull(receive(5000));
        bridge.close();
        bridge.close();
        assertEquals(0, bridge.pool().outstanding(), bridge.pool().toString());
        assertTrue(bridge.host().isClosed());
        assertThrows(java.util.concurrent.RejectedExecutionException.class, () -> bridge.loop().execute(() -> { }));
        assertFalse(Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().startsWith("stacksim-tun-") && t.isAlive()), "a bridge thread survived");
    }

    @Test
    void theBuilderRefusesBadSettings() {
        assertThrows(IllegalArgumentException.class, () -> TunBridge.builder().ifname("a-name-of-16-chr"));
        assertThrows(IllegalArgumentException.class, () -> TunBridge.builder().ifname("sim 0"));
        assertThrows(IllegalArgumentException.class, () -> TunBridge.builder().mtu(100));
        assertThrows(IllegalArgumentException.class, () -> TunBridge.builder().kernelAddress("10.9.0.300/24"));
        assertThrows(IllegalArgumentException.class,
                () -> TunBridge.builder().kernelAddress("10.9.0.2/24").hostAddress("10.9.0.2/24").peerPort(9).build());
    }

    @Test
    void socatsCommandLinePairsTheTunDeviceWithTheBridgesPort() {
        assertEquals(java.util.List.of("/usr/bin/setpriv", "--pdeathsig", "KILL", "socat", "-b", "8192",
                        "TUN:10.9.0.1/24,tun-type=tun,iff-no-pi,up,tun-name=sim0",
                        "UDP-DATAGRAM:127.0.0.1:40001,bind=127.0.0.1:40002,rcvbuf=4194304"),
                SocatTun.command("socat", "sim0", "10.9.0.1/24", 1500, 40002, 40001, "/usr/bin/setpriv"));
    }

    // ---------------------------------------------------------------- helpers

    /** An IPv4 ICMP echo request from the kernel's address to the host's, checksums filled in. */
    static byte[] echoRequest(int id, int seq, byte[] data) {
        int len = 20 + 8 + data.length;
        ByteBuffer b = ByteBuffer.allocate(len);
        b.put((byte) 0x45).put((byte) 0).putShort((short) len).putShort((short) 0x4242).putShort((short) 0x4000)
                .put((byte) 64).put((byte) 1).putShort((short) 0).put(KERNEL).put(HOST);
        b.put((byte) 8).put((byte) 0).putShort((short) 0).putShort((short) id).putShort((short) seq).put(data);
        byte[] p = b.array();
        int ip = Checksum.finish(Checksum.sum(p, 0, 20));
        p[10] = (byte) (ip >> 8);
        p[11] = (byte) ip;
        int icmp = Checksum.finish(Checksum.sum(p, 20, len - 20));
        p[22] = (byte) (icmp >> 8);
        p[23] = (byte) icmp;
        return p;
    }

    /** The next datagram the bridge sends within {@code millis}, or null. */
    private byte[] receive(long millis) throws IOException {
        try (Selector sel = Selector.open()) {
            peer.register(sel, SelectionKey.OP_READ);
            if (sel.select(millis) == 0) {
                return null;
            }
            ByteBuffer buf = ByteBuffer.allocate(65536);
            peer.receive(buf);
            buf.flip();
            byte[] out = new byte[buf.remaining()];
            buf.get(out);
            return out;
        }
    }

    /** Polls {@code condition} every 5 ms for at most {@code millis}: the host runs on the wall clock. */
    private static boolean waitFor(java.util.function.BooleanSupplier condition, long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(5_000_000L);
        }
        return condition.getAsBoolean();
    }
}
