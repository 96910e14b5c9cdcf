package dev.stacksim.tcp;

import java.util.AbstractCollection;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The full sockets of one host that hold a port, in the order they took it: what {@code ss},
 * {@code /proc/net/tcp} and a host's close walk. Linux finds them through the bind and
 * established hash tables; here one list keeps the insertion order those views print in.
 *
 * <p>The list is intrusive, as the established table's chains are: each {@link TcpSock} carries
 * its own links ({@code boundPrev}, {@code boundNext}), so taking and giving back a port costs no
 * allocation and no hashing, and an idle socket no map entry (a {@code LinkedHashSet} cost 40
 * bytes and an identity hash per socket). {@link #add}, {@link #remove} and {@link #contains} are
 * O(1); iteration follows the links and fails fast if the list changes under it (callers that
 * change it while walking take a copy, {@code new ArrayList<>(list)}).
 */
final class TcpBoundList extends AbstractCollection<TcpSock> {
    private TcpSock head;
    private TcpSock tail;
    private int size;
    /** Changes so far, for iterators to detect a change under them. */
    private int modCount;

    /** Appends {@code tp}; false when it is already listed. */
    @Override
    public boolean add(TcpSock tp) {
        if (tp.onBoundList) {
            return false;
        }
        tp.onBoundList = true;
        tp.boundPrev = tail;
        tp.boundNext = null;
        if (tail == null) {
            head = tp;
        } else {
            tail.boundNext = tp;
        }
        tail = tp;
        size++;
        modCount++;
        return true;
    }

    /** Unlinks {@code o}; false when it was not listed. */
    @Override
    public boolean remove(Object o) {
        if (!(o instanceof TcpSock tp) || !tp.onBoundList) {
            return false;
        }
        TcpSock p = tp.boundPrev;
        TcpSock n = tp.boundNext;
        if (p == null) {
            head = n;
        } else {
            p.boundNext = n;
        }
        if (n == null) {
            tail = p;
        } else {
            n.boundPrev = p;
        }
        tp.boundPrev = null;
        tp.boundNext = null;
        tp.onBoundList = false;
        size--;
        modCount++;
        return true;
    }

    @Override
    public boolean contains(Object o) {
        // a socket is on at most one host's list: the one of the Tcp that created it
        return o instanceof TcpSock tp && tp.onBoundList;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Iterator<TcpSock> iterator() {
        return new Iterator<>() {
            private TcpSock next = head;
            private final int expected = modCount;

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public TcpSock next() {
                if (modCount != expected) {
                    throw new ConcurrentModificationException("TcpBoundList changed while walked");
                }
                TcpSock n = next;
                if (n == null) {
                    throw new NoSuchElementException();
                }
                next = n.boundNext;
                return n;
            }
        };
    }
}
