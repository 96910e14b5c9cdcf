package dev.stacksim.nic;

import dev.stacksim.buf.SkBuff;
import dev.stacksim.buf.SkBuffPool;
import dev.stacksim.dev.DeviceContext;
import dev.stacksim.dev.NetDevice;
import dev.stacksim.sim.EventLoop;

import java.util.ArrayList;
import java.util.List;

/**
 * A host as far as a NIC can tell: a loop, a pool, and a stack that records what it receives (its
 * bytes, when, in which loop event) and consumes it at once. An optional hook sees each frame first
 * (a responder that echoes it back, say).
 */
final class TestDeviceContext implements DeviceContext {
    /** One frame the "stack" received. */
    record Received(byte[] bytes, long time, long event, int ifindex, long tstamp, int headroom) {
    }

    /** Called with each received skb before it is recorded and consumed; must not release it. */
    interface Hook {
        void received(NetDevice dev, SkBuff skb);
    }

    private final EventLoop loop;
    private final SkBuffPool pool;
    final List<Received> received = new ArrayList<>();
    int wakeups;
    Hook hook;

    TestDeviceContext(EventLoop loop, SkBuffPool pool) {
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
        if (hook != null) {
            hook.received(dev, skb);
        }
        received.add(new Received(skb.toByteArray(), loop.now(), loop.eventCount(), skb.ifindex(), skb.tstamp(),
                skb.headroom()));
        skb.consume();
    }

    @Override
    public void wakeQueue(NetDevice dev) {
        wakeups++;
    }
}
