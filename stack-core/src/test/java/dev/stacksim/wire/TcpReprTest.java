package dev.stacksim.wire;

import static dev.stacksim.wire.TcpGolden.LOOPBACK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.stacksim.wire.TcpOptions.SackBlock;
import dev.stacksim.wire.TcpOptions.UnknownOption;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class TcpReprTest {

    private static TcpRepr parse(TcpGolden.Segment s) throws MalformedPacketException {
        return TcpRepr.parse(new TcpHeader().wrap(s.buffer(14), 14, s.length()), LOOPBACK, LOOPBACK, true);
    }

    /** Emits {@code repr} at offset 5 of a fresh buffer, followed by {@code payload}. */
    private static TcpHeader emit(TcpRepr repr, byte[] payload) {
        ByteBuf buf = Unpooled.wrappedBuffer(new byte[5 + repr.bufferLen() + payload.length]);
        buf.setBytes(5 + repr.bufferLen(), payload);
        TcpHeader view = new TcpHeader().wrap(buf, 5, repr.bufferLen() + payload.length);
        repr.emit(view, LOOPBACK, LOOPBACK);
        return view;
    }

    private static byte[] payloadOf(TcpGolden.Segment s) {
        byte[] all = s.bytes();
        int hlen = (all[TcpHeader.DOFF_OFFSET] & 0xF0) >>> 2;
        return java.util.Arrays.copyOfRange(all, hlen, all.length);
    }

    @Test
    void parsesTheCapturedSyn() throws MalformedPacketException {
        TcpRepr syn = parse(TcpGolden.SYN);
        TcpOptions options = TcpOptions.NONE.withMss(65495).withSackPermitted(true)
                .withTimestamps((int) 2194802399L, 0).withWindowScale(10);
        assertEquals(new TcpRepr(44580, 9501, (int) 3577966761L, 0, TcpHeader.SYN, 65495, 0, options, 0), syn);
        assertEquals(40, syn.bufferLen());
        assertEquals(1, syn.segmentLen());
        assertTrue(syn.hasFlags(TcpHeader.SYN));
        assertFalse(syn.hasFlags(TcpHeader.SYN | TcpHeader.ACK));
    }

    @Test
    void parsesTheCapturedSackBlocks() throws MalformedPacketException {
        TcpRepr sack = parse(TcpGolden.SACK2);
        assertEquals(List.of(new SackBlock((int) 2459298431L, (int) 2459298436L),
                new SackBlock((int) 2459298331L, (int) 2459298336L)), sack.options().sackBlocks());
        assertTrue(sack.options().timestamps());
        assertEquals(65, sack.window());
    }

    @Test
    void emittingEveryCapturedSegmentReproducesItsBytes() throws MalformedPacketException {
        for (TcpGolden.Segment s : TcpGolden.ALL) {
            TcpRepr repr = parse(s);
            TcpHeader view = emit(repr, payloadOf(s));
            assertEquals(s.hex(), TcpGolden.hex(view.buffer(), view.offset(), view.length()), s.name());
            assertEquals(repr, TcpRepr.parse(view, LOOPBACK, LOOPBACK, true), s.name());
        }
    }

    @Test
    void emitBuildsTheSynLinuxSent() {
        TcpRepr syn = new TcpRepr(44580, 9501, (int) 3577966761L, 0, TcpHeader.SYN, 65495, 0,
                TcpOptions.NONE.withMss(65495).withSackPermitted(true).withTimestamps((int) 2194802399L, 0)
                        .withWindowScale(10), 0);
        TcpHeader view = emit(syn, new byte[0]);
        assertEquals(TcpGolden.SYN.hex(), TcpGolden.hex(view.buffer(), 5, 40));
        assertEquals(TcpGolden.SYN.tcpdump(), view.toString());
    }

    @Test
    void bufferLenCoversHeaderAndOptionsButNotPayload() throws MalformedPacketException {
        TcpRepr data = parse(TcpGolden.DATA);
        assertEquals(32, data.bufferLen());
        assertEquals(32, data.headerLen());
        assertEquals(5, data.payloadLen());
        assertEquals(5, data.segmentLen());
        assertEquals(1, parse(TcpGolden.FIN).segmentLen());
        assertEquals(1, parse(TcpGolden.SYN_ACK).segmentLen());
        assertEquals(0, parse(TcpGolden.ACK).segmentLen());
        assertEquals(20, new TcpRepr(1, 2, 3, 4, TcpHeader.RST, 0, 0, TcpOptions.NONE, 0).bufferLen());
    }

    @Test
    void verifiedParseRejectsTheOffloadPartialChecksum() {
        TcpGolden.Segment s = TcpGolden.SYN;
        ByteBuf buf = s.buffer(0);
        buf.setShort(TcpHeader.CHECKSUM_OFFSET, s.capturedChecksum());
        TcpHeader view = new TcpHeader().wrap(buf, 0, s.length());
        MalformedPacketException e = assertThrows(MalformedPacketException.class,
                () -> TcpRepr.parse(view, LOOPBACK, LOOPBACK, true));
        assertEquals(MalformedReason.BAD_CHECKSUM, e.reason());
        assertEquals("BAD_CHECKSUM: tcp: cksum=0xfe30 want=0xad1e len=40", e.getMessage());
    }

    @Test
    void unverifiedParseAcceptsABadChecksum() throws MalformedPacketException {
        ByteBuf buf = TcpGolden.DATA.buffer(0);
        buf.setShort(TcpHeader.CHECKSUM_OFFSET, 0x1234);
        TcpHeader view = new TcpHeader().wrap(buf, 0, TcpGolden.DATA.length());
        assertEquals(parse(TcpGolden.DATA), TcpRepr.parse(view, LOOPBACK, LOOPBACK, false));
    }

    @Test
    void parseReportsWhatCheckLenFinds() {
        byte[] syn = TcpGolden.SYN.bytes();
        TcpHeader view = new TcpHeader().wrap(Unpooled.wrappedBuffer(syn), 0, 30);
        MalformedPacketException e = assertThrows(MalformedPacketException.class,
                () -> TcpRepr.parse(view, LOOPBACK, LOOPBACK, true));
        assertEquals(MalformedReason.BAD_LENGTH, e.reason());
    }

    @Test
    void unknownOptionKindsAreKeptAndEmittedAgain() throws MalformedPacketException {
        // mss 1460, mptcp (30) len 4, unknown-99 len 2, exp (254) len 6: 16 bytes, no padding.
        byte[] bytes = TcpGolden.hex("0001000200000001000000029002001000000000"
                + "020405b4" + "1e040102" + "6302" + "fe06f9890a0b");
        TcpHeader view = TcpGolden.view(bytes);
        view.fillChecksum(LOOPBACK, LOOPBACK);
        TcpRepr repr = TcpRepr.parse(view, LOOPBACK, LOOPBACK, true);
        assertEquals(1460, repr.options().mss());
        assertEquals(List.of(new UnknownOption(30, new byte[] {1, 2}), new UnknownOption(99, new byte[0]),
                new UnknownOption(254, new byte[] {(byte) 0xf9, (byte) 0x89, 0x0a, 0x0b})), repr.options().unknown());
        TcpHeader again = emit(repr, new byte[0]);
        assertEquals("020405b4" + "1e040102" + "6302" + "fe06f9890a0b",
                TcpGolden.hex(again.buffer(), again.offset() + 20, 16));
        assertEquals(repr, TcpRepr.parse(again, LOOPBACK, LOOPBACK, true));
        assertEquals("1 > 2: Flags [S], seq 1, win 16, options [mss 1460,mptcp 0x0102,unknown-99,exp 0xf9890a0b], "
                + "length 0", repr.toString());
    }

    @Test
    void receivedOptionsTooWideForLinuxLayoutAreEmittedPacked() throws MalformedPacketException {
        // wscale 7, TS, three SACK blocks, EOL: 39 bytes a peer may send; 44 the Linux way.
        String options = "030307" + "080a0000000100000002" + "051a" + "0000000a00000014" + "0000001e00000028"
                + "000000320000003c" + "00";
        byte[] bytes = TcpGolden.hex("000100020000000100000002f010001000000000" + options);
        TcpHeader view = TcpGolden.view(bytes);
        view.fillChecksum(LOOPBACK, LOOPBACK);
        TcpRepr repr = TcpRepr.parse(view, LOOPBACK, LOOPBACK, true);
        assertEquals(3, repr.options().sackBlocks().size());
        assertEquals(60, repr.bufferLen());
        TcpHeader again = emit(repr, new byte[0]);
        assertEquals(repr, TcpRepr.parse(again, LOOPBACK, LOOPBACK, true));
    }

    @Test
    void constructorRejectsFieldsOutOfRange() {
        assertEquals("tcp: srcPort=65536 not in 0..65535", assertThrows(IllegalArgumentException.class,
                () -> new TcpRepr(65536, 1, 0, 0, 0, 0, 0, TcpOptions.NONE, 0)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new TcpRepr(1, -1, 0, 0, 0, 0, 0, TcpOptions.NONE, 0));
        assertThrows(IllegalArgumentException.class, () -> new TcpRepr(1, 1, 0, 0, 0, 70000, 0, TcpOptions.NONE, 0));
        assertThrows(IllegalArgumentException.class, () -> new TcpRepr(1, 1, 0, 0, 0, 0, -1, TcpOptions.NONE, 0));
        assertEquals("tcp: flags=256 not in 0..255", assertThrows(IllegalArgumentException.class,
                () -> new TcpRepr(1, 1, 0, 0, 256, 0, 0, TcpOptions.NONE, 0)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new TcpRepr(1, 1, 0, 0, 0, 0, 0, null, 0));
        assertEquals("tcp: payloadLen=-1 < 0", assertThrows(IllegalArgumentException.class,
                () -> new TcpRepr(1, 1, 0, 0, 0, 0, 0, TcpOptions.NONE, -1)).getMessage());
    }

    @Test
    void toStringPrintsPortsAndTheTcpdumpText() throws MalformedPacketException {
        assertEquals("44580 > 9501: " + TcpGolden.DATA.tcpdump(), parse(TcpGolden.DATA).toString());
        assertEquals("9502 > 57418: " + TcpGolden.SACK1.tcpdump(), parse(TcpGolden.SACK1).toString());
    }

    /**
     * Seeded random damage to the captured segments: checkLen and parse throw nothing but
     * MalformedPacketException, every accessor works once checkLen has passed, toString works on
     * anything, and whatever parses emits and parses back to the same repr.
     */
    @Test
    void randomlyMutatedSegmentsFailOnlyWithMalformedPacketException() {
        SplittableRandom rnd = new SplittableRandom(9293);
        TcpHeader view = new TcpHeader();
        int passed = 0;
        int parsed = 0;
        int iterations = 20_000;
        for (int it = 0; it < iterations; it++) {
            byte[] b = TcpGolden.ALL.get(rnd.nextInt(TcpGolden.ALL.size())).bytes();
            int length = mutate(rnd, b);
            String label = "iteration " + it + " len=" + length + " " + TcpGolden.hex(Unpooled.wrappedBuffer(b), 0, b.length);
            view.wrap(Unpooled.wrappedBuffer(b), 0, length);
            assertNotNull(view.toString(), label);
            boolean ok;
            try {
                view.checkLen();
                ok = true;
            } catch (MalformedPacketException e) {
                assertNotNull(e.reason(), label);
                ok = false;
            } catch (RuntimeException e) {
                throw new AssertionError("checkLen threw " + e + " at " + label, e);
            }
            if (ok) {
                passed++;
                try {
                    touchEveryAccessor(view);
                } catch (RuntimeException e) {
                    throw new AssertionError("accessor threw " + e + " at " + label, e);
                }
            }
            TcpRepr repr;
            try {
                repr = TcpRepr.parse(view, LOOPBACK, LOOPBACK, rnd.nextBoolean());
            } catch (MalformedPacketException e) {
                continue;
            } catch (RuntimeException e) {
                throw new AssertionError("parse threw " + e + " at " + label, e);
            }
            assertTrue(ok, label);
            parsed++;
            byte[] payload = new byte[view.payloadLen()];
            view.buffer().getBytes(view.payloadOffset(), payload);
            try {
                assertEquals(repr, TcpRepr.parse(emit(repr, payload), LOOPBACK, LOOPBACK, true), label);
            } catch (MalformedPacketException e) {
                fail("re-emitted segment did not parse: " + e.getMessage() + " at " + label);
            }
        }
        // Both paths must be exercised for the test to mean anything.
        assertTrue(passed > iterations / 10 && passed < iterations * 9 / 10, "passed=" + passed);
        assertTrue(parsed > iterations / 20, "parsed=" + parsed);
    }

    /** Damages {@code b} in place and returns the length to wrap it with. */
    private static int mutate(SplittableRandom rnd, byte[] b) {
        int length = b.length;
        switch (rnd.nextInt(5)) {
            case 0: // random bytes anywhere
                for (int n = 1 + rnd.nextInt(4); n > 0; n--) {
                    b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
                }
                break;
            case 1: // cut short
                length = rnd.nextInt(b.length + 1);
                break;
            case 2: // another data offset
                b[TcpHeader.DOFF_OFFSET] = (byte) (rnd.nextInt(16) << 4 | rnd.nextInt(16));
                break;
            case 3: { // plausible option kinds and lengths inside the option area
                int hlen = Math.min(b.length, (b[TcpHeader.DOFF_OFFSET] & 0xF0) >>> 2);
                for (int n = 1 + rnd.nextInt(3); n > 0 && hlen > 20; n--) {
                    int at = 20 + rnd.nextInt(hlen - 20);
                    int[] kinds = {0, 1, 2, 3, 4, 5, 8, 30, 99, 254};
                    b[at] = (byte) kinds[rnd.nextInt(kinds.length)];
                    if (at + 1 < b.length) {
                        b[at + 1] = (byte) rnd.nextInt(-1, 43);
                    }
                }
                break;
            }
            default: // several of the above
                b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
                b[TcpHeader.DOFF_OFFSET] = (byte) (rnd.nextInt(5, 16) << 4);
                length = rnd.nextInt(Math.min(20, b.length), b.length + 1);
                break;
        }
        return length;
    }

    private static void touchEveryAccessor(TcpHeader h) {
        h.srcPort();
        h.dstPort();
        h.seq();
        h.ack();
        h.dataOffset();
        h.headerLen();
        h.flags();
        boolean any = h.fin() | h.syn() | h.rst() | h.psh() | h.ackFlag() | h.urg() | h.ece() | h.cwr();
        assertEquals(any, h.flags() != 0);
        h.window();
        h.checksum();
        h.urgentPointer();
        assertTrue(h.payloadLen() >= 0);
        assertTrue(h.payloadOffset() + h.payloadLen() <= h.offset() + h.length());
        h.verifyChecksum(LOOPBACK, LOOPBACK);
        int options = 0;
        for (int p = h.firstOption(); p >= 0; p = h.nextOption(p)) {
            h.optionKindAt(p);
            assertTrue(p + h.optionLengthAt(p) <= h.offset() + h.headerLen());
            assertTrue(++options <= TcpHeader.MAX_OPTIONS_LEN);
        }
        assertTrue(h.mss() >= -1);
        assertTrue(h.windowScale() >= -1);
        h.sackPermitted();
        h.hasTimestamps();
        h.tsVal();
        h.tsEcr();
        for (int i = 0; i < h.sackBlockCount(); i++) {
            h.sackBlockStart(i);
            h.sackBlockEnd(i);
        }
        h.toString();
    }
}
