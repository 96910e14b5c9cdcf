package dev.stacksim.dev;

import dev.stacksim.buf.SkBuff;
import dev.stacksim.buf.SkBuffPool;
import dev.stacksim.host.Host;
import dev.stacksim.sim.EventLoop;
import dev.stacksim.socket.Process;
import dev.stacksim.socket.SockAddr;
import dev.stacksim.wire.Checksum;
import dev.stacksim.wire.EthernetHeader;
import dev.stacksim.wire.IpProtocol;
import dev.stacksim.wire.Ipv4Header;
import dev.stacksim.wire.TcpHeader;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.stacksim.socket.SocketConstants.AF_INET;
import static dev.stacksim.socket.SocketConstants.SOCK_STREAM;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a device gets from TCP, by its {@code NETIF_F_HW_CSUM} feature: a device that offloads gets
 * each data segment {@code CHECKSUM_PARTIAL}, the pseudo-header's sum in the checksum field
 * ({@code tcp_v4_send_check}); one that does not gets it with the checksum done by the host
 * ({@code validate_xmit_skb}'s {@code skb_checksum_help}).
 */
class ChecksumOffloadTest {
    /** One data segment as the device saw it. */
    private record Seen(int ipSummed, int csumStartFromTcp, int field, boolean verifies, int pseudo) {
    }

    /** In front of a veth, claiming the features given; records each TCP data segment it transmits. */
    private static final class Recorder extends WrappingDevice {
        final long features;
        final List<Seen> seen = new ArrayList<>();

        Recorder(NetDevice inner, long features) {
            super(inner);
            this.features = features;
        }

        @Override
        public long features() {
            return features;
        }

        @Override
        protected void onReceive(SkBuff skb, DeviceContext deliver) {
            deliver.receive(this, skb);
        }

        @Override
        protected TxResult onXmit(SkBuff skb) {
            int ip = skb.data() + EthernetHeader.HEADER_LEN;
            Ipv4Header iph = new Ipv4Header().wrap(skb.buf(), ip, skb.len() - EthernetHeader.HEADER_LEN);
            if (iph.protocol() == IpProtocol.TCP) {
                int tcp = ip + iph.headerLen();
                int len = iph.totalLength() - iph.headerLen();
                TcpHeader th = new TcpHeader().wrap(skb.buf(), tcp, len);
                if (len > th.headerLen()) {
                    seen.add(new Seen(skb.ipSummed(),
                            skb.ipSummed() == SkBuff.CHECKSUM_PARTIAL ? skb.csumStart() - tcp : -1, th.checksum(),
                            th.verifyChecksum(iph.srcAddr(), iph.dstAddr()),
                            Checksum.pseudoHeader(iph.srcAddr(), iph.dstAddr(), IpProtocol.TCP, len)));
                }
            }
            return inner.startXmit(skb);
        }
    }

    private static List<Seen> send(long features) {
        try (EventLoop loop = EventLoop.virtual(3)) {
            SkBuffPool pool = SkBuffPool.create();
            VethPair veth = VethPair.create("eth0", 0x0200_0000_0001L, "eth0", 0x0200_0000_0002L);
            Recorder rec = new Recorder(veth.first(), features);
            Host a = Host.builder(loop, pool, "a").device(rec).address("eth0", "10.0.0.1/24").build();
            Host b = Host.builder(loop, pool, "b").device(veth.second()).address("eth0", "10.0.0.2/24").build();
            Process srv = b.spawn("srv");
            int lfd = srv.socket(AF_INET, SOCK_STREAM, 0);
            srv.bind(lfd, SockAddr.any(80));
            srv.listen(lfd, 1);
            Process cli = a.spawn("cli");
            int fd = cli.socket(AF_INET, SOCK_STREAM, 0);
            cli.connect(fd, SockAddr.of("10.0.0.2", 80));
            int conn = srv.accept(lfd);
            byte[] data = new byte[5000];
            for (int i = 0; i < data.length; i++) {
                data[i] = (byte) (i * 13 + 5);
            }
            assertEquals(data.length, cli.send(fd, data, 0, data.length, 0));
            byte[] got = new byte[data.length];
            for (int n = 0; n < got.length; ) {
                n += srv.recv(conn, got, n, got.length - n, 0);
            }
            assertArrayEquals(data, got, "received intact either way");
            cli.close(fd);
            srv.close(conn);
            srv.close(lfd);
            loop.runFor(java.time.Duration.ofSeconds(70));
            a.close();
            b.close();
            assertEquals(0, pool.outstanding());
            return rec.seen;
        }
    }

    @Test
    void aDeviceThatOffloadsGetsThePseudoHeaderSumAndTheWorkLeftToIt() {
        List<Seen> seen = send(NetDevice.NETIF_F_HW_CSUM);
        assertTrue(seen.size() >= 4, "data segments: " + seen);
        for (Seen s : seen) {
            assertEquals(SkBuff.CHECKSUM_PARTIAL, s.ipSummed(), s.toString());
            assertEquals(0, s.csumStartFromTcp(), "the sum starts at the TCP header");
            assertEquals(s.pseudo(), s.field(), "tcp_v4_send_check leaves the pseudo-header's sum");
        }
    }

    @Test
    void aDeviceWithoutOffloadGetsTheChecksumDoneByTheHost() {
        List<Seen> seen = send(0);
        assertTrue(seen.size() >= 4, "data segments: " + seen);
        for (Seen s : seen) {
            assertEquals(SkBuff.CHECKSUM_UNNECESSARY, s.ipSummed(), s.toString());
            assertTrue(s.verifies(), "skb_checksum_help summed it before the device: " + s);
        }
    }
}
