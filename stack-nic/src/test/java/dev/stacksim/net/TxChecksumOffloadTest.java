package dev.stacksim.net;

import dev.stacksim.host.Host;
import dev.stacksim.socket.Process;
import dev.stacksim.socket.SockAddr;
import dev.stacksim.tcp.TcpMib;
import dev.stacksim.wire.IpProtocol;
import dev.stacksim.wire.TcpHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

import static dev.stacksim.socket.SocketConstants.AF_INET;
import static dev.stacksim.socket.SocketConstants.SOCK_STREAM;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TX checksum offload ({@code ethtool -K eth0 tx on|off}): TCP leaves each segment's checksum
 * partial ({@code CHECKSUM_PARTIAL}), and a NIC that offloads completes it on its way out while one
 * that does not gets it completed by the host ({@code skb_checksum_help}). Whichever does the work,
 * the wire must carry the same, correct bytes, and a router that forwards a still-partial segment
 * out of a NIC without the offload must complete it.
 */
class TxChecksumOffloadTest {
    private static final int PORT = 7000;
    private static final int BYTES = 60_000;

    @Test
    void theWireCarriesTheSameCorrectBytesWithAndWithoutOffload(@TempDir Path dir)
            throws IOException {
        byte[] on = transfer(true, dir.resolve("on.pcap"));
        byte[] off = transfer(false, dir.resolve("off.pcap"));
        assertArrayEquals(on, off, "the same frames, byte for byte, at the same virtual times");
        assertTrue(verifyTcpChecksums(on) > 40, "data segments checked");
    }

    @Test
    void aRouterForwardsPartialSegmentsOutOfANicWithoutOffloadAndTheWireCarriesTheirChecksum(@TempDir Path dir)
            throws IOException {
        Path pcap = dir.resolve("router-server.pcap");
        try (Network net = Network.builder().seed(11).build()) {
            Host client = net.host("client").ip("10.0.1.1/24").gateway("10.0.1.254").build();
            Host router = net.host("router").ip("10.0.1.254/24")
                    .ip("10.0.2.254/24", nic -> nic.txChecksumOffload(false)).forwarding(true).build();
            Host server = net.host("server").ip("10.0.2.1/24").gateway("10.0.2.254").build();
            net.link(client, router).latency(Duration.ofMillis(1));
            net.link(router, server).latency(Duration.ofMillis(1)).capture(pcap);
            exchange(client, server, "10.0.2.1");
            assertEquals(0, server.snmp().tcp.get(TcpMib.IN_CSUM_ERRORS));
            assertTrue(router.snmp().get("IpForwDatagrams") > 40);
        }
        assertTrue(verifyTcpChecksums(Files.readAllBytes(pcap)) > 40, "data segments checked");
    }

    /** Client to server over one link, both NICs with offload {@code on} or off; returns the link's pcap. */
    private static byte[] transfer(boolean offload, Path pcap) throws IOException {
        try (Network net = Network.builder().seed(5).build()) {
            Host server = net.host("server").ip("10.0.0.2/24", nic -> nic.txChecksumOffload(offload)).build();
            Host client = net.host("client").ip("10.0.0.1/24", nic -> nic.txChecksumOffload(offload)).build();
            net.link(client, server).latency(Duration.ofMillis(1)).bandwidth(100_000_000L).capture(pcap);
            exchange(client, server, "10.0.0.2");
            assertEquals(0, server.snmp().tcp.get(TcpMib.IN_CSUM_ERRORS));
            assertEquals(0, client.snmp().tcp.get(TcpMib.IN_CSUM_ERRORS));
        }
        return Files.readAllBytes(pcap);
    }

    /** {@value #BYTES} bytes from client to server, a tenth back, both compared; both ends close. */
    private static void exchange(Host clientHost, Host serverHost, String serverIp) {
        Process srv = serverHost.spawn("srv");
        int lfd = srv.socket(AF_INET, SOCK_STREAM, 0);
        srv.bind(lfd, SockAddr.any(PORT));
        srv.listen(lfd, 4);
        Process cli = clientHost.spawn("cli");
        int fd = cli.socket(AF_INET, SOCK_STREAM, 0);
        cli.connect(fd, SockAddr.of(serverIp, PORT));
        int conn = srv.accept(lfd);
        byte[] data = new byte[BYTES];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 7 + i / 251);
        }
        assertEquals(BYTES, cli.send(fd, data, 0, BYTES, 0));
        assertArrayEquals(data, readFully(srv, conn, BYTES));
        assertEquals(BYTES / 10, srv.send(conn, data, 0, BYTES / 10, 0));
        assertArrayEquals(Arrays.copyOf(data, BYTES / 10), readFully(cli, fd, BYTES / 10));
        cli.close(fd);
        srv.close(conn);
        srv.close(lfd);
        clientHost.loop().runFor(Duration.ofSeconds(70)); // FIN exchange and TIME_WAIT done
    }

    private static byte[] readFully(Process p, int fd, int n) {
        byte[] got = new byte[n];
        int at = 0;
        while (at < n) {
            int r = p.recv(fd, got, at, n - at, 0);
            assertTrue(r > 0, "recv returned " + r);
            at += r;
        }
        return got;
    }

    /**
     * Checks the TCP checksum of every IPv4 TCP frame of a pcap (24-byte file header, then a
     * 16-byte record header before each frame) by summing it whole; returns how many carried data.
     */
    private static int verifyTcpChecksums(byte[] pcap) {
        ByteBuf f = Unpooled.wrappedBuffer(pcap);
        int withData = 0;
        int at = 24;
        while (at < pcap.length) {
            int caplen = f.getIntLE(at + 8);
            int frame = at + 16;
            at = frame + caplen;
            if (f.getUnsignedShort(frame + 12) != 0x0800 || f.getUnsignedByte(frame + 14 + 9) != IpProtocol.TCP) {
                continue;
            }
            int ihl = (f.getUnsignedByte(frame + 14) & 0x0F) * 4;
            int total = f.getUnsignedShort(frame + 14 + 2);
            TcpHeader th = new TcpHeader().wrap(f, frame + 14 + ihl, total - ihl);
            assertTrue(th.verifyChecksum(f.getInt(frame + 14 + 12), f.getInt(frame + 14 + 16)), "bad checksum: " + th);
            if (total - ihl > th.headerLen()) {
                withData++;
            }
        }
        return withData;
    }
}
