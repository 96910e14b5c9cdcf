package dev.stacksim.buf;

import io.netty.util.IllegalReferenceCountException;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SkBuffTest {
    private final SkBuffPool pool = SkBuffPool.create();

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Nested
    class Geometry {
        @Test
        void freshSkbIsAllTailroom() {
            SkBuff skb = pool.alloc(256);
            assertEquals(0, skb.head());
            assertEquals(0, skb.data());
            assertEquals(0, skb.tail());
            assertEquals(256, skb.end());
            assertEquals(0, skb.len());
            assertEquals(0, skb.headroom());
            assertEquals(256, skb.tailroom());
            skb.consume();
        }

        @Test
        void reserveMakesHeadroomOnAnEmptySkb() {
            SkBuff skb = pool.alloc(256).reserve(128);
            assertEquals(128, skb.data());
            assertEquals(128, skb.tail());
            assertEquals(128, skb.headroom());
            assertEquals(128, skb.tailroom());
            skb.consume();
        }

        @Test
        void putAppendsAtTheTailAndReturnsTheOldTail() {
            SkBuff skb = pool.alloc(128, 1460);
            assertEquals(128, skb.put(1000));
            assertEquals(1128, skb.put(460));
            assertEquals(1460, skb.len());
            assertEquals(0, skb.tailroom());
            skb.consume();
        }

        @Test
        void headersArePushedDownAndPulledUpWithoutMovingThePayload() {
            SkBuff skb = pool.alloc(128, 5).putBytes(ascii("hello"));
            int payload = skb.data();
            assertEquals(payload - 20, skb.push(20)); // TCP
            skb.resetTransportHeader();
            assertEquals(payload - 40, skb.push(20)); // IPv4
            skb.resetNetworkHeader();
            assertEquals(payload - 54, skb.push(14)); // Ethernet
            skb.resetMacHeader();
            assertEquals(59, skb.len());
            assertEquals(128 - 54, skb.headroom());

            // The way up: pull each header off again.
            assertEquals(payload - 40, skb.pull(14));
            assertEquals(payload - 20, skb.pull(20));
            assertEquals(payload, skb.pull(20));
            assertArrayEquals(ascii("hello"), skb.toByteArray());
            assertEquals(payload - 54, skb.macHeader());
            assertEquals(payload - 40, skb.networkHeader());
            assertEquals(-40, skb.networkOffset());
            assertEquals(-20, skb.transportOffset());
            skb.consume();
        }

        @Test
        void trimCutsEthernetPaddingAfterTheIpTotalLength() {
            SkBuff skb = pool.alloc(64, 60);
            skb.put(60);
            skb.trim(46);
            assertEquals(46, skb.len());
            assertEquals(64 + 46, skb.tail());
            skb.consume();
        }

        @Test
        void mayPullSaysWhetherAHeaderIsThere() {
            SkBuff skb = pool.alloc(0, 20);
            skb.put(19);
            assertFalse(skb.mayPull(20));
            assertTrue(skb.mayPull(19));
            assertFalse(skb.mayPull(-1));
            skb.consume();
        }

        @Test
        void headerMarksCanBeSetRelativeToData() {
            SkBuff skb = pool.alloc(0, 64);
            skb.put(64);
            skb.setMacHeader(0).setNetworkHeader(14).setTransportHeader(34);
            assertEquals(0, skb.macHeader());
            assertEquals(14, skb.networkHeader());
            assertEquals(34, skb.transportHeader());
            assertTrue(skb.macHeaderWasSet());
            skb.consume();
        }

        @Test
        void bytesReadAndWrittenAtAbsoluteOffsets() {
            SkBuff skb = pool.alloc(16, 16);
            int at = skb.put(8);
            skb.setByte(at, 0x45).setByte(at + 1, 0).setShort(at + 2, 0x1d25).setInt(at + 4, 0x0A000001);
            assertEquals(0x45, skb.getByte(at));
            assertEquals(0x1d25, skb.getUnsignedShort(at + 2));
            assertEquals(0x0A000001, skb.getInt(at + 4));
            assertArrayEquals(new byte[] {0x45, 0, 0x1d, 0x25, 10, 0, 0, 1}, skb.toByteArray());
            skb.consume();
        }
    }

    @Nested
    class Misuse {
        @Test
        void pushPastTheHeadroomThrowsWithTheNumbers() {
            SkBuff skb = pool.alloc(14, 100);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> skb.push(20));
            assertEquals("push: len=20 headroom=14", e.getMessage());
            assertEquals(14, skb.data(), "a failed push moves nothing");
            skb.consume();
        }

        @Test
        void pullPastTheDataThrowsWithTheNumbers() {
            SkBuff skb = pool.alloc(0, 100);
            skb.put(14);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> skb.pull(20));
            assertEquals("pull: len=20 skb.len=14", e.getMessage());
            skb.consume();
        }

        @Test
        void putPastTheTailroomThrows() {
            SkBuff skb = pool.alloc(10);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> skb.put(11));
            assertEquals("put: len=11 tailroom=10", e.getMessage());
            skb.consume();
        }

        @Test
        void reserveOnANonEmptySkbThrows() {
            SkBuff skb = pool.alloc(100);
            skb.put(5);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> skb.reserve(10));
            assertEquals("reserve: skb not empty len=5", e.getMessage());
            skb.consume();
        }

        @Test
        void reserveBeyondTheBufferThrows() {
            SkBuff skb = pool.alloc(100);
            assertEquals("reserve: len=101 tailroom=100",
                    assertThrows(IllegalArgumentException.class, () -> skb.reserve(101)).getMessage());
            skb.consume();
        }

        @Test
        void trimLongerThanTheDataThrows() {
            SkBuff skb = pool.alloc(0, 10);
            skb.put(10);
            assertEquals("trim: len=11 skb.len=10",
                    assertThrows(IllegalArgumentException.class, () -> skb.trim(11)).getMessage());
            skb.consume();
        }

        @Test
        void negativeLengthsThrow() {
            SkBuff skb = pool.alloc(10, 10);
            assertThrows(IllegalArgumentException.class, () -> skb.push(-1));
            assertThrows(IllegalArgumentException.class, () -> skb.pull(-1));
            assertThrows(IllegalArgumentException.class, () -> skb.put(-1));
            assertThrows(IllegalArgumentException.class, () -> pool.alloc(-1));
            skb.consume();
        }

        @Test
        void accessOutsideTheBufferThrowsWithTheNumbers() {
            SkBuff skb = pool.alloc(8);
            IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> skb.getInt(6));
            assertEquals("getInt: index=6 len=4 end=8", e.getMessage());
            assertThrows(IndexOutOfBoundsException.class, () -> skb.setByte(-1, 0));
            skb.consume();
        }

        @Test
        void unsetHeaderMarkThrows() {
            SkBuff skb = pool.alloc(8);
            assertEquals("networkHeader: not set",
                    assertThrows(IllegalStateException.class, skb::networkHeader).getMessage());
            skb.consume();
        }

        @Test
        void everyUseAfterTheLastReleaseThrows() {
            SkBuff skb = pool.alloc(64, 64);
            skb.consume();
            assertEquals(0, skb.refCnt());
            assertThrows(IllegalReferenceCountException.class, skb::len);
            assertThrows(IllegalReferenceCountException.class, () -> skb.push(1));
            assertThrows(IllegalReferenceCountException.class, () -> skb.pull(1));
            assertThrows(IllegalReferenceCountException.class, () -> skb.put(1));
            assertThrows(IllegalReferenceCountException.class, skb::buf);
            assertThrows(IllegalReferenceCountException.class, skb::clone);
            assertThrows(IllegalReferenceCountException.class, skb::retain);
            assertThrows(IllegalReferenceCountException.class, skb::release);
            assertThrows(IllegalReferenceCountException.class, skb::consume);
            assertThrows(IllegalReferenceCountException.class, () -> skb.free(DropReason.NOT_SPECIFIED));
            assertEquals("SkBuff[released]", skb.toString());
        }
    }

    @Nested
    class ReferenceCounting {
        @Test
        void retainedSkbSurvivesOneRelease() {
            SkBuff skb = pool.alloc(16);
            skb.retain();
            assertEquals(2, skb.refCnt());
            assertFalse(skb.release());
            assertEquals(16, skb.end());
            assertTrue(skb.release());
            assertEquals(0, skb.refCnt());
        }

        @Test
        void freeCountsTheDropOnlyOnTheLastReference() {
            SkBuff skb = pool.alloc(16);
            skb.retain();
            assertFalse(skb.free(DropReason.TCP_CSUM));
            assertEquals(0, pool.drops(DropReason.TCP_CSUM));
            assertTrue(skb.free(DropReason.TCP_CSUM));
            assertEquals(1, pool.drops(DropReason.TCP_CSUM));
            assertEquals(1, pool.totalDrops());
        }

        @Test
        void consumeIsNotADrop() {
            pool.alloc(16).consume();
            assertEquals(0, pool.totalDrops());
            assertEquals(1, pool.released());
        }

        @Test
        void dropListenerSeesTheSkbBeforeItIsReleased() {
            int[] seenLen = {-1};
            DropReason[] seenReason = {null};
            SkBuffPool p = SkBuffPool.builder().dropListener((skb, reason) -> {
                seenLen[0] = skb.len();
                seenReason[0] = reason;
            }).build();
            SkBuff skb = p.alloc(0, 40);
            skb.put(40);
            skb.free(DropReason.NO_SOCKET);
            assertEquals(40, seenLen[0]);
            assertEquals(DropReason.NO_SOCKET, seenReason[0]);
        }

        @Test
        void theSkbsOwnDropListenerHearsItsDropAfterThePool() {
            StringBuilder order = new StringBuilder();
            SkBuffPool p = SkBuffPool.builder().dropListener((skb, reason) -> order.append("pool ")).build();
            SkBuff skb = p.alloc(0, 8).setDropListener((s, reason) -> order.append("host:").append(reason).append(' ').append(s.len()));
            skb.put(8);
            skb.free(DropReason.NO_SOCKET);
            assertEquals("pool host:NO_SOCKET 8", order.toString());
        }

        @Test
        void theSkbsDropListenerHearsNeitherAConsumeNorAReleaseThatIsNotTheLast() {
            int[] drops = {0};
            SkBuff skb = pool.alloc(8).setDropListener((s, reason) -> drops[0]++);
            skb.retain();
            skb.free(DropReason.NO_SOCKET);
            skb.consume();
            assertEquals(0, drops[0]);
        }

        @Test
        void clonesAndCopiesInheritTheDropListenerAndAFreshSkbHasNone() {
            SkBuffPool.DropListener host = (s, reason) -> { };
            SkBuff skb = pool.alloc(16).setDropListener(host);
            SkBuff clone = skb.clone();
            SkBuff copy = skb.copy();
            assertSame(host, clone.dropListener());
            assertSame(host, copy.dropListener());
            clone.consume();
            copy.consume();
            skb.consume();
            SkBuff fresh = pool.alloc(16);
            assertEquals(null, fresh.dropListener());
            fresh.consume();
        }
    }

    @Nested
    class CloneAndCopy {
        @Test
        void cloneSharesTheDataWithItsOwnPointers() {
            SkBuff orig = pool.alloc(64, 5).putBytes(ascii("hello"));
            SkBuff clone = orig.clone();
            assertSame(orig.buf(), clone.buf());
            assertTrue(orig.isCloned());
            assertTrue(clone.isCloned());
            clone.pull(2);
            assertEquals(5, orig.len());
            assertEquals(3, clone.len());
            clone.consume();
            assertFalse(orig.isCloned(), "the last clone gone, the data is private again");
            assertArrayEquals(ascii("hello"), orig.toByteArray());
            orig.consume();
        }

        @Test
        void writingIntoSharedDataUnsharesTheWriter() {
            SkBuff orig = pool.alloc(64, 5).putBytes(ascii("hello"));
            SkBuff clone = orig.clone();
            clone.setByte(clone.data(), 'j');
            assertNotSame(orig.buf(), clone.buf());
            assertArrayEquals(ascii("hello"), orig.toByteArray());
            assertArrayEquals(ascii("jello"), clone.toByteArray());
            assertFalse(orig.isCloned());
            assertFalse(clone.isCloned());
            orig.consume();
            clone.consume();
        }

        @Test
        void originalWritingWhileClonedAlsoUnshares() {
            SkBuff orig = pool.alloc(0, 5).putBytes(ascii("hello"));
            SkBuff clone = orig.clone();
            orig.setByte(orig.data() + 4, '!');
            assertArrayEquals(ascii("hell!"), orig.toByteArray());
            assertArrayEquals(ascii("hello"), clone.toByteArray());
            orig.consume();
            clone.consume();
        }

        @Test
        void cloneOfAHeaderReleasedSkbWritesHeadersInPlace() {
            // tcp_transmit_skb: the queued skb gave up its headroom, so the clone pushes its
            // headers there without copying the payload.
            SkBuff queued = pool.alloc(128, 5).putBytes(ascii("hello")).headerRelease();
            SkBuff tx = queued.clone();
            int th = tx.push(20);
            tx.setInt(th, 0x251D0050);
            tx.ensureWritable(th, 20);
            assertSame(queued.buf(), tx.buf(), "header writes into released headroom share the buffer");
            assertEquals(25, tx.len());
            assertArrayEquals(ascii("hello"), queued.toByteArray());
            tx.consume();
            queued.consume();
        }

        @Test
        void secondCloneInFlightCopiesBeforeWritingHeaders() {
            // A retransmission while the first transmission's clone still sits in a ring must not
            // overwrite the headers of the first.
            SkBuff queued = pool.alloc(128, 5).putBytes(ascii("hello")).headerRelease();
            SkBuff first = queued.clone();
            first.setInt(first.push(4), 0x11111111);
            SkBuff second = queued.clone();
            second.setInt(second.push(4), 0x22222222);
            assertNotSame(first.buf(), second.buf());
            assertEquals(0x11111111, first.getInt(first.data()));
            assertEquals(0x22222222, second.getInt(second.data()));
            first.consume();
            second.consume();
            queued.consume();
        }

        @Test
        void cloningAHeaderOwningCloneTakesItsInPlaceHeaderRightAway() {
            SkBuff queued = pool.alloc(64, 5).putBytes(ascii("hello")).headerRelease();
            SkBuff c1 = queued.clone();
            int at = c1.push(4);
            c1.setInt(at, 0x45000000);
            SkBuff c2 = c1.clone();
            c1.setByte(at, 0xFF);
            assertEquals(0x45, c2.getByte(at) & 0xFF, "c2 still reads what was there when it was cloned");
            assertEquals(0xFF, c1.getByte(at) & 0xFF);
            c1.consume();
            c2.consume();
            queued.consume();
        }

        @Test
        void cloneWithoutHeaderReleaseCopiesOnItsFirstHeaderWrite() {
            SkBuff orig = pool.alloc(64, 5).putBytes(ascii("hello"));
            SkBuff clone = orig.clone();
            clone.setInt(clone.push(4), 0x01020304);
            assertNotSame(orig.buf(), clone.buf());
            orig.consume();
            clone.consume();
        }

        @Test
        void payloadWritesInAHeaderReleasedCloneStillCopy() {
            SkBuff queued = pool.alloc(64, 5).putBytes(ascii("hello")).headerRelease();
            SkBuff tx = queued.clone();
            tx.setByte(tx.data(), 'y');
            assertNotSame(queued.buf(), tx.buf());
            assertArrayEquals(ascii("hello"), queued.toByteArray());
            tx.consume();
            queued.consume();
        }

        @Test
        void copyIsDeepWithTheSameGeometryAndMarks() {
            SkBuff orig = pool.alloc(64, 5).putBytes(ascii("hello"));
            orig.push(20);
            orig.resetTransportHeader();
            orig.setIfindex(2).setProtocol(0x0800).setMark(7).setTstamp(123);
            SkBuff copy = orig.copy();
            assertNotSame(orig.buf(), copy.buf());
            assertFalse(orig.isCloned());
            assertEquals(orig.data(), copy.data());
            assertEquals(orig.tail(), copy.tail());
            assertEquals(orig.transportHeader(), copy.transportHeader());
            assertEquals(2, copy.ifindex());
            assertEquals(0x0800, copy.protocol());
            assertEquals(7, copy.mark());
            assertEquals(123, copy.tstamp());
            assertArrayEquals(orig.toByteArray(), copy.toByteArray());
            orig.consume();
            copy.consume();
        }

        @Test
        void expandHeadAddsHeadroomAndShiftsEveryOffset() {
            SkBuff skb = pool.alloc(14, 5).putBytes(ascii("hello"));
            skb.resetNetworkHeader();
            int truesize = skb.truesize();
            skb.expandHead(50, 10);
            assertEquals(64, skb.headroom());
            assertEquals(10, skb.tailroom());
            assertEquals(64, skb.networkHeader());
            assertEquals(truesize + 60, skb.truesize());
            assertArrayEquals(ascii("hello"), skb.toByteArray());
            skb.push(40);
            skb.consume();
        }

        @Test
        void unshareOfAPrivateSkbKeepsItsBuffer() {
            SkBuff skb = pool.alloc(8);
            var before = skb.buf();
            skb.unshare();
            assertSame(before, skb.buf());
            skb.consume();
        }
    }

    @Nested
    class Ownership {
        private final class Account implements SkbOwner {
            int charged;

            @Override
            public void charge(SkBuff skb, int truesize) {
                charged += truesize;
            }

            @Override
            public void uncharge(SkBuff skb, int truesize) {
                charged -= truesize;
            }
        }

        @Test
        void truesizeIsCapacityPlusKernelOverhead() {
            SkBuff skb = pool.alloc(2048);
            assertEquals(2048 + SkBuff.TRUESIZE_OVERHEAD, skb.truesize());
            skb.consume();
        }

        @Test
        void ownerIsChargedUntilTheLastRelease() {
            Account sk = new Account();
            SkBuff skb = pool.alloc(1000).setOwner(sk);
            assertEquals(1000 + SkBuff.TRUESIZE_OVERHEAD, sk.charged);
            skb.retain();
            skb.release();
            assertEquals(1000 + SkBuff.TRUESIZE_OVERHEAD, sk.charged);
            skb.consume();
            assertEquals(0, sk.charged);
        }

        @Test
        void changingOwnerMovesTheCharge() {
            Account a = new Account();
            Account b = new Account();
            SkBuff skb = pool.alloc(100).setOwner(a);
            skb.setOwner(b);
            assertEquals(0, a.charged);
            assertEquals(100 + SkBuff.TRUESIZE_OVERHEAD, b.charged);
            skb.setOwner(null);
            assertEquals(0, b.charged);
            skb.consume();
        }

        @Test
        void cloneHasNoOwner() {
            Account sk = new Account();
            SkBuff skb = pool.alloc(100).setOwner(sk);
            SkBuff clone = skb.clone();
            assertEquals(null, clone.owner());
            clone.consume();
            assertEquals(100 + SkBuff.TRUESIZE_OVERHEAD, sk.charged);
            skb.consume();
            assertEquals(0, sk.charged);
        }
    }

    @Nested
    class ChecksumState {
        @Test
        void aByteRewrittenInPlaceForgetsWhatWasKnownOfTheChecksums() {
            SkBuff skb = pool.alloc(64, 100);
            skb.putBytes(ascii("abcdef"));
            skb.setIpSummed(SkBuff.CHECKSUM_UNNECESSARY);
            skb.setByte(skb.data() + 2, 'X');
            assertEquals(SkBuff.CHECKSUM_NONE, skb.ipSummed(), "a corrupted frame is verified again");
            skb.consume();
        }

        @Test
        void ipSummedStartsAsNoneAndIsResetOnReuse() {
            SkBuff skb = pool.alloc(100);
            assertEquals(SkBuff.CHECKSUM_NONE, skb.ipSummed());
            skb.setIpSummed(SkBuff.CHECKSUM_UNNECESSARY);
            SkBuff clone = skb.clone();
            assertEquals(SkBuff.CHECKSUM_UNNECESSARY, clone.ipSummed());
            clone.consume();
            skb.consume();
            SkBuff again = pool.alloc(100);
            assertEquals(SkBuff.CHECKSUM_NONE, again.ipSummed());
            again.consume();
        }

        /** A 4-byte "header" whose field at offset 2 holds {@code pseudo}, then {@code payload}. */
        private SkBuff partial(int pseudo, byte[] payload) {
            SkBuff skb = pool.alloc(64, 100);
            int start = skb.data();
            skb.putBytes(new byte[] {0x12, 0x34, (byte) (pseudo >> 8), (byte) pseudo});
            skb.putBytes(payload);
            return skb.setChecksumPartial(start, 2);
        }

        /** The checksum a software sum of the same bytes, with the field zero, gives. */
        private int expected(int pseudo, byte[] payload) {
            byte[] all = new byte[4 + payload.length];
            all[0] = 0x12;
            all[1] = 0x34;
            System.arraycopy(payload, 0, all, 4, payload.length);
            return dev.stacksim.wire.Checksum.finish(dev.stacksim.wire.Checksum.combine(pseudo,
                    dev.stacksim.wire.Checksum.sum(all, 0, all.length)));
        }

        @Test
        void checksumHelpCompletesAPartialChecksumOverTheBytesAndThePseudoHeaderSum() {
            byte[] payload = ascii("odd-length payload");
            SkBuff skb = partial(0xBEEF, payload);
            assertEquals(SkBuff.CHECKSUM_PARTIAL, skb.ipSummed());
            assertTrue(skb.csumUnnecessary(), "skb_csum_unnecessary takes a partial checksum as good");
            skb.checksumHelp();
            assertEquals(SkBuff.CHECKSUM_UNNECESSARY, skb.ipSummed(), "right for these bytes now");
            assertEquals(expected(0xBEEF, payload), skb.getUnsignedShort(skb.data() + 2));
            skb.checksumHelp(); // nothing left to do
            assertEquals(expected(0xBEEF, payload), skb.getUnsignedShort(skb.data() + 2));
            skb.consume();
        }

        @Test
        void aSetterCompletesThePartialChecksumBeforeChangingAByte() {
            byte[] payload = ascii("abcdefgh");
            SkBuff skb = partial(0x0102, payload);
            skb.setByte(skb.data() + 5, 'X'); // a corrupting link flips a byte on the wire
            assertEquals(SkBuff.CHECKSUM_NONE, skb.ipSummed(), "the receiver verifies, and finds the change");
            assertEquals(expected(0x0102, payload), skb.getUnsignedShort(skb.data() + 2),
                    "the checksum of the bytes as they were sent");
            skb.consume();
        }

        @Test
        void aPartialChecksumSurvivesCloneCopyAndExpandHead() {
            byte[] payload = ascii("0123456789");
            SkBuff skb = partial(0x4242, payload);
            SkBuff copy = skb.copy();
            SkBuff clone = skb.clone();
            skb.expandHead(32, 0);
            for (SkBuff s : new SkBuff[] {skb, copy, clone}) {
                assertEquals(SkBuff.CHECKSUM_PARTIAL, s.ipSummed());
                assertEquals(s.data(), s.csumStart(), "still at the header, wherever it moved");
                assertEquals(2, s.csumOffset());
                s.checksumHelp();
                assertEquals(expected(0x4242, payload), s.getUnsignedShort(s.data() + 2));
                s.consume();
            }
        }

        @Test
        void aPartialChecksumMustCoverItsFieldInsideTheData() {
            SkBuff skb = pool.alloc(64, 100);
            skb.putBytes(ascii("abc"));
            int d = skb.data();
            IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                    () -> skb.setChecksumPartial(d, 2));
            assertEquals("setChecksumPartial: start=64 offset=2 data=64 tail=67", e.getMessage());
            assertThrows(IndexOutOfBoundsException.class, () -> skb.setChecksumPartial(d - 1, 0));
            assertEquals(SkBuff.CHECKSUM_NONE, skb.ipSummed());
            skb.consume();
        }
    }
}
