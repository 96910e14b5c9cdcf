package dev.stacksim.dev;

import dev.stacksim.sim.SimRandom;

/**
 * Linux's virtual Ethernet pair ({@code ip link add veth0 type veth peer name veth1}): two
 * Ethernet devices joined back to back, each one's transmit the other's receive. It joins two
 * hosts without a NIC or a link, as containers are joined to a bridge; stack-core's tests use it
 * to put hosts on one wire.
 *
 * <pre>{@code
 * VethPair veth = VethPair.create("eth0", "eth0", loop.random().fork("veth:a-b"));
 * client.addDevice(veth.first());
 * server.addDevice(veth.second());
 * }</pre>
 *
 * <p>A frame sent on one end is received by the other on a later event of the loop, at the same
 * virtual time unless a {@link #delay(long) delay} is set (a convenience Linux's veth does not
 * have: a fixed one-way latency, as {@code tc qdisc add dev veth0 root netem delay} would give,
 * applied in both directions without reordering).
 */
public final class VethPair {
    private final VethDevice first;
    private final VethDevice second;
    private long delayNanos;

    private VethPair(String name0, long mac0, String name1, long mac1) {
        this.first = new VethDevice(this, name0, mac0);
        this.second = new VethDevice(this, name1, mac1);
        first.setPeer(second);
        second.setPeer(first);
    }

    /**
     * A pair with the given names and MAC addresses (raw 48-bit values, see
     * {@code MacAddress#toLong()}).
     *
     * @throws IllegalArgumentException for a name that is empty or longer than 15 characters, or a
     *         MAC that is zero or multicast
     */
    public static VethPair create(String name0, long mac0, String name1, long mac1) {
        return new VethPair(name0, mac0, name1, mac1);
    }

    /**
     * A pair whose MAC addresses are drawn from {@code random}, as Linux gives a veth a random
     * locally administered unicast address ({@code eth_hw_addr_random}).
     */
    public static VethPair create(String name0, String name1, SimRandom random) {
        return new VethPair(name0, randomMac(random), name1, randomMac(random));
    }

    /** The end created first ({@code veth0}). */
    public VethDevice first() {
        return first;
    }

    /** The peer ({@code veth1}). */
    public VethDevice second() {
        return second;
    }

    /**
     * Sets a one-way delay for both directions, in virtual nanoseconds (0, the default, delivers at
     * the same instant). Frames keep their order.
     *
     * @return this pair
     */
    public VethPair delay(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("veth: delay=" + nanos + " must be >= 0");
        }
        this.delayNanos = nanos;
        return this;
    }

    /** The one-way delay in nanoseconds. */
    public long delayNanos() {
        return delayNanos;
    }

    /** A random unicast, locally administered address ({@code eth_random_addr}). */
    static long randomMac(SimRandom random) {
        long bits = random.nextLong() & 0xFFFF_FFFF_FFFFL;
        bits &= ~(0x01L << 40);  // clear the multicast bit of the first octet
        bits |= 0x02L << 40;     // set the locally administered bit
        return bits;
    }

    @Override
    public String toString() {
        return "VethPair[" + first + " <-> " + second + " delay=" + delayNanos + "ns]";
    }
}
