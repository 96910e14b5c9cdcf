package dev.stacksim.ip;

import org.junit.jupiter.api.Test;

import java.util.EnumSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

class NudStateTest {
    private static EnumSet<NudState> where(java.util.function.Predicate<NudState> p) {
        EnumSet<NudState> s = EnumSet.noneOf(NudState.class);
        for (NudState n : NudState.values()) {
            if (p.test(n)) {
                s.add(n);
            }
        }
        return s;
    }

    @Test
    void groupsMatchLinuxsMasks() {
        assertEquals(EnumSet.of(NudState.REACHABLE, NudState.STALE, NudState.DELAY, NudState.PROBE, NudState.NOARP,
                NudState.PERMANENT), where(NudState::isValid), "NUD_VALID");
        assertEquals(EnumSet.of(NudState.REACHABLE, NudState.NOARP, NudState.PERMANENT), where(NudState::isConnected),
                "NUD_CONNECTED");
        assertEquals(EnumSet.of(NudState.INCOMPLETE, NudState.REACHABLE, NudState.DELAY, NudState.PROBE),
                where(NudState::inTimer), "NUD_IN_TIMER");
    }
}
