package dev.stacksim.net.internal;

import dev.stacksim.buf.SkBuff;
import dev.stacksim.buf.SkBuffPool;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.Deque;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameQueueTest {
    @Test
    void firstInFirstOutAcrossGrowthAndWrapAround() {
        SkBuffPool pool = SkBuffPool.builder().trackAllocations(false).build();
        FrameQueue q = new FrameQueue();
        Deque<SkBuff> model = new ArrayDeque<>();
        for (int round = 0; round < 50; round++) {
            for (int i = 0; i < round + 3; i++) {
                SkBuff f = pool.alloc(64);
                q.offer(f);
                model.add(f);
            }
            for (int i = 0; i < round; i++) {
                SkBuff f = q.poll();
                assertSame(model.poll(), f);
                f.consume();
            }
            assertEquals(model.size(), q.size());
        }
        while (!q.isEmpty()) {
            SkBuff f = q.poll();
            assertSame(model.poll(), f);
            f.consume();
        }
        assertTrue(model.isEmpty());
        assertNull(q.poll());
        assertEquals(0, pool.outstanding());
        pool.close();
    }
}
