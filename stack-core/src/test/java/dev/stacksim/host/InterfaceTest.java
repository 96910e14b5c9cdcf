package dev.stacksim.host;

import dev.stacksim.dev.VethPair;
import dev.stacksim.wire.Ipv4Address;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InterfaceTest {
    private static int ip(String s) {
        return Ipv4Address.parse(s).toInt();
    }

    @Test
    void sourceAddressIsTheOneOnTheDestinationsNetworkElseThePrimary() {
        try (Lab lab = new Lab(91)) {
            VethPair v = lab.veth("eth0", "eth0");
            Host h = lab.host("h", v.first(), "10.0.0.1/24");
            h.addAddress("eth0", "192.168.1.1/24");
            Interface eth0 = h.iface("eth0");
            assertEquals(ip("192.168.1.1"), eth0.selectAddress(ip("192.168.1.77")));
            assertEquals(ip("10.0.0.1"), eth0.selectAddress(ip("10.0.0.77")));
            assertEquals(ip("10.0.0.1"), eth0.selectAddress(ip("8.8.8.8")));
            assertEquals(ip("10.0.0.1"), eth0.primaryAddress());
            assertTrue(eth0.hasAddress(ip("192.168.1.1")));
            assertFalse(eth0.hasAddress(ip("192.168.1.2")));
        }
    }

    @Test
    void describesItselfAsIpAddrDoes() {
        try (Lab lab = new Lab(92)) {
            VethPair v = lab.veth("eth0", "eth0");
            Host h = lab.host("h", v.first(), "10.0.0.1/24");
            Interface eth0 = h.iface("eth0");
            assertEquals(2, eth0.ifindex());
            assertSame(v.first(), eth0.device());
            assertSame(h, eth0.host());
            assertSame(lab.loop, eth0.loop());
            assertSame(lab.pool, eth0.pool());
            assertFalse(eth0.isLoopback());
            assertEquals(0x0200_0000_0001L, eth0.mac());
            assertEquals("2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc pfifo_fast state UP qlen 1000\n"
                    + "    link/ether 02:00:00:00:00:01 brd ff:ff:ff:ff:ff:ff\n"
                    + "    inet 10.0.0.1/24 brd 10.0.0.255 scope global eth0\n"
                    + "       valid_lft forever preferred_lft forever\n", eth0.toString());
            h.close();
            assertTrue(eth0.toString().contains("<BROADCAST,MULTICAST> mtu 1500 qdisc pfifo_fast state DOWN"));
        }
    }
}
