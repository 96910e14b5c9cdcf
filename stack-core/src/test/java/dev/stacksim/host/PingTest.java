package dev.stacksim.host;

import dev.stacksim.buf.SkBuffPool;
import dev.stacksim.dev.VethPair;
import dev.stacksim.sim.EventLoop;
import dev.stacksim.sim.SimTime;
import dev.stacksim.wire.Ipv4Address;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PingTest {
    @Test
    void requestsGoOutOneIntervalApartAndRttsAreExact() {
        try (Lab lab = new Lab(81)) {
            VethPair v = lab.veth("eth0", "eth0").delay(SimTime.micros(250));
            Host a = lab.host("a", v.first(), "10.0.0.1/24");
            lab.host("b", v.second(), "10.0.0.2/24");
            lab.loop.runUntilIdle();
            long t0 = lab.loop.now();
            PingResult r = a.ping(Ipv4Address.parse("10.0.0.2"), PingOptions.of(3).withInterval(Duration.ofMillis(200)));
            assertArrayEquals(new long[] {SimTime.micros(1000), SimTime.micros(500), SimTime.micros(500)}, r.rtts(),
                    "the first waits for ARP: two round trips");
            assertEquals(t0 + SimTime.millis(400) + SimTime.micros(500), lab.loop.now(), "done at the last reply");
            assertEquals(SimTime.millis(400), r.elapsedNanos());
            assertEquals(3, a.snmp().get("IcmpOutEchos"));
        }
    }

    @Test
    void lostRequestsEndAfterTheLinger() {
        try (Lab lab = new Lab(82)) {
            Host a = lab.add(Host.builder(lab.loop, lab.pool, "a").build());
            a.addRoute("10.0.0.0/8 dev lo");
            lab.loop.runUntilIdle();
            long t0 = lab.loop.now();
            PingResult r = a.ping(Ipv4Address.parse("10.9.9.9"), PingOptions.of(2).withLinger(Duration.ofSeconds(3)));
            assertEquals(2, r.lost());
            assertEquals(t0 + SimTime.seconds(1) + SimTime.seconds(3), lab.loop.now());
        }
    }

    @Test
    void twoPingsAtOnceUseDifferentIdentifiers() {
        try (Lab lab = new Lab(83)) {
            Host a = lab.add(Host.builder(lab.loop, lab.pool, "a").build());
            CompletableFuture<PingResult> p1 = a.pingAsync(Ipv4Address.LOOPBACK, PingOptions.of(2));
            CompletableFuture<PingResult> p2 = a.pingAsync(Ipv4Address.LOOPBACK, PingOptions.of(2));
            lab.loop.runUntil(() -> p1.isDone() && p2.isDone());
            assertEquals(2, p1.join().received());
            assertEquals(2, p2.join().received());
        }
    }

    @Test
    void worksOnARealTimeLoopThroughItsFuture() throws Exception {
        SkBuffPool pool = SkBuffPool.create();
        EventLoop loop = EventLoop.realTime(84);
        try {
            Host h = loop.submit(() -> Host.builder(loop, pool, "rt").build()).get(5, TimeUnit.SECONDS);
            PingResult r = h.ping(Ipv4Address.LOOPBACK, 1);
            assertEquals(1, r.received());
            assertTrue(r.reply(1).rttNanos() >= 0);
            loop.submit(() -> {
                h.close();
                return null;
            }).get(5, TimeUnit.SECONDS);
        } finally {
            loop.close();
            pool.close();
        }
    }
}
