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

class MacAddressTest {

    @Test
    void parseKeepsTheFirstOctetInBits47To40() {
        assertEquals(0x0200_0000_0001L, MacAddress.parse("02:00:00:00:00:01").toLong());
        assertEquals(0x0123_4567_89ABL, MacAddress.parse("01:23:45:67:89:ab").toLong());
        assertEquals(0x0123_4567_89ABL, MacAddress.parse("01:23:45:67:89:AB").toLong());
    }

    @Test
    void toStringIsLowercaseColonFormLikeTcpdump() {
        assertEquals("02:00:00:00:00:01", MacAddress.of(0x0200_0000_0001L).toString());
        assertEquals("de:ad:be:ef:0a:0b", MacAddress.parse("DE:AD:BE:EF:0A:0B").toString());
        assertEquals("ff:ff:ff:ff:ff:ff", MacAddress.BROADCAST.toString());
        assertEquals("00:00:00:00:00:00", MacAddress.ZERO.toString());
    }

    @Test
    void staticToStringPrintsRawBitsAndIgnoresBitsAbove47() {
        assertEquals("02:00:00:00:00:02", MacAddress.toString(0x0200_0000_0002L));
        assertEquals("ff:ff:ff:ff:ff:ff", MacAddress.toString(-1L));
    }

    @Test
    void parseRejectsAnythingButSixColonSeparatedHexPairs() {
        for (String bad : new String[] {"", "02:00:00:00:00", "02:00:00:00:00:01:02", "2:00:00:00:00:01", "02:00:00:00:00:1",
                "02-00-00-00-00-01", "0200.0000.0001", "020000000001", "02:00:00:00:00:0g", " 02:00:00:00:00:01",
                "02:00:00:00:00:01 ", "02:00:00:00:000:1", "+2:00:00:00:00:01", "02::00:00:00:00:1", "02:00:00:00:00:０1"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MacAddress.parse(bad), bad);
            assertEquals("mac: not an address text=\"" + bad + "\"", e.getMessage());
        }
        assertEquals("mac: not an address text=null", assertThrows(IllegalArgumentException.class, () -> MacAddress.parse(null)).getMessage());
    }

    @Test
    void ofRejectsBitsWiderThan48() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MacAddress.of(0x1_0000_0000_0000L));
        assertEquals("mac: bits=0x1000000000000 wider than 48 bits", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MacAddress.of(-1L));
    }

    @Test
    void ofGivesTheConstantsForZeroAndAllOnes() {
        assertSame(MacAddress.ZERO, MacAddress.of(0));
        assertSame(MacAddress.BROADCAST, MacAddress.of(0xFFFF_FFFF_FFFFL));
        assertSame(MacAddress.BROADCAST, MacAddress.parse("ff:ff:ff:ff:ff:ff"));
    }

    @Test
    void bytesRoundTripInWireOrder() {
        byte[] wire = Captures.bytes("0200 0000 0001");
        assertEquals(MacAddress.parse("02:00:00:00:00:01"), MacAddress.of(wire));
        assertArrayEquals(wire, MacAddress.parse("02:00:00:00:00:01").toBytes());
        assertArrayEquals(Captures.bytes("0123 4567 89ab"), MacAddress.of(0x0123_4567_89ABL).toBytes());
        assertEquals("mac: bytes.length=5 not 6",
                assertThrows(IllegalArgumentException.class, () -> MacAddress.of(new byte[5])).getMessage());
    }

    @Test
    void textAndBitsRoundTripOnSeededRandomAddresses() {
        SplittableRandom random = new SplittableRandom(48);
        for (int round = 0; round < 10_000; round++) {
            long bits = random.nextLong() & MacAddress.MASK;
            MacAddress mac = MacAddress.of(bits);
            assertEquals(mac, MacAddress.parse(mac.toString()));
            assertEquals(mac, MacAddress.of(mac.toBytes()));
            assertEquals(bits, mac.toLong());
        }
    }

    @Test
    void broadcastIsAlsoMulticast() {
        assertTrue(MacAddress.BROADCAST.isBroadcast());
        assertTrue(MacAddress.BROADCAST.isMulticast());
        assertFalse(MacAddress.BROADCAST.isUnicast());
        assertTrue(MacAddress.isBroadcast(0xFFFF_FFFF_FFFFL));
        assertFalse(MacAddress.isBroadcast(0xFFFF_FFFF_FFFEL));
    }

    @Test
    void multicastIsTheLowBitOfTheFirstOctet() {
        // 01:00:5e:… carries IPv4 multicast (RFC 1112), 33:33:… IPv6 multicast.
        assertTrue(MacAddress.parse("01:00:5e:00:00:01").isMulticast());
        assertTrue(MacAddress.parse("33:33:00:00:00:01").isMulticast());
        assertTrue(MacAddress.isMulticast(0x0100_5E00_0001L));
        assertFalse(MacAddress.parse("02:00:00:00:00:01").isMulticast());
        assertTrue(MacAddress.parse("02:00:00:00:00:01").isUnicast());
        // The low bit of the last octet means nothing.
        assertFalse(MacAddress.parse("00:00:00:00:00:01").isMulticast());
    }

    @Test
    void locallyAdministeredIsTheSecondBitOfTheFirstOctet() {
        assertTrue(MacAddress.parse("02:00:00:00:00:01").isLocallyAdministered());
        assertTrue(MacAddress.BROADCAST.isLocallyAdministered());
        assertFalse(MacAddress.parse("00:1b:21:0a:0b:0c").isLocallyAdministered());
        assertFalse(MacAddress.parse("01:00:5e:00:00:01").isLocallyAdministered());
        assertFalse(MacAddress.parse("00:00:00:00:00:02").isLocallyAdministered());
    }

    @Test
    void zeroIsZero() {
        assertTrue(MacAddress.ZERO.isZero());
        assertFalse(MacAddress.ZERO.isMulticast());
        assertFalse(MacAddress.parse("00:00:00:00:00:01").isZero());
    }

    @Test
    void equalityAndOrderAreByValue() {
        assertEquals(MacAddress.parse("02:00:00:00:00:01"), MacAddress.of(0x0200_0000_0001L));
        assertEquals(MacAddress.parse("02:00:00:00:00:01").hashCode(), MacAddress.of(0x0200_0000_0001L).hashCode());
        assertNotEquals(MacAddress.parse("02:00:00:00:00:01"), MacAddress.parse("02:00:00:00:00:02"));
        assertTrue(MacAddress.parse("02:00:00:00:00:01").compareTo(MacAddress.parse("02:00:00:00:00:02")) < 0);
        assertTrue(MacAddress.parse("fe:00:00:00:00:00").compareTo(MacAddress.BROADCAST) < 0);
        assertTrue(MacAddress.ZERO.compareTo(MacAddress.parse("00:00:00:00:00:01")) < 0);
    }
}
