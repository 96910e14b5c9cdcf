package dev.stacksim.ip;

import dev.stacksim.sim.SimTime;
import io.netty.util.collection.IntObjectHashMap;

/**
 * Long-lived state per remote IPv4 address ({@code struct inet_peer_base}, {@code net/ipv4/inetpeer.c}):
 * here only the ICMP rate limit's token bucket ({@code rate_tokens}, {@code rate_last}) that
 * {@link Icmp} keeps per destination. Each address that ever made this host send an error gets a
 * peer, so spoofed sources would make the store grow without end; Linux bounds it by collecting
 * idle peers whenever a new one is created, and so does this class.
 *
 * <h2>Collection ({@code inet_getpeer}, {@code inet_peer_gc})</h2>
 * A peer is idle for as long as it has not been looked up ({@code dtime}). When a lookup misses,
 * up to {@value #PEER_MAX_GC} candidates are examined and those idle for at least the TTL are
 * removed, where the TTL shrinks as the store fills:
 * <pre>
 *   ttl = 600 s - 480 s * total / threshold   (whole seconds; 600 s empty, 120 s nearly full)
 *   ttl = 0                                    when total &gt;= threshold: every candidate goes
 * </pre>
 * so the store never holds much more than {@code threshold} peers. Linux's threshold is 1% of
 * memory over the size of a peer, clamped to 4096..65664; {@link #THRESHOLD} is that maximum (any
 * machine with a gigabyte). Linux's candidates are the peers on the red-black tree path to the new
 * one, ordered by a keyed hash, so in effect random ones; here they are the least recently used
 * ones, which are the first to be idle long enough.
 */
final class InetPeerBase {
    /** {@code PEER_MAX_GC}: candidates examined per new peer. */
    static final int PEER_MAX_GC = 32;
    /** {@code inet_peer_threshold} on a machine with 1 GB or more: at this many peers, idle ones all go. */
    static final int THRESHOLD = 65536 + 128;
    /** {@code inet_peer_minttl}: the TTL as the store approaches the threshold. */
    static final long MIN_TTL = SimTime.seconds(120);
    /** {@code inet_peer_maxttl}: the TTL of an idle peer in an empty store. */
    static final long MAX_TTL = SimTime.seconds(600);

    /** One remote address ({@code struct inet_peer}), on a list ordered by last use. */
    static final class Peer {
        /** The remote address. */
        final int daddr;
        /** {@code rate_tokens}: nanoseconds of credit of the ICMP token bucket. */
        long rateTokens;
        /** {@code rate_last}: when the bucket was last refilled. */
        long rateLast;
        /** {@code dtime}: when the peer was last looked up. */
        long dtime;
        Peer older;
        Peer newer;

        Peer(int daddr, long now) {
            this.daddr = daddr;
            this.dtime = now;
            // "60*HZ is arbitrary, but chosen enough high so that the first calculation of tokens is at its maximum."
            this.rateLast = now - SimTime.seconds(60);
        }
    }

    private final int threshold;
    private final IntObjectHashMap<Peer> peers = new IntObjectHashMap<>();
    private Peer oldest;
    private Peer newest;

    /** A store that collects every idle candidate once it holds {@code threshold} peers. */
    InetPeerBase(int threshold) {
        this.threshold = threshold;
    }

    /** Peers held ({@code base->total}). */
    int size() {
        return peers.size();
    }

    /** The peer of {@code daddr}, or null; does not count as a use. */
    Peer peek(int daddr) {
        return peers.get(daddr);
    }

    /**
     * {@code inet_getpeer}: the peer of {@code daddr}, its idle time reset; created (after collecting
     * idle candidates) when absent.
     */
    Peer get(int daddr, long now) {
        Peer p = peers.get(daddr);
        if (p != null) {
            p.dtime = now;
            unlink(p);
            append(p);
            return p;
        }
        gc(peers.size() + 1, now);
        p = new Peer(daddr, now);
        peers.put(daddr, p);
        append(p);
        return p;
    }

    /** Forgets every peer. */
    void clear() {
        peers.clear();
        oldest = null;
        newest = null;
    }

    /** {@code inet_peer_gc}, with {@code total} counting the peer about to be added, as Linux's does. */
    private void gc(int total, long now) {
        long ttl = total >= threshold ? 0
                : MAX_TTL - SimTime.seconds((MAX_TTL - MIN_TTL) / SimTime.seconds(1) * total / threshold);
        Peer p = oldest;
        for (int i = 0; i < PEER_MAX_GC && p != null; i++) {
            Peer next = p.newer;
            if (now - p.dtime < ttl) {
                break; // the rest were used more recently still
            }
            unlink(p);
            peers.remove(p.daddr);
            p = next;
        }
    }

    private void append(Peer p) {
        p.older = newest;
        p.newer = null;
        if (newest == null) {
            oldest = p;
        } else {
            newest.newer = p;
        }
        newest = p;
    }

    private void unlink(Peer p) {
        if (p.older == null) {
            oldest = p.newer;
        } else {
            p.older.newer = p.newer;
        }
        if (p.newer == null) {
            newest = p.older;
        } else {
            p.newer.older = p.older;
        }
        p.older = null;
        p.newer = null;
    }
}
