package dev.stacksim.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.stacksim.sim.SimRandom;
import dev.stacksim.sim.SimTime;
import dev.stacksim.wire.Ipv4Address;
import org.junit.jupiter.api.Test;

class IsnGeneratorTest {
    private static final int CLIENT = Ipv4Address.parse("10.0.0.1").toInt();
    private static final int SERVER = Ipv4Address.parse("10.0.0.2").toInt();
    private static final int LOOPBACK = Ipv4Address.parse("127.0.0.1").toInt();

    private final IsnGenerator isn = new IsnGenerator(new SimRandom(7).fork("host:client").fork("net_secret"));

    @Test
    void sameSeedGivesSameIsns() {
        IsnGenerator again = new IsnGenerator(new SimRandom(7).fork("host:client").fork("net_secret"));
        IsnGenerator other = new IsnGenerator(new SimRandom(8).fork("host:client").fork("net_secret"));
        int a = isn.secureSeq(CLIENT, SERVER, 40000, 80, SimTime.millis(5));
        assertEquals(a, again.secureSeq(CLIENT, SERVER, 40000, 80, SimTime.millis(5)));
        assertNotEquals(a, other.secureSeq(CLIENT, SERVER, 40000, 80, SimTime.millis(5)));
    }

    @Test
    void hashIsSiphashOfTheTupleAsItLiesInKernelMemory() {
        // siphash_3u32(saddr, daddr, sport << 16 | dport) with __be values on a little-endian CPU:
        // the bytes are saddr and daddr in network order, then dport and sport in network order.
        byte[] memory = {10, 0, 0, 1, 10, 0, 0, 2, 0, 80, (byte) 0x9c, 0x40};
        assertEquals(SipHash.hash(isn.secret(), memory), isn.hash(CLIENT, SERVER, 40000, 80));
    }

    @Test
    void isnIsTheLowHalfOfTheHashPlusA64NanosecondClock() {
        long hash = isn.hash(CLIENT, SERVER, 40000, 80);
        assertEquals((int) hash, isn.secureSeq(CLIENT, SERVER, 40000, 80, 0));
        assertEquals((int) hash + 1, isn.secureSeq(CLIENT, SERVER, 40000, 80, 64));
        assertEquals((int) hash, isn.secureSeq(CLIENT, SERVER, 40000, 80, 63));
        int t0 = isn.secureSeq(CLIENT, SERVER, 40000, 80, SimTime.seconds(10));
        int t1 = isn.secureSeq(CLIENT, SERVER, 40000, 80, SimTime.seconds(11));
        assertEquals(15_625_000, t1 - t0, "one second is 1e9 / 64 ticks");
    }

    @Test
    void clockWrapsTheSequenceSpaceEvery275Seconds() {
        long wrap = 1L << 38; // 2^32 ticks of 64 ns = 274.877906944 s
        assertEquals(274_877_906_944L, wrap);
        assertEquals(isn.secureSeq(CLIENT, SERVER, 1, 2, 0), isn.secureSeq(CLIENT, SERVER, 1, 2, wrap));
        assertEquals(0, IsnGenerator.seqScale(wrap));
    }

    @Test
    void everyPartOfTheTupleChangesTheIsn() {
        int base = isn.secureSeq(CLIENT, SERVER, 40000, 80, 0);
        assertNotEquals(base, isn.secureSeq(SERVER, SERVER, 40000, 80, 0));
        assertNotEquals(base, isn.secureSeq(CLIENT, CLIENT, 40000, 80, 0));
        assertNotEquals(base, isn.secureSeq(CLIENT, SERVER, 40001, 80, 0));
        assertNotEquals(base, isn.secureSeq(CLIENT, SERVER, 40000, 81, 0));
    }

    @Test
    void tsOffIsTheHighHalfAndOnlyWithTcpTimestampsOne() {
        long hash = isn.hash(CLIENT, SERVER, 40000, 80);
        assertEquals((int) (hash >>> 32), isn.tsOff(CLIENT, SERVER, 40000, 80, 1));
        assertEquals(0, isn.tsOff(CLIENT, SERVER, 40000, 80, 0));
        assertEquals(0, isn.tsOff(CLIENT, SERVER, 40000, 80, 2));
    }

    @Test
    void theTwoEndsOfALoopbackConnectionHaveDifferentTimestampOffsets() {
        // Observed on Linux 6.18: client 127.0.0.1:48202 -> 127.0.0.1:39695 sent TSval 1719340226
        // while the server answered with TSval 3701752788 in the same millisecond: ports are hashed.
        int client = isn.tsOff(LOOPBACK, LOOPBACK, 48202, 39695, 1);
        int server = isn.tsOff(LOOPBACK, LOOPBACK, 39695, 48202, 1);
        assertNotEquals(client, server);
    }
}
