package dev.stacksim.tcp;

import dev.stacksim.dev.VethPair;
import dev.stacksim.host.Host;
import dev.stacksim.host.Lab;
import dev.stacksim.sim.SimTime;
import dev.stacksim.socket.SockAddr;
import dev.stacksim.trace.TraceEvent;
import dev.stacksim.trace.TraceRecorder;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Two hosts on a veth pair (100 µs each way): {@code a} 10.0.0.1/24 (the client) and {@code b}
 * 10.0.0.2/24 (the server), on one virtual-time loop, with a trace recorder attached to both.
 */
final class TcpLab implements AutoCloseable {
    final Lab lab;
    final Host a;
    final Host b;
    final TraceRecorder trace = new TraceRecorder();

    TcpLab(long seed) {
        lab = new Lab(seed);
        VethPair v = lab.veth("eth0", "eth0").delay(SimTime.micros(100));
        a = lab.host("a", v.first(), "10.0.0.1/24");
        b = lab.host("b", v.second(), "10.0.0.2/24");
        a.tracer().addListener(trace);
        b.tracer().addListener(trace);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static String str(byte[] b, int n) {
        return new String(b, 0, n, StandardCharsets.US_ASCII);
    }

    static SockAddr.Inet addr(String ip, int port) {
        return SockAddr.of(ip, port);
    }

    /** Runs the loop for {@code nanos} of virtual time. */
    void run(long nanos) {
        lab.loop.runFor(nanos);
    }

    /** The TCP packets both hosts sent, as {@code host: flags...} lines, in order. */
    List<String> sent() {
        return trace.events(TraceEvent.Packet.class).stream().filter(TraceEvent.Packet::sent)
                .map(p -> p.host() + " " + p.saddr() + " > " + p.daddr() + ": " + p.summary())
                .collect(Collectors.toList());
    }

    /** The state changes, as {@code host socket FROM -> TO}. */
    List<String> states() {
        return trace.events(TraceEvent.StateChange.class).stream()
                .map(s -> s.host() + " " + s.socket() + " " + s.from() + " -> " + s.to())
                .collect(Collectors.toList());
    }

    @Override
    public void close() {
        lab.close();
    }
}
