package dev.stacksim.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The expected numbers below were computed by an independent implementation of SplitMix64 and
 * FNV-1a (a few lines of Python), so they pin the algorithm: if one changes, every recorded seed
 * of every test in the project would silently mean a different run.
 */
class SimRandomTest {
    @Test
    void seedZeroGivesTheReferenceSplitMix64Sequence() {
        SimRandom r = new SimRandom(0);
        assertEquals(0xe220a8397b1dcdafL, r.nextLong());
        assertEquals(0x6e789e6aa1b965f4L, r.nextLong());
        assertEquals(0x06c45d188009454fL, r.nextLong());
    }

    @Test
    void seedSevenGivesPinnedValues() {
        SimRandom r = new SimRandom(7);
        assertEquals(7191089600892374487L, r.nextLong());
        assertEquals(309689372594955804L, r.nextLong());
        assertEquals(-1830642326893942270L, r.nextLong());
    }

    @Test
    void forkSeedIsMixOfParentSeedAndFnvOfTheUtf8Name() {
        SimRandom client = new SimRandom(7).fork("host:client");
        assertEquals(-4468299618292054051L, client.seed());
        assertEquals(-247549774476707258L, client.nextLong());
        assertEquals(1348459740788519817L, client.nextLong());
        assertEquals(6413985121333068216L, client.nextLong());

        SimRandom isn = client.fork("tcp-isn");
        assertEquals(-6590753849981249646L, isn.seed());
        assertEquals(481677313322962495L, isn.nextLong());

        assertEquals(1167462703887164392L, new SimRandom(7).fork("höst").seed());
    }

    @Test
    void fnv1a64MatchesTheReferenceVectors() {
        assertEquals(0xcbf29ce484222325L, SimRandom.fnv1a64(new byte[0]));
        assertEquals(0xaf63dc4c8601ec8cL, SimRandom.fnv1a64("a".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void forkDoesNotDependOnParentDrawsOrOtherForks() {
        SimRandom fresh = new SimRandom(99).fork("link:a-b");

        SimRandom busy = new SimRandom(99);
        busy.nextLong();
        busy.nextInt(10);
        busy.fork("host:a");
        busy.fork("host:new-host-added-later");
        SimRandom later = busy.fork("link:a-b");

        assertEquals(fresh.seed(), later.seed());
        for (int i = 0; i < 100; i++) {
            assertEquals(fresh.nextLong(), later.nextLong());
        }
    }

    @Test
    void forkingDoesNotConsumeTheParentStream() {
        SimRandom a = new SimRandom(5);
        SimRandom b = new SimRandom(5);
        b.fork("x");
        assertEquals(a.nextLong(), b.nextLong());
    }

    @Test
    void differentNamesAndDifferentSeedsGiveDifferentStreams() {
        SimRandom root = new SimRandom(1);
        assertNotEquals(root.fork("host:a").seed(), root.fork("host:b").seed());
        assertNotEquals(new SimRandom(1).fork("host:a").seed(), new SimRandom(2).fork("host:a").seed());
        // nesting order matters: a/b is not b/a
        assertNotEquals(root.fork("a").fork("b").seed(), root.fork("b").fork("a").seed());
    }

    @Test
    void sameNameTwiceGivesTheSameStream() {
        SimRandom root = new SimRandom(3);
        assertEquals(root.fork("host:a").nextLong(), root.fork("host:a").nextLong());
    }

    @Test
    void nextIntBoundedGivesPinnedValuesAndStaysInRange() {
        SimRandom r = new SimRandom(42);
        int[] first = new int[5];
        for (int i = 0; i < first.length; i++) {
            first[i] = r.nextInt(10);
        }
        assertArrayEquals(new int[] {1, 3, 1, 5, 5}, first);

        int[] counts = new int[7];
        for (int i = 0; i < 70_000; i++) {
            counts[r.nextInt(7)]++;
        }
        for (int c : counts) {
            assertTrue(c > 9_000 && c < 11_000, "count=" + c);
        }
        for (int i = 0; i < 1_000; i++) {
            int v = r.nextInt(Integer.MAX_VALUE);
            assertTrue(v >= 0);
            assertEquals(0, r.nextInt(1));
            assertTrue(r.nextInt(16) < 16);
        }
    }

    @Test
    void nextIntWithOriginCoversPortRangeInclusiveOfEnds() {
        SimRandom r = new SimRandom(11);
        boolean sawLow = false;
        boolean sawHigh = false;
        for (int i = 0; i < 20_000; i++) {
            int port = r.nextInt(32768, 32778);
            assertTrue(port >= 32768 && port < 32778, "port=" + port);
            sawLow |= port == 32768;
            sawHigh |= port == 32777;
        }
        assertTrue(sawLow && sawHigh);
        for (int i = 0; i < 1_000; i++) {
            int wide = r.nextInt(Integer.MIN_VALUE + 1, Integer.MAX_VALUE);
            assertTrue(wide > Integer.MIN_VALUE && wide < Integer.MAX_VALUE);
        }
    }

    @Test
    void nextLongBoundedStaysInRange() {
        SimRandom r = new SimRandom(12);
        for (int i = 0; i < 10_000; i++) {
            long v = r.nextLong(1_000_000_007L);
            assertTrue(v >= 0 && v < 1_000_000_007L);
            assertTrue(r.nextLong(1L << 40) < (1L << 40));
        }
    }

    @Test
    void badBoundsThrowWithTheNumbers() {
        SimRandom r = new SimRandom(0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.nextInt(0));
        assertEquals("nextInt: bound=0 must be > 0", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> r.nextLong(-1));
        assertThrows(IllegalArgumentException.class, () -> r.nextInt(5, 5));
        assertThrows(IllegalArgumentException.class, () -> r.nextBoolean(1.5));
        assertThrows(IllegalArgumentException.class, () -> r.nextBoolean(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> r.nextBytes(-1));
        assertThrows(IllegalArgumentException.class, () -> r.fork(null));
    }

    @Test
    void nextDoubleIsInUnitInterval() {
        SimRandom r = new SimRandom(8);
        double sum = 0;
        for (int i = 0; i < 10_000; i++) {
            double d = r.nextDouble();
            assertTrue(d >= 0.0 && d < 1.0);
            sum += d;
        }
        assertEquals(0.5, sum / 10_000, 0.02);
    }

    @Test
    void nextBooleanWithProbabilityAlwaysDrawsExactlyOneValue() {
        SimRandom never = new SimRandom(4);
        SimRandom always = new SimRandom(4);
        SimRandom sometimes = new SimRandom(4);
        for (int i = 0; i < 100; i++) {
            assertFalse(never.nextBoolean(0.0));
            assertTrue(always.nextBoolean(1.0));
            sometimes.nextBoolean(0.01);
        }
        long next = never.nextLong();
        assertEquals(next, always.nextLong());
        assertEquals(next, sometimes.nextLong());
    }

    @Test
    void nextBooleanWithProbabilityHitsTheRate() {
        SimRandom r = new SimRandom(6);
        int hits = 0;
        for (int i = 0; i < 100_000; i++) {
            if (r.nextBoolean(0.01)) {
                hits++;
            }
        }
        assertTrue(hits > 850 && hits < 1_150, "hits=" + hits);
    }

    @Test
    void nextBytesTakesEightBytesPerDrawLittleEndian() {
        byte[] bytes = new SimRandom(1).nextBytes(10);
        assertArrayEquals(new byte[] {-63, 92, 2, -119, -20, 45, 10, -111, 103, -20}, bytes);
        assertEquals(0, new SimRandom(1).nextBytes(0).length);
    }

    @Test
    void toStringShowsTheDerivationPath() {
        assertEquals("SimRandom[seed=7/host:client seed=0xc1fd692bd5b047dd]",
                new SimRandom(7).fork("host:client").toString());
    }
}
