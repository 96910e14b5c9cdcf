package dev.stacksim.packetdrill;

import dev.stacksim.buf.SkBuff;
import dev.stacksim.buf.SkBuffPool;
import dev.stacksim.dev.TunDevice;
import dev.stacksim.host.Host;
import dev.stacksim.sim.EventLoop;
import dev.stacksim.socket.Process;

import java.util.ArrayDeque;

/**
 * The host under test and its tun device: packetdrill's local {@code netdev}. One virtual-time
 * loop, one host named {@code packetdrill} whose only wire is {@code tun0} (the local address as
 * a /16, a route to the remote /24 through {@code tun0}), and one process making the script's
 * calls.
 *
 * <p>Everything the host transmits on {@code tun0} is copied into a {@link LivePacket} with the
 * time it was sent and its skb released at once; the packets wait in {@link #captured()} for the
 * interpreter. Packets are injected with {@link #inject(byte[])}, below the host's IP layer
 * ({@code write(2)} on the tun fd).
 */
final class ScriptNetdev implements AutoCloseable {
    final EventLoop loop;
    final SkBuffPool pool;
    final TunDevice tun;
    final Host host;
    final Process process;
    private final ArrayDeque<LivePacket> captured = new ArrayDeque<>();
    private final RunTrace trace;
    private Runnable waiter;
    private boolean wakeScheduled;

    ScriptNetdev(ScriptConfig config, RunTrace trace, java.util.function.Consumer<Host> setup) {
        this.trace = trace;
        this.loop = EventLoop.virtual(config.seed());
        this.pool = SkBuffPool.create();
        this.tun = new TunDevice("tun0");
        tun.setMtu(config.mtu());
        Host.Builder b = Host.builder(loop, pool, "packetdrill").device(tun)
                .address("tun0", config.localIp() + "/16");
        int local = config.localIp().toInt();
        int remote = config.remoteIp().toInt();
        if ((local & 0xFFFF_0000) != (remote & 0xFFFF_0000)) {
            b.route(dev.stacksim.wire.Ipv4Address.toString(remote & 0xFFFF_FF00) + "/24 dev tun0");
        }
        this.host = b.build();
        if (setup != null) {
            setup.accept(host);
        }
        tun.setReader(d -> drain());
        this.process = host.spawn("packetdrill");
    }

    /** Packets the host sent that the interpreter has not consumed, oldest first. */
    ArrayDeque<LivePacket> captured() {
        return captured;
    }

    /**
     * Calls {@code w} once, on a later event at the current time, after the next packet is captured
     * (never from inside the host's transmit path). Null cancels.
     */
    void onNextPacket(Runnable w) {
        this.waiter = w;
    }

    /** Injects an IPv4 packet into the host's receive path; false when the device refused it. */
    boolean inject(byte[] packet) {
        return tun.write(packet, 0, packet.length);
    }

    private void drain() {
        SkBuff skb;
        while ((skb = tun.read()) != null) {
            byte[] bytes = skb.toByteArray();
            skb.consume();
            LivePacket p = LivePacket.parse(bytes, loop.now());
            if (p == null) {
                trace.note(loop.now(), "ignored an outbound packet the runner cannot parse (" + bytes.length + " bytes)");
                continue;
            }
            captured.addLast(p);
        }
        if (waiter != null && !wakeScheduled) {
            wakeScheduled = true;
            loop.execute(() -> {
                wakeScheduled = false;
                Runnable w = waiter;
                waiter = null;
                if (w != null) {
                    w.run();
                }
            });
        }
    }

    /** Shuts the host down (its process exits, its sockets close, its queues are freed), then the loop and pool. */
    @Override
    public void close() {
        host.close();
        SkBuff skb;
        while ((skb = tun.read()) != null) {
            skb.consume();
        }
        loop.close();
        pool.close();
    }
}
