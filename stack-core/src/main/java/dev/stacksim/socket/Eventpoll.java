package dev.stacksim.socket;

import static dev.stacksim.socket.SocketConstants.*;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An epoll instance ({@code struct eventpoll}, {@code fs/eventpoll.c}): the watched descriptors
 * (one {@link Item} per open file and fd, {@code struct epitem}) and the ready list.
 *
 * <h2>Driven by wait queues</h2>
 * Each item sits on its file's {@link WaitQueue}; a wake-up calls {@link Item#wake}
 * ({@code ep_poll_callback}), which puts the item on the ready list and wakes a caller blocked in
 * {@code epoll_wait}. Nothing polls all sockets in a loop: {@code epoll_wait} looks only at ready
 * items ({@code ep_send_events}), re-checks each one's mask, and
 * <ul>
 *   <li>level-triggered: puts it back at the tail while it stays ready, so the next wait reports it again;</li>
 *   <li>edge-triggered (EPOLLET): drops it until the next wake-up, i.e. new data, a new connection;</li>
 *   <li>EPOLLONESHOT: disables it after one report, until EPOLL_CTL_MOD re-arms it.</li>
 * </ul>
 * EPOLLEXCLUSIVE items are added at the tail of the file's queue as exclusive entries, and an
 * item that woke a waiting {@code epoll_wait} ends the wake-up walk: of several epoll instances
 * blocked on one listener, one is woken (the others' ready lists stay empty).
 *
 * <p>Items are removed when their file's last reference goes, not when one descriptor is closed,
 * as Linux does (a dup'ed descriptor keeps the registration alive).
 */
final class Eventpoll {
    /** The bits that are not events ({@code EP_PRIVATE_BITS}, less EPOLLWAKEUP). */
    static final int PRIVATE_BITS = EPOLLONESHOT | EPOLLET | EPOLLEXCLUSIVE;
    /** What EPOLLEXCLUSIVE may be combined with ({@code EPOLLEXCLUSIVE_OK_BITS}). */
    static final int EXCLUSIVE_OK_BITS = EPOLLIN | EPOLLOUT | EPOLLERR | EPOLLHUP | EPOLLET | EPOLLEXCLUSIVE;

    /** Callers blocked in epoll_wait on this instance ({@code ep->wq}). */
    final WaitQueue wq = new WaitQueue();
    /** poll()/select() callers watching the epoll descriptor itself ({@code ep->poll_wait}). */
    final WaitQueue pollWait = new WaitQueue();
    private final Map<Key, Item> items = new LinkedHashMap<>();
    private final ArrayDeque<Item> ready = new ArrayDeque<>();

    private record Key(OpenFile file, int fd) {
    }

    /** A watched descriptor ({@code struct epitem}). */
    final class Item implements WaitQueue.Entry {
        final OpenFile file;
        final int fd;
        int events;
        long data;
        boolean linked;
        WaitQueue on;

        Item(OpenFile file, int fd) {
            this.file = file;
            this.fd = fd;
        }

        Eventpoll owner() {
            return Eventpoll.this;
        }

        /** {@code ep_poll_callback}. */
        @Override
        public boolean wake(int key) {
            boolean exclusive = (events & EPOLLEXCLUSIVE) != 0;
            boolean ewake = false;
            if ((events & ~PRIVATE_BITS) != 0 && (key == 0 || (key & events) != 0)) {
                if (!linked) {
                    linked = true;
                    ready.addLast(this);
                }
                if (wq.isActive()) {
                    if (exclusive) {
                        switch (key & (EPOLLIN | EPOLLOUT)) {
                            case EPOLLIN -> ewake = (events & EPOLLIN) != 0;
                            case EPOLLOUT -> ewake = (events & EPOLLOUT) != 0;
                            case 0 -> ewake = true;
                            default -> { }
                        }
                    }
                    wq.wakeUp(0);
                }
                if (pollWait.isActive()) {
                    pollWait.wakeUp(POLLIN | POLLRDNORM);
                }
            }
            return exclusive ? ewake : true;
        }

        @Override
        public String toString() {
            return "epitem{fd=" + fd + " " + file.describe() + " events=" + PollFd.eventNames(events) + "}";
        }
    }

    /**
     * {@code epoll_ctl} once the descriptors were looked up: 0 or -errno (EEXIST, ENOENT, EINVAL).
     *
     * @param file the open file at {@code fd}
     */
    int ctl(int op, int fd, OpenFile file, int events, long data) {
        if (file.kind == OpenFile.Kind.EPOLL) {
            // self-watch is EINVAL on Linux; nesting epoll instances is not modelled (Linux allows it)
            return -Errno.EINVAL.number();
        }
        if ((events & EPOLLEXCLUSIVE) != 0 && (op == EPOLL_CTL_MOD || (op == EPOLL_CTL_ADD
                && (events & ~EXCLUSIVE_OK_BITS) != 0))) {
            return -Errno.EINVAL.number();
        }
        Key key = new Key(file, fd);
        Item item = items.get(key);
        switch (op) {
            case EPOLL_CTL_ADD -> {
                if (item != null) {
                    return -Errno.EEXIST.number();
                }
                item = new Item(file, fd);
                item.events = events | EPOLLERR | EPOLLHUP;
                item.data = data;
                items.put(key, item);
                file.addWatcher(item);
                WaitQueue q = file.waitQueue();
                if (q != null) {
                    item.on = q;
                    if ((events & EPOLLEXCLUSIVE) != 0) {
                        q.addExclusive(item);
                    } else {
                        q.add(item);
                    }
                }
                recheck(item);
            }
            case EPOLL_CTL_MOD -> {
                if (item == null) {
                    return -Errno.ENOENT.number();
                }
                if ((item.events & EPOLLEXCLUSIVE) != 0) {
                    return -Errno.EINVAL.number();
                }
                item.events = events | EPOLLERR | EPOLLHUP;
                item.data = data;
                recheck(item);
            }
            case EPOLL_CTL_DEL -> {
                if (item == null) {
                    return -Errno.ENOENT.number();
                }
                remove(item);
            }
            default -> {
                return -Errno.EINVAL.number();
            }
        }
        return 0;
    }

    /** After ADD or MOD: if the file is ready now, queue the item and wake ({@code ep_insert}). */
    private void recheck(Item item) {
        if ((item.file.poll() & item.events) != 0 && !item.linked) {
            item.linked = true;
            ready.addLast(item);
            wq.wakeUp(0);
            pollWait.wakeUp(POLLIN | POLLRDNORM);
        }
    }

    /** Removes {@code item} from the instance, its file's queue and the ready list ({@code ep_remove}). */
    void remove(Item item) {
        items.remove(new Key(item.file, item.fd));
        if (item.on != null) {
            item.on.remove(item);
            item.on = null;
        }
        if (item.linked) {
            ready.remove(item);
            item.linked = false;
        }
        item.file.removeWatcher(item);
    }

    /**
     * {@code ep_send_events}: fills up to {@code max} events from the ready list, re-checking each
     * item's mask; level-triggered items that are still ready go back to the tail.
     */
    int harvest(EpollEvent[] out, int max) {
        if (ready.isEmpty()) {
            return 0;
        }
        List<Item> batch = new ArrayList<>(ready);
        ready.clear();
        List<Item> again = new ArrayList<>();
        int n = 0;
        int i = 0;
        for (; i < batch.size() && n < max; i++) {
            Item item = batch.get(i);
            item.linked = false;
            int revents = item.file.poll() & item.events;
            if (revents == 0) {
                continue;
            }
            out[n].events = revents;
            out[n].data = item.data;
            n++;
            if ((item.events & EPOLLONESHOT) != 0) {
                item.events &= PRIVATE_BITS;
            } else if ((item.events & EPOLLET) == 0) {
                again.add(item);
            }
        }
        List<Item> added = new ArrayList<>(ready);
        ready.clear();
        for (; i < batch.size(); i++) {
            ready.addLast(batch.get(i));
        }
        for (Item item : again) {
            item.linked = true;
            ready.addLast(item);
        }
        for (Item item : added) {
            if (!ready.contains(item)) {
                ready.addLast(item);
            }
        }
        return n;
    }

    /** The epoll descriptor's own readiness: POLLIN when a ready item has events. */
    int pollMask() {
        for (Item item : ready) {
            if ((item.file.poll() & item.events) != 0) {
                return POLLIN | POLLRDNORM;
            }
        }
        return 0;
    }

    /** The epoll file's last reference went: drop every item. */
    void release() {
        for (Item item : new ArrayList<>(items.values())) {
            remove(item);
        }
    }

    /** Watched descriptors, in registration order. */
    int size() {
        return items.size();
    }

    @Override
    public String toString() {
        return "Eventpoll[items=" + items.values() + " ready=" + ready.size() + "]";
    }
}
