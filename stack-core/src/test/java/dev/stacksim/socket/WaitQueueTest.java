package dev.stacksim.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WaitQueueTest {
    private final WaitQueue q = new WaitQueue();
    private final List<String> log = new ArrayList<>();

    private WaitQueue.Entry entry(String name, boolean woke) {
        return key -> {
            log.add(name + ":" + key);
            return woke;
        };
    }

    @Test
    void nonExclusiveEntriesAreAllCalledWithTheKeyNewestFirst() {
        q.add(entry("a", true));
        q.add(entry("b", true));
        q.wakeUp(1);
        assertEquals(List.of("b:1", "a:1"), log);
    }

    @Test
    void theWalkStopsAtTheFirstExclusiveEntryThatWokeSomeone() {
        q.addExclusive(entry("x1", false));
        q.addExclusive(entry("x2", true));
        q.addExclusive(entry("x3", true));
        q.add(entry("n", false));
        q.wakeUp(4);
        assertEquals(List.of("n:4", "x1:4", "x2:4"), log);
    }

    @Test
    void entriesMayRemoveThemselvesDuringTheWalk() {
        WaitQueue.Entry[] self = new WaitQueue.Entry[1];
        self[0] = key -> {
            log.add("once");
            q.remove(self[0]);
            return true;
        };
        q.add(self[0]);
        q.add(entry("stay", false));
        q.wakeUp(0);
        q.wakeUp(0);
        assertEquals(List.of("stay:0", "once", "stay:0"), log);
        assertEquals(1, q.size());
    }

    @Test
    void removeAndActive() {
        WaitQueue.Entry e = entry("e", true);
        assertFalse(q.isActive());
        q.add(e);
        assertTrue(q.isActive());
        assertTrue(q.remove(e));
        assertFalse(q.remove(e));
        q.wakeUp(1);
        assertEquals(List.of(), log);
    }

    @Test
    void aNestedWakeUpOfTheSameQueueDoesNotDisturbTheOuterWalk() {
        boolean[] nested = {false};
        q.add(entry("last", false));
        q.add(key -> {
            log.add("first:" + key);
            if (!nested[0]) {
                nested[0] = true;
                q.wakeUp(3);
            }
            return false;
        });
        q.wakeUp(1);
        assertEquals(List.of("first:1", "first:3", "last:3", "last:1"), log);
    }
}
