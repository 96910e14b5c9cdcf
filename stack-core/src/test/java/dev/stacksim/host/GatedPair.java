package dev.stacksim.host;

import dev.stacksim.dev.Gate;
import dev.stacksim.dev.VethPair;
import dev.stacksim.sim.SimTime;

/**
 * Two hosts on a veth pair (100 µs each way) on one virtual-time loop: {@code a} 10.0.0.1/24,
 * the client, behind a {@link Gate} that can silence it in either direction, and {@code b}
 * 10.0.0.2/24, the server. For tests that hold TCP connections in states that need a silent
 * peer (request socks, FIN_WAIT1, LAST_ACK, CLOSING). The hosts know each other's MAC address
 * from the start (one ping).
 */
public final class GatedPair implements AutoCloseable {
    /** The loop, the pool and the hosts' lifetimes. */
    public final Lab lab;
    /** In front of {@code a}'s eth0. */
    public final Gate gate;
    /** 10.0.0.1, the client. */
    public final Host a;
    /** 10.0.0.2, the server. */
    public final Host b;

    /** Both hosts on a loop seeded with {@code seed}. */
    public GatedPair(long seed) {
        lab = new Lab(seed);
        VethPair v = lab.veth("eth0", "eth0").delay(SimTime.micros(100));
        gate = new Gate(v.first());
        a = lab.host("a", gate, "10.0.0.1/24");
        b = lab.host("b", v.second(), "10.0.0.2/24");
        // resolve ARP both ways first, so that no test's first SYN waits in a neighbour queue
        a.ping("10.0.0.2", 1);
    }

    /** Runs the loop for {@code millis} of virtual time. */
    public void runMillis(long millis) {
        lab.loop.runFor(SimTime.millis(millis));
    }

    @Override
    public void close() {
        gate.block(false);
        lab.close();
    }
}
