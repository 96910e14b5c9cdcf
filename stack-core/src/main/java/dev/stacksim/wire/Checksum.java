package dev.stacksim.wire;

import io.netty.buffer.ByteBuf;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The Internet checksum (RFC 1071): the 16-bit one's complement of the one's complement sum of
 * the data taken as big-endian 16-bit words, with the IPv4 pseudo-header for UDP and TCP
 * (RFC 768, RFC 9293 3.1) and incremental update (RFC 1624).
 *
 * <p>Sums are kept as folded 16-bit values ({@code 0..0xFFFF}, not complemented), so parts can be
 * added with {@link #combine}; {@link #finish} complements the total. Every part but the last must
 * have an even length, since an odd part would shift the bytes after it.
 *
 * <pre>{@code
 * int sum = Checksum.combine(Checksum.pseudoHeader(src, dst, IpProtocol.TCP, len),
 *                            Checksum.sum(buf, tcpOffset, len));
 * view.setChecksum(Checksum.finish(sum));        // on output, with the checksum field zero
 * boolean ok = Checksum.verify(sum);              // on input, over the field as received
 * }</pre>
 *
 * <p>{@link #sum} reads eight bytes at a time: the one's complement sum commutes with the width of
 * the words, so 64-bit reads are added as two 32-bit halves into a 64-bit accumulator and folded
 * once at the end (RFC 1071 section 2 (C) and (D)). It reads them little-endian and swaps the
 * folded sum once: summing byte-swapped words gives the byte-swapped sum (section 2 (B)), which is
 * how a little-endian CPU such as x86 sums network-order data. Reading little-endian is also what
 * makes the sum independent of a {@code ByteBuf}'s (deprecated) {@code order()}: the {@code *LE}
 * getters ignore it, the plain ones would read a swapped buffer's words backwards.
 */
public final class Checksum {
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle BUFFER_LONG_LE = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private Checksum() {
    }

    /**
     * The folded one's complement sum of {@code length} bytes at {@code offset}; an odd last byte
     * is padded with a zero byte on the right, as RFC 1071 says.
     */
    public static int sum(ByteBuf buf, int offset, int length) {
        if (length < 0 || offset < 0 || offset > buf.capacity() - length) {
            throw new IndexOutOfBoundsException("checksum: offset=" + offset + " len=" + length
                    + " capacity=" + buf.capacity());
        }
        // Fast paths read the memory under the ByteBuf directly, eight bytes per access with one
        // bounds check per call instead of one per read.
        if (buf.hasArray()) {
            return sumArray(buf.array(), buf.arrayOffset() + offset, length);
        }
        if (buf.nioBufferCount() == 1) {
            return sumNio(buf.internalNioBuffer(offset, length), length);
        }
        long acc = 0;
        int i = offset;
        int end = offset + length;
        for (; i + 8 <= end; i += 8) {
            long w = buf.getLongLE(i);
            acc += (w >>> 32) + (w & 0xFFFF_FFFFL);
        }
        if (i + 4 <= end) {
            acc += buf.getUnsignedIntLE(i);
            i += 4;
        }
        if (i + 2 <= end) {
            acc += buf.getUnsignedShortLE(i);
            i += 2;
        }
        if (i < end) {
            // The zero pad goes on the right of the last byte; in a byte-swapped word that is the high byte.
            acc += buf.getUnsignedByte(i);
        }
        return swapFolded(acc);
    }

    /**
     * Sums little-endian words (the one's complement sum is byte-order independent up to one
     * final swap, RFC 1071 2(B)). Each 64-bit read is added as two 32-bit halves, so the carries
     * pile up in the accumulators' top bits and are folded once at the end (2(C)); four
     * accumulators keep the adds independent so the CPU can run them in parallel.
     */
    private static int sumArray(byte[] a, int from, int length) {
        long acc0 = 0;
        long acc1 = 0;
        long acc2 = 0;
        long acc3 = 0;
        int i = from;
        int end = from + length;
        for (; i + 32 <= end; i += 32) {
            long w0 = (long) LONG_LE.get(a, i);
            long w1 = (long) LONG_LE.get(a, i + 8);
            long w2 = (long) LONG_LE.get(a, i + 16);
            long w3 = (long) LONG_LE.get(a, i + 24);
            acc0 += (w0 >>> 32) + (w0 & 0xFFFF_FFFFL);
            acc1 += (w1 >>> 32) + (w1 & 0xFFFF_FFFFL);
            acc2 += (w2 >>> 32) + (w2 & 0xFFFF_FFFFL);
            acc3 += (w3 >>> 32) + (w3 & 0xFFFF_FFFFL);
        }
        long acc = acc0 + acc1 + acc2 + acc3;
        for (; i + 8 <= end; i += 8) {
            long w = (long) LONG_LE.get(a, i);
            acc += (w >>> 32) + (w & 0xFFFF_FFFFL);
        }
        for (; i + 2 <= end; i += 2) {
            acc += (a[i] & 0xFF) | (a[i + 1] & 0xFF) << 8;
        }
        if (i < end) {
            acc += a[i] & 0xFF;
        }
        return swapFolded(acc);
    }

    /**
     * {@link #sumArray} over NIO memory. The loop is written twice on purpose: one shared loop
     * behind an accessor interface measured slower, and this is the hot path of every packet.
     */
    private static int sumNio(ByteBuffer b, int length) {
        long acc0 = 0;
        long acc1 = 0;
        long acc2 = 0;
        long acc3 = 0;
        int from = b.position();
        int i = from;
        int end = from + length;
        for (; i + 32 <= end; i += 32) {
            long w0 = (long) BUFFER_LONG_LE.get(b, i);
            long w1 = (long) BUFFER_LONG_LE.get(b, i + 8);
            long w2 = (long) BUFFER_LONG_LE.get(b, i + 16);
            long w3 = (long) BUFFER_LONG_LE.get(b, i + 24);
            acc0 += (w0 >>> 32) + (w0 & 0xFFFF_FFFFL);
            acc1 += (w1 >>> 32) + (w1 & 0xFFFF_FFFFL);
            acc2 += (w2 >>> 32) + (w2 & 0xFFFF_FFFFL);
            acc3 += (w3 >>> 32) + (w3 & 0xFFFF_FFFFL);
        }
        long acc = acc0 + acc1 + acc2 + acc3;
        for (; i + 8 <= end; i += 8) {
            long w = (long) BUFFER_LONG_LE.get(b, i);
            acc += (w >>> 32) + (w & 0xFFFF_FFFFL);
        }
        for (; i + 2 <= end; i += 2) {
            acc += (b.get(i) & 0xFF) | (b.get(i + 1) & 0xFF) << 8;
        }
        if (i < end) {
            acc += b.get(i) & 0xFF;
        }
        return swapFolded(acc);
    }

    /** Folds a sum of little-endian words and swaps it into network order. */
    private static int swapFolded(long acc) {
        int swapped = fold(acc);
        return (swapped >>> 8) | (swapped & 0xFF) << 8;
    }

    /** The folded one's complement sum of {@code length} bytes of an array (see {@link #sum(ByteBuf, int, int)}). */
    public static int sum(byte[] bytes, int offset, int length) {
        if (length < 0 || offset < 0 || offset > bytes.length - length) {
            throw new IndexOutOfBoundsException("checksum: offset=" + offset + " len=" + length
                    + " array=" + bytes.length);
        }
        return sumArray(bytes, offset, length);
    }

    /**
     * The sum of the IPv4 pseudo-header: source, destination, zero byte, protocol, and the length
     * of the transport header plus payload.
     */
    public static int pseudoHeader(int srcAddr, int dstAddr, int protocol, int length) {
        long acc = (srcAddr >>> 16) + (srcAddr & 0xFFFF)
                + (dstAddr >>> 16) + (dstAddr & 0xFFFF)
                + (protocol & 0xFF) + (length & 0xFFFF);
        return fold(acc);
    }

    /** One's complement addition of two folded sums. */
    public static int combine(int a, int b) {
        return fold((long) a + b);
    }

    /** The checksum to put on the wire: the complement of a folded sum. */
    public static int finish(int sum) {
        return ~sum & 0xFFFF;
    }

    /** True when a sum taken over data that includes its checksum field verifies (sums to 0xFFFF). */
    public static boolean verify(int sum) {
        return sum == 0xFFFF;
    }

    /** The checksum of {@code length} bytes at {@code offset}: {@code finish(sum(...))}. */
    public static int compute(ByteBuf buf, int offset, int length) {
        return finish(sum(buf, offset, length));
    }

    /**
     * Incremental update when one 16-bit word of the covered data changes from {@code oldWord} to
     * {@code newWord} (RFC 1624 eqn. 3: {@code HC' = ~(~HC + ~m + m')}, as Linux's
     * {@code csum_replace2}). Unlike RFC 1141's eqn. 2 it gives what recomputation gives when the new
     * checksum is {@code 0x0000}, and it leaves a checksum alone when the word does not change
     * (RFC 1624 erratum 4782).
     *
     * <p>One case differs from recomputation, and cannot be helped: when every covered word ends up
     * zero, recomputation gives {@code 0xFFFF} (the sum is +0) while this gives {@code 0x0000}, the
     * other one's complement zero, because it cannot know that the other words are zero. No IPv4 header (its version is 4) and no pseudo-header (its
     * protocol is not 0) is all zeros. A UDP layer must still send a {@code 0x0000} result as
     * {@code 0xFFFF} (RFC 768: zero means "no checksum"), as Linux does with {@code CSUM_MANGLED_0}.
     */
    public static int update(int checksum, int oldWord, int newWord) {
        long acc = (~checksum & 0xFFFF) + (~oldWord & 0xFFFF) + (newWord & 0xFFFF);
        return ~fold(acc) & 0xFFFF;
    }

    /** Incremental update for a changed 32-bit field (an address): two {@link #update} steps. */
    public static int update32(int checksum, int oldValue, int newValue) {
        int c = update(checksum, oldValue >>> 16, newValue >>> 16);
        return update(c, oldValue & 0xFFFF, newValue & 0xFFFF);
    }

    private static int fold(long acc) {
        while ((acc >>> 16) != 0) {
            acc = (acc & 0xFFFF) + (acc >>> 16);
        }
        return (int) acc;
    }
}
