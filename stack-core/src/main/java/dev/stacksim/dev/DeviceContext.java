package dev.stacksim.dev;

import dev.stacksim.buf.SkBuff;
import dev.stacksim.buf.SkBuffPool;
import dev.stacksim.sim.EventLoop;
import dev.stacksim.trace.HostTrace;

/**
 * What a host gives each device it registers: the event loop the device must run on, the pool to
 * allocate receive buffers from, and the two calls a driver makes into the stack.
 */
public interface DeviceContext {
    /** The loop that runs the host's kernel; every device callback runs on it. */
    EventLoop loop();

    /** The pool receive buffers come from (a driver posts these to its RX ring). */
    SkBuffPool pool();

    /**
     * Hands a received frame to the stack ({@code netif_receive_skb}): the skb's data starts at the
     * Ethernet header and {@link SkBuff#ifindex()} is set by the host. Ownership passes to the stack,
     * which consumes or frees it. Must be called on the loop (from a NAPI poll).
     */
    void receive(NetDevice dev, SkBuff skb);

    /**
     * The device has room again after answering {@link TxResult#BUSY} ({@code netif_wake_queue}):
     * the host resumes transmitting from the device's queue discipline.
     */
    void wakeQueue(NetDevice dev);

    /**
     * The host's event trace: where a driver reports its ring moves, and the drop listener it sets
     * on frames it takes in ({@link SkBuff#setDropListener}), so that a frame it drops is the
     * host's. {@link HostTrace#NONE} (nobody listens) unless the context traces.
     */
    default HostTrace trace() {
        return HostTrace.NONE;
    }
}
