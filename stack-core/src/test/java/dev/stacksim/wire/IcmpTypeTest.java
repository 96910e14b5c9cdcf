package dev.stacksim.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class IcmpTypeTest {
    @Test
    void namesFollowTcpdump() {
        assertEquals("echo request", IcmpType.name(IcmpType.ECHO));
        assertEquals("echo reply", IcmpType.name(IcmpType.ECHOREPLY));
        assertEquals("time stamp request", IcmpType.name(IcmpType.TIMESTAMP));
        assertEquals("type-#99", IcmpType.name(99));
    }

    @Test
    void onlyErrorTypesAreErrors() {
        for (int type : new int[] {IcmpType.DEST_UNREACH, IcmpType.SOURCE_QUENCH, IcmpType.REDIRECT,
            IcmpType.TIME_EXCEEDED, IcmpType.PARAMETERPROB}) {
            assertTrue(IcmpType.isError(type), "type " + type);
        }
        for (int type : new int[] {IcmpType.ECHO, IcmpType.ECHOREPLY, IcmpType.TIMESTAMP, 99}) {
            assertFalse(IcmpType.isError(type), "type " + type);
        }
    }

    @Test
    void valuesAreRfc792Numbers() {
        assertEquals(0, IcmpType.ECHOREPLY);
        assertEquals(3, IcmpType.DEST_UNREACH);
        assertEquals(8, IcmpType.ECHO);
        assertEquals(11, IcmpType.TIME_EXCEEDED);
    }
}
