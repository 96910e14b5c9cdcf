package dev.stacksim.net;

import dev.stacksim.buf.SkBuff;
import io.netty.buffer.ByteBuf;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Writes frames to a classic pcap file with nanosecond timestamps, the format tcpdump, Wireshark
 * and tshark read ({@code pcap-savefile(5)}; the IETF draft "PCAP Capture File Format").
 *
 * <pre>
 * global header, 24 bytes, once:
 *  +---------------------------+-------------+-------------+
 *  | magic 0xa1b23c4d (4)      | major 2 (2) | minor 4 (2) |   0xa1b23c4d = nanosecond timestamps
 *  +---------------------------+-------------+-------------+
 *  | thiszone 0 (4)            | sigfigs 0 (4)             |
 *  +---------------------------+---------------------------+
 *  | snaplen 262144 (4)        | linktype 1 = ETHERNET (4) |
 *  +---------------------------+---------------------------+
 * then per frame, a 16-byte record header and the captured bytes:
 *  +---------------------------+---------------------------+
 *  | ts_sec (4)                | ts_nsec (4)               |
 *  +---------------------------+---------------------------+
 *  | incl_len (4)              | orig_len (4)              |   incl_len = min(orig_len, snaplen)
 *  +---------------------------+---------------------------+
 *  | frame bytes from the Ethernet header, no FCS ...      |
 * </pre>
 * Every field is written little-endian, as libpcap writes on x86; readers detect the byte order
 * from the magic. The file is the same bytes on every machine, so a seed's pcap can be compared
 * byte for byte.
 *
 * <h2>Time</h2>
 * Timestamps are virtual time: the nanosecond the tap saw the frame, plus an optional
 * {@link Builder#timeOrigin(Instant) origin} (default the epoch, so a run starting at 0 shows as
 * 1970-01-01 and relative times read directly).
 *
 * <h2>Ownership and closing</h2>
 * {@link #capture} copies the frame's bytes into the stream during the call; no skb is retained.
 * Output is buffered: {@link #flush()} pushes it to the stream, {@link #close()} flushes and closes
 * the stream (also one handed to {@link Builder#open(OutputStream)}). A write after close throws
 * {@link IllegalStateException}; an I/O error throws {@link UncheckedIOException} from the call
 * that hit it. Not thread-safe: one writer belongs to one event loop.
 */
public final class PcapWriter implements FrameCapture, Flushable, Closeable {
    /** Magic number of a pcap file with nanosecond timestamps. */
    public static final int MAGIC_NANOS = 0xa1b2_3c4d;
    /** File format version 2.4. */
    public static final int VERSION_MAJOR = 2;
    /** File format version 2.4. */
    public static final int VERSION_MINOR = 4;
    /** {@code LINKTYPE_ETHERNET}: frames start with the Ethernet header. */
    public static final int LINKTYPE_ETHERNET = 1;
    /** Default snapshot length: 262144, what tcpdump uses. */
    public static final int DEFAULT_SNAPLEN = 262_144;
    /** Length of the global header. */
    public static final int GLOBAL_HEADER_LEN = 24;
    /** Length of each record header. */
    public static final int RECORD_HEADER_LEN = 16;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final OutputStream out;
    private final int snaplen;
    private final long originNanos;
    /** Reused record header. */
    private final byte[] header = new byte[RECORD_HEADER_LEN];
    private boolean closed;
    private long packets;
    private long bytes;

    private PcapWriter(OutputStream out, int snaplen, long originNanos) {
        this.out = new BufferedOutputStream(out, 1 << 16);
        this.snaplen = snaplen;
        this.originNanos = originNanos;
        byte[] global = new byte[GLOBAL_HEADER_LEN];
        putInt(global, 0, MAGIC_NANOS);
        putShort(global, 4, VERSION_MAJOR);
        putShort(global, 6, VERSION_MINOR);
        putInt(global, 8, 0);
        putInt(global, 12, 0);
        putInt(global, 16, snaplen);
        putInt(global, 20, LINKTYPE_ETHERNET);
        try {
            this.out.write(global);
        } catch (IOException e) {
            throw new UncheckedIOException("pcap: writing global header", e);
        }
    }

    /** A writer with the defaults to {@code path} (created or truncated). */
    public static PcapWriter open(Path path) {
        return builder().open(path);
    }

    /** A writer with the defaults to {@code out}, which {@link #close()} closes. */
    public static PcapWriter open(OutputStream out) {
        return builder().open(out);
    }

    /** A builder for a writer with a different snapshot length or time origin. */
    public static Builder builder() {
        return new Builder();
    }

    /** Writes one record for {@code frame}'s data as seen at {@code timestampNanos}; see {@link #write}. */
    @Override
    public void capture(SkBuff frame, long timestampNanos) {
        write(frame, timestampNanos);
    }

    /**
     * Writes one record: the frame's bytes from {@link SkBuff#data()} to {@link SkBuff#tail()}, cut
     * to the snapshot length, stamped {@code timestampNanos} (virtual time) plus the origin. The skb
     * is only read.
     *
     * @throws IllegalStateException after {@link #close()}
     * @throws UncheckedIOException  when the stream fails
     */
    public void write(SkBuff frame, long timestampNanos) {
        write(frame.buf(), frame.data(), frame.len(), timestampNanos);
    }

    /**
     * Writes one record of {@code length} bytes of {@code buf} from {@code offset} (its indices are
     * left alone), stamped {@code timestampNanos} plus the origin.
     *
     * @throws IllegalStateException    after {@link #close()}
     * @throws IllegalArgumentException when the time is negative after adding the origin
     * @throws UncheckedIOException     when the stream fails
     */
    public void write(ByteBuf buf, int offset, int length, long timestampNanos) {
        if (closed) {
            throw new IllegalStateException("pcap: write after close packets=" + packets);
        }
        long t = originNanos + timestampNanos;
        if (t < 0) {
            throw new IllegalArgumentException("pcap: timestamp=" + timestampNanos + "ns origin=" + originNanos
                    + "ns is before the epoch");
        }
        int incl = Math.min(length, snaplen);
        putInt(header, 0, (int) (t / NANOS_PER_SECOND));
        putInt(header, 4, (int) (t % NANOS_PER_SECOND));
        putInt(header, 8, incl);
        putInt(header, 12, length);
        try {
            out.write(header);
            buf.getBytes(offset, out, incl);
        } catch (IOException e) {
            throw new UncheckedIOException("pcap: writing record " + (packets + 1), e);
        }
        packets++;
        bytes += incl;
    }

    /** Records written. */
    public long packets() {
        return packets;
    }

    /** Frame bytes written (captured lengths, without headers). */
    public long bytes() {
        return bytes;
    }

    /** The snapshot length: the most bytes of a frame a record keeps. */
    public int snaplen() {
        return snaplen;
    }

    /** Pushes buffered records to the stream. */
    @Override
    public void flush() {
        if (closed) {
            return;
        }
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("pcap: flush", e);
        }
    }

    /** Flushes and closes the stream; idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("pcap: close", e);
        }
    }

    @Override
    public String toString() {
        return "PcapWriter[packets=" + packets + " bytes=" + bytes + " snaplen=" + snaplen + (closed ? " closed]" : "]");
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
        b[at + 2] = (byte) (v >>> 16);
        b[at + 3] = (byte) (v >>> 24);
    }

    private static void putShort(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
    }

    /** Builds a {@link PcapWriter}. */
    public static final class Builder {
        private int snaplen = DEFAULT_SNAPLEN;
        private long originNanos;

        private Builder() {
        }

        /**
         * The snapshot length (default {@value #DEFAULT_SNAPLEN}): longer frames are cut, their
         * original length kept in the record.
         *
         * @throws IllegalArgumentException when not positive
         */
        public Builder snaplen(int snaplen) {
            if (snaplen <= 0) {
                throw new IllegalArgumentException("pcap: snaplen=" + snaplen + " must be > 0");
            }
            this.snaplen = snaplen;
            return this;
        }

        /** The wall-clock instant virtual time 0 is written as (default the epoch). */
        public Builder timeOrigin(Instant origin) {
            this.originNanos = Math.addExact(Math.multiplyExact(origin.getEpochSecond(), NANOS_PER_SECOND), origin.getNano());
            return this;
        }

        /**
         * A writer to {@code path}, created or truncated; its parent directory must exist.
         *
         * @throws UncheckedIOException when the file cannot be opened
         */
        public PcapWriter open(Path path) {
            try {
                return new PcapWriter(Files.newOutputStream(path), snaplen, originNanos);
            } catch (IOException e) {
                throw new UncheckedIOException("pcap: open " + path, e);
            }
        }

        /** A writer to {@code out}, which the writer's {@link PcapWriter#close()} closes. */
        public PcapWriter open(OutputStream out) {
            if (out == null) {
                throw new IllegalArgumentException("pcap: out=null");
            }
            return new PcapWriter(out, snaplen, originNanos);
        }
    }
}
