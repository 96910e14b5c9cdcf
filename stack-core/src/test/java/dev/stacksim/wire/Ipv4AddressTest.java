package dev.stacksim.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Ipv4AddressTest {

    @Test
    void parseKeepsTheFirstOctetInTheTopByte() {
        assertEquals(0x0A00_0001, Ipv4Address.parse("10.0.0.1").toInt());
        assertEquals(0xC0A8_01FE, Ipv4Address.parse("192.168.1.254").toInt());
        assertEquals(0xFFFF_FFFF, Ipv4Address.parse("255.255.255.255").toInt());
        assertEquals(0, Ipv4Address.parse("0.0.0.0").toInt());
    }

    @Test
    void toBytesIsTheWireOrder() {
        assertArrayEquals(new byte[] {10, (byte) 200, 0, 1}, Ipv4Address.parse("10.200.0.1").toBytes());
        // The same four bytes as the sender protocol address of the captured ARP request.
        assertArrayEquals(Captures.bytes("0ac8 0001"), Ipv4Address.parse("10.200.0.1").toBytes());
    }

    @Test
    void ofOctetsEqualsParse() {
        assertEquals(Ipv4Address.parse("10.0.0.1"), Ipv4Address.of(10, 0, 0, 1));
        assertEquals(Ipv4Address.parse("255.0.128.7"), Ipv4Address.of(255, 0, 128, 7));
    }

    @Test
    void ofRejectsOctetsOutsideAByte() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ipv4Address.of(10, 256, 0, 1));
        assertEquals("ipv4: octet=256 not in 0..255", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Ipv4Address.of(-1, 0, 0, 1));
    }

    @Test
    void zeroBitsGiveTheAnyConstant() {
        assertSame(Ipv4Address.ANY, Ipv4Address.of(0));
        assertSame(Ipv4Address.ANY, Ipv4Address.parse("0.0.0.0"));
    }

    @Test
    void parseRejectsEverythingButStrictDottedDecimal() {
        for (String bad : new String[] {"", "1", "1.2.3", "1.2.3.4.", ".1.2.3", "1..2.3", "1.2.3.4.5", "256.0.0.1",
                "1.2.3.256", "1.2.3.1000", "0x7f.0.0.1", "127.1", "+1.2.3.4", "-1.2.3.4", " 1.2.3.4", "1.2.3.4 ",
                "1.2.3.a", "1,2,3,4", "010.0.0.1", "1.2.3.04", "00.0.0.0", "1.2.3.4/24", "１.2.3.4"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ipv4Address.parse(bad), bad);
            assertEquals("ipv4: not an address text=\"" + bad + "\"", e.getMessage());
        }
        assertEquals("ipv4: text=null", assertThrows(IllegalArgumentException.class, () -> Ipv4Address.parse(null)).getMessage());
    }

    @Test
    void parseAcceptsZeroOctetsWithoutTakingThemForLeadingZeros() {
        assertEquals(0x0A00_0000, Ipv4Address.parse("10.0.0.0").toInt());
        assertEquals(0x0000_0A00, Ipv4Address.parse("0.0.10.0").toInt());
        assertEquals(0x6400_0000, Ipv4Address.parse("100.0.0.0").toInt());
    }

    @Test
    void toStringRoundTripsEveryShapeOfOctet() {
        SplittableRandom random = new SplittableRandom(4);
        for (int round = 0; round < 10_000; round++) {
            int bits = random.nextInt();
            String text = Ipv4Address.toString(bits);
            assertEquals(bits, Ipv4Address.parse(text).toInt(), text);
            assertEquals(text, Ipv4Address.of(bits).toString());
        }
        assertEquals("255.255.255.255", Ipv4Address.toString(-1));
        assertEquals("128.0.0.1", Ipv4Address.toString(0x8000_0001));
    }

    @Test
    void classifiesSpecialAddresses() {
        assertTrue(Ipv4Address.ANY.isUnspecified());
        assertTrue(Ipv4Address.LOOPBACK.isLoopback());
        assertTrue(Ipv4Address.parse("127.255.0.3").isLoopback());
        assertFalse(Ipv4Address.parse("128.0.0.1").isLoopback());
        assertTrue(Ipv4Address.parse("224.0.0.1").isMulticast());
        assertTrue(Ipv4Address.parse("239.255.255.250").isMulticast());
        assertFalse(Ipv4Address.parse("240.0.0.1").isMulticast());
        assertFalse(Ipv4Address.parse("223.255.255.255").isMulticast());
        assertTrue(Ipv4Address.BROADCAST.isBroadcast());
        assertFalse(Ipv4Address.parse("10.0.0.255").isBroadcast());
        assertEquals("127.0.0.1", Ipv4Address.LOOPBACK.toString());
    }

    @Test
    void equalityAndOrderAreByUnsignedValue() {
        assertEquals(Ipv4Address.parse("10.0.0.1"), Ipv4Address.of(0x0A00_0001));
        assertEquals(Ipv4Address.parse("10.0.0.1").hashCode(), Ipv4Address.of(0x0A00_0001).hashCode());
        assertNotEquals(Ipv4Address.parse("10.0.0.1"), Ipv4Address.parse("10.0.0.2"));
        assertTrue(Ipv4Address.parse("10.0.0.1").compareTo(Ipv4Address.parse("192.168.0.1")) < 0);
        // 192.168.0.1 is a negative int; the order must still put it after 10.0.0.1 and before 255.255.255.255.
        assertTrue(Ipv4Address.parse("192.168.0.1").compareTo(Ipv4Address.BROADCAST) < 0);
        assertEquals(0, Ipv4Address.parse("1.2.3.4").compareTo(Ipv4Address.of(1, 2, 3, 4)));
    }
}
