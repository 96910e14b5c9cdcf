package dev.stacksim.socket;

/**
 * One message handed to or returned by a protocol: Linux's {@code struct msghdr} with a single
 * {@code iovec}. A mutable holder, reusable across calls, so that {@code sendmsg}/{@code recvmsg}
 * cost no allocation.
 *
 * <ul>
 *   <li>Send: the bytes are {@code buf[off, off + len)}; {@link #name} is the destination of
 *       {@code sendto} (null for {@code send}).</li>
 *   <li>Receive: the bytes land in {@code buf[off, off + len)}; the protocol sets {@link #name} to
 *       the sender ({@code recvfrom}) and {@link #flags} to the message flags
 *       ({@link SocketConstants#MSG_TRUNC} when a datagram did not fit).</li>
 * </ul>
 */
public final class MsgHdr {
    /** The user's buffer ({@code iov_base}). */
    public byte[] buf;
    /** Where the message starts in {@link #buf}. */
    public int off;
    /** Bytes to send, or room to receive into ({@code iov_len}). */
    public int len;
    /** Send: destination or null; receive: the sender, or null when it has no address ({@code msg_name}). */
    public SockAddr name;
    /** Receive: flags of the message returned, e.g. MSG_TRUNC ({@code msg_flags}). */
    public int flags;

    /** An empty header; fill it with {@link #set}. */
    public MsgHdr() {
    }

    /** A header over {@code buf[off, off + len)} with no address. */
    public MsgHdr(byte[] buf, int off, int len) {
        set(buf, off, len, null);
    }

    /**
     * Points the header at {@code buf[off, off + len)} with address {@code name}, clearing the flags.
     *
     * @throws IndexOutOfBoundsException when the range does not fit in {@code buf}
     */
    public MsgHdr set(byte[] buf, int off, int len, SockAddr name) {
        if (buf == null || off < 0 || len < 0 || off > buf.length - len) {
            throw new IndexOutOfBoundsException("msghdr: buf.length=" + (buf == null ? "null" : buf.length)
                    + " off=" + off + " len=" + len);
        }
        this.buf = buf;
        this.off = off;
        this.len = len;
        this.name = name;
        this.flags = 0;
        return this;
    }

    @Override
    public String toString() {
        return "MsgHdr[off=" + off + " len=" + len + " name=" + name + " flags=0x" + Integer.toHexString(flags) + "]";
    }
}
