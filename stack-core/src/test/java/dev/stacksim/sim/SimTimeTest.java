package dev.stacksim.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SimTimeTest {
    @Test
    void unitHelpersConvertToNanoseconds() {
        assertEquals(1_500L, SimTime.micros(1) + 500);
        assertEquals(40_000_000L, SimTime.millis(40));
        assertEquals(60_000_000_000L, SimTime.seconds(60));
        assertEquals(200_000_000L, SimTime.toNanos(Duration.ofMillis(200)));
    }

    @Test
    void unitHelpersThrowOnOverflowInsteadOfWrapping() {
        assertThrows(ArithmeticException.class, () -> SimTime.seconds(Long.MAX_VALUE / 1_000_000_000L + 1));
    }

    @Test
    void formatPrintsSecondsWithNineDecimals() {
        assertEquals("0.000000000s", SimTime.format(0));
        assertEquals("1.000000000s", SimTime.format(1_000_000_000L));
        assertEquals("0.040000000s", SimTime.format(40_000_000L));
        assertEquals("63.000000001s", SimTime.format(63_000_000_001L));
        assertEquals("-0.500000000s", SimTime.format(-500_000_000L));
        assertEquals("-1.000000007s", SimTime.format(-1_000_000_007L));
    }

    @Test
    void formatHandlesTheExtremes() {
        assertEquals("9223372036.854775807s", SimTime.format(Long.MAX_VALUE));
        assertEquals("-9223372036.854775808s", SimTime.format(Long.MIN_VALUE));
    }

    @Test
    void formatDeltaUsesFewestExactDecimalsWithASign() {
        assertEquals("+0.040s", SimTime.formatDelta(40_000_000L));
        assertEquals("+0.000s", SimTime.formatDelta(0));
        assertEquals("+1.000s", SimTime.formatDelta(1_000_000_000L));
        assertEquals("+0.000123s", SimTime.formatDelta(123_000L));
        assertEquals("+0.000001500s", SimTime.formatDelta(1_500L));
        assertEquals("-0.040s", SimTime.formatDelta(-40_000_000L));
        assertEquals("-2.000000001s", SimTime.formatDelta(-2_000_000_001L));
    }
}
