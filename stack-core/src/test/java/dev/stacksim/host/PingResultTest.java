package dev.stacksim.host;

import dev.stacksim.host.PingResult.Outcome;
import dev.stacksim.host.PingResult.Reply;
import dev.stacksim.sim.SimTime;
import dev.stacksim.wire.Ipv4Address;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class PingResultTest {
    private static final Ipv4Address DST = Ipv4Address.parse("10.0.0.2");

    private static Reply ok(int seq, long rtt) {
        return new Reply(seq, Outcome.REPLY, rtt, 64, DST, -1, -1, 0);
    }

    @Test
    void printsLikePing8() {
        PingResult r = new PingResult(DST, 56, List.of(ok(1, SimTime.millis(2)), ok(2, SimTime.millis(4)),
                new Reply(3, Outcome.LOST, -1, -1, null, -1, -1, 0)), SimTime.seconds(2));
        assertEquals("PING 10.0.0.2 (10.0.0.2) 56(84) bytes of data.\n"
                + "64 bytes from 10.0.0.2: icmp_seq=1 ttl=64 time=2.000 ms\n"
                + "64 bytes from 10.0.0.2: icmp_seq=2 ttl=64 time=4.000 ms\n"
                + "\n--- 10.0.0.2 ping statistics ---\n"
                + "3 packets transmitted, 2 received, 33% packet loss, time 2000ms\n"
                + "rtt min/avg/max/mdev = 2.000/3.000/4.000/1.000 ms\n", r.toString());
        assertEquals(2, r.received());
        assertEquals(1, r.lost());
        assertEquals(0, r.errors());
        assertArrayEquals(new long[] {SimTime.millis(2), SimTime.millis(4), -1}, r.rtts());
    }

    @Test
    void errorsArePrintedAndCountedApart() {
        Ipv4Address router = Ipv4Address.parse("10.0.1.254");
        PingResult r = new PingResult(DST, 56, List.of(new Reply(1, Outcome.ERROR, -1, -1, router, 11, 0, 0)), 0);
        assertEquals("PING 10.0.0.2 (10.0.0.2) 56(84) bytes of data.\n"
                + "From 10.0.1.254 icmp_seq=1 Time to live exceeded\n"
                + "\n--- 10.0.0.2 ping statistics ---\n"
                + "1 packets transmitted, 0 received, +1 errors, 100% packet loss, time 0ms\n", r.toString());
        assertEquals(1, r.errors());
        assertEquals(100, r.packetLossPercent());
    }

    @Test
    void icmpErrorsAreWordedAsIputilsWordsThem() {
        assertEquals("Destination Net Unreachable", PingResult.describe(3, 0, 0));
        assertEquals("Destination Host Unreachable", PingResult.describe(3, 1, 0));
        assertEquals("Destination Protocol Unreachable", PingResult.describe(3, 2, 0));
        assertEquals("Destination Port Unreachable", PingResult.describe(3, 3, 0));
        assertEquals("Frag needed and DF set (mtu = 1400)", PingResult.describe(3, 4, 1400));
        assertEquals("Time to live exceeded", PingResult.describe(11, 0, 0));
        assertEquals("Frag reassembly time exceeded", PingResult.describe(11, 1, 0));
    }
}
