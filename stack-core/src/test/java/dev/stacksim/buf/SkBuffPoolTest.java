package dev.stacksim.buf;

import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SkBuffPoolTest {
    @Test
    void testsRunWithTrackingBecauseLeakDetectionIsParanoid() {
        assertTrue(SkBuffPool.create().isTracking(), "surefire sets io.netty.leakDetection.level=PARANOID");
    }

    @Test
    void releasedSkbKeepsItsBufferForTheNextAllocationOfItsSizeClass() {
        SkBuffPool pool = SkBuffPool.builder().trackAllocations(false).build();
        SkBuff first = pool.alloc(128, 1460);
        var buffer = first.buf();
        first.consume();
        assertEquals(1, pool.cachedBuffers());
        SkBuff second = pool.alloc(1500);
        assertSame(first, second, "steady state: the skb object comes back from its size class");
        assertSame(buffer, second.buf(), "and so does its buffer");
        assertEquals(1500, second.end(), "end is the size asked for");
        assertEquals(0, second.data());
        assertEquals(0, second.len());
        assertEquals(2048 + SkBuff.TRUESIZE_OVERHEAD, second.truesize(), "truesize counts the whole buffer");
        assertEquals(1, second.refCnt());
        assertEquals(1, pool.reused());
        second.consume();
        pool.close();
    }

    @Test
    void anotherSizeClassGetsAFreshBuffer() {
        SkBuffPool pool = SkBuffPool.builder().trackAllocations(false).build();
        SkBuff small = pool.alloc(60);
        assertEquals(64 + SkBuff.TRUESIZE_OVERHEAD, small.truesize(), "60 bytes round up to the 64-byte class");
        small.consume();
        SkBuff big = pool.alloc(1500);
        assertNotSame(small, big);
        big.consume();
        assertEquals(2, pool.cachedBuffers());
        pool.close();
        assertEquals(0, pool.cachedBuffers());
    }

    @Test
    void clonesAreRecycledWithoutABuffer() {
        SkBuffPool pool = SkBuffPool.builder().trackAllocations(false).build();
        SkBuff orig = pool.alloc(64);
        orig.clone().consume();
        assertEquals(0, pool.cachedBuffers(), "the clone's buffer is still the original's");
        SkBuff again = orig.clone();
        assertEquals(1, pool.reused());
        again.consume();
        orig.consume();
        assertEquals(0, pool.outstanding());
        assertEquals(1, pool.cachedBuffers());
        pool.close();
    }

    @Test
    void closedPoolRefusesAllocationsButLiveSkbsStillRelease() {
        SkBuffPool pool = SkBuffPool.builder().trackAllocations(false).build();
        SkBuff live = pool.alloc(64);
        pool.close();
        assertEquals("alloc: pool closed size=10",
                assertThrows(IllegalStateException.class, () -> pool.alloc(10)).getMessage());
        live.consume();
        assertEquals(0, pool.cachedBuffers());
    }

    @Test
    void largeSkbsAreExactAndUncached() {
        SkBuffPool pool = SkBuffPool.builder().trackAllocations(false).build();
        SkBuff jumbo = pool.alloc(70_000);
        assertEquals(70_000 + SkBuff.TRUESIZE_OVERHEAD, jumbo.truesize());
        jumbo.consume();
        assertEquals(0, pool.cachedBuffers());
        pool.close();
    }

    @Test
    void trackingPoolsNeverRecycleSoStaleReferencesStayDetectable() {
        SkBuffPool pool = SkBuffPool.builder().trackAllocations(true).build();
        SkBuff first = pool.alloc(64);
        first.consume();
        SkBuff second = pool.alloc(64);
        assertNotSame(first, second);
        assertEquals(0, pool.reused());
        second.consume();
    }

    @Test
    void maxCachedBoundsTheFreeList() {
        SkBuffPool pool = SkBuffPool.builder().trackAllocations(false).maxCached(1).build();
        SkBuff a = pool.alloc(8);
        SkBuff b = pool.alloc(8);
        a.consume();
        b.consume();
        assertEquals(1, pool.cachedBuffers(), "the second buffer went back to the allocator");
        pool.alloc(8).consume();
        pool.alloc(8).consume();
        assertEquals(2, pool.reused());
        pool.close();
    }

    @Test
    void outstandingCountsAllocationsAndClonesUntilReleased() {
        SkBuffPool pool = SkBuffPool.create();
        long globalBefore = SkBuffPool.globalOutstanding();
        SkBuff skb = pool.alloc(8);
        SkBuff clone = skb.clone();
        assertEquals(2, pool.outstanding());
        assertEquals(globalBefore + 2, SkBuffPool.globalOutstanding());
        skb.consume();
        clone.free(DropReason.QDISC_DROP);
        assertEquals(0, pool.outstanding());
        assertEquals(1, pool.allocated());
        assertEquals(1, pool.cloned());
        assertEquals(2, pool.released());
        assertEquals(globalBefore, SkBuffPool.globalOutstanding());
    }

    @Test
    void liveSkbsNameWhereTheyWereAllocatedAndTouched() {
        SkBuffPool pool = SkBuffPool.create();
        SkBuff skb = pool.alloc(8).touch("tcp_sendmsg");
        String live = SkBuffPool.liveSkbs().stream().filter(s -> s.contains("touched: tcp_sendmsg"))
                .findFirst().orElseThrow();
        assertTrue(live.contains(SkBuffPoolTest.class.getName()), live);
        skb.consume();
        assertFalse(SkBuffPool.liveSkbs().stream().anyMatch(s -> s.contains("touched: tcp_sendmsg")));
    }

    @Test
    void directPoolHandsOutDirectBuffers() {
        SkBuffPool pool = SkBuffPool.builder().direct(true).build();
        SkBuff skb = pool.alloc(64);
        assertTrue(pool.isDirect());
        assertTrue(skb.buf().isDirect());
        skb.consume();
    }

    @Test
    void anyAllocatorCanBackThePool() {
        SkBuffPool pool = SkBuffPool.builder().allocator(UnpooledByteBufAllocator.DEFAULT).build();
        SkBuff skb = pool.alloc(32, 32);
        skb.putBytes(new byte[] {1, 2, 3});
        assertEquals(3, skb.len());
        skb.consume();
    }

    @Test
    void allocWithHeadroomReservesIt() {
        SkBuff skb = SkBuffPool.create().alloc(SkBuffPool.NET_SKB_PAD, 1500);
        assertEquals(64, skb.headroom());
        assertEquals(1500, skb.tailroom());
        skb.consume();
    }
}
