package dev.stacksim.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class IcmpCodeTest {
    @Test
    void unreachableFormatsFollowTcpdump() {
        assertEquals("host 10.0.0.2 unreachable",
                String.format(IcmpCode.unreachableFormat(IcmpCode.HOST_UNREACH), "10.0.0.2"));
        assertEquals("host 10.0.0.2 unreachable - admin prohibited filter",
                String.format(IcmpCode.unreachableFormat(IcmpCode.PKT_FILTERED), "10.0.0.2"));
        assertEquals("10.0.0.2 unreachable - source route failed",
                String.format(IcmpCode.unreachableFormat(IcmpCode.SR_FAILED), "10.0.0.2"));
        assertEquals("#16 10.0.0.2 unreachable", String.format(IcmpCode.unreachableFormat(16), "10.0.0.2"));
    }

    @Test
    void timeExceededNamesFollowTcpdump() {
        assertEquals("time exceeded in-transit", IcmpCode.timeExceededName(IcmpCode.EXC_TTL));
        assertEquals("ip reassembly time exceeded", IcmpCode.timeExceededName(IcmpCode.EXC_FRAGTIME));
        assertEquals("time exceeded-#5", IcmpCode.timeExceededName(5));
    }

    @Test
    void unreachableCodesRunFromZeroToFifteen() {
        assertEquals(3, IcmpCode.PORT_UNREACH);
        assertEquals(4, IcmpCode.FRAG_NEEDED);
        assertEquals(13, IcmpCode.PKT_FILTERED);
        assertEquals(15, IcmpCode.MAX_UNREACH);
    }
}
