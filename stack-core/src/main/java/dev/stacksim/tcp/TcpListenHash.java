package dev.stacksim.tcp;

import java.util.ArrayList;
import java.util.List;

/**
 * The listening sockets of a host by local port ({@code inet_hashinfo}'s listening hash,
 * {@code lhash2}): the table every SYN and every segment that matched no connection is looked up
 * in. Indexed directly by the port, in two levels of 256 so that a host with a few listeners pays
 * for a page or two, not for 65,536 slots: two array loads and no boxing, where a
 * {@code HashMap<Integer, ...>} hashed a boxed key per segment.
 *
 * <pre>
 *   port 0x1F90 (8080) ─► pages[0x1F] ─► [0x90] ─► [newest listener, ..., oldest]
 * </pre>
 *
 * <p>Each port's list is newest first, as {@code inet_hash} adds a listener at the head.
 */
final class TcpListenHash {
    /** Second-level pages, created when a port of their range first gets a listener. */
    @SuppressWarnings("unchecked")
    private final ArrayList<TcpSock>[][] pages = new ArrayList[256][];
    /** Ports with at least one listener. */
    private int ports;

    /** The listeners on {@code port}, newest first, or {@code null} when none. */
    List<TcpSock> get(int port) {
        ArrayList<TcpSock>[] page = pages[port >>> 8];
        return page == null ? null : page[port & 0xff];
    }

    /** Adds {@code tp} as the newest listener on {@code port}. */
    @SuppressWarnings("unchecked")
    void addFirst(int port, TcpSock tp) {
        ArrayList<TcpSock>[] page = pages[port >>> 8];
        if (page == null) {
            page = new ArrayList[256];
            pages[port >>> 8] = page;
        }
        ArrayList<TcpSock> l = page[port & 0xff];
        if (l == null) {
            l = new ArrayList<>(2);
            page[port & 0xff] = l;
            ports++;
        }
        l.add(0, tp);
    }

    /** Removes {@code tp} from the listeners on {@code port}, if it is there. */
    void remove(int port, TcpSock tp) {
        ArrayList<TcpSock>[] page = pages[port >>> 8];
        ArrayList<TcpSock> l = page == null ? null : page[port & 0xff];
        if (l != null && l.remove(tp) && l.isEmpty()) {
            page[port & 0xff] = null;
            ports--;
        }
    }

    /** Ports with at least one listener. */
    int size() {
        return ports;
    }
}
