package dev.stacksim.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class InetTest {

    @Test
    void htonsOf9501Is0x1d25OnALittleEndianHost() {
        assertEquals(0x251D, 9501);
        assertEquals(0x1D25, Inet.htons(9501));
        assertEquals(9501, Inet.ntohs(0x1D25));
    }

    @Test
    void htonsValueLaidOutByTheHostIsTheWireBytes() {
        // The meaning of htons: store its result in host (little-endian) order and the bytes are 25 1d.
        byte[] memory = ByteBuffer.allocate(2).order(Inet.HOST_BYTE_ORDER).putShort((short) Inet.htons(9501)).array();
        assertArrayEquals(new byte[] {0x25, 0x1D}, memory);
        // The captured UDP datagram to port 9501 carries the same bytes.
        ByteBuf udp = Captures.buf(Captures.LO_UDP_HELLO);
        assertArrayEquals(memory, Captures.slice(udp, 36, 2));
        // And a host that forgets ntohs reads 7461.
        assertEquals(7461, ByteBuffer.wrap(memory).order(Inet.HOST_BYTE_ORDER).getShort() & 0xFFFF);
    }

    @Test
    void hostOrderIsLittleEndianAndNetworkOrderBigEndian() {
        assertEquals(ByteOrder.LITTLE_ENDIAN, Inet.HOST_BYTE_ORDER);
        assertEquals(ByteOrder.BIG_ENDIAN, Inet.NETWORK_BYTE_ORDER);
    }

    @Test
    void htonsKeepsOnlyTheLow16Bits() {
        assertEquals(0x3412, Inet.htons(0xABCD_1234));
        assertEquals(0xFFFF, Inet.htons(-1));
        assertEquals(0x0080, Inet.htons(0x8000));
        assertEquals(0, Inet.htons(0));
    }

    @Test
    void htonlReversesTheFourBytes() {
        assertEquals(0x0100_000A, Inet.htonl(0x0A00_0001));
        assertEquals(0x0A00_0001, Inet.ntohl(0x0100_000A));
        assertEquals(0x0100_007F, Inet.htonl(Inet.INADDR_LOOPBACK));
    }

    @Test
    void byteOrderHelpersRoundTrip() {
        SplittableRandom random = new SplittableRandom(1700);
        for (int round = 0; round < 10_000; round++) {
            int s = random.nextInt(0x10000);
            int l = random.nextInt();
            assertEquals(s, Inet.ntohs(Inet.htons(s)));
            assertEquals(s, Inet.htons(Inet.ntohs(s)));
            assertEquals(l, Inet.ntohl(Inet.htonl(l)));
        }
    }

    @Test
    void constantsAreHostOrderNumbersLikeIpv4AddressBits() {
        assertEquals(Ipv4Address.ANY.toInt(), Inet.INADDR_ANY);
        assertEquals(Ipv4Address.LOOPBACK.toInt(), Inet.INADDR_LOOPBACK);
        assertEquals(Ipv4Address.BROADCAST.toInt(), Inet.INADDR_BROADCAST);
        assertEquals(0xFFFF_FFFF, Inet.INADDR_NONE);
    }

    @Test
    void inetAddrReturnsTheInAddrTALittleEndianHostSees() {
        // Values printed by glibc 2.36 on x86-64 (printf("%08X", inet_addr(...))).
        assertEquals(0x0000_0000, Inet.inet_addr("0.0.0.0"));
        assertEquals(0x0100_007F, Inet.inet_addr("127.0.0.1"));
        assertEquals(0x0100_000A, Inet.inet_addr("10.0.0.1"));
    }

    @Test
    void inetAddrIsHtonlOfTheIpv4AddressBits() {
        SplittableRandom random = new SplittableRandom(826);
        for (int round = 0; round < 10_000; round++) {
            int bits = random.nextInt();
            String text = Ipv4Address.toString(bits);
            assertEquals(Inet.htonl(bits), Inet.inet_addr(text), text);
            assertEquals(bits, Inet.ntohl(Inet.inet_addr(text)), text);
        }
    }

    @Test
    void inetAddrOfBadTextIsInaddrNone() {
        for (String bad : new String[] {"bad", "", " 1.2.3.4", "1.2.3.4.", "1.2.3.4.5", "256.0.0.1", "1.2.3.256", "1..2.3",
                "+1.2.3.4", "1.2.3.-4", "0x", "0x.1", "0xg", "08.1.1.1", "1.2.3.4x", "1.0x1000000", "1.2.65536",
                "4294967296", "0x100000000", "040000000000", "9999999999999999999999", "1.2.3.0x"}) {
            assertEquals(Inet.INADDR_NONE, Inet.inet_addr(bad), bad);
            assertNull(Inet.inet_aton(bad), bad);
        }
        assertEquals(Inet.INADDR_NONE, Inet.inet_addr(null));
    }

    @Test
    void inetAddrCannotTellTheBroadcastAddressFromAnError() {
        assertEquals(Inet.INADDR_NONE, Inet.inet_addr("255.255.255.255"));
        assertEquals(Ipv4Address.BROADCAST, Inet.inet_aton("255.255.255.255"));
        assertArrayEquals(new byte[] {-1, -1, -1, -1}, Inet.inet_pton("255.255.255.255"));
    }

    @Test
    void inetAddrTakesTheLegacyFormsGlibcTakes() {
        // Each pair: text, inet_addr as glibc 2.36 returned it on x86-64.
        Object[][] cases = {
            {"127.1", 0x0100_007F}, {"10.1.2", 0x0200_010A}, {"0x7f.1", 0x0100_007F}, {"0177.0.0.1", 0x0100_007F},
            {"2130706433", 0x0100_007F}, {"010.0.0.1", 0x0100_0008}, {"1.2.3.4 ", 0x0403_0201}, {"1.2.3.4 x", 0x0403_0201},
            {"1.2.3.4\n", 0x0403_0201}, {"1.2.3.4\t5", 0x0403_0201}, {"1.2.3.4\u000B", 0x0403_0201}, {"1.2.3.4\r", 0x0403_0201},
            {"1 .2.3.4", 0x0100_0000}, {"1.0x10000", 0x0000_0101}, {"1.0xffffff", 0xFFFF_FF01}, {"1.2.65535", 0xFFFF_0201},
            {"1.16777215", 0xFFFF_FF01}, {"0", 0}, {"00", 0}, {"0x0", 0}, {"00.0.0.0", 0}, {"1.2.3.04", 0x0403_0201},
            {"0xFF.0XA.0.1", 0x0100_0AFF}, {"0x1.0x2.0x3.0x4", 0x0403_0201}, {"00000000000000000001.2.3.4", 0x0403_0201},
            {"1.2.3.0000000000000000000000000000000000000004", 0x0403_0201}, {"0x0000000000000000000000001.2.3.4", 0x0403_0201},
            {"4294967295", 0xFFFF_FFFF}, {"0xffffffff", 0xFFFF_FFFF}, {"037777777777", 0xFFFF_FFFF},
        };
        for (Object[] c : cases) {
            String text = (String) c[0];
            assertEquals((int) c[1], Inet.inet_addr(text), text);
            assertEquals(Ipv4Address.of(Inet.ntohl((int) c[1])), Inet.inet_aton(text), text);
        }
    }

    @Test
    void inetNtoaPrintsAnInAddrT() {
        assertEquals("127.0.0.1", Inet.inet_ntoa(0x0100_007F));
        assertEquals("10.0.0.1", Inet.inet_ntoa(0x0100_000A));
        assertEquals("0.0.0.0", Inet.inet_ntoa(Inet.htonl(Inet.INADDR_ANY)));
        assertEquals("255.255.255.255", Inet.inet_ntoa(Inet.INADDR_NONE));
    }

    @Test
    void inetNtoaOfInetAddrGivesBackDottedDecimal() {
        SplittableRandom random = new SplittableRandom(894);
        for (int round = 0; round < 10_000; round++) {
            String text = Ipv4Address.toString(random.nextInt());
            assertEquals(text, Inet.inet_ntoa(Inet.inet_addr(text)));
        }
        assertEquals("127.0.0.1", Inet.inet_ntoa(Inet.inet_addr("127.1")));
    }

    @Test
    void inetPtonGivesTheWireBytes() {
        assertArrayEquals(new byte[] {10, 0, 0, 1}, Inet.inet_pton("10.0.0.1"));
        assertArrayEquals(new byte[] {0, 0, 0, 0}, Inet.inet_pton("0.0.0.0"));
        // The target protocol address bytes of the captured ARP request.
        ByteBuf arp = Captures.buf(Captures.VETH_ARP_REQUEST);
        assertArrayEquals(Captures.slice(arp, 38, 4), Inet.inet_pton("10.200.0.2"));
    }

    @Test
    void inetPtonRejectsWhatGlibcRejects() {
        for (String bad : new String[] {"127.1", "0x7f.0.0.1", "0177.0.0.1", "010.0.0.1", "00.0.0.0", "1.2.3.04", "2130706433",
                "1.2.3.4 ", " 1.2.3.4", "1.2.3.4 x", "256.0.0.1", "bad", "", "1.2.3.4.", "::1"}) {
            assertNull(Inet.inet_pton(bad), bad);
        }
        assertNull(Inet.inet_pton(null));
    }

    @Test
    void inetNtopPrintsFourBytes() {
        assertEquals("10.0.0.1", Inet.inet_ntop(new byte[] {10, 0, 0, 1}));
        assertEquals("255.128.0.7", Inet.inet_ntop(new byte[] {(byte) 255, (byte) 128, 0, 7}));
        assertEquals("inet_ntop: src.length=16 not 4",
                assertThrows(IllegalArgumentException.class, () -> Inet.inet_ntop(new byte[16])).getMessage());
    }

    @Test
    void ptonAndNtopRoundTrip() {
        SplittableRandom random = new SplittableRandom(3493);
        for (int round = 0; round < 10_000; round++) {
            byte[] addr = new byte[4];
            random.nextBytes(addr);
            String text = Inet.inet_ntop(addr);
            assertArrayEquals(addr, Inet.inet_pton(text), text);
            assertEquals(Ipv4Address.of(addr[0] & 0xFF, addr[1] & 0xFF, addr[2] & 0xFF, addr[3] & 0xFF).toString(), text);
        }
    }

    @Test
    void inAddrTBytesInLittleEndianMemoryAreTheWireBytes() {
        // Why inet_addr returns 0x0100007F: stored by a little-endian host, that is 7f 00 00 01.
        ByteBuf memory = Unpooled.buffer(4).writeIntLE(Inet.inet_addr("127.0.0.1"));
        assertArrayEquals(new byte[] {0x7F, 0, 0, 1}, Captures.slice(memory, 0, 4));
        assertArrayEquals(Inet.inet_pton("127.0.0.1"), Captures.slice(memory, 0, 4));
    }
}
