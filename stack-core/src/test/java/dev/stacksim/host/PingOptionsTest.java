package dev.stacksim.host;

import dev.stacksim.sim.SimTime;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PingOptionsTest {
    @Test
    void defaultsAreThoseOfPing8() {
        PingOptions o = PingOptions.of(4);
        assertEquals(4, o.count());
        assertEquals(SimTime.seconds(1), o.intervalNanos());
        assertEquals(56, o.size());
        assertEquals(0, o.ttl());
        assertEquals(SimTime.seconds(10), o.lingerNanos());
    }

    @Test
    void withersChangeOneField() {
        PingOptions o = PingOptions.of(2).withInterval(Duration.ofMillis(200)).withSize(1400).withTtl(3)
                .withLinger(Duration.ofSeconds(2));
        assertEquals(new PingOptions(2, SimTime.millis(200), 1400, 3, SimTime.seconds(2)), o);
    }

    @Test
    void badValuesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> PingOptions.of(0));
        assertThrows(IllegalArgumentException.class, () -> PingOptions.of(1).withSize(65508));
        assertThrows(IllegalArgumentException.class, () -> PingOptions.of(1).withTtl(256));
        assertThrows(IllegalArgumentException.class, () -> PingOptions.of(1).withInterval(Duration.ofMillis(-1)));
    }
}
