package dev.stacksim.ip;

import dev.stacksim.dev.Wire;
import dev.stacksim.host.Host;
import dev.stacksim.host.Lab;
import dev.stacksim.wire.Ipv4Address;

/**
 * The fixture the IPv4 and ICMP tests share: host {@code h} (10.0.0.1/24 on eth0, MAC
 * 02:00:00:00:00:01) on a test {@link Wire} whose far end is a peer 10.0.0.9 (MAC
 * 02:00:00:00:00:09) known as a permanent neighbour, with the wire's record of sent frames cleared.
 */
final class WiredHost implements AutoCloseable {
    static final long MAC1 = 0x0200_0000_0001L;
    static final long MAC9 = 0x0200_0000_0009L;

    final Lab lab;
    final Wire wire;
    final Host h;

    WiredHost(long seed) {
        lab = new Lab(seed);
        wire = new Wire(lab.loop, lab.pool, "eth0", MAC1, MAC9);
        h = lab.host("h", wire.hostEnd(), "10.0.0.1/24");
        h.neighbours().addPermanent(h.iface("eth0"), Ipv4Address.parse("10.0.0.9"), MAC9);
        lab.loop.runUntilIdle();
        wire.sent();
    }

    @Override
    public void close() {
        wire.close();
        lab.close();
    }
}
