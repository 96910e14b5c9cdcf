package dev.stacksim.dev;

import dev.stacksim.buf.SkBuff;
import dev.stacksim.buf.SkBuffPool;
import dev.stacksim.sim.EventLoop;

import java.util.ArrayList;
import java.util.List;

/**
 * A wire to a host under test: a veth pair whose far end belongs to the test, which injects raw
 * frames into the host and reads back what the host transmitted.
 */
public final class Wire implements AutoCloseable {
    private final SkBuffPool pool;
    private final VethPair pair;
    private final RecordingContext far;

    /** A wire whose host end is {@code name} with {@code hostMac}; the test's end has {@code farMac}. */
    public Wire(EventLoop loop, SkBuffPool pool, String name, long hostMac, long farMac) {
        this.pool = pool;
        this.pair = VethPair.create(name, hostMac, "wire", farMac);
        this.far = new RecordingContext(loop, pool);
        pair.second().open(far, 99);
    }

    /** The device to register with the host. */
    public VethDevice hostEnd() {
        return pair.first();
    }

    /** Sends {@code frame} (Ethernet header first) to the host; it arrives on the loop's next event. */
    public void inject(byte[] frame) {
        SkBuff skb = pool.alloc(64, frame.length).putBytes(frame);
        pair.second().startXmit(skb);
    }

    /** The frames the host transmitted since the last call (time received at the far end, bytes), and forgets them. */
    public List<FrameTap.Frame> sent() {
        List<FrameTap.Frame> out = new ArrayList<>();
        List<byte[]> bytes = far.releaseAll();
        for (int i = 0; i < bytes.size(); i++) {
            out.add(new FrameTap.Frame(far.receivedAt.get(i), true, bytes.get(i)));
        }
        far.receivedAt.clear();
        return out;
    }

    /** The bytes of the frames the host transmitted since the last call, and forgets them. */
    public List<byte[]> sentBytes() {
        List<byte[]> out = new ArrayList<>();
        for (FrameTap.Frame f : sent()) {
            out.add(f.bytes());
        }
        return out;
    }

    @Override
    public void close() {
        far.releaseAll();
        far.receivedAt.clear();
        pair.second().stop();
    }
}
