package dev.stacksim.nic;

import dev.stacksim.buf.DropReason;
import dev.stacksim.buf.SkBuff;
import dev.stacksim.buf.SkBuffPool;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DescriptorRingTest {
    private final SkBuffPool pool = SkBuffPool.create();

    @Test
    void sizeMustBeAPowerOfTwo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new DescriptorRing("rx ring", 6));
        assertEquals("rx ring: size=6 must be a power of two >= 2", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new DescriptorRing("rx ring", 1));
    }

    @Test
    void indicesWalkFromDriverToDeviceAndBack() {
        DescriptorRing ring = new DescriptorRing("tx ring", 8);
        SkBuff a = pool.alloc(64);
        SkBuff b = pool.alloc(64);
        assertEquals(8, ring.unused());
        assertEquals(0, ring.post(a, 60));
        assertEquals(1, ring.post(b, 61));
        assertEquals(2, ring.nextToUse());
        assertEquals(2, ring.ownedByDevice());
        assertEquals(6, ring.unused());

        assertTrue(ring.hasPosted());
        int slot = ring.take();
        assertEquals(0, slot);
        assertEquals(1, ring.head());
        assertEquals(1, ring.inDma());
        assertFalse(ring.cleanable(), "the driver stops at a descriptor whose done bit is clear");

        ring.complete(slot, 60);
        assertEquals(1, ring.doneCount());
        assertEquals(0, ring.inDma());
        assertTrue(ring.cleanable());
        assertEquals(0, ring.clean());
        assertEquals(60, ring.length(0));
        assertSame(a, ring.takeBuffer(0));
        assertNull(ring.buffer(0));
        assertEquals(1, ring.nextToClean());
        assertEquals(7, ring.unused());
        assertFalse(ring.cleanable());
        a.consume();
        ring.purge(false);
        assertEquals(1, pool.drops(DropReason.QUEUE_PURGE), "b was still waiting to be sent");
    }

    @Test
    void allDescriptorsCanBeUsedAndIndicesWrapAround() {
        DescriptorRing ring = new DescriptorRing("tx ring", 4);
        for (int i = 0; i < 4; i++) {
            ring.post(pool.alloc(64), 64);
        }
        assertEquals(0, ring.unused());
        assertEquals(0, ring.nextToUse(), "full: next_to_use has wrapped onto next_to_clean");
        assertEquals(0, ring.nextToClean());
        for (int round = 0; round < 10; round++) {
            int slot = ring.take();
            ring.complete(slot, 64);
            int cleaned = ring.clean();
            assertEquals(slot, cleaned);
            ring.takeBuffer(cleaned).consume();
            ring.post(pool.alloc(64), 64);
        }
        // 14 posted, 10 taken and cleaned: the masked indices are 14 & 3 and 10 & 3.
        assertEquals(2, ring.nextToUse());
        assertEquals(2, ring.head());
        assertEquals(2, ring.nextToClean());
        assertEquals(4, ring.ownedByDevice());
        ring.purge(false);
        assertEquals(4, pool.drops(DropReason.QUEUE_PURGE));
    }

    @Test
    void pictureAndToStringShowWhoOwnsEachDescriptor() {
        // An 8-slot RX ring that received three frames, one of which NAPI cleaned without refilling yet.
        DescriptorRing ring = new DescriptorRing("rx ring", 8);
        for (int i = 0; i < 8; i++) {
            ring.post(pool.alloc(64), 0);
        }
        for (int i = 0; i < 3; i++) {
            ring.complete(ring.take(), 60);
        }
        ring.takeBuffer(ring.clean()).consume();
        assertEquals(".DDPPPPP", ring.picture());
        assertEquals("rx ring: size=8 next_to_use=0 next_to_clean=1 (2 done) head=3 owned_by_device=5 unused=1",
                ring.toString());
        int inFlight = ring.take();
        assertEquals(".DDdPPPP", ring.picture());
        assertEquals(1, ring.inDma());
        ring.complete(inFlight, 60);
        ring.purge(true);
        assertEquals(3, pool.drops(DropReason.QUEUE_PURGE), "three frames lost, four empty buffers consumed");
        assertEquals("rx ring: size=8 next_to_use=0 next_to_clean=0 (0 done) head=0 owned_by_device=0 unused=8",
                ring.toString());
        assertEquals("........", ring.picture());
    }
}
