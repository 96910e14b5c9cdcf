package dev.stacksim.net;

import dev.stacksim.buf.SkBuff;
import dev.stacksim.sim.EventLoop;

import java.util.ArrayList;
import java.util.List;

/**
 * A test port: records each frame that arrives (virtual time and a copy of its bytes) and releases
 * the skb, and records when its transmitter became ready.
 */
final class RecordingPort implements FramePort {
    /** One arrival. */
    record Arrival(long time, byte[] bytes) {
        /** The sequence number {@link TestFrames#numbered} wrote at offset 14. */
        int seq() {
            return TestFrames.seqOf(bytes);
        }
    }

    private final EventLoop loop;
    private final String name;
    final List<Arrival> arrivals = new ArrayList<>();
    final List<Long> readyTimes = new ArrayList<>();
    /** When set, called for each arrival (before the skb is released). */
    Runnable onReady;

    RecordingPort(EventLoop loop, String name) {
        this.loop = loop;
        this.name = name;
    }

    @Override
    public void frameArrived(SkBuff frame) {
        arrivals.add(new Arrival(loop.now(), frame.toByteArray()));
        frame.consume();
    }

    @Override
    public void transmitReady() {
        readyTimes.add(loop.now());
        if (onReady != null) {
            onReady.run();
        }
    }

    List<Long> times() {
        List<Long> out = new ArrayList<>(arrivals.size());
        for (Arrival a : arrivals) {
            out.add(a.time());
        }
        return out;
    }

    List<Integer> seqs() {
        List<Integer> out = new ArrayList<>(arrivals.size());
        for (Arrival a : arrivals) {
            out.add(a.seq());
        }
        return out;
    }

    @Override
    public String toString() {
        return "RecordingPort[" + name + "]";
    }
}
