package dev.stacksim.trace;

import dev.stacksim.buf.SkBuffPool;
import dev.stacksim.dev.VethPair;
import dev.stacksim.host.Host;
import dev.stacksim.sim.EventLoop;
import dev.stacksim.sim.SimTime;

import java.util.ArrayList;
import java.util.List;

/**
 * Two hosts on a veth pair (100 µs each way) sharing one tracer, as a network's hosts do:
 * {@code client} 10.0.0.1/24 (MAC 02:00:00:00:00:01) and {@code server} 10.0.0.2/24 (:02), with a
 * {@link TraceRecorder} attached. {@link #close()} closes both.
 */
public final class TracedPair implements AutoCloseable {
    public final EventLoop loop;
    public final SkBuffPool pool;
    public final Tracer tracer = new Tracer();
    public final TraceRecorder rec = new TraceRecorder();
    public final Host client;
    public final Host server;

    public TracedPair(long seed) {
        loop = EventLoop.virtual(seed);
        pool = SkBuffPool.create();
        VethPair v = VethPair.create("eth0", 0x0200_0000_0001L, "eth0", 0x0200_0000_0002L).delay(SimTime.micros(100));
        client = Host.builder(loop, pool, "client").tracer(tracer).device(v.first()).address("eth0", "10.0.0.1/24").build();
        server = Host.builder(loop, pool, "server").tracer(tracer).device(v.second()).address("eth0", "10.0.0.2/24").build();
        loop.runUntilIdle();
        tracer.addListener(rec);
    }

    /** Every event so far as {@code host describe()}, in order. */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        for (TraceEvent e : rec.events()) {
            out.add(e.host() + " " + e.describe());
        }
        return out;
    }

    @Override
    public void close() {
        client.close();
        server.close();
        loop.close();
        pool.close();
    }
}
