package dev.stacksim.net.internal;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MacTableTest {
    @Test
    void putFindAndRefresh() {
        MacTable t = new MacTable();
        t.put(0x0200_0000_0001L, 3, 100);
        int slot = t.find(0x0200_0000_0001L);
        assertEquals(3, t.portAt(slot));
        assertEquals(100, t.updatedAt(slot));
        t.put(0x0200_0000_0001L, 1, 200);
        slot = t.find(0x0200_0000_0001L);
        assertEquals(1, t.portAt(slot), "moved");
        assertEquals(200, t.updatedAt(slot));
        assertEquals(1, t.size());
        assertEquals(-1, t.find(0x0200_0000_0002L));
        assertEquals(-1, t.find(0), "zero is never stored");
        assertThrows(IllegalArgumentException.class, () -> t.put(0, 1, 1));
    }

    @Test
    void agreesWithAHashMapUnderRandomPutsAndRemoves() {
        MacTable t = new MacTable();
        Map<Long, Integer> model = new HashMap<>();
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < 200_000; i++) {
            // A small key space so that removes hit and probe runs collide.
            long mac = 0x0200_0000_0000L | r.nextInt(1, 3000);
            if (r.nextInt(3) == 0) {
                assertEquals(model.remove(mac) != null, t.remove(mac), "remove " + i);
            } else {
                int port = r.nextInt(16);
                t.put(mac, port, i);
                model.put(mac, port);
            }
        }
        assertEquals(model.size(), t.size());
        for (Map.Entry<Long, Integer> e : model.entrySet()) {
            int slot = t.find(e.getKey());
            assertTrue(slot >= 0, "present " + Long.toHexString(e.getKey()));
            assertEquals(e.getValue(), t.portAt(slot));
        }
        int seen = 0;
        for (int slot = 0; slot < t.capacity(); slot++) {
            if (t.keyAt(slot) != 0) {
                seen++;
                assertTrue(model.containsKey(t.keyAt(slot)));
            }
        }
        assertEquals(model.size(), seen);
    }

    @Test
    void clearEmptiesTheTable() {
        MacTable t = new MacTable();
        for (long mac = 1; mac <= 100; mac++) {
            t.put(mac, 0, 0);
        }
        t.clear();
        assertEquals(0, t.size());
        assertEquals(-1, t.find(50));
        assertFalse(t.remove(50));
    }
}
