package dev.stacksim.net;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImpairmentsTest {
    @Test
    void noneIsAPerfectWire() {
        assertTrue(Impairments.NONE.isNone());
        assertFalse(Impairments.NONE.reorders());
        assertEquals("none", Impairments.NONE.toString());
        assertEquals(Impairments.NONE, Impairments.builder().build());
    }

    @Test
    void printsAsNetemOptions() {
        Impairments imp = Impairments.builder().lossRate(0.01).duplicateRate(0.001).corruptRate(0.1)
                .reorder(0.25, 5).jitter(Duration.ofMillis(2)).build();
        assertEquals("loss random 1% duplicate 0.1% corrupt 10% reorder 25% gap 5 jitter 2ms uniform", imp.toString());
        assertEquals("loss gemodel 1% 30% 100% 0%",
                Impairments.builder().burstLoss(Impairments.GilbertElliott.of(0.01, 0.3)).build().toString());
        assertEquals("reorder 50% jitter 150us normal reordering", Impairments.builder().reorder(0.5)
                .jitter(Duration.ofNanos(150_000), Impairments.JitterDistribution.NORMAL).jitterReorders(true).build()
                .toString());
    }

    @Test
    void reorderWithoutGapIsGapOne() {
        Impairments imp = Impairments.builder().reorder(0.25).build();
        assertEquals(1, imp.reorderGap());
        assertEquals(0, Impairments.builder().reorder(0).build().reorderGap(), "no reordering, no gap");
        assertTrue(imp.reorders());
    }

    @Test
    void theTwoLossModelsReplaceEachOther() {
        Impairments ge = Impairments.builder().lossRate(0.1).gilbertElliott(0.01, 0.3, 1, 0).build();
        assertEquals(0, ge.lossRate());
        assertEquals(new Impairments.GilbertElliott(0.01, 0.3, 1, 0), ge.burstLoss());
        Impairments random = ge.toBuilder().lossRate(0.2).build();
        assertNull(random.burstLoss());
        assertThrows(IllegalArgumentException.class,
                () -> new Impairments(0.1, Impairments.GilbertElliott.of(0.1), 0, 0, 0, 0, 0,
                        Impairments.JitterDistribution.UNIFORM, false));
    }

    @Test
    void gilbertElliottDefaultsFollowNetem() {
        assertEquals(new Impairments.GilbertElliott(0.1, 0.9, 1, 0), Impairments.GilbertElliott.of(0.1),
                "gemodel p: r = 1-p, 1-h = 1, 1-k = 0");
        assertEquals(new Impairments.GilbertElliott(0.1, 0.5, 1, 0), Impairments.GilbertElliott.of(0.1, 0.5));
        assertEquals(new Impairments.GilbertElliott(0.1, 0.5, 0.7, 0), Impairments.GilbertElliott.of(0.1, 0.5, 0.7));
        Impairments.GilbertElliott ge = Impairments.GilbertElliott.of(0.01, 0.25);
        assertEquals(0.01 / 0.26, ge.stationaryLossRate(), 1e-12);
        assertEquals(4.0, ge.meanBadRun(), 1e-12);
        assertEquals(0.0, Impairments.GilbertElliott.of(0).stationaryLossRate(), "p = 0: never Bad");
    }

    @Test
    void outOfRangeValuesAreRejectedWithTheirNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Impairments.builder().lossRate(1.5).build());
        assertEquals("impairments: lossRate=1.5 not in [0, 1]", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Impairments.builder().duplicateRate(-0.1).build());
        assertThrows(IllegalArgumentException.class, () -> Impairments.builder().corruptRate(Double.NaN).build());
        assertThrows(IllegalArgumentException.class, () -> Impairments.builder().reorder(0.5, 0).build());
        assertThrows(IllegalArgumentException.class, () -> new Impairments(0, null, 0, 0, 0, 5, 0,
                Impairments.JitterDistribution.UNIFORM, false), "tc: gap specified without reorder probability");
        assertThrows(IllegalArgumentException.class, () -> Impairments.builder().jitter(Duration.ofMillis(-1)).build());
        assertThrows(IllegalArgumentException.class, () -> new Impairments.GilbertElliott(0.1, 2, 1, 0));
    }
}
