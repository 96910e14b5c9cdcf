package dev.stacksim.inet;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InetHashTest {
    @Test
    void jhash3wordsMatchesTheUnsignedArithmeticOfTheCMacros() {
        // reference values computed with unsigned 32-bit arithmetic from jhash.h's __jhash_final
        assertEquals(0x1b68e557, InetHash.jhash3words(0, 0, 0, 0));
        assertEquals(0x8103143f, InetHash.jhash3words(1, 2, 3, 4));
        assertEquals(0x2456e995, InetHash.jhash3words(0x0a000001, 0x0a000002, (9501 << 16) | 40000, 0x12345678));
        assertEquals(0xf1c92d62, InetHash.jhash3words(0xffffffff, 0x80000000, 0x7fffffff, 0xdeadbeef));
    }

    @Test
    void ehashfnPacksThePortsIntoTheThirdWord() {
        assertEquals(InetHash.jhash3words(0x0a000001, 0x0a000002, (9501 << 16) | 40000, 0x12345678),
                InetHash.ehashfn(0x0a000001, 9501, 0x0a000002, 40000, 0x12345678));
        assertNotEquals(InetHash.ehashfn(1, 2, 3, 4, 5), InetHash.ehashfn(1, 2, 3, 5, 5), "the foreign port matters");
    }

    @Test
    void reciprocalScaleMapsTheWholeU32RangeOntoTheRange() {
        assertEquals(0, InetHash.reciprocalScale(0, 10));
        assertEquals(9, InetHash.reciprocalScale(0xFFFFFFFF, 10));
        assertEquals(5, InetHash.reciprocalScale(0x80000000, 10));
        for (int v = Integer.MIN_VALUE; v < Integer.MAX_VALUE - 12345677; v += 12345677) {
            int r = InetHash.reciprocalScale(v, 7);
            assertTrue(r >= 0 && r < 7, "v=" + v + " r=" + r);
        }
    }
}
