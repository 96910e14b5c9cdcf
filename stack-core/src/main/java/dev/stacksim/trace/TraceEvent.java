package dev.stacksim.trace;

import dev.stacksim.buf.DropReason;
import dev.stacksim.sim.SimTime;

/**
 * One thing that happened inside a host, stamped with the virtual time and the host's name: what
 * Linux's tracepoints ({@code sock:inet_sock_set_state}, {@code skb:kfree_skb},
 * {@code tcp:tcp_retransmit_skb}, {@code timer:*}) report, as records a test can match on.
 *
 * <p>Events are emitted only while a {@link Tracer} has listeners; every emitter checks
 * {@link Tracer#enabled()} first, so tracing costs one branch when off.
 */
public sealed interface TraceEvent {
    /** The virtual time of the event, in nanoseconds since the simulation started. */
    long time();

    /** The name of the host it happened on. */
    String host();

    /** One line for a log or a file: {@code 1.000200000 client  TCP state ...}. */
    default String format() {
        return String.format("%s %-8s %s", SimTime.format(time()), host(), describe());
    }

    /** What happened, without the time and host. */
    String describe();

    /**
     * The event as one JSON object on one line, the record's components in order after its kind:
     * <pre>{@code {"type":"Drop","time":5000784,"host":"server","where":"Udp.receive","reason":"NO_SOCKET","what":"..."}}</pre>
     * Numbers and booleans are JSON's own, enums and strings are strings.
     */
    default String toJson() {
        return TraceJson.toJson(this);
    }

    /**
     * A socket changed state through its one {@code setState} ({@code inet_sock_set_state}).
     *
     * @param socket   the socket as {@code ss} names it, {@code 10.0.0.1:40000 -> 10.0.0.2:80}
     * @param from     the old state ({@code SYN_SENT}); for a new request sock {@code NEW_SYN_RECV}
     * @param to       the new state
     */
    record StateChange(long time, String host, String protocol, String socket, String from, String to)
            implements TraceEvent {
        @Override
        public String describe() {
            return protocol + " " + socket + " " + from + " -> " + to;
        }
    }

    /** What happened to an entry of a listener's queue. */
    enum QueueOp {
        /** A request sock joined the SYN queue ({@code inet_csk_reqsk_queue_hash_add}). */
        SYN_QUEUE_ADD,
        /** A request sock left the SYN queue (completed, timed out, reset). */
        SYN_QUEUE_REMOVE,
        /** A child joined the accept queue ({@code inet_csk_reqsk_queue_add}). */
        ACCEPT_QUEUE_ADD,
        /** {@code accept()} took a child ({@code reqsk_queue_remove}). */
        ACCEPT,
        /** A queued child was reset (its listener closed, or its member left a reuseport group). */
        ACCEPT_QUEUE_RESET
    }

    /**
     * A listener's SYN queue or accept queue moved.
     *
     * @param listener the listening socket, {@code 0.0.0.0:80}
     * @param peer     the connection concerned, {@code 10.0.0.1:40000}
     * @param length   the queue's length after the move
     * @param limit    its limit ({@code sk_max_ack_backlog})
     */
    record QueueMove(long time, String host, String listener, String peer, QueueOp op, int length, int limit)
            implements TraceEvent {
        @Override
        public String describe() {
            return "queue " + listener + " " + op + " " + peer + " len=" + length + " max=" + limit;
        }
    }

    /**
     * An skb was freed as a drop ({@code kfree_skb_reason}), or a packet was dropped before it
     * became one.
     *
     * @param where  the method that dropped it, {@code Class.method} ({@code Udp.receive},
     *               {@code Ipv4Input.rcv}), as Linux's tracepoint names the kernel function
     *               ({@code location=udp_rcv}); see {@link HostTrace}
     * @param what   a one-line summary of the packet, its addresses written as in {@link Packet}
     *               ({@code 10.0.0.1:40000 > 10.0.0.2:9: UDP, length 5}), or empty
     */
    record Drop(long time, String host, String where, DropReason reason, String what) implements TraceEvent {
        @Override
        public String describe() {
            return "drop " + where + " " + reason + (what.isEmpty() ? "" : " " + what);
        }
    }

    /** What a timer did. */
    enum TimerOp {
        /** Armed or re-armed, to fire at {@code expires}. */
        ARM,
        /** Fired. */
        FIRE,
        /** Cancelled before it fired. */
        CANCEL
    }

    /**
     * A protocol timer of a socket: {@code retransmit}, {@code delack}, {@code keepalive},
     * {@code time-wait}, {@code fin-wait2}, {@code syn-ack}.
     */
    record Timer(long time, String host, String socket, String timer, TimerOp op, long expires)
            implements TraceEvent {
        @Override
        public String describe() {
            return "timer " + socket + " " + timer + " " + op
                    + (op == TimerOp.ARM ? " expires " + SimTime.format(expires) : "");
        }
    }

    /**
     * A packet crossed a layer: a header pushed on the way down or pulled on the way up, with the
     * skb's data offset and length after the move: the zero-copy trip the sk_buff makes.
     *
     * @param layer  {@code tcp}, {@code ip}, {@code eth}
     * @param push   true for a push (transmit), false for a pull (receive)
     * @param header the header's length
     * @param data   the data offset after the move
     * @param len    the data length after the move
     */
    record SkbHop(long time, String host, String layer, boolean push, int header, int data, int len)
            implements TraceEvent {
        @Override
        public String describe() {
            return "skb " + layer + (push ? " push " : " pull ") + header + " -> data=" + data + " len=" + len;
        }
    }

    /**
     * A packet sent or received at the transport layer (TCP, UDP), by ICMP or by ARP, as one line
     * ({@code Flags [S], seq 1, win 64240, ...}): what sequence diagrams are drawn from. Sent is
     * emitted when the protocol hands the packet down (before IP output), received when it has
     * passed the protocol's header checks (before the socket lookup): a packet dropped on the way
     * is a sent event without a received one, and a {@link Drop} tells where.
     *
     * @param sent     true when this host sent it, false when it received it
     * @param protocol {@code TCP}, {@code UDP}, {@code ICMP}, {@code ARP}
     * @param saddr    source {@code address:port} (TCP, UDP), or address (ICMP; for ARP the sender
     *                 protocol address)
     * @param daddr    destination, written the same way (for ARP the target protocol address)
     * @param summary  the packet as tcpdump prints it after the addresses, without a leading
     *                 protocol name: {@code Flags [S.], seq 0, ack 1, ...}, {@code length 5} (UDP
     *                 payload), {@code echo request, id 1, seq 1, length 64},
     *                 {@code Request who-has 10.0.0.2 tell 10.0.0.1, length 28}. The sender and the
     *                 receiver print the same bytes the same way, which is how a diagram pairs them.
     */
    record Packet(long time, String host, boolean sent, String protocol, String saddr, String daddr, String summary)
            implements TraceEvent {
        @Override
        public String describe() {
            return protocol + (sent ? " out " : " in  ") + saddr + " > " + daddr + ": " + summary;
        }
    }

    /**
     * A descriptor moved in a NIC's ring. On a TX ring: {@code post} (the driver placed a frame,
     * {@code e1000_xmit_frame}), {@code dma} (the MAC read it out to the wire and wrote the done bit
     * back), {@code clean} (TX completion reclaimed it, {@code e1000_clean_tx_irq}). On an RX ring:
     * {@code post} (an empty buffer given to the device, {@code e1000_alloc_rx_buffers}), {@code dma}
     * (a frame was written into it and its done bit set), {@code poll} (NAPI handed it to the stack,
     * {@code e1000_clean_rx_irq}).
     *
     * @param device the NIC ({@code eth0})
     * @param ring   {@code rx0}, {@code rx1} ... per RX queue, {@code tx0}
     * @param op     {@code post}, {@code dma}, {@code clean}, {@code poll}
     * @param index  the descriptor's slot in the ring
     */
    record RingMove(long time, String host, String device, String ring, String op, int index) implements TraceEvent {
        @Override
        public String describe() {
            return "ring " + device + " " + ring + " " + op + " [" + index + "]";
        }
    }
}
