package dev.stacksim.socket;

import dev.stacksim.buf.SkBuffPool;
import dev.stacksim.sim.EventLoop;

/**
 * A socket layer on a virtual-time loop for tests; {@link #close()} exits every process (closing
 * all sockets, freeing queued skbs) and checks that the pool has nothing outstanding.
 */
public final class TestHost implements AutoCloseable {
    public final EventLoop loop;
    public final SkBuffPool pool;
    public final SocketLayer layer;

    public TestHost() {
        this(SocketLayer.Config.defaults());
    }

    public TestHost(SocketLayer.Config config) {
        this(EventLoop.virtual(7), config);
    }

    public TestHost(EventLoop loop, SocketLayer.Config config) {
        this.loop = loop;
        this.pool = SkBuffPool.create();
        this.layer = new SocketLayer(loop, pool, config);
    }

    /** A process (uid 1000). */
    public Process spawn(String name) {
        return layer.spawn(name, 1000);
    }

    @Override
    public void close() {
        for (Process p : layer.processes()) {
            p.exit();
        }
        if (pool.outstanding() != 0) {
            throw new AssertionError("skbs outstanding after every process exited: " + pool);
        }
    }
}
