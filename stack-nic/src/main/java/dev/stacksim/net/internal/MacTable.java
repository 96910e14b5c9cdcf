package dev.stacksim.net.internal;

import java.util.Arrays;

/**
 * A bridge's forwarding database: MAC address to port and the time the address was last seen as a
 * source (Linux's {@code net_bridge_fdb_entry} with its {@code dst} and {@code updated}).
 *
 * <p>Open addressing with linear probing over parallel arrays, keyed by the 48 address bits in a
 * {@code long}: no boxing and no entry objects, so learning and lookups allocate nothing. Deletion
 * shifts the following run back (no tombstones). The all-zero address is never a valid source
 * (Linux's {@code is_valid_ether_addr}), so {@code 0} marks an empty slot. The table doubles at
 * half full.
 *
 * <p>Callers address entries by slot: {@link #find} returns the slot of an address or -1; a slot
 * stays valid until the next {@link #put} or {@link #remove}. Not thread-safe.
 */
public final class MacTable {
    private static final int INITIAL_CAPACITY = 16;

    private long[] keys = new long[INITIAL_CAPACITY];
    private int[] ports = new int[INITIAL_CAPACITY];
    private long[] updated = new long[INITIAL_CAPACITY];
    private int size;

    /** Entries in the table. */
    public int size() {
        return size;
    }

    /** Slots in the table: iterate {@code 0..capacity()-1} and skip those whose {@link #keyAt} is 0. */
    public int capacity() {
        return keys.length;
    }

    /** The address in {@code slot}, or 0 when the slot is empty. */
    public long keyAt(int slot) {
        return keys[slot];
    }

    /** The port of the entry in {@code slot}. */
    public int portAt(int slot) {
        return ports[slot];
    }

    /** When the entry in {@code slot} was last refreshed, in virtual nanoseconds. */
    public long updatedAt(int slot) {
        return updated[slot];
    }

    /** The slot holding {@code mac}, or -1 when it is not in the table (always -1 for 0). */
    public int find(long mac) {
        if (mac == 0) {
            return -1;
        }
        int mask = keys.length - 1;
        for (int i = hash(mac) & mask; ; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == mac) {
                return i;
            }
            if (k == 0) {
                return -1;
            }
        }
    }

    /**
     * Adds or refreshes {@code mac}: it now lives behind {@code port}, seen at {@code time}.
     *
     * @throws IllegalArgumentException for the zero address, which cannot be stored
     */
    public void put(long mac, int port, long time) {
        if (mac == 0) {
            throw new IllegalArgumentException("fdb: mac=00:00:00:00:00:00 cannot be learned");
        }
        int slot = find(mac);
        if (slot < 0) {
            if ((size + 1) * 2 > keys.length) {
                grow();
            }
            int mask = keys.length - 1;
            slot = hash(mac) & mask;
            while (keys[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            keys[slot] = mac;
            size++;
        }
        ports[slot] = port;
        updated[slot] = time;
    }

    /** Removes the entry in {@code slot}, shifting the rest of its probe run back. */
    public void removeSlot(int slot) {
        int mask = keys.length - 1;
        int hole = slot;
        int i = slot;
        while (true) {
            i = (i + 1) & mask;
            long k = keys[i];
            if (k == 0) {
                break;
            }
            int home = hash(k) & mask;
            // Move k into the hole unless its home lies cyclically in (hole, i].
            boolean homeInRange = hole <= i ? (home > hole && home <= i) : (home > hole || home <= i);
            if (!homeInRange) {
                keys[hole] = k;
                ports[hole] = ports[i];
                updated[hole] = updated[i];
                hole = i;
            }
        }
        keys[hole] = 0;
        size--;
    }

    /** Removes {@code mac}; returns whether it was there. */
    public boolean remove(long mac) {
        int slot = find(mac);
        if (slot < 0) {
            return false;
        }
        removeSlot(slot);
        return true;
    }

    /** Removes every entry; the capacity stays. */
    public void clear() {
        Arrays.fill(keys, 0);
        size = 0;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldPorts = ports;
        long[] oldUpdated = updated;
        int n = oldKeys.length << 1;
        keys = new long[n];
        ports = new int[n];
        updated = new long[n];
        int mask = n - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            long k = oldKeys[j];
            if (k != 0) {
                int i = hash(k) & mask;
                while (keys[i] != 0) {
                    i = (i + 1) & mask;
                }
                keys[i] = k;
                ports[i] = oldPorts[j];
                updated[i] = oldUpdated[j];
            }
        }
    }

    /** Spreads the address bits (locally administered MACs differ only in their last octets). */
    private static int hash(long mac) {
        long z = mac * 0x9e37_79b9_7f4a_7c15L;
        return (int) (z ^ (z >>> 32));
    }
}
