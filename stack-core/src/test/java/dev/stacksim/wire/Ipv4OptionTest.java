package dev.stacksim.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class Ipv4OptionTest {
    private static String print(int... bytes) {
        byte[] options = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            options[i] = (byte) bytes[i];
        }
        StringBuilder sb = new StringBuilder();
        Ipv4Option.print(sb, Unpooled.wrappedBuffer(options), 0, options.length);
        return sb.toString();
    }

    @Test
    void namesFollowTcpdump() {
        assertEquals("EOL", Ipv4Option.name(Ipv4Option.EOL));
        assertEquals("NOP", Ipv4Option.name(Ipv4Option.NOP));
        assertEquals("RR", Ipv4Option.name(Ipv4Option.RR));
        assertEquals("timestamp", Ipv4Option.name(Ipv4Option.TS));
        assertEquals("unknown 25", Ipv4Option.name(25));
    }

    @Test
    void kindByteCarriesTheCopiedFlag() {
        assertFalse(Ipv4Option.isCopied(Ipv4Option.RR));
        assertFalse(Ipv4Option.isCopied(Ipv4Option.TS));
        assertTrue(Ipv4Option.isCopied(Ipv4Option.LSRR));
        assertTrue(Ipv4Option.isCopied(Ipv4Option.SSRR));
        assertTrue(Ipv4Option.isCopied(Ipv4Option.RA));
        assertTrue(Ipv4Option.isSingleByte(Ipv4Option.EOL));
        assertTrue(Ipv4Option.isSingleByte(Ipv4Option.NOP));
        assertFalse(Ipv4Option.isSingleByte(Ipv4Option.RR));
    }

    @Test
    void printShowsSourceRouteSlotsAndRouterAlertValue() {
        // LSRR with two slots, the first already used (pointer 8).
        assertEquals("NOP,LSRR 10.0.0.1, 10.0.0.2", print(1, 131, 11, 8, 10, 0, 0, 1, 10, 0, 0, 2));
        assertEquals("RA", print(148, 4, 0, 0));
        assertEquals("RA value 1,EOL", print(148, 4, 0, 1, 0, 7, 7, 7));
    }

    @Test
    void printFlagsBadLengthsAndPointers() {
        assertEquals("RR [bad ptr 2]", print(7, 7, 2, 0, 0, 0, 0));
        assertEquals("RR [bad length 9]", print(7, 9, 4, 0, 0, 0, 0));
        assertEquals("RA [bad length 3],EOL", print(148, 3, 0, 0));
        assertEquals("NOP,RR [|ip]", print(1, 7));
    }
}
