package dev.stacksim.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TcpSeqTest {
    @Test
    void beforeAndAfterCompareByTheSignOfTheDifference() {
        assertTrue(TcpSeq.before(1, 2));
        assertFalse(TcpSeq.before(2, 1));
        assertFalse(TcpSeq.before(5, 5));
        assertTrue(TcpSeq.after(2, 1));
        assertFalse(TcpSeq.after(5, 5));
    }

    @Test
    void comparisonSeesThroughTheWrap() {
        int nearTop = 0xFFFF_FFF0;
        int pastWrap = 0x0000_0010;
        assertTrue(TcpSeq.before(nearTop, pastWrap));
        assertTrue(TcpSeq.after(pastWrap, nearTop));
        assertEquals(32, TcpSeq.distance(nearTop, pastWrap));
        assertEquals(pastWrap, TcpSeq.max(nearTop, pastWrap));
        assertEquals(nearTop, TcpSeq.min(pastWrap, nearTop));
    }

    @Test
    void halfTheCircleAwayIsBothBeforeAndAfterAsInLinux() {
        // (s32)(a - (a + 2^31)) == INT_MIN < 0 and (s32)((a + 2^31) - a) == INT_MIN < 0.
        int a = 1000;
        int b = a + 0x8000_0000;
        assertTrue(TcpSeq.before(a, b));
        assertTrue(TcpSeq.after(a, b));
        assertTrue(TcpSeq.before(b, a));
    }

    @Test
    void orEqualVariantsIncludeEquality() {
        assertTrue(TcpSeq.beforeOrEqual(7, 7));
        assertTrue(TcpSeq.afterOrEqual(7, 7));
        assertTrue(TcpSeq.beforeOrEqual(0xFFFF_FFFF, 0));
        assertFalse(TcpSeq.afterOrEqual(0xFFFF_FFFF, 0));
    }

    @Test
    void betweenIncludesBothBoundsAndFollowsTheWrap() {
        assertTrue(TcpSeq.between(10, 10, 20));
        assertTrue(TcpSeq.between(20, 10, 20));
        assertFalse(TcpSeq.between(21, 10, 20));
        assertFalse(TcpSeq.between(9, 10, 20));
        assertTrue(TcpSeq.between(5, 0xFFFF_FFF0, 10));
        assertTrue(TcpSeq.between(0xFFFF_FFFF, 0xFFFF_FFF0, 10));
        assertFalse(TcpSeq.between(5, 10, 0xFFFF_FFF0));
        assertFalse(TcpSeq.between(0xFFFF_FFF8, 10, 0xFFFF_FFF0));
        assertTrue(TcpSeq.between(0x8000_0000, 0, 0xFFFF_FFFF), "a range wider than 2^31 is exact");
    }

    @Test
    void betweenAgreesWithUnsignedOffsetsForRandomRanges() {
        SplittableRandom r = new SplittableRandom(42);
        for (int i = 0; i < 10_000; i++) {
            int low = r.nextInt();
            long len = r.nextLong(1L << 32);
            long off = r.nextLong(1L << 32);
            int high = (int) (low + len);
            int seq = (int) (low + off);
            assertEquals(off <= len, TcpSeq.between(seq, low, high), "low=" + low + " len=" + len + " off=" + off);
        }
    }

    @Test
    void maxAndMinReturnTheSecondWhenEqual() {
        assertEquals(3, TcpSeq.max(3, 3));
        assertEquals(3, TcpSeq.min(3, 3));
        assertEquals(9, TcpSeq.max(2, 9));
        assertEquals(2, TcpSeq.min(2, 9));
    }

    @Test
    void toStringPrintsUnsignedAsTcpdump() {
        assertEquals("3361326712", TcpSeq.toString((int) 3361326712L));
        assertEquals(0xFFFF_FFFFL, TcpSeq.distance(1, 0));
    }
}
