package dev.stacksim.tcp;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A listener's accept queue: connections whose handshake is complete, waiting for
 * {@code accept()}, oldest first. Linux's {@code rskq_accept_head}/{@code rskq_accept_tail} list
 * in {@code struct request_sock_queue}, with its length in the listener's {@code sk_ack_backlog}.
 *
 * <h2>backlog + 1</h2>
 * The queue is full when its length <em>exceeds</em> the backlog: {@code sk_ack_backlog >
 * sk_max_ack_backlog} ({@code sk_acceptq_is_full}). The check runs before a connection is added,
 * so {@code listen(fd, 2)} lets three connections wait and {@code listen(fd, 0)} still one.
 * <pre>
 *   listen(fd, 2):   [c1] [c2] [c3]   ← full (3 &gt; 2): the next SYN is dropped, ListenOverflows++
 *   ss -lnt:         Recv-Q 3  Send-Q 2
 * </pre>
 * A child may change state while it waits (the peer may send data and FIN: it is then in
 * CLOSE_WAIT when accepted); the queue only keeps the order.
 *
 * @param <S> the type of the child sockets
 */
public final class AcceptQueue<S> {
    private final ArrayDeque<S> children = new ArrayDeque<>();

    /** Connections waiting ({@code sk_ack_backlog}); {@code ss} shows it as Recv-Q of a LISTEN socket. */
    public int size() {
        return children.size();
    }

    /** True if no connection waits ({@code reqsk_queue_empty}): accept() would block. */
    public boolean isEmpty() {
        return children.isEmpty();
    }

    /**
     * True if the queue is full for backlog {@code maxAckBacklog}: {@code size() > maxAckBacklog}
     * ({@code sk_acceptq_is_full}).
     */
    public boolean isFull(int maxAckBacklog) {
        return children.size() > maxAckBacklog;
    }

    /**
     * Appends a child whose handshake completed ({@code inet_csk_reqsk_queue_add} +
     * {@code sk_acceptq_added}). The caller checked {@link #isFull} first, as Linux does in
     * {@code tcp_v4_syn_recv_sock}.
     */
    public void add(S child) {
        children.addLast(child);
    }

    /** Takes the oldest child, or null if none waits ({@code reqsk_queue_remove}, by {@code accept()}). */
    public S poll() {
        return children.pollFirst();
    }

    /** The oldest child without taking it, or null. */
    public S peek() {
        return children.peekFirst();
    }

    /** Removes a particular child (one reset while waiting); false if it is not queued. */
    public boolean remove(S child) {
        return children.remove(child);
    }

    /** Calls {@code action} for each waiting child, oldest first. */
    public void forEach(Consumer<S> action) {
        children.forEach(action);
    }

    /**
     * Takes every waiting child, oldest first: a closing listener resets them
     * ({@code inet_csk_listen_stop}).
     */
    public List<S> drain() {
        List<S> all = new ArrayList<>(children);
        children.clear();
        return all;
    }

    /** {@code AcceptQueue[size=3]}. */
    @Override
    public String toString() {
        return "AcceptQueue[size=" + children.size() + "]";
    }
}
