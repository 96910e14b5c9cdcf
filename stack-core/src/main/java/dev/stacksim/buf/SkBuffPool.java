package dev.stacksim.buf;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where {@link SkBuff}s come from and go back to: the data buffers from netty's
 * {@link PooledByteBufAllocator} (heap or direct, as configured), the {@code SkBuff} objects from
 * free lists of this pool's own. Linux's counterparts are {@code alloc_skb}, the
 * {@code skbuff_head_cache} slab and, for the buffers, {@code page_pool} recycling.
 *
 * <h2>Recycling</h2>
 * Sizes up to 64 KiB are rounded up to a power-of-two size class (at least 64 bytes). A released
 * skb whose buffer is no longer shared keeps that buffer and waits in its class's free list, so
 * the next allocation of that class costs neither an allocator call nor a Java object: a stack in
 * steady state allocates nothing per packet, on any thread. (Netty's own pooled allocator recycles
 * its {@code ByteBuf} objects only on netty's {@code FastThreadLocalThread}s; an event loop driven
 * by a test thread would otherwise create one per packet.) {@link SkBuff#end()} is always the size
 * asked for; {@link SkBuff#truesize()} counts the whole buffer. {@link #close()} releases what the
 * free lists hold.
 *
 * <p>The pool also keeps the drop counters: every {@link SkBuff#free(DropReason)} that ends an
 * skb's life counts under its reason and is shown to the {@link DropListener}, like Linux's
 * {@code kfree_skb} tracepoint, then to the skb's own listener ({@link SkBuff#setDropListener}:
 * the host it is in, since one pool serves every host of a loop).
 *
 * <h2>Leak tracking</h2>
 * When tracking is on (by default whenever netty's leak detection level is {@code PARANOID}, as in
 * every test of this project), the pool records where each live skb was allocated and touched and
 * does not recycle skb objects, so that a use after release always throws and
 * {@link #liveSkbs()} can say which skb leaked and where it came from.
 *
 * <h2>Threads</h2>
 * A pool belongs to one event loop and is not thread-safe; only the global leak accounting
 * ({@link #globalOutstanding()}, {@link #liveSkbs()}) may be read from any thread.
 */
public final class SkBuffPool {
    /** The headroom Linux's drivers reserve in every received buffer ({@code NET_SKB_PAD}, one cache line). */
    public static final int NET_SKB_PAD = 64;

    private static final AtomicLong GLOBAL_OUTSTANDING = new AtomicLong();
    private static final Set<Record> LIVE = ConcurrentHashMap.newKeySet();
    private static final int MAX_HINTS = 8;

    /**
     * Released skbs kept per size class, and bare ones, by default: more than one connection's
     * 4 MB window of MSS-sized segments (2,900) on each side of a link, which all come back within
     * a few ACKs; with fewer, a bulk transfer gives buffers back to netty and takes new ones (and a
     * new {@code ByteBuf} object each) on every window. A list grows only as far as it is used.
     */
    public static final int DEFAULT_MAX_CACHED = 8192;

    /** Smallest size class: 64 bytes. */
    private static final int MIN_CLASS_SHIFT = 6;
    /** Largest size class: 64 KiB; larger skbs get exact, uncached buffers. */
    private static final int MAX_CLASS_SHIFT = 16;
    private static final int CLASSES = MAX_CLASS_SHIFT - MIN_CLASS_SHIFT + 1;

    private final ByteBufAllocator allocator;
    private final boolean direct;
    private final int maxCached;
    private final boolean tracking;
    private final DropListener dropListener;

    /** Per size class, released skbs still holding a buffer of that class: a stack each. */
    private final SkBuff[][] cached = new SkBuff[CLASSES][];
    private final int[] cachedCount = new int[CLASSES];
    /** Released skb objects without a buffer (clones, odd sizes): a stack. */
    private SkBuff[] bare = new SkBuff[0];
    private int bareCount;
    private boolean closed;

    private long allocated;
    private long cloned;
    private long released;
    private long reused;
    private final long[] drops = new long[DropReason.values().length];

    private SkBuffPool(Builder b) {
        this.allocator = b.allocator;
        this.direct = b.direct;
        this.maxCached = b.maxCached;
        this.tracking = b.tracking;
        this.dropListener = b.dropListener;
    }

    /** A pool with the defaults: heap buffers from {@link PooledByteBufAllocator#DEFAULT}. */
    public static SkBuffPool create() {
        return builder().build();
    }

    /** A builder for a pool. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * An empty skb whose buffer holds {@code size} bytes, all tailroom: {@code data == tail == 0}
     * ({@code alloc_skb}). Callers {@link SkBuff#reserve} the headroom their headers need.
     */
    public SkBuff alloc(int size) {
        if (size < 0) {
            throw new IllegalArgumentException("alloc: size=" + size);
        }
        if (closed) {
            throw new IllegalStateException("alloc: pool closed size=" + size);
        }
        SkBuff skb;
        int c = tracking ? -1 : sizeClass(size);
        if (c >= 0 && cachedCount[c] > 0) {
            skb = cached[c][--cachedCount[c]];
            cached[c][cachedCount[c]] = null;
            reused++;
            skb.init(skb.heldBuffer(), size);
        } else {
            skb = newSkBuff();
            skb.init(allocateBuffer(c >= 0 ? 1 << (c + MIN_CLASS_SHIFT) : size), size);
        }
        allocated++;
        track(skb);
        return skb;
    }

    /**
     * An empty skb with {@code headroom} reserved and room for {@code len} bytes of data after it:
     * what a layer allocating a packet does, {@code alloc_skb(headroom + len)} then
     * {@code skb_reserve(headroom)}.
     */
    public SkBuff alloc(int headroom, int len) {
        if (headroom < 0 || len < 0) {
            throw new IllegalArgumentException("alloc: headroom=" + headroom + " len=" + len);
        }
        return alloc(headroom + len).reserve(headroom);
    }

    /** True when buffers are direct (off-heap) memory. */
    public boolean isDirect() {
        return direct;
    }

    /** True when this pool records allocation sites and never recycles skb objects. */
    public boolean isTracking() {
        return tracking;
    }

    /** Skbs allocated by {@link #alloc} (clones not included). */
    public long allocated() {
        return allocated;
    }

    /** Skbs made by {@link SkBuff#clone()}. */
    public long cloned() {
        return cloned;
    }

    /** Skbs whose last reference was released (consumed or freed). */
    public long released() {
        return released;
    }

    /** Skb objects taken from the free list instead of being constructed. */
    public long reused() {
        return reused;
    }

    /** Skbs of this pool still alive: allocated and cloned, minus released. */
    public long outstanding() {
        return allocated + cloned - released;
    }

    /** Skbs dropped for {@code reason} ({@link SkBuff#free(DropReason)} on the last reference). */
    public long drops(DropReason reason) {
        return drops[reason.ordinal()];
    }

    /** Skbs dropped for any reason. */
    public long totalDrops() {
        long sum = 0;
        for (long d : drops) {
            sum += d;
        }
        return sum;
    }

    /**
     * Skbs alive in every tracking pool of this JVM. The test extension compares it before and
     * after each test; non-tracking pools are not counted.
     */
    public static long globalOutstanding() {
        return GLOBAL_OUTSTANDING.get();
    }

    /**
     * Where each live skb of every tracking pool was allocated and last touched: one entry per skb,
     * for leak reports.
     */
    public static List<String> liveSkbs() {
        List<String> out = new ArrayList<>();
        for (Record r : LIVE) {
            out.add(r.describe());
        }
        return out;
    }

    @Override
    public String toString() {
        return "SkBuffPool[direct=" + direct + " tracking=" + tracking + " allocated=" + allocated
                + " cloned=" + cloned + " released=" + released + " outstanding=" + outstanding()
                + " cached=" + cachedBuffers() + " drops=" + totalDrops() + "]";
    }

    // ---------------------------------------------------------------- for SkBuff

    SkBuff newSkBuff() {
        if (bareCount > 0) {
            SkBuff s = bare[--bareCount];
            bare[bareCount] = null;
            reused++;
            return s;
        }
        return new SkBuff(this);
    }

    ByteBuf allocateBuffer(int size) {
        return direct ? allocator.directBuffer(size, size) : allocator.heapBuffer(size, size);
    }

    void onClone(SkBuff clone) {
        cloned++;
        track(clone);
    }

    void recordDrop(SkBuff skb, DropReason reason) {
        drops[reason.ordinal()]++;
        if (dropListener != null) {
            dropListener.dropped(skb, reason);
        }
        DropListener host = skb.dropListener();
        if (host != null) {
            host.dropped(skb, reason);
        }
    }

    /** The skb's last reference is gone: keep its buffer in its size class if it can, else release it. */
    void recycle(SkBuff skb) {
        released++;
        if (skb.record != null) {
            LIVE.remove(skb.record);
            skb.record = null;
            GLOBAL_OUTSTANDING.decrementAndGet();
        }
        ByteBuf b = skb.heldBuffer();
        if (tracking || closed) {
            skb.detachBuffer();
            b.release();
            return;
        }
        int c = b.refCnt() == 1 ? exactClass(b.capacity()) : -1;
        if (c >= 0 && cachedCount[c] < maxCached) {
            SkBuff[] stack = cached[c];
            if (stack == null || cachedCount[c] == stack.length) {
                // Grown on demand: a pool that never sees a size class pays nothing for it.
                stack = Arrays.copyOf(stack == null ? new SkBuff[0] : stack,
                        Math.min(maxCached, Math.max(16, cachedCount[c] * 2)));
                cached[c] = stack;
            }
            stack[cachedCount[c]++] = skb;
            return;
        }
        skb.detachBuffer();
        b.release();
        if (bareCount < maxCached) {
            if (bareCount == bare.length) {
                bare = Arrays.copyOf(bare, Math.min(maxCached, Math.max(16, bareCount * 2)));
            }
            bare[bareCount++] = skb;
        }
    }

    /**
     * Releases every buffer the free lists hold and refuses further allocations. Skbs still alive
     * stay valid and release normally. Closing twice is harmless.
     */
    public void close() {
        closed = true;
        for (int c = 0; c < CLASSES; c++) {
            for (int i = 0; i < cachedCount[c]; i++) {
                SkBuff s = cached[c][i];
                cached[c][i] = null;
                ByteBuf b = s.heldBuffer();
                s.detachBuffer();
                b.release();
            }
            cachedCount[c] = 0;
        }
        for (int i = 0; i < bareCount; i++) {
            bare[i] = null;
        }
        bareCount = 0;
    }

    /** Skbs waiting in the free lists with a buffer attached. */
    public int cachedBuffers() {
        int n = 0;
        for (int c : cachedCount) {
            n += c;
        }
        return n;
    }

    /** The size class for a request of {@code size} bytes, or -1 when it is too large to cache. */
    private static int sizeClass(int size) {
        if (size > 1 << MAX_CLASS_SHIFT) {
            return -1;
        }
        int shift = size <= 1 << MIN_CLASS_SHIFT ? MIN_CLASS_SHIFT : 32 - Integer.numberOfLeadingZeros(size - 1);
        return shift - MIN_CLASS_SHIFT;
    }

    /** The class of a buffer whose capacity is exactly a class size, else -1. */
    private static int exactClass(int capacity) {
        if (Integer.bitCount(capacity) != 1) {
            return -1;
        }
        int shift = Integer.numberOfTrailingZeros(capacity);
        return shift >= MIN_CLASS_SHIFT && shift <= MAX_CLASS_SHIFT ? shift - MIN_CLASS_SHIFT : -1;
    }

    private void track(SkBuff skb) {
        if (tracking) {
            Record r = new Record(skb.toString());
            skb.record = r;
            LIVE.add(r);
            GLOBAL_OUTSTANDING.incrementAndGet();
        }
    }

    /** Where a tracked skb was allocated, and the hints it was touched with since. */
    static final class Record {
        private final Throwable allocatedAt;
        private final List<String> hints = new ArrayList<>(2);

        Record(String what) {
            this.allocatedAt = new Throwable("leaked skb, allocated as " + what);
        }

        void touch(Object hint) {
            if (hints.size() == MAX_HINTS) {
                hints.remove(0);
            }
            hints.add(hint == null ? new Throwable("touched").getStackTrace()[2].toString() : String.valueOf(hint));
        }

        String describe() {
            StringBuilder sb = new StringBuilder(allocatedAt.getMessage());
            for (String h : hints) {
                sb.append("\n    touched: ").append(h);
            }
            StackTraceElement[] trace = allocatedAt.getStackTrace();
            for (int i = 0; i < Math.min(trace.length, 12); i++) {
                sb.append("\n    at ").append(trace[i]);
            }
            return sb.toString();
        }
    }

    /** Sees every drop as it happens, before the skb is released: Linux's {@code kfree_skb} tracepoint. */
    @FunctionalInterface
    public interface DropListener {
        /** {@code skb} is being dropped for {@code reason}; it is still readable during the call. */
        void dropped(SkBuff skb, DropReason reason);
    }

    /** Configures a {@link SkBuffPool}. */
    public static final class Builder {
        private ByteBufAllocator allocator = PooledByteBufAllocator.DEFAULT;
        private boolean direct;
        private int maxCached = DEFAULT_MAX_CACHED;
        private boolean tracking = ResourceLeakDetector.getLevel() == ResourceLeakDetector.Level.PARANOID;
        private DropListener dropListener;

        private Builder() {
        }

        /** The allocator for data buffers; {@link PooledByteBufAllocator#DEFAULT} by default. */
        public Builder allocator(ByteBufAllocator allocator) {
            if (allocator == null) {
                throw new IllegalArgumentException("allocator: null");
            }
            this.allocator = allocator;
            return this;
        }

        /** Direct (off-heap) buffers instead of heap arrays; heap by default. */
        public Builder direct(boolean direct) {
            this.direct = direct;
            return this;
        }

        /**
         * How many released skbs to keep for reuse per size class (with their buffers) and without
         * a buffer; {@value #DEFAULT_MAX_CACHED} by default, 0 disables recycling.
         */
        public Builder maxCached(int maxCached) {
            if (maxCached < 0) {
                throw new IllegalArgumentException("maxCached: " + maxCached);
            }
            this.maxCached = maxCached;
            return this;
        }

        /**
         * Record allocation sites and never recycle skb objects (catching every use after release);
         * on by default when netty's leak detection level is {@code PARANOID}.
         */
        public Builder trackAllocations(boolean tracking) {
            this.tracking = tracking;
            return this;
        }

        /** Called on every drop, before the skb is released. */
        public Builder dropListener(DropListener dropListener) {
            this.dropListener = dropListener;
            return this;
        }

        /** The pool. */
        public SkBuffPool build() {
            return new SkBuffPool(this);
        }
    }
}
