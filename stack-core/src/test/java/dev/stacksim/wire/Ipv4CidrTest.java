package dev.stacksim.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Ipv4CidrTest {

    @Test
    void parseKeepsTheHostBitsOfTheAddress() {
        Ipv4Cidr cidr = Ipv4Cidr.parse("10.0.0.1/24");
        assertEquals(Ipv4Address.parse("10.0.0.1"), cidr.address());
        assertEquals(24, cidr.prefixLength());
        assertEquals("10.0.0.1/24", cidr.toString());
    }

    @Test
    void slash24HasTheFamiliarMaskNetworkAndBroadcast() {
        Ipv4Cidr cidr = Ipv4Cidr.parse("10.0.0.1/24");
        assertEquals(0xFFFF_FF00, cidr.netmask());
        assertEquals("255.255.255.0", Ipv4Address.toString(cidr.netmask()));
        assertEquals(Ipv4Address.parse("10.0.0.0"), cidr.network());
        assertEquals(Ipv4Address.parse("10.0.0.255"), cidr.broadcast());
    }

    @Test
    void oddPrefixesSplitAnOctet() {
        Ipv4Cidr cidr = Ipv4Cidr.parse("172.16.5.77/20");
        assertEquals("255.255.240.0", Ipv4Address.toString(cidr.netmask()));
        assertEquals(Ipv4Address.parse("172.16.0.0"), cidr.network());
        assertEquals(Ipv4Address.parse("172.16.15.255"), cidr.broadcast());
        assertTrue(cidr.contains(Ipv4Address.parse("172.16.15.254")));
        assertFalse(cidr.contains(Ipv4Address.parse("172.16.16.0")));
    }

    @Test
    void slash0ContainsEverything() {
        // -1 << 32 is -1 in Java, not 0: the case a naive netmask gets wrong.
        Ipv4Cidr any = Ipv4Cidr.parse("0.0.0.0/0");
        assertEquals(0, any.netmask());
        assertEquals(Ipv4Address.ANY, any.network());
        assertEquals(Ipv4Address.BROADCAST, any.broadcast());
        assertTrue(any.contains(0));
        assertTrue(any.contains(0xFFFF_FFFF));
        assertTrue(any.contains(Ipv4Address.parse("192.168.1.1")));
    }

    @Test
    void slash32ContainsOnlyItself() {
        Ipv4Cidr host = Ipv4Cidr.parse("10.0.0.7/32");
        assertEquals(0xFFFF_FFFF, host.netmask());
        assertEquals(host.address(), host.network());
        assertEquals(host.address(), host.broadcast());
        assertTrue(host.contains(0x0A00_0007));
        assertFalse(host.contains(0x0A00_0006));
        assertFalse(host.contains(0x0A00_0008));
    }

    @Test
    void slash31IsTwoAddresses() {
        Ipv4Cidr p2p = Ipv4Cidr.parse("10.0.0.1/31");
        assertEquals(Ipv4Address.parse("10.0.0.0"), p2p.network());
        assertTrue(p2p.contains(0x0A00_0000));
        assertTrue(p2p.contains(0x0A00_0001));
        assertFalse(p2p.contains(0x0A00_0002));
    }

    @Test
    void containsWorksAcrossTheSignBit() {
        Ipv4Cidr cidr = Ipv4Cidr.parse("192.168.1.10/16");
        assertTrue(cidr.contains(Ipv4Address.parse("192.168.255.255").toInt()));
        assertFalse(cidr.contains(Ipv4Address.parse("192.169.0.0").toInt()));
        assertFalse(cidr.contains(Ipv4Address.parse("64.168.1.10").toInt()));
    }

    @Test
    void netmaskOfEveryPrefixHasThatManyLeadingOnes() {
        for (int p = 0; p <= 32; p++) {
            int mask = Ipv4Cidr.netmask(p);
            assertEquals(p, Integer.bitCount(mask), "p=" + p);
            assertEquals(p == 0 ? 32 : 0, Integer.numberOfLeadingZeros(mask), "p=" + p);
            assertEquals(32 - p, p == 32 ? 0 : Integer.numberOfTrailingZeros(mask), "p=" + p);
        }
    }

    @Test
    void containsAgreesWithAComparisonOfPrefixBitsOnSeededRandomAddresses() {
        SplittableRandom random = new SplittableRandom(4632);
        for (int round = 0; round < 10_000; round++) {
            int prefix = random.nextInt(33);
            Ipv4Cidr cidr = new Ipv4Cidr(Ipv4Address.of(random.nextInt()), prefix);
            int addr = random.nextInt(2) == 0 ? random.nextInt() : cidr.address().toInt() ^ (1 << random.nextInt(32));
            boolean expected = prefix == 0 || (cidr.address().toInt() >>> (32 - prefix)) == (addr >>> (32 - prefix));
            assertEquals(expected, cidr.contains(addr), cidr + " " + Ipv4Address.toString(addr));
            assertTrue(cidr.contains(cidr.network()));
            assertTrue(cidr.contains(cidr.broadcast()));
        }
    }

    @Test
    void parseRejectsMissingOrMalformedPrefix() {
        for (String bad : new String[] {"10.0.0.1", "10.0.0.1/", "10.0.0.1/33", "10.0.0.1/-1", "10.0.0.1/+8", "10.0.0.1/08",
                "10.0.0.1/024", "10.0.0.1/24/8", "10.0.0.1/2x", "10.0.0/24", "/24", "10.0.0.1 /24", "10.0.0.1/ 24",
                "10.0.0.1/255.255.255.0", "010.0.0.1/8", ""}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ipv4Cidr.parse(bad), bad);
            assertEquals("cidr: not an address/prefix text=\"" + bad + "\"", e.getMessage());
        }
        assertEquals("cidr: not an address/prefix text=null",
                assertThrows(IllegalArgumentException.class, () -> Ipv4Cidr.parse(null)).getMessage());
    }

    @Test
    void parseAcceptsTheEdgePrefixes() {
        assertEquals(0, Ipv4Cidr.parse("10.0.0.1/0").prefixLength());
        assertEquals(9, Ipv4Cidr.parse("10.0.0.1/9").prefixLength());
        assertEquals(32, Ipv4Cidr.parse("10.0.0.1/32").prefixLength());
    }

    @Test
    void constructorRejectsPrefixOutside0To32AndNullAddress() {
        assertEquals("cidr: prefixLength=33 not in 0..32",
                assertThrows(IllegalArgumentException.class, () -> new Ipv4Cidr(Ipv4Address.ANY, 33)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Ipv4Cidr(Ipv4Address.ANY, -1));
        assertThrows(NullPointerException.class, () -> new Ipv4Cidr(null, 24));
    }

    @Test
    void equalityIsOfAddressAndPrefix() {
        assertEquals(Ipv4Cidr.parse("10.0.0.1/24"), new Ipv4Cidr(Ipv4Address.of(10, 0, 0, 1), 24));
        assertEquals(Ipv4Cidr.parse("10.0.0.1/24").hashCode(), new Ipv4Cidr(Ipv4Address.of(10, 0, 0, 1), 24).hashCode());
        assertNotEquals(Ipv4Cidr.parse("10.0.0.1/24"), Ipv4Cidr.parse("10.0.0.2/24"));
        assertNotEquals(Ipv4Cidr.parse("10.0.0.1/24"), Ipv4Cidr.parse("10.0.0.1/25"));
    }

    @Test
    void textRoundTrips() {
        for (String text : new String[] {"10.0.0.1/24", "0.0.0.0/0", "255.255.255.255/32", "192.168.100.3/17"}) {
            assertEquals(text, Ipv4Cidr.parse(text).toString());
        }
    }
}
