package dev.stacksim.diag;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CFormatTest {
    @Test
    void percentGKeepsSixSignificantDigitsWithoutTrailingZeros() {
        assertEquals("0.009", CFormat.g(0.009));
        assertEquals("204", CFormat.g(204.0));
        assertEquals("200.2", CFormat.g(200.2));
        assertEquals("0.252", CFormat.g(0.252));
        assertEquals("0.0001", CFormat.g(0.0001));
        assertEquals("1e-05", CFormat.g(0.00001));
        assertEquals("100000", CFormat.g(100000));
        assertEquals("1e+06", CFormat.g(1000000));
        assertEquals("1.23457e+06", CFormat.g(1234567));
        assertEquals("0", CFormat.g(0));
        assertEquals("2.88672", CFormat.g(739 / 256.0));
    }

    @Test
    void percentGWithPrecision() {
        assertEquals("1.5", CFormat.g(1.5, 3));
        assertEquals("57.9", CFormat.g(57.92, 3));
        assertEquals("292", CFormat.g(291.5, 3));
    }

    @Test
    void fixedRoundsHalfToEvenLikeGlibc() {
        assertEquals("0.69", CFormat.f(0.69, 2));
        assertEquals("2", CFormat.f(2.5, 0));
        assertEquals("4", CFormat.f(3.5, 0));
        assertEquals("291271111111", CFormat.f(291271111111.0, 0));
    }

    @Test
    void msTimerAsSsPrintsIt() {
        assertEquals("604ms", CFormat.msTimer(604));
        assertEquals("1.368ms", CFormat.msTimer(1368));
        assertEquals("59sec", CFormat.msTimer(59_999));
        assertEquals("9.500ms", CFormat.msTimer(9_500));
        assertEquals("119min", CFormat.msTimer(7_199_000));
        assertEquals("1min1sec", CFormat.msTimer(61_500));
        assertEquals("", CFormat.msTimer(0));
    }

    @Test
    void bandwidthNumericOrWithUnits() {
        assertEquals("579200000", CFormat.bandwidth(579200000.0, true));
        assertEquals("579M", CFormat.bandwidth(579200000.0, false));
        assertEquals("1.5G", CFormat.bandwidth(1.5e9, false));
        assertEquals("999", CFormat.bandwidth(999, false));
        assertEquals("12k", CFormat.bandwidth(12000, false));
    }
}
