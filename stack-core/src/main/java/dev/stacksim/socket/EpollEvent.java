package dev.stacksim.socket;

/**
 * One entry of {@code epoll_wait}'s result: {@code struct epoll_event}, mutable so that an event
 * loop can reuse one array across calls. {@link #data} is what was registered with
 * {@code epoll_ctl} (the descriptor by default).
 */
public final class EpollEvent {
    /** The ready events: EPOLLIN, EPOLLOUT, EPOLLERR, EPOLLHUP, EPOLLRDHUP. */
    public int events;
    /** The user data registered for the descriptor ({@code epoll_data_t}, here a {@code long}). */
    public long data;

    /** An empty event. */
    public EpollEvent() {
    }

    /** {@link #data} as a descriptor: what {@code epoll_ctl} without explicit data registered. */
    public int fd() {
        return (int) data;
    }

    /** An array of {@code n} empty events, for {@code epoll_wait}. */
    public static EpollEvent[] array(int n) {
        EpollEvent[] a = new EpollEvent[n];
        for (int i = 0; i < n; i++) {
            a[i] = new EpollEvent();
        }
        return a;
    }

    @Override
    public String toString() {
        return "{events=" + PollFd.eventNames(events) + ", data=" + data + "}";
    }
}
