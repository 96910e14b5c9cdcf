package dev.stacksim.dev;

import dev.stacksim.buf.SkBuff;
import dev.stacksim.buf.SkBuffPool;
import dev.stacksim.sim.EventLoop;

import java.util.ArrayList;
import java.util.List;

/** A DeviceContext for device tests: keeps what the device hands up (release with {@link #releaseAll()}). */
public class RecordingContext implements DeviceContext {
    private final EventLoop loop;
    private final SkBuffPool pool;
    public final List<SkBuff> received = new ArrayList<>();
    public final List<Long> receivedAt = new ArrayList<>();
    public int wakes;

    public RecordingContext(EventLoop loop, SkBuffPool pool) {
        this.loop = loop;
        this.pool = pool;
    }

    @Override
    public EventLoop loop() {
        return loop;
    }

    @Override
    public SkBuffPool pool() {
        return pool;
    }

    @Override
    public void receive(NetDevice dev, SkBuff skb) {
        received.add(skb);
        receivedAt.add(loop.now());
    }

    @Override
    public void wakeQueue(NetDevice dev) {
        wakes++;
    }

    /** The bytes of every received frame, and releases them. */
    public List<byte[]> releaseAll() {
        List<byte[]> out = new ArrayList<>();
        for (SkBuff s : received) {
            out.add(s.toByteArray());
            s.consume();
        }
        received.clear();
        return out;
    }
}
