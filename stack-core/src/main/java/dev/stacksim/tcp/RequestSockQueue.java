package dev.stacksim.tcp;

import java.util.function.Consumer;

/**
 * A listener's SYN queue: its request socks ({@link RequestSock}, half-open connections), found by
 * 4-tuple when the ACK arrives. Linux keeps the counters in {@code struct request_sock_queue}
 * ({@code qlen}, {@code young}) and the request socks themselves in the global established hash
 * table; here each listener holds its own, which finds the same requests.
 *
 * <h2>How full is full</h2>
 * The queue is full when its length exceeds the listen backlog, strictly:
 * {@code qlen > sk_max_ack_backlog} ({@code inet_csk_reqsk_queue_is_full}). So {@code listen(fd, 128)}
 * holds 129 half-open connections. {@code net.ipv4.tcp_max_syn_backlog} is not this limit; it only
 * matters without syncookies (see {@link ListenAdmission#onSyn}).
 *
 * <h2>Young and old</h2>
 * A request is young until its SYN-ACK timer first fires (1 s). {@link #young()} counts them; the
 * SYN-ACK timer uses the ratio of young to all requests to prune old ones when the queue is
 * crowded ({@link TcpTimeouts#maxSynAckRetries}).
 *
 * <h2>The overflow stamp</h2>
 * A listener remembers when its SYN queue last overflowed and it sent a cookie
 * ({@code tcp_synq_overflow()}, stored in the listener's {@code rx_opt.ts_recent_stamp}, or in the
 * reuseport group). An ACK that matches no request is checked as a cookie only within two
 * minutes of that ({@code tcp_synq_no_recent_overflow()}); otherwise it is a stray ACK.
 *
 * <p>Lookup, insertion and removal are O(1) and do not allocate once the table has grown to the
 * queue's size: request socks chain through their own fields, as kernel hash nodes do.
 * Iteration runs in the order requests were added.
 */
public final class RequestSockQueue {
    private static final int INITIAL_BUCKETS = 16;

    /** Hash buckets, a power of two. */
    private RequestSock[] buckets = new RequestSock[INITIAL_BUCKETS];
    /** Oldest request (insertion order). */
    private RequestSock head;
    /** Newest request. */
    private RequestSock tail;
    /** Request socks in the queue ({@code qlen}). */
    private int qlen;
    /** Of those, the ones whose SYN-ACK timer never fired ({@code young}). */
    private int young;
    /** The "Possible SYN flooding" warning was logged ({@code synflood_warned}). */
    private boolean synfloodWarned;
    /** Last SYN queue overflow, virtual nanoseconds; meaningful when {@link #everOverflowed}. */
    private long lastOverflow;
    /** Whether the queue ever overflowed. */
    private boolean everOverflowed;

    /** Request socks in the queue ({@code reqsk_queue_len}, {@code inet_csk_reqsk_queue_len}). */
    public int qlen() {
        return qlen;
    }

    /** Young request socks ({@code reqsk_queue_len_young}). */
    public int young() {
        return young;
    }

    /** True if there are no request socks. */
    public boolean isEmpty() {
        return qlen == 0;
    }

    /**
     * True if the queue is full for a listener with backlog {@code maxAckBacklog}:
     * {@code qlen > maxAckBacklog} ({@code inet_csk_reqsk_queue_is_full}).
     */
    public boolean isFull(int maxAckBacklog) {
        return qlen > maxAckBacklog;
    }

    /**
     * Adds a request ({@code inet_csk_reqsk_queue_hash_add} + {@code reqsk_queue_added}): qlen and
     * young grow by one.
     *
     * @throws IllegalStateException if {@code req} is in a queue, or one for its 4-tuple is here
     */
    public void add(RequestSock req) {
        if (req.queue != null) {
            throw new IllegalStateException("reqsk queue add: already queued " + req);
        }
        if (qlen + 1 > buckets.length - (buckets.length >>> 2)) {
            grow();
        }
        int b = bucket(req.localAddr(), req.localPort(), req.remoteAddr(), req.remotePort(), buckets.length);
        // the duplicate check walks the chain the request joins: one hash for both
        for (RequestSock r = buckets[b]; r != null; r = r.hashNext) {
            if (r.matches(req.localAddr(), req.localPort(), req.remoteAddr(), req.remotePort())) {
                throw new IllegalStateException("reqsk queue add: duplicate 4-tuple " + req);
            }
        }
        req.hashNext = buckets[b];
        buckets[b] = req;
        req.prev = tail;
        req.next = null;
        if (tail == null) {
            head = req;
        } else {
            tail.next = req;
        }
        tail = req;
        req.queue = this;
        qlen++;
        if (req.isYoung()) {
            young++;
        }
    }

    /**
     * The request for a segment from {@code remoteAddr:remotePort} to {@code localAddr:localPort},
     * or null ({@code __inet_lookup_established} finding a NEW_SYN_RECV socket).
     */
    public RequestSock lookup(int localAddr, int localPort, int remoteAddr, int remotePort) {
        RequestSock r = buckets[bucket(localAddr, localPort, remoteAddr, remotePort, buckets.length)];
        while (r != null && !r.matches(localAddr, localPort, remoteAddr, remotePort)) {
            r = r.hashNext;
        }
        return r;
    }

    /**
     * Removes a request ({@code inet_csk_reqsk_queue_drop} + {@code reqsk_queue_removed}): qlen
     * drops by one, young too if the request was young.
     *
     * @return false if {@code req} was not in this queue
     */
    public boolean remove(RequestSock req) {
        if (req.queue != this) {
            return false;
        }
        int b = bucket(req.localAddr(), req.localPort(), req.remoteAddr(), req.remotePort(), buckets.length);
        if (buckets[b] == req) {
            buckets[b] = req.hashNext;
        } else {
            RequestSock r = buckets[b];
            while (r.hashNext != req) {
                r = r.hashNext;
            }
            r.hashNext = req.hashNext;
        }
        if (req.prev == null) {
            head = req.next;
        } else {
            req.prev.next = req.next;
        }
        if (req.next == null) {
            tail = req.prev;
        } else {
            req.next.prev = req.prev;
        }
        req.hashNext = null;
        req.prev = null;
        req.next = null;
        req.queue = null;
        qlen--;
        if (req.isYoung()) {
            young--;
        }
        return true;
    }

    /** The oldest request, or null. */
    public RequestSock oldest() {
        return head;
    }

    /** Calls {@code action} for each request, oldest first; {@code action} may remove the one it is given. */
    public void forEach(Consumer<RequestSock> action) {
        RequestSock r = head;
        while (r != null) {
            RequestSock next = r.next;
            action.accept(r);
            r = next;
        }
    }

    /** Called by {@link RequestSock#timedOut()} when a queued request stops being young. */
    void youngAged() {
        young--;
    }

    /**
     * True the first time it is called with {@code syncookies != 2}: Linux logs "Possible SYN
     * flooding on port ..." once per listener ({@code synflood_warned} in
     * {@code tcp_syn_flood_action}); with syncookies 2 every SYN gets a cookie and nothing is logged.
     */
    public boolean warnSynFloodOnce(int syncookies) {
        if (synfloodWarned || syncookies == 2) {
            return false;
        }
        synfloodWarned = true;
        return true;
    }

    /**
     * Records a SYN queue overflow at {@code now} ({@code tcp_synq_overflow()}): the stamp moves
     * only if {@code now} is not within a second after the last one, so a flood does not rewrite
     * it on every SYN.
     */
    public void synqOverflow(long now) {
        if (!everOverflowed || now < lastOverflow || now > lastOverflow + TcpConstants.HZ) {
            lastOverflow = now;
            everOverflowed = true;
        }
    }

    /**
     * True unless the queue overflowed between {@code now - 120 s} and {@code now + 1 s}
     * ({@code tcp_synq_no_recent_overflow()}, window {@code [last - HZ, last + TCP_SYNCOOKIE_VALID]}):
     * then an ACK that matches no request is not checked as a cookie.
     */
    public boolean synqNoRecentOverflow(long now) {
        return !everOverflowed
                || now < lastOverflow - TcpConstants.HZ
                || now > lastOverflow + SynCookies.TCP_SYNCOOKIE_VALID;
    }

    private void grow() {
        RequestSock[] old = buckets;
        RequestSock[] grown = new RequestSock[old.length * 2];
        for (RequestSock r = head; r != null; r = r.next) {
            int b = bucket(r.localAddr(), r.localPort(), r.remoteAddr(), r.remotePort(), grown.length);
            r.hashNext = grown[b];
            grown[b] = r;
        }
        buckets = grown;
    }

    /** A well-mixed bucket index (SplitMix64's finaliser over the packed tuple; no secret needed per listener). */
    private static int bucket(int localAddr, int localPort, int remoteAddr, int remotePort, int n) {
        long z = ((long) remoteAddr << 32 | Integer.toUnsignedLong(localAddr))
                ^ ((long) remotePort << 16 | localPort) * 0x9e37_79b9_7f4a_7c15L;
        z = (z ^ (z >>> 30)) * 0xbf58_476d_1ce4_e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d0_49bb_1331_11ebL;
        z ^= z >>> 31;
        return (int) z & (n - 1);
    }

    /** {@code RequestSockQueue[qlen=3 young=1]}. */
    @Override
    public String toString() {
        return "RequestSockQueue[qlen=" + qlen + " young=" + young + "]";
    }
}
