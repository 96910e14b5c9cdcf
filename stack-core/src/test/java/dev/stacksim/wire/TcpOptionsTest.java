package dev.stacksim.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.stacksim.wire.TcpOptions.SackBlock;
import dev.stacksim.wire.TcpOptions.UnknownOption;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class TcpOptionsTest {

    private static String emitted(TcpOptions o) {
        ByteBuf buf = Unpooled.wrappedBuffer(new byte[3 + o.length() + 3]);
        assertEquals(o.length(), o.emit(buf, 3));
        assertEquals(0, buf.getByte(2));
        assertEquals(0, buf.getByte(3 + o.length()));
        return TcpGolden.hex(buf, 3, o.length());
    }

    @Test
    void synOptionsFollowLinuxLayout() {
        TcpOptions syn = TcpOptions.NONE.withMss(1460).withSackPermitted(true).withTimestamps(100, 200)
                .withWindowScale(7);
        assertEquals(20, syn.length());
        assertEquals("020405b4" + "0402080a" + "00000064" + "000000c8" + "01030307", emitted(syn));
        assertEquals("mss 1460,sackOK,TS val 100 ecr 200,nop,wscale 7", syn.toString());
    }

    @Test
    void timestampsAloneArePrecededByTwoNops() {
        TcpOptions ts = TcpOptions.NONE.withTimestamps((int) 2194802399L, (int) 1859483852L);
        assertEquals(12, ts.length());
        assertEquals("0101080a82d206df6ed578cc", emitted(ts));
        assertEquals("nop,nop,TS val 2194802399 ecr 1859483852", ts.toString());
    }

    @Test
    void sackPermittedWithoutTimestampsGetsItsOwnWord() {
        TcpOptions o = TcpOptions.NONE.withMss(1460).withSackPermitted(true).withWindowScale(7);
        assertEquals("020405b4" + "01010402" + "01030307", emitted(o));
        assertEquals("mss 1460,nop,nop,sackOK,nop,wscale 7", o.toString());
    }

    @Test
    void sackBlocksFollowTimestampsAfterTwoNops() {
        TcpOptions o = TcpOptions.NONE.withTimestamps(1, 2)
                .withSackBlocks(List.of(new SackBlock(300, 305), new SackBlock(100, 105)));
        assertEquals(32, o.length());
        assertEquals("0101080a0000000100000002" + "01010512" + "0000012c00000131" + "0000006400000069", emitted(o));
        assertEquals("nop,nop,TS val 1 ecr 2,nop,nop,sack 2 {300:305}{100:105}", o.toString());
    }

    @Test
    void threeSackBlocksFitBesideTimestampsFourDoNot() {
        List<SackBlock> blocks = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            blocks.add(new SackBlock(i * 10, i * 10 + 5));
        }
        assertEquals(40, TcpOptions.NONE.withTimestamps(1, 2).withSackBlocks(blocks).length());
        blocks.add(new SackBlock(30, 35));
        assertEquals(36, TcpOptions.NONE.withSackBlocks(blocks).length());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TcpOptions.NONE.withSackBlocks(blocks).withTimestamps(1, 2));
        assertEquals("tcp options: len=44 max=40 (mss=0 wscale=0 sackOK=0 ts=10 sack=34 unknown=0, padded to 4)",
                e.getMessage());
    }

    @Test
    void unknownOptionsFollowTheKnownOnesPaddedWithNops() {
        TcpOptions o = TcpOptions.NONE.withTimestamps(1, 2).withUnknown(List.of(
                new UnknownOption(99, new byte[] {1, 2}), new UnknownOption(254, new byte[] {(byte) 0xf9})));
        assertEquals(12 + 8, o.length());
        assertEquals("0101080a0000000100000002" + "63040102" + "fe03f901", emitted(o));
        assertEquals("nop,nop,TS val 1 ecr 2,unknown-99 0x0102,exp 0xf9,nop", o.toString());
    }

    @Test
    void optionsThatDoNotFitLinuxLayoutAreEmittedPacked() {
        // Linux never sends Window Scale beside SACK blocks, but a peer may: 4 + 12 + 28 = 44
        // bytes the Linux way, 10 + 3 + 26 = 39 packed.
        TcpOptions o = TcpOptions.NONE.withWindowScale(7).withTimestamps(1, 2).withSackBlocks(List.of(
                new SackBlock(10, 20), new SackBlock(30, 40), new SackBlock(50, 60)));
        assertEquals(40, o.length());
        assertEquals("080a0000000100000002" + "030307" + "051a" + "0000000a00000014" + "0000001e00000028"
                + "000000320000003c" + "01", emitted(o));
    }

    @Test
    void noOptionsTakeNoBytes() {
        assertEquals(0, TcpOptions.NONE.length());
        assertEquals("", emitted(TcpOptions.NONE));
        assertEquals("", TcpOptions.NONE.toString());
        assertEquals(TcpOptions.NONE, TcpOptions.NONE.withMss(536).withMss(-1));
        assertEquals(TcpOptions.NONE, TcpOptions.NONE.withTimestamps(5, 6).withoutTimestamps());
    }

    @Test
    void valuesOutOfRangeAreRejectedWithTheNumbers() {
        assertEquals("tcp options: mss=65536 not in -1..65535",
                assertThrows(IllegalArgumentException.class, () -> TcpOptions.NONE.withMss(65536)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> TcpOptions.NONE.withMss(-2));
        assertEquals("tcp options: wscale=256 not in -1..255",
                assertThrows(IllegalArgumentException.class, () -> TcpOptions.NONE.withWindowScale(256)).getMessage());
        assertEquals("tcp options: timestamps=false tsVal=4294967295 tsEcr=0 (both must be 0)",
                assertThrows(IllegalArgumentException.class,
                        () -> new TcpOptions(-1, -1, false, false, -1, 0, List.of(), List.of())).getMessage());
        List<SackBlock> five = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            five.add(new SackBlock(i, i + 1));
        }
        assertEquals("tcp options: sack blocks=5 max=4",
                assertThrows(IllegalArgumentException.class, () -> TcpOptions.NONE.withSackBlocks(five)).getMessage());
    }

    @Test
    void unknownOptionRejectsKnownKindsAndOversizedData() {
        assertEquals("tcp options: kind=2 (mss) is not unknown; use its TcpOptions field",
                assertThrows(IllegalArgumentException.class, () -> new UnknownOption(2, new byte[2])).getMessage());
        for (int kind : new int[] {0, 1, 3, 4, 5, 8}) {
            assertThrows(IllegalArgumentException.class, () -> new UnknownOption(kind, new byte[0]));
        }
        assertThrows(IllegalArgumentException.class, () -> new UnknownOption(256, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> new UnknownOption(-1, new byte[0]));
        assertEquals("tcp options: kind=99 data=39 max=38",
                assertThrows(IllegalArgumentException.class, () -> new UnknownOption(99, new byte[39])).getMessage());
        assertEquals(40, new UnknownOption(99, new byte[38]).length());
    }

    @Test
    void unknownOptionCopiesItsBytesAndComparesByValue() {
        byte[] data = {1, 2, 3};
        UnknownOption o = new UnknownOption(30, data);
        data[0] = 9;
        assertArrayEquals(new byte[] {1, 2, 3}, o.data());
        o.data()[1] = 9;
        assertArrayEquals(new byte[] {1, 2, 3}, o.data());
        assertEquals(new UnknownOption(30, new byte[] {1, 2, 3}), o);
        assertEquals(new UnknownOption(30, new byte[] {1, 2, 3}).hashCode(), o.hashCode());
        assertNotEquals(new UnknownOption(31, new byte[] {1, 2, 3}), o);
        assertEquals("mptcp 0x010203", o.toString());
        assertEquals("unknown-99", new UnknownOption(99, new byte[0]).toString());
    }

    @Test
    void optionListsAreImmutableCopies() {
        List<SackBlock> blocks = new ArrayList<>(List.of(new SackBlock(1, 2)));
        TcpOptions o = TcpOptions.NONE.withSackBlocks(blocks);
        blocks.add(new SackBlock(3, 4));
        assertEquals(1, o.sackBlocks().size());
        assertThrows(UnsupportedOperationException.class, () -> o.sackBlocks().add(new SackBlock(5, 6)));
        assertEquals("{4294967295:0}", new SackBlock(-1, 0).toString());
    }
}
