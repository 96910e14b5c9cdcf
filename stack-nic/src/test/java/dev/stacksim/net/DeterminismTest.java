package dev.stacksim.net;

import dev.stacksim.buf.SkBuff;
import dev.stacksim.buf.SkBuffPool;
import dev.stacksim.sim.EventLoop;
import dev.stacksim.wire.MacAddress;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same seed gives the same run to the byte: three hosts on a switch over links with every
 * impairment on, traffic both ways, captured on a link and at a receiver. Twice with one seed the
 * arrival logs and both pcap files are identical; another seed gives another run.
 */
class DeterminismTest {
    private static final long H0 = MacAddress.parse("02:00:00:00:00:10").toLong();
    private static final long H1 = MacAddress.parse("02:00:00:00:00:11").toLong();
    private static final long BROADCAST = MacAddress.BROADCAST.toLong();

    /** What one run produced. */
    private record Run(String arrivals, byte[] linkPcap, byte[] rxPcap, String stats) {
    }

    /** A host that logs what arrives and answers every unicast frame from H0 with an echo. */
    private static final class EchoHost implements FramePort {
        private final EventLoop loop;
        private final SkBuffPool pool;
        private final String name;
        private final StringBuilder log;
        Medium medium;

        EchoHost(EventLoop loop, SkBuffPool pool, String name, StringBuilder log) {
            this.loop = loop;
            this.pool = pool;
            this.name = name;
            this.log = log;
        }

        @Override
        public void frameArrived(SkBuff frame) {
            byte[] bytes = frame.toByteArray();
            log.append(loop.now()).append(' ').append(name).append(' ').append(TestFrames.seqOf(bytes)).append(' ')
                    .append(Arrays.hashCode(bytes)).append('\n');
            frame.consume();
            if (name.equals("h1") && (bytes[0] & 1) == 0) {
                medium.transmit(TestFrames.numbered(pool, H0, H1, 200, TestFrames.seqOf(bytes) | 0x4000_0000));
            }
        }
    }

    private static Run run(long seed) {
        EventLoop loop = EventLoop.virtual(seed);
        SkBuffPool pool = SkBuffPool.create();
        StringBuilder log = new StringBuilder();
        ByteArrayOutputStream linkOut = new ByteArrayOutputStream();
        ByteArrayOutputStream rxOut = new ByteArrayOutputStream();
        Impairments everything = Impairments.builder().lossRate(0.02).duplicateRate(0.02).corruptRate(0.02)
                .reorder(0.1, 3).jitter(Duration.ofNanos(50_000)).build();
        Switch sw = Switch.builder(loop).name("sw0").ports(3).build();
        EchoHost[] hosts = new EchoHost[3];
        Link[] links = new Link[3];
        try (PcapWriter linkPcap = PcapWriter.open(linkOut); PcapWriter rxPcap = PcapWriter.open(rxOut)) {
            for (int i = 0; i < 3; i++) {
                hosts[i] = new EchoHost(loop, pool, "h" + i, log);
                FramePort port = i == 1 ? Tap.wrap(hosts[i], loop, rxPcap) : hosts[i];
                links[i] = Link.builder(loop).name("h" + i + "-sw0").bandwidth(100_000_000L)
                        .latency(Duration.ofNanos(200_000)).queueLimit(50).impairments(everything)
                        .build(port, sw.port(i));
                hosts[i].medium = links[i].endA();
                sw.connect(i, links[i].endB());
            }
            links[0].capture(linkPcap);
            for (int k = 0; k < 2000; k++) {
                long dst = k % 10 == 0 ? BROADCAST : H1;
                hosts[0].medium.transmit(TestFrames.numbered(pool, dst, H0, 100 + k % 1400, k));
                if (k % 20 == 19) {
                    loop.runFor(1_000_000);
                }
            }
            loop.runUntilIdle();
        }
        StringBuilder stats = new StringBuilder();
        for (Link l : links) {
            stats.append(l.endA().stats()).append('\n').append(l.endB().stats()).append('\n');
        }
        stats.append(sw.fdb());
        return new Run(log.toString(), linkOut.toByteArray(), rxOut.toByteArray(), stats.toString());
    }

    @Test
    void sameSeedGivesIdenticalArrivalsAndPcapBytes() {
        Run first = run(42);
        Run second = run(42);

        assertEquals(first.arrivals(), second.arrivals());
        assertArrayEquals(first.linkPcap(), second.linkPcap());
        assertArrayEquals(first.rxPcap(), second.rxPcap());
        assertEquals(first.stats(), second.stats());
        assertTrue(first.stats().contains("duplicated: "), first.stats());
        assertTrue(first.arrivals().lines().count() > 2000, "traffic flowed: " + first.arrivals().lines().count());
    }

    @Test
    void anotherSeedGivesAnotherRun() {
        Run first = run(42);
        Run other = run(43);

        assertFalse(first.arrivals().equals(other.arrivals()));
        assertFalse(Arrays.equals(first.rxPcap(), other.rxPcap()));
    }
}
