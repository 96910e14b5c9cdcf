package dev.stacksim.tcp;

import dev.stacksim.inet.InetHash;

import java.util.function.Consumer;

/**
 * The established table ({@code inet_hashinfo.ehash}): every connected TCP socket and TIME_WAIT
 * minisock of a host, found by 4-tuple in O(1) ({@code __inet_lookup_established}). Entries chain
 * through their own {@link TcpEhashEntry#ehashNext()} field, so lookups, insertions and removals
 * allocate nothing; the table doubles when it holds half as many entries as buckets. At a million
 * connections every step along a chain is a cache miss, so the load stays under one half: a
 * lookup that finds nothing (connect()'s uniqueness check, a SYN) then visits half an entry on
 * average instead of up to one (4 bytes per connection for the longer array).
 */
final class TcpEhash {
    private TcpEhashEntry[] buckets = new TcpEhashEntry[256];
    private int size;
    private final int secret;

    /** An empty table hashing with {@code secret} ({@code inet_ehash_secret}). */
    TcpEhash(int secret) {
        this.secret = secret;
    }

    int size() {
        return size;
    }

    /** The number of buckets (the table's array length), for the memory report. */
    int capacity() {
        return buckets.length;
    }

    private int bucket(int laddr, int lport, int raddr, int rport, int mask) {
        return InetHash.ehashfn(laddr, lport, raddr, rport, secret) & mask;
    }

    /** The entry for a segment from {@code raddr:rport} to {@code laddr:lport}, or null. */
    TcpEhashEntry lookup(int laddr, int lport, int raddr, int rport) {
        TcpEhashEntry e = buckets[bucket(laddr, lport, raddr, rport, buckets.length - 1)];
        while (e != null) {
            if (e.localPort() == lport && e.remotePort() == rport && e.remoteAddr() == raddr
                    && e.localAddr() == laddr) {
                return e;
            }
            e = e.ehashNext();
        }
        return null;
    }

    /** Adds {@code e}; the caller made sure its 4-tuple is not in the table. */
    void add(TcpEhashEntry e) {
        if (size >= buckets.length >> 1) {
            grow();
        }
        int b = bucket(e.localAddr(), e.localPort(), e.remoteAddr(), e.remotePort(), buckets.length - 1);
        e.setEhashNext(buckets[b]);
        buckets[b] = e;
        size++;
    }

    /** Removes {@code e}; false if it was not there. */
    boolean remove(TcpEhashEntry e) {
        int b = bucket(e.localAddr(), e.localPort(), e.remoteAddr(), e.remotePort(), buckets.length - 1);
        TcpEhashEntry prev = null;
        for (TcpEhashEntry x = buckets[b]; x != null; x = x.ehashNext()) {
            if (x == e) {
                if (prev == null) {
                    buckets[b] = x.ehashNext();
                } else {
                    prev.setEhashNext(x.ehashNext());
                }
                x.setEhashNext(null);
                size--;
                return true;
            }
            prev = x;
        }
        return false;
    }

    /** Every entry, bucket by bucket ({@code /proc/net/tcp}'s order). */
    void forEach(Consumer<TcpEhashEntry> action) {
        for (TcpEhashEntry head : buckets) {
            for (TcpEhashEntry e = head; e != null; e = e.ehashNext()) {
                action.accept(e);
            }
        }
    }

    private void grow() {
        TcpEhashEntry[] old = buckets;
        TcpEhashEntry[] nb = new TcpEhashEntry[old.length * 2];
        int mask = nb.length - 1;
        for (TcpEhashEntry head : old) {
            TcpEhashEntry e = head;
            while (e != null) {
                TcpEhashEntry next = e.ehashNext();
                int b = bucket(e.localAddr(), e.localPort(), e.remoteAddr(), e.remotePort(), mask);
                e.setEhashNext(nb[b]);
                nb[b] = e;
                e = next;
            }
        }
        buckets = nb;
    }
}
