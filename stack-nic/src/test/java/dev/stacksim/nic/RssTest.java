package dev.stacksim.nic;

import dev.stacksim.wire.IpProtocol;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static dev.stacksim.nic.TestFrames.addr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RssTest {
    private static final int SRC = addr("66.9.149.187");
    private static final int DST = addr("161.142.100.80");

    private final Rss rss = new Rss(Toeplitz.withMicrosoftKey(), 4);

    @Test
    void tcpFrameHashesItsFourTuple() {
        assertEquals(0x51ccc178L, hash(TestFrames.ipv4(IpProtocol.TCP, SRC, DST, 2794, 1766, 0, 60)));
    }

    @Test
    void udpFrameHashesItsFourTupleToo() {
        assertEquals(0x51ccc178L, hash(TestFrames.ipv4(IpProtocol.UDP, SRC, DST, 2794, 1766, 0x4000, 60)));
    }

    @Test
    void otherIpv4HashesTheAddressesOnly() {
        assertEquals(0x323e8fc2L, hash(TestFrames.ipv4(IpProtocol.ICMP, SRC, DST, 2794, 1766, 0, 60)));
    }

    @Test
    void fragmentsHashTheAddressesOnlySoAllFragmentsShareAQueue() {
        assertEquals(0x323e8fc2L, hash(TestFrames.ipv4(IpProtocol.UDP, SRC, DST, 2794, 1766, 0x2000, 60)));
        assertEquals(0x323e8fc2L, hash(TestFrames.ipv4(IpProtocol.UDP, SRC, DST, 2794, 1766, 185, 60)));
    }

    @Test
    void nonIpv4AndTruncatedFramesAreNotHashedAndGoToQueueZero() {
        assertEquals(Rss.NO_HASH, hash(TestFrames.ethernet(-1L & 0xFFFF_FFFF_FFFFL, TestFrames.MAC_A, 0x0806, 42, 0)));
        assertEquals(Rss.NO_HASH, hash(java.util.Arrays.copyOf(TestFrames.ipv4(IpProtocol.TCP, SRC, DST, 1, 2, 0, 60), 33)));
        byte[] badIhl = TestFrames.ipv4(IpProtocol.TCP, SRC, DST, 1, 2, 0, 60);
        badIhl[14] = 0x44;
        assertEquals(Rss.NO_HASH, hash(badIhl));
        assertEquals(0, rss.queueOf(Rss.NO_HASH));
    }

    @Test
    void tcpWithPortsCutOffFallsBackToTheTwoTuple() {
        byte[] f = java.util.Arrays.copyOf(TestFrames.ipv4(IpProtocol.TCP, SRC, DST, 2794, 1766, 0, 60), 36);
        assertEquals(0x323e8fc2L, hash(f));
    }

    @Test
    void defaultIndirectionTableIsRoundRobinIndexedByTheLowSevenBits() {
        for (int i = 0; i < Rss.INDIRECTION_TABLE_SIZE; i++) {
            assertEquals(i % 4, rss.indirection(i));
        }
        // 0x51ccc178 & 127 = 0x78 = 120; 120 % 4 = 0.  0xc626b0ea & 127 = 0x6a = 106; 106 % 4 = 2.
        assertEquals(0, rss.queueOf(0x51ccc178L));
        assertEquals(2, rss.queueOf(0xc626b0eaL));
        rss.setIndirection(120, 3);
        assertEquals(3, rss.queueOf(0x51ccc178L));
        assertThrows(IllegalArgumentException.class, () -> rss.setIndirection(128, 0));
        assertThrows(IllegalArgumentException.class, () -> rss.setIndirection(0, 4));
    }

    @Test
    void singleQueueSelectsQueueZeroWithoutHashing() {
        Rss one = new Rss(Toeplitz.withMicrosoftKey(), 1);
        byte[] f = TestFrames.ipv4(IpProtocol.TCP, SRC, DST, 2794, 1766, 0, 60);
        assertEquals(0, one.selectQueue(Unpooled.wrappedBuffer(f), 0, f.length));
    }

    @Test
    void formatPrintsLikeEthtoolDashX() {
        String text = rss.format("eth0");
        assertTrue(text.startsWith("RX flow hash indirection table for eth0 with 4 RX ring(s):\n"
                + "    0:      0     1     2     3     0     1     2     3\n"
                + "    8:      0     1     2     3     0     1     2     3\n"), text);
        assertTrue(text.contains("  120:      0     1     2     3     0     1     2     3\n"
                + "RSS hash key:\n6d:5a:56:da:25:5b:0e:c2:41:67:25:3d:43:a3:8f:b0:d0:ca:2b:cb:ae:7b:30:b4:"
                + "77:cb:2d:a3:80:30:f2:0c:6a:42:b7:3b:be:ac:01:fa\nRSS hash function:\n    toeplitz: on\n"), text);
    }

    private long hash(byte[] frame) {
        // At an offset, as in an skb with headroom: the parser must use absolute indexes.
        ByteBuf buf = Unpooled.buffer(frame.length + 64);
        buf.setBytes(64, frame);
        return rss.flowHash(buf, 64, frame.length);
    }
}
