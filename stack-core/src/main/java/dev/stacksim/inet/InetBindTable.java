package dev.stacksim.inet;

import dev.stacksim.sim.SimRandom;

import java.util.Arrays;

/**
 * The local ports of one transport protocol on one host: which sockets hold which port, whether
 * a new bind conflicts, and how an ephemeral port is chosen. UDP has one ({@code udp_table},
 * {@code net/ipv4/udp.c}), TCP another ({@code inet_hashinfo}'s bind hash,
 * {@code inet_connection_sock.c}, {@code inet_hashtables.c}): the two port spaces are separate,
 * as in Linux, but the rules live here once.
 *
 * <h2>The table</h2>
 * {@link #slots()} chains indexed by {@code (port + hashMix) & (slots - 1)} ({@code udp_hashfn}
 * with {@code net_hash_mix}), each holding its sockets newest first, as {@code sk_add_node_rcu}
 * puts them at the head. The chain order matters: UDP's bind check stops at the first socket
 * that decides, and UDP's lookup gives a datagram to the first of equally good sockets, so the
 * last of two SO_REUSEADDR sockets bound to one port receives everything.
 *
 * <h2>Conflicts (EADDRINUSE)</h2>
 * Two sockets on one port whose addresses overlap (equal, or either is 0.0.0.0) conflict unless
 * <ul>
 *   <li>both have SO_REUSEADDR and the existing one is not listening, or</li>
 *   <li>both have SO_REUSEPORT and the existing one is in TIME_WAIT or has the same owner uid.</li>
 * </ul>
 * {@link Rule#TCP} applies this to every socket on the port ({@code inet_bind_conflict}); a
 * listener and a TIME_WAIT socket are told apart by {@link Binder#isListening()} and
 * {@link Binder#isTimeWait()}. {@link Rule#UDP} ({@code udp_lib_lport_inuse}) never sees either
 * state, and decides at the first overlapping socket without SO_REUSEADDR on both sides: a
 * compatible SO_REUSEPORT socket there lets the bind through even if an older socket further down
 * the chain would conflict. The 32 combinations of SO_REUSEADDR, SO_REUSEPORT and uid for two UDP
 * sockets were checked against Linux 6.18.
 *
 * <h2>Ephemeral ports</h2>
 * From {@code net.ipv4.ip_local_port_range} ({@code low..high}, both included):
 * <ul>
 *   <li>{@link #udpGetPort} ({@code udp_lib_get_port(sk, 0)}; UDP bind(0), connect, send):
 *       a uniformly random first port, then the other ports of its hash chain in steps of an odd
 *       multiple of the table size, then the next chain. No parity preference. Exhausted: bind
 *       answers EADDRINUSE, connect and send EAGAIN (both observed on 6.18).</li>
 *   <li>{@link #findOpenPort} ({@code inet_csk_find_open_port}; TCP bind(0) and listen's
 *       autobind): odd ports first from a random odd offset, then the even ones; a socket with
 *       SO_REUSEADDR searches the lower half of the range first, then the upper half.</li>
 *   <li>{@link #hashConnect} ({@code __inet_hash_connect}; TCP connect): even ports first
 *       (the parity of {@code low}) from an offset drawn from a per-host perturbation table and
 *       the connection's hash, then the odd ones; a port held by an explicit bind() is skipped, one
 *       held only by other connections is shared if the 4-tuple is unique. Exhausted:
 *       EADDRNOTAVAIL.</li>
 * </ul>
 * Not modelled: {@code ip_local_reserved_ports}, {@code SO_BINDTODEVICE} (every socket is
 * unbound to a device), {@code net.ipv4.ip_autobind_reuse}, per-socket {@code IP_LOCAL_PORT_RANGE},
 * and the bind-bucket fast paths ({@code tb->fastreuse}), which cache the same answers.
 *
 * <p>Only the event loop's thread touches a table; lookups allocate nothing.
 */
public final class InetBindTable {
    /** What the table needs to know about a socket that holds (or asks for) a port. */
    public interface Binder {
        /** The bound address bits ({@code inet_rcv_saddr}); 0 for INADDR_ANY. */
        int rcvSaddr();

        /** The local port ({@code inet_num}); 0 while unbound. */
        int port();

        /** SO_REUSEADDR ({@code sk_reuse}). */
        boolean reuseAddr();

        /** SO_REUSEPORT ({@code sk_reuseport}). */
        boolean reusePort();

        /** The owner's uid ({@code sock_i_uid}). */
        int uid();

        /**
         * TCP: the socket is listening (two SO_REUSEADDR sockets may not share a port then); the
         * same method as {@code ProtoOps.isListening()}.
         */
        boolean isListening();

        /** TCP: the socket is in TIME_WAIT (SO_REUSEPORT then ignores the uid). */
        default boolean isTimeWait() {
            return false;
        }

        /** TCP: the port came from connect() ({@code tb->fastreuse == -1}), not from bind(). */
        default boolean boundByConnect() {
            return false;
        }
    }

    /** Which conflict rule a table applies. */
    public enum Rule {
        /** {@code udp_lib_lport_inuse}: first deciding socket in chain order. */
        UDP,
        /** {@code inet_csk_bind_conflict}: any conflicting socket. */
        TCP
    }

    /** TCP's {@code check_established}: whether a connection from {@code port} would be unique. */
    @FunctionalInterface
    public interface EstablishedCheck {
        /** True when no connection (or only a reusable TIME_WAIT one) has the same 4-tuple from {@code port}. */
        boolean unique(int port);
    }

    /** {@code INET_TABLE_PERTURB_SIZE} ({@code 1 << CONFIG_INET_TABLE_PERTURB_ORDER}). */
    public static final int PERTURB_SIZE = 1 << 16;

    private final Rule rule;
    private final int mask;
    private final int hashMix;
    private final Binder[][] chains;
    private final int[] counts;
    private int size;
    /** {@code table_perturb}, filled with random values on first use. */
    private int[] perturb;

    /**
     * An empty table.
     *
     * @param rule    the conflict rule
     * @param slots   the number of chains, a power of two
     * @param hashMix the per-namespace value added to a port before masking ({@code net_hash_mix})
     */
    public InetBindTable(Rule rule, int slots, int hashMix) {
        if (slots <= 0 || Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("InetBindTable: slots=" + slots + " not a power of two");
        }
        this.rule = rule;
        this.mask = slots - 1;
        this.hashMix = hashMix;
        this.chains = new Binder[slots][];
        this.counts = new int[slots];
    }

    /** The conflict rule. */
    public Rule rule() {
        return rule;
    }

    /** The number of chains. */
    public int slots() {
        return mask + 1;
    }

    /** The chain of {@code port}: {@code (port + hashMix) & (slots - 1)}, the {@code sl} of /proc/net/udp. */
    public int slot(int port) {
        return (port + hashMix) & mask;
    }

    /** Sockets in chain {@code slot}. */
    public int chainLength(int slot) {
        return counts[slot];
    }

    /** The {@code i}-th socket of chain {@code slot}, newest first. */
    public Binder binder(int slot, int i) {
        return chains[slot][counts[slot] - 1 - i];
    }

    /** Sockets holding a port. */
    public int size() {
        return size;
    }

    /** Adds {@code sk} at the head of its port's chain; its {@link Binder#port()} must be set. */
    public void add(Binder sk) {
        int s = slot(sk.port());
        Binder[] c = chains[s];
        if (c == null) {
            c = new Binder[4];
            chains[s] = c;
        } else if (counts[s] == c.length) {
            c = Arrays.copyOf(c, c.length * 2);
            chains[s] = c;
        }
        c[counts[s]++] = sk;
        size++;
    }

    /** Removes {@code sk} from its port's chain; false when it was not there. */
    public boolean remove(Binder sk) {
        int s = slot(sk.port());
        Binder[] c = chains[s];
        for (int i = 0; i < counts[s]; i++) {
            if (c[i] == sk) {
                System.arraycopy(c, i + 1, c, i, counts[s] - i - 1);
                c[--counts[s]] = null;
                size--;
                return true;
            }
        }
        return false;
    }

    /** {@code inet_rcv_saddr_equal(.., true)}: equal addresses, or either is the wildcard. */
    public static boolean addressesOverlap(int a, int b) {
        return a == b || a == 0 || b == 0;
    }

    /**
     * Whether {@code sk} binding {@code addr:port} explicitly conflicts with a socket holding the
     * port ({@code get_port(sk, port)} answering EADDRINUSE), by the table's rule.
     */
    public boolean inUse(Binder sk, int addr, int port) {
        return rule == Rule.UDP ? udpLportInuse(sk, addr, port) : tcpBindConflict(sk, addr, port, true, true);
    }

    private boolean udpLportInuse(Binder sk, int addr, int port) {
        int s = slot(port);
        Binder[] c = chains[s];
        for (int i = counts[s] - 1; i >= 0; i--) {
            Binder sk2 = c[i];
            if (sk2 == sk || sk2.port() != port || (sk2.reuseAddr() && sk.reuseAddr())
                    || !addressesOverlap(addr, sk2.rcvSaddr())) {
                continue;
            }
            return !(sk2.reusePort() && sk.reusePort() && sk.uid() == sk2.uid());
        }
        return false;
    }

    /** In UDP's autobind scan, a port is taken when a socket on it would conflict ({@code __set_bit}). */
    private boolean udpPortTaken(Binder sk, int addr, int port) {
        int s = slot(port);
        Binder[] c = chains[s];
        for (int i = counts[s] - 1; i >= 0; i--) {
            Binder sk2 = c[i];
            if (sk2 == sk || sk2.port() != port || (sk2.reuseAddr() && sk.reuseAddr())
                    || !addressesOverlap(addr, sk2.rcvSaddr())) {
                continue;
            }
            if (!(sk2.reusePort() && sk.reusePort() && sk.uid() == sk2.uid())) {
                return true;
            }
        }
        return false;
    }

    /** {@code inet_bind_conflict} with its two knobs, for one pair. */
    private static boolean tcpConflict(Binder sk, Binder sk2, boolean relax, boolean reuseportOk) {
        if (sk == sk2) {
            return false;
        }
        if (sk.reuseAddr() && sk2.reuseAddr() && !sk2.isListening()) {
            return !relax || (!reuseportOk && sk.reusePort() && sk2.reusePort()
                    && (sk2.isTimeWait() || sk.uid() == sk2.uid()));
        }
        return !reuseportOk || !sk.reusePort() || !sk2.reusePort()
                || (!sk2.isTimeWait() && sk.uid() != sk2.uid());
    }

    /** {@code inet_csk_bind_conflict}: any socket on the port that conflicts and overlaps. */
    private boolean tcpBindConflict(Binder sk, int addr, int port, boolean relax, boolean reuseportOk) {
        int s = slot(port);
        Binder[] c = chains[s];
        for (int i = counts[s] - 1; i >= 0; i--) {
            Binder sk2 = c[i];
            if (sk2.port() == port && tcpConflict(sk, sk2, relax, reuseportOk)
                    && addressesOverlap(addr, sk2.rcvSaddr())) {
                return true;
            }
        }
        return false;
    }

    /** Whether any socket holds {@code port}. */
    public boolean isBound(int port) {
        int s = slot(port);
        for (int i = 0; i < counts[s]; i++) {
            if (chains[s][i].port() == port) {
                return true;
            }
        }
        return false;
    }

    /**
     * UDP's ephemeral port for {@code sk} binding {@code addr} ({@code udp_lib_get_port} with port
     * 0): a random first port in {@code [low, high]}, then the rest of its chain in steps of an odd
     * multiple of the table size (covering every port of the chain), then the next chains.
     *
     * @return the port, or 0 when every port of the range is taken
     */
    public int udpGetPort(Binder sk, int addr, int low, int high, SimRandom random) {
        int remaining = high - low + 1;
        int rand = random.nextInt();
        int first = (InetHash.reciprocalScale(rand, remaining) + low) & 0xFFFF;
        int size = mask + 1;
        // an odd multiple of the table size, as an unsigned short step: stays within one chain
        int step = (rand | 1) * size;
        int last = (first + size) & 0xFFFF;
        do {
            int snum = first;
            do {
                if (low <= snum && snum <= high && !udpPortTaken(sk, addr, snum)) {
                    return snum;
                }
                snum = (snum + step) & 0xFFFF;
            } while (snum != first);
            first = (first + 1) & 0xFFFF;
        } while (first != last);
        return 0;
    }

    /**
     * TCP's port for bind(0) and listen's autobind ({@code inet_csk_find_open_port}): odd ports
     * from a random odd offset, wrapping in the range, then the even ones; with SO_REUSEADDR the
     * lower half of the range first, then the upper half. Any overlapping socket on a port rules it
     * out, whatever its options ({@code relax} false, {@code reuseport_ok} false).
     *
     * @return the port, or 0 when none is free (bind then answers EADDRINUSE)
     */
    public int findOpenPort(Binder sk, int addr, int low, int high, SimRandom random) {
        int attemptHalf = sk.reuseAddr() ? 1 : 0;
        while (true) {
            int lo = low;
            int hi = high + 1; // [32768, 60999] -> [32768, 61000[
            if (hi - lo < 4) {
                attemptHalf = 0;
            }
            if (attemptHalf != 0) {
                int half = lo + (((hi - lo) >> 2) << 1);
                if (attemptHalf == 1) {
                    hi = half;
                } else {
                    lo = half;
                }
            }
            int remaining = hi - lo;
            if (remaining > 1) {
                remaining &= ~1;
            }
            int offset = random.nextInt(remaining) | 1;
            while (true) {
                int port = lo + offset;
                for (int i = 0; i < remaining; i += 2, port += 2) {
                    if (port >= hi) {
                        port -= remaining;
                    }
                    if (!tcpBindConflict(sk, addr, port, false, false)) {
                        return port;
                    }
                }
                offset--;
                if ((offset & 1) == 0) {
                    continue; // the other parity
                }
                break;
            }
            if (attemptHalf == 1) {
                attemptHalf = 2;
                continue;
            }
            return 0;
        }
    }

    /**
     * TCP's port for connect() on an unbound socket ({@code __inet_hash_connect}): ports of
     * {@code low}'s parity first (even for 32768), from an offset of the perturbation table entry
     * chosen by {@code portOffset} plus its high half, then the other parity. A port held by an
     * explicit bind() is skipped; one held only by connections is used when {@code check} finds the
     * 4-tuple unique. The chosen entry then advances by the ports tried (at least a random 0..7
     * steps), so the next connection to the same destination starts further on.
     *
     * @param portOffset {@code secure_ipv4_port_ephemeral(saddr, daddr, dport)}: a keyed hash of
     *                   the destination, low bits choosing the table entry
     * @return the port, or 0 when none is usable (connect then answers EADDRNOTAVAIL)
     */
    public int hashConnect(int low, int high, long portOffset, EstablishedCheck check, SimRandom random) {
        if (perturb == null) {
            perturb = new int[PERTURB_SIZE];
            for (int i = 0; i < PERTURB_SIZE; i++) {
                perturb[i] = random.nextInt();
            }
        }
        int step = 2;
        int hi = high + 1;
        int remaining = hi - low;
        if (remaining > 1) {
            remaining &= ~1;
        }
        int index = (int) (portOffset & (PERTURB_SIZE - 1));
        int offset = (int) (Integer.toUnsignedLong(perturb[index] + (int) (portOffset >>> 32)) % remaining);
        offset &= ~1;
        while (true) {
            int port = low + offset;
            for (int i = 0; i < remaining; i += step, port += step) {
                if (port >= hi) {
                    port -= remaining;
                }
                if (usableForConnect(port, check)) {
                    int advance = Math.max(i, random.nextInt(8) * step);
                    perturb[index] += advance + step;
                    return port;
                }
            }
            offset++;
            if ((offset & 1) != 0 && remaining > 1) {
                continue;
            }
            return 0;
        }
    }

    private boolean usableForConnect(int port, EstablishedCheck check) {
        int s = slot(port);
        boolean held = false;
        for (int i = 0; i < counts[s]; i++) {
            Binder b = chains[s][i];
            if (b.port() == port) {
                if (!b.boundByConnect()) {
                    return false;
                }
                held = true;
            }
        }
        return !held || check.unique(port);
    }

    @Override
    public String toString() {
        return "InetBindTable[" + rule + " slots=" + slots() + " bound=" + size + "]";
    }
}
