package dev.stacksim.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EventLoopBuilderTest {
    @Test
    void defaultsAreAVirtualLoopWithSeedZeroAtTimeZero() {
        EventLoop loop = EventLoop.builder().build();
        assertFalse(loop.isRealTime());
        assertEquals(0, loop.random().seed());
        assertEquals(0, loop.now());
        assertEquals(EventLoop.DEFAULT_EVENT_LIMIT, loop.eventLimit());
    }

    @Test
    void virtualAndRealTimeFactoriesSetTheSeed() {
        assertEquals(42, EventLoop.virtual(42).random().seed());
        try (EventLoop rt = EventLoop.realTime(43)) {
            assertTrue(rt.isRealTime());
            assertEquals(43, rt.random().seed());
        }
    }

    @Test
    void clockStartsWhereTheBuilderSays() {
        EventLoop late = EventLoop.builder().startNanos(SimTime.seconds(-300)).build();
        assertEquals(SimTime.seconds(-300), late.now());
        late.schedule(SimTime.seconds(300), () -> { });
        late.runUntilIdle();
        assertEquals(0, late.now());
    }

    @Test
    void realTimeLoopRunsOnTheNamedDaemonThread() throws Exception {
        try (EventLoop rt = EventLoop.builder().realTime(true).threadName("net-loop").build()) {
            Thread t = rt.submit(Thread::currentThread).get(5, TimeUnit.SECONDS);
            assertEquals("net-loop", t.getName());
            assertTrue(t.isDaemon());
        }
    }

    @Test
    void badSettingsAreRejected() {
        assertEquals("eventLimit: eventLimit=0 must be > 0",
                assertThrows(IllegalArgumentException.class, () -> EventLoop.builder().eventLimit(0)).getMessage());
        assertThrows(NullPointerException.class, () -> EventLoop.builder().threadName(null));
    }
}
