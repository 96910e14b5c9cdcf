package dev.stacksim.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ChecksumTest {

    /**
     * The reference: RFC 1071 taken literally, one byte at a time, with the end-around carry added
     * after every step. Deliberately unlike {@link Checksum#sum}, which reads eight bytes at a time
     * and folds once.
     */
    private static int naiveSum(byte[] data, int offset, int length) {
        int sum = 0;
        for (int i = 0; i < length; i++) {
            int b = data[offset + i] & 0xFF;
            sum += (i % 2 == 0) ? b << 8 : b;
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return sum;
    }

    private static byte[] randomBytes(SplittableRandom random, int length) {
        byte[] data = new byte[length];
        random.nextBytes(data);
        return data;
    }

    @Test
    void rfc1071WorkedExampleSumsToDdf2() {
        // RFC 1071 section 3: bytes 00 01 f2 03 f4 f5 f6 f7 sum to 0xddf2 whatever the word width.
        byte[] data = Captures.bytes("0001 f203 f4f5 f6f7");
        assertEquals(0xddf2, Checksum.sum(data, 0, 8));
        assertEquals(0xddf2, Checksum.sum(Unpooled.wrappedBuffer(data), 0, 8));
        assertEquals(0x220d, Checksum.compute(Unpooled.wrappedBuffer(data), 0, 8));
    }

    @Test
    void oddLengthPadsTheLastByteOnTheRight() {
        byte[] data = Captures.bytes("0001 f2");
        assertEquals(0xf201, Checksum.sum(data, 0, 3));
        assertEquals(0xf201, Checksum.sum(Unpooled.wrappedBuffer(data), 0, 3));
        assertEquals(0xab00, Checksum.sum(new byte[] {(byte) 0xab}, 0, 1));
        assertEquals(0xab00, Checksum.sum(Unpooled.wrappedBuffer(new byte[] {(byte) 0xab}), 0, 1));
    }

    @Test
    void emptyRangeSumsToZero() {
        assertEquals(0, Checksum.sum(new byte[4], 2, 0));
        assertEquals(0, Checksum.sum(Unpooled.wrappedBuffer(new byte[4]), 2, 0));
        assertEquals(0xFFFF, Checksum.compute(Unpooled.wrappedBuffer(new byte[4]), 2, 0));
    }

    @Test
    void everyOffsetAndLengthMatchesTheByteByByteReference() {
        SplittableRandom random = new SplittableRandom(1071);
        byte[] data = randomBytes(random, 16 + 100);
        ByteBuf heap = Unpooled.wrappedBuffer(data);
        ByteBuf direct = Unpooled.directBuffer(data.length).writeBytes(data);
        try {
            for (int offset = 0; offset <= 15; offset++) {
                for (int length = 0; length <= 100; length++) {
                    int expected = naiveSum(data, offset, length);
                    String where = "offset=" + offset + " length=" + length;
                    assertEquals(expected, Checksum.sum(data, offset, length), "byte[] " + where);
                    assertEquals(expected, Checksum.sum(heap, offset, length), "heap " + where);
                    assertEquals(expected, Checksum.sum(direct, offset, length), "direct " + where);
                }
            }
        } finally {
            direct.release();
        }
    }

    @Test
    void allOnesDataMatchesTheReferenceAtEveryOffsetAndLength() {
        // 0xFF bytes make every addition carry: the case the end-around carry exists for.
        byte[] data = new byte[16 + 100];
        Arrays.fill(data, (byte) 0xFF);
        ByteBuf buf = Unpooled.wrappedBuffer(data);
        for (int offset = 0; offset <= 15; offset++) {
            for (int length = 0; length <= 100; length++) {
                int expected = naiveSum(data, offset, length);
                assertEquals(expected, Checksum.sum(buf, offset, length), "offset=" + offset + " length=" + length);
                assertEquals(expected, Checksum.sum(data, offset, length), "offset=" + offset + " length=" + length);
            }
        }
    }

    @Test
    void largestIpPacketOfOnesDoesNotOverflowTheAccumulator() {
        byte[] data = new byte[65535];
        Arrays.fill(data, (byte) 0xFF);
        // 32767 words of 0xFFFF sum to 0xFFFF; the odd last byte adds 0xFF00 and a carry comes round.
        assertEquals(0xFF00, naiveSum(data, 0, data.length));
        assertEquals(0xFF00, Checksum.sum(data, 0, data.length));
        assertEquals(0xFF00, Checksum.sum(Unpooled.wrappedBuffer(data), 0, data.length));
        assertEquals(0xFFFF, Checksum.sum(Unpooled.wrappedBuffer(data), 0, data.length - 1));
    }

    @Test
    void byteBufAndArrayAgreeOnSeededRandomData() {
        SplittableRandom random = new SplittableRandom(42);
        for (int round = 0; round < 200; round++) {
            byte[] data = randomBytes(random, 1 + random.nextInt(9000));
            int offset = random.nextInt(data.length);
            int length = random.nextInt(data.length - offset + 1);
            int fromArray = Checksum.sum(data, offset, length);
            assertEquals(fromArray, Checksum.sum(Unpooled.wrappedBuffer(data), offset, length),
                    "round=" + round + " offset=" + offset + " length=" + length);
            assertEquals(naiveSum(data, offset, length), fromArray, "round=" + round);
        }
    }

    @Test
    void compositeBufferSplitAtOddPlacesAgrees() {
        SplittableRandom random = new SplittableRandom(7);
        byte[] data = randomBytes(random, 101);
        CompositeByteBuf composite = Unpooled.compositeBuffer();
        composite.addComponents(true, Unpooled.wrappedBuffer(data, 0, 3), Unpooled.wrappedBuffer(data, 3, 10),
                Unpooled.wrappedBuffer(data, 13, 1), Unpooled.wrappedBuffer(data, 14, 87));
        try {
            for (int offset = 0; offset <= 15; offset++) {
                int length = data.length - offset;
                assertEquals(naiveSum(data, offset, length), Checksum.sum(composite, offset, length), "offset=" + offset);
            }
        } finally {
            composite.release();
        }
    }

    @Test
    void littleEndianOrderedBufferSumsTheWireBytes() {
        // The sum is of the bytes as they lie in memory, whatever order a ByteBuf was told to read in.
        SplittableRandom random = new SplittableRandom(3);
        byte[] data = randomBytes(random, 64);
        @SuppressWarnings("deprecation")
        ByteBuf swapped = Unpooled.wrappedBuffer(data).order(ByteOrder.LITTLE_ENDIAN);
        for (int length = 0; length <= 48; length++) {
            assertEquals(naiveSum(data, 3, length), Checksum.sum(swapped, 3, length), "length=" + length);
        }
    }

    @Test
    void evenPartsCombineToTheSumOfTheWhole() {
        SplittableRandom random = new SplittableRandom(11);
        byte[] data = randomBytes(random, 99);
        int whole = Checksum.sum(data, 0, data.length);
        for (int split = 0; split <= 98; split += 2) {
            int combined = Checksum.combine(Checksum.sum(data, 0, split), Checksum.sum(data, split, data.length - split));
            assertEquals(whole, combined, "split=" + split);
        }
    }

    @Test
    void finishComplementsAndVerifyAcceptsOnlyAllOnes() {
        assertEquals(0x220d, Checksum.finish(0xddf2));
        assertEquals(0x0000, Checksum.finish(0xFFFF));
        assertTrue(Checksum.verify(0xFFFF));
        assertFalse(Checksum.verify(0x0000));
        assertFalse(Checksum.verify(0xFFFE));
    }

    @Test
    void realIpv4HeaderChecksumsVerify() {
        for (String frame : new String[] {Captures.LO_ICMP_ECHO_REQUEST, Captures.LO_UDP_HELLO,
                Captures.VETH_ICMP_ECHO_REQUEST, Captures.VETH_ICMP_ECHO_REPLY}) {
            ByteBuf buf = Captures.buf(frame);
            assertTrue(Checksum.verify(Checksum.sum(buf, 14, 20)), frame);
        }
    }

    @Test
    void recomputingARealIpv4HeaderChecksumGivesTheKernelsValue() {
        ByteBuf buf = Captures.buf(Captures.LO_ICMP_ECHO_REQUEST);
        assertEquals(0x6900, buf.getUnsignedShort(24));
        buf.setShort(24, 0);
        assertEquals(0x6900, Checksum.compute(buf, 14, 20));

        ByteBuf veth = Captures.buf(Captures.VETH_ICMP_ECHO_REPLY);
        veth.setShort(24, 0);
        assertEquals(0xf87c, Checksum.compute(veth, 14, 20));
    }

    @Test
    void flippingOneBitOfARealHeaderFailsVerification() {
        ByteBuf buf = Captures.buf(Captures.VETH_ICMP_ECHO_REQUEST);
        for (int bit = 0; bit < 20 * 8; bit++) {
            int index = 14 + bit / 8;
            int original = buf.getUnsignedByte(index);
            buf.setByte(index, original ^ (0x80 >>> (bit % 8)));
            assertFalse(Checksum.verify(Checksum.sum(buf, 14, 20)), "bit=" + bit);
            buf.setByte(index, original);
        }
    }

    @Test
    void realIcmpChecksumVerifiesOverTheWholeMessage() {
        ByteBuf buf = Captures.buf(Captures.LO_ICMP_ECHO_REQUEST);
        assertTrue(Checksum.verify(Checksum.sum(buf, 34, 64)));
        ByteBuf reply = Captures.buf(Captures.VETH_ICMP_ECHO_REPLY);
        assertTrue(Checksum.verify(Checksum.sum(reply, 34, 64)));
    }

    @Test
    void pseudoHeaderMatchesWhatLoopbackLeavesInAnOffloadedUdpChecksum() {
        // With checksum offload the kernel leaves the folded pseudo-header sum in the field for the
        // "hardware" to finish: 127.0.0.1 twice, protocol 17, UDP length 13.
        ByteBuf buf = Captures.buf(Captures.LO_UDP_HELLO);
        int pseudo = Checksum.pseudoHeader(0x7F00_0001, 0x7F00_0001, IpProtocol.UDP, 13);
        assertEquals(0xfe20, pseudo);
        assertEquals(pseudo, buf.getUnsignedShort(40));
    }

    @Test
    void pseudoHeaderPlusSegmentGivesTheChecksumTcpdumpExpects() {
        // tcpdump: "bad udp cksum 0xfe20 -> 0xef13!" - the full checksum the offload would have written.
        ByteBuf buf = Captures.buf(Captures.LO_UDP_HELLO);
        buf.setShort(40, 0);
        int sum = Checksum.combine(Checksum.pseudoHeader(0x7F00_0001, 0x7F00_0001, IpProtocol.UDP, 13),
                Checksum.sum(buf, 34, 13));
        assertEquals(0xef13, Checksum.finish(sum));
        buf.setShort(40, 0xef13);
        assertTrue(Checksum.verify(Checksum.combine(
                Checksum.pseudoHeader(0x7F00_0001, 0x7F00_0001, IpProtocol.UDP, 13), Checksum.sum(buf, 34, 13))));
    }

    @Test
    void pseudoHeaderEqualsTheSumOfItsTwelveBytes() {
        SplittableRandom random = new SplittableRandom(768);
        for (int round = 0; round < 1000; round++) {
            int src = random.nextInt();
            int dst = random.nextInt();
            int protocol = random.nextInt(256);
            int length = random.nextInt(65536);
            ByteBuf pseudo = Unpooled.buffer(12).writeInt(src).writeInt(dst).writeByte(0).writeByte(protocol).writeShort(length);
            assertEquals(Checksum.sum(pseudo, 0, 12), Checksum.pseudoHeader(src, dst, protocol, length), "round=" + round);
        }
    }

    @Test
    void rfc1624Section3ExampleGivesPlusZeroWhereEqn2GaveMinusZero() {
        // The other header words sum to 0xCD7A; m = 0x5555 changes to m' = 0x3285.
        byte[] header = Captures.bytes("cd7a 5555");
        int hc = Checksum.compute(Unpooled.wrappedBuffer(header), 0, 4);
        assertEquals(0xdd2f, hc);
        header[2] = 0x32;
        header[3] = (byte) 0x85;
        int recomputed = Checksum.compute(Unpooled.wrappedBuffer(header), 0, 4);
        assertEquals(0x0000, recomputed);
        // RFC 1141's eqn. 2, HC - ~m - m', gives 0xFFFF here; eqn. 3 gives what recomputation gives.
        assertEquals(recomputed, Checksum.update(hc, 0x5555, 0x3285));
    }

    @Test
    void updateWithAnUnchangedWordKeepsAZeroChecksum() {
        // RFC 1624 erratum 4782's case: HC = 0x0000 and m' = m must stay 0x0000, not turn to 0xFFFF.
        assertEquals(0x0000, Checksum.update(0x0000, 0x5555, 0x5555));
        assertEquals(0x1234, Checksum.update(0x1234, 0xabcd, 0xabcd));
    }

    @Test
    void updateAgreesWithRecomputationOverSeededRandomData() {
        SplittableRandom random = new SplittableRandom(1624);
        for (int round = 0; round < 20_000; round++) {
            byte[] data = randomBytes(random, 2 * (1 + random.nextInt(30)));
            ByteBuf buf = Unpooled.wrappedBuffer(data);
            int word = 2 * random.nextInt(data.length / 2);
            int oldValue = buf.getUnsignedShort(word);
            int newValue;
            switch (round % 4) {
                case 0:
                    // Make the new sum exactly 0xFFFF, so that the checksum is 0x0000: the corner of RFC 1624 section 3.
                    newValue = Checksum.finish(Checksum.combine(Checksum.sum(data, 0, word),
                            Checksum.sum(data, word + 2, data.length - word - 2)));
                    break;
                case 1:
                    newValue = oldValue;
                    break;
                default:
                    newValue = random.nextInt(0x10000);
            }
            int hc = Checksum.compute(buf, 0, data.length);
            buf.setShort(word, newValue);
            int recomputed = Checksum.compute(buf, 0, data.length);
            if (allZero(data)) {
                continue;  // see updateOfAllZeroDataGivesTheOtherZero
            }
            assertEquals(recomputed, Checksum.update(hc, oldValue, newValue),
                    "round=" + round + " hc=" + hc + " old=" + oldValue + " new=" + newValue);
        }
    }

    @Test
    void updateOfAllZeroDataGivesTheOtherZero() {
        // The one disagreement, as in Linux's csum_replace2: a sum is +0 (0x0000) only when every
        // summed word is zero, which the incremental form cannot know. Its 0x0000 then stands for
        // recomputation's 0xFFFF. No IPv4 header or pseudo-header is all zeros.
        assertEquals(0xFFFF, Checksum.compute(Unpooled.wrappedBuffer(new byte[4]), 0, 4));
        int hc = Checksum.compute(Unpooled.wrappedBuffer(Captures.bytes("0000 0001")), 0, 4);
        assertEquals(0xFFFE, hc);
        assertEquals(0x0000, Checksum.update(hc, 0x0001, 0x0000));
        assertEquals(0x0000, Checksum.update(0xFFFF, 0x0000, 0x0000));
        // Of the two zeros only 0xFFFF verifies over otherwise-zero data: the sum must come to all ones.
        assertTrue(Checksum.verify(Checksum.sum(Captures.bytes("0000 ffff"), 0, 4)));
        assertFalse(Checksum.verify(Checksum.sum(Captures.bytes("0000 0000"), 0, 4)));
    }

    @Test
    void update32AgreesWithRecomputationWhenAnAddressIsRewritten() {
        // What a NAT does to a real header: rewrite the source address, patch the checksum.
        SplittableRandom random = new SplittableRandom(3022);
        ByteBuf buf = Captures.buf(Captures.VETH_ICMP_ECHO_REQUEST);
        for (int round = 0; round < 1000; round++) {
            int hc = buf.getUnsignedShort(24);
            int oldSrc = buf.getInt(26);
            int newSrc = round == 0 ? oldSrc : random.nextInt();
            buf.setInt(26, newSrc);
            int patched = Checksum.update32(hc, oldSrc, newSrc);
            buf.setShort(24, 0);
            assertEquals(Checksum.compute(buf, 14, 20), patched, "round=" + round);
            buf.setShort(24, patched);
            assertTrue(Checksum.verify(Checksum.sum(buf, 14, 20)), "round=" + round);
        }
    }

    @Test
    void update32AgreesWithRecomputationOverSeededRandomData() {
        SplittableRandom random = new SplittableRandom(32);
        for (int round = 0; round < 5000; round++) {
            byte[] data = randomBytes(random, 4 * (1 + random.nextInt(10)));
            ByteBuf buf = Unpooled.wrappedBuffer(data);
            int at = 4 * random.nextInt(data.length / 4);
            int oldValue = buf.getInt(at);
            int newValue = random.nextInt();
            int hc = Checksum.compute(buf, 0, data.length);
            buf.setInt(at, newValue);
            assertEquals(Checksum.compute(buf, 0, data.length), Checksum.update32(hc, oldValue, newValue), "round=" + round);
        }
    }

    @Test
    void ttlDecrementByUpdateMatchesTheNextHopsRecomputation() {
        // ip_decrease_ttl: TTL shares a 16-bit word with the protocol.
        ByteBuf buf = Captures.buf(Captures.VETH_ICMP_ECHO_REQUEST);
        int oldWord = buf.getUnsignedShort(22);
        assertEquals(0x4001, oldWord);
        int patched = Checksum.update(buf.getUnsignedShort(24), oldWord, oldWord - 0x0100);
        buf.setShort(22, oldWord - 0x0100);
        buf.setShort(24, 0);
        assertEquals(Checksum.compute(buf, 14, 20), patched);
        assertEquals(0xd111, patched);
    }

    private static boolean allZero(byte[] data) {
        for (byte b : data) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }
}
