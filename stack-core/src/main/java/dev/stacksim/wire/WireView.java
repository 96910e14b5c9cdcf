package dev.stacksim.wire;

import io.netty.buffer.ByteBuf;

/**
 * What every header view shares: where its bytes are. A view is a reusable flyweight over a
 * {@link ByteBuf}: {@code wrap(buf, offset, length)} points it at {@code length} bytes from the
 * absolute index {@code offset} and checks nothing (see the package's contract); the view never
 * copies, allocates or retains the buffer.
 *
 * <p>Only this package's views extend it.
 */
public abstract class WireView {
    /** The buffer the bytes lie in; null until wrapped. */
    protected ByteBuf buf;
    /** Absolute index of the first byte in {@link #buf}. */
    protected int offset;
    /** How many bytes from {@link #offset} belong to what is viewed (header and what follows it). */
    protected int length;

    WireView() {
    }

    /** Records where the bytes are; subclasses' {@code wrap} calls it and returns themselves. */
    final void set(ByteBuf buffer, int at, int len) {
        this.buf = buffer;
        this.offset = at;
        this.length = len;
    }

    /** The wrapped buffer. */
    public final ByteBuf buffer() {
        return buf;
    }

    /** The absolute index of the first byte in {@link #buffer()}. */
    public final int offset() {
        return offset;
    }

    /** How many bytes the view was wrapped over. */
    public final int length() {
        return length;
    }
}
