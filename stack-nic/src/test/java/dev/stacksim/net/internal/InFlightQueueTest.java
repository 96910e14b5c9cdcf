package dev.stacksim.net.internal;

import dev.stacksim.buf.SkBuff;
import dev.stacksim.buf.SkBuffPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InFlightQueueTest {
    private final SkBuffPool pool = SkBuffPool.builder().trackAllocations(false).build();

    @AfterEach
    void closePool() {
        assertEquals(0, pool.outstanding());
        pool.close();
    }

    @Test
    void pollsByArrivalTimeThenBySequence() {
        InFlightQueue q = new InFlightQueue();
        SplittableRandom r = new SplittableRandom(9);
        SkBuff frame = pool.alloc(64);
        record Entry(long time, long seq) {
        }
        List<Entry> added = new ArrayList<>();
        for (long seq = 0; seq < 5000; seq++) {
            long time = r.nextInt(100);   // many ties
            q.add(frame, time, seq);
            added.add(new Entry(time, seq));
        }
        added.sort(Comparator.comparingLong(Entry::time).thenComparingLong(Entry::seq));
        for (Entry e : added) {
            assertEquals(e.time(), q.peekTime());
            assertEquals(e.seq(), q.peekSeq());
            assertSame(frame, q.poll());
        }
        assertTrue(q.isEmpty());
        assertNull(q.poll());
        frame.consume();
    }

    @Test
    void pollAnyDrainsEverything() {
        InFlightQueue q = new InFlightQueue();
        for (int i = 0; i < 40; i++) {
            q.add(pool.alloc(64), 40 - i, i);
        }
        int n = 0;
        SkBuff f;
        while ((f = q.pollAny()) != null) {
            f.consume();
            n++;
        }
        assertEquals(40, n);
        assertEquals(0, pool.outstanding());
    }
}
