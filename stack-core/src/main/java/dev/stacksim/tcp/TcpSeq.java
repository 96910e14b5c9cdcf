package dev.stacksim.tcp;

/**
 * Arithmetic on 32-bit TCP sequence numbers (RFC 9293 3.4, RFC 1982 serial numbers), as Linux's
 * {@code before()}, {@code after()} and {@code between()} in {@code include/net/tcp.h} do it.
 *
 * <p>A sequence number is an unsigned 32-bit value kept in a Java {@code int}; it wraps from
 * 2<sup>32</sup>−1 to 0. Ordinary comparison is meaningless across the wrap, so two numbers are
 * compared by the sign of their difference: {@code a} is before {@code b} when going forward
 * from {@code a} reaches {@code b} in fewer than 2<sup>31</sup> steps.
 * <pre>
 *            before(a, b)                      after(a, b)
 *   ... ────── a ──────► b ──────  ...   ... ── b ──────► a ──────  ...
 *              (int)(a - b) &lt; 0               (int)(b - a) &lt; 0
 *
 *   0xFFFFFFF0 is before 0x00000010: the difference is 32, the wrap is invisible.
 * </pre>
 * Exactly half the circle away the answer is ambiguous, and Linux's is not symmetric:
 * for {@code b = a + 2^31} both {@code before(a, b)} and {@code after(a, b)} are true, because
 * {@code (int) 2^31} is negative either way. Nothing in TCP compares numbers that far apart (the
 * window is at most 2<sup>30</sup>), so the kernel leaves it so, and so does this class.
 */
public final class TcpSeq {
    private TcpSeq() {
    }

    /**
     * True if {@code seq1} comes before {@code seq2}: {@code (s32)(seq1 - seq2) < 0} (Linux
     * {@code before()}).
     */
    public static boolean before(int seq1, int seq2) {
        return seq1 - seq2 < 0;
    }

    /**
     * True if {@code seq1} comes after {@code seq2}; Linux's {@code after(seq2, seq1)} macro is
     * {@code before(seq1, seq2)} with the arguments swapped.
     */
    public static boolean after(int seq1, int seq2) {
        return before(seq2, seq1);
    }

    /** True if {@code seq1} is {@code seq2} or comes before it ({@code !after(seq1, seq2)}). */
    public static boolean beforeOrEqual(int seq1, int seq2) {
        return !after(seq1, seq2);
    }

    /** True if {@code seq1} is {@code seq2} or comes after it ({@code !before(seq1, seq2)}). */
    public static boolean afterOrEqual(int seq1, int seq2) {
        return !before(seq1, seq2);
    }

    /**
     * True if {@code low <= seq <= high} going forward from {@code low}, bounds included (Linux
     * {@code between(seq1, seq2, seq3)}: {@code seq3 - seq2 >= seq1 - seq2}, unsigned). Unlike
     * {@link #before}, this is exact for any distance: the range is what lies forward from
     * {@code low} to {@code high}, so {@code between(5, 0xFFFFFFF0, 10)} is true and
     * {@code between(5, 10, 0xFFFFFFF0)} is false.
     */
    public static boolean between(int seq, int low, int high) {
        return Integer.compareUnsigned(high - low, seq - low) >= 0;
    }

    /** The later of two sequence numbers (the second when they are equal). */
    public static int max(int seq1, int seq2) {
        return after(seq1, seq2) ? seq1 : seq2;
    }

    /** The earlier of two sequence numbers (the second when they are equal). */
    public static int min(int seq1, int seq2) {
        return before(seq1, seq2) ? seq1 : seq2;
    }

    /**
     * The distance forward from {@code from} to {@code to}, {@code 0 .. 2^32-1} as a {@code long}:
     * {@code to - from} unsigned, as the kernel computes queue lengths ({@code write_seq - snd_una}).
     */
    public static long distance(int from, int to) {
        return Integer.toUnsignedLong(to - from);
    }

    /** {@code seq} as the unsigned decimal number tcpdump prints: {@code 3361326712}. */
    public static String toString(int seq) {
        return Integer.toUnsignedString(seq);
    }
}
