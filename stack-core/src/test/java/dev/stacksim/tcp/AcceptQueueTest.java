package dev.stacksim.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AcceptQueueTest {
    @Test
    void childrenLeaveInArrivalOrder() {
        AcceptQueue<String> q = new AcceptQueue<>();
        q.add("c1");
        q.add("c2");
        q.add("c3");
        assertEquals("c1", q.peek());
        assertEquals("c1", q.poll());
        assertEquals("c2", q.poll());
        assertEquals("c3", q.poll());
        assertNull(q.poll());
        assertTrue(q.isEmpty());
    }

    @Test
    void backlogTwoHoldsThreeConnections() {
        // sk_acceptq_is_full: sk_ack_backlog > sk_max_ack_backlog, checked before adding, so
        // listen(fd, 2) lets three wait: ss shows Recv-Q 3, Send-Q 2.
        AcceptQueue<Integer> q = new AcceptQueue<>();
        int backlog = 2;
        int admitted = 0;
        for (int i = 0; i < 5; i++) {
            if (!q.isFull(backlog)) {
                q.add(i);
                admitted++;
            }
        }
        assertEquals(3, admitted);
        assertEquals(3, q.size());
        assertTrue(q.isFull(backlog));
        q.poll();
        assertFalse(q.isFull(backlog), "an accept() makes room for one more");
    }

    @Test
    void backlogZeroStillAcceptsOne() {
        AcceptQueue<Integer> q = new AcceptQueue<>();
        assertFalse(q.isFull(0));
        q.add(1);
        assertTrue(q.isFull(0));
    }

    @Test
    void drainTakesEveryChildOldestFirst() {
        AcceptQueue<String> q = new AcceptQueue<>();
        q.add("a");
        q.add("b");
        List<String> seen = new ArrayList<>();
        q.forEach(seen::add);
        assertEquals(List.of("a", "b"), seen);
        assertEquals(List.of("a", "b"), q.drain());
        assertEquals(0, q.size());
    }

    @Test
    void removeTakesOutOneChild() {
        AcceptQueue<String> q = new AcceptQueue<>();
        q.add("a");
        q.add("b");
        assertTrue(q.remove("a"));
        assertFalse(q.remove("a"));
        assertEquals("b", q.peek());
    }
}
