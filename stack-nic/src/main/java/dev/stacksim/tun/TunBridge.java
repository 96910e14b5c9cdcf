package dev.stacksim.tun;

import dev.stacksim.buf.SkBuff;
import dev.stacksim.buf.SkBuffPool;
import dev.stacksim.dev.TunDevice;
import dev.stacksim.host.Host;
import dev.stacksim.sim.EventLoop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A simulated host wired to the real Linux kernel through a TUN device: the kernel's own TCP,
 * {@code ping}, {@code curl} and {@code nc} reach the simulated host's sockets, and the simulated
 * host's sockets reach the kernel's.
 *
 * <pre>
 *   kernel (this network namespace)                  this JVM
 *   ┌──────────────────────────┐                ┌──────────────────────────────────────────────┐
 *   │ curl, nc, ping, sshd ... │                │  Host "sim": sockets, TCP, IPv4 (real time)  │
 *   │ TCP/IP  10.9.0.1/24      │                │  TunDevice tun0  10.9.0.2/24                  │
 *   │ sim0 (TUN, no PI) ◄──fd──┼─ socat ─ UDP ──┼─► receiver thread ─► slots ─► loop: write()  │
 *   │                          │  127.0.0.1     │  loop: startXmit ─► read() ─► datagram ───────┼─►
 *   └──────────────────────────┘                └──────────────────────────────────────────────┘
 * </pre>
 *
 * <p>Java 17 cannot open {@code /dev/net/tun} itself (the {@code TUNSETIFF} ioctl is out of its
 * reach), so a helper holds the device: one {@code socat} process (see {@link SocatTun}) that copies
 * each packet between the device and a UDP socket on {@code 127.0.0.1}, one datagram per packet.
 * The bridge's end is a {@link DatagramChannel} in this JVM. Both ends use loopback in the current
 * network namespace, so the JVM, socat and the device must share one; run the whole thing inside a
 * private namespace ({@code ip netns exec}, {@code unshare -n}, or {@link PrivateNetns}) and no
 * packet ever leaves it.
 *
 * <p>The simulated host runs on a real-time {@link EventLoop} (the kernel does not wait for
 * virtual time): its timers follow the wall clock, and application threads use the host's
 * processes with blocking calls, as threads use a kernel. Packets flow through the normal paths of
 * a {@link TunDevice}: what the kernel sends is {@link TunDevice#write written} on the loop into the
 * host's receive path (malformed packets are counted and dropped there), and what the host transmits
 * is {@link TunDevice#read read} from its queue and sent as a datagram at once.
 *
 * <h2>Threads and allocation</h2>
 * The receiver thread blocks in {@code receive} and copies each datagram into one of
 * {@value #RX_SLOTS} preallocated slots; the loop takes filled slots ({@value #RX_BUDGET} per turn,
 * as a NAPI poll) and hands them to the device, which copies them into pooled skbs. A datagram
 * arriving with no slot free is dropped and counted ({@link #rxDropped()}), as a full ring would.
 * Transmission runs on the loop: each packet is copied into one reused direct buffer and written to
 * the channel. Neither direction allocates per packet.
 *
 * <pre>{@code
 * try (TunBridge bridge = TunBridge.builder().build()) {   // needs CAP_NET_ADMIN, /dev/net/tun, socat
 *     Process srv = bridge.host().spawn("echo");
 *     int lfd = srv.socket(AF_INET, SOCK_STREAM, 0);
 *     srv.bind(lfd, SockAddr.any(7));
 *     srv.listen(lfd, 16);
 *     int fd = srv.accept(lfd);        // blocks this thread until `nc 10.9.0.2 7` connects
 * }
 * }</pre>
 */
public final class TunBridge implements AutoCloseable {
    /** The kernel's TUN device, unless {@link TunBridgeBuilder#ifname} says otherwise. */
    public static final String DEFAULT_IFNAME = "sim0";
    /** The kernel's address on the device, unless {@link TunBridgeBuilder#kernelAddress} says otherwise. */
    public static final String DEFAULT_KERNEL_ADDRESS = "10.9.0.1/24";
    /** The simulated host's address on its {@code tun0}, unless {@link TunBridgeBuilder#hostAddress} says otherwise. */
    public static final String DEFAULT_HOST_ADDRESS = "10.9.0.2/24";
    /** Slots between the receiver thread and the loop. */
    static final int RX_SLOTS = 1024;
    /** Slots the loop hands to the device per turn before letting other events run. */
    static final int RX_BUDGET = 64;
    /** How long the bridge waits for the loop when it starts and stops. */
    private static final Duration LOOP_TIMEOUT = Duration.ofSeconds(10);

    private final EventLoop loop;
    private final SkBuffPool pool;
    private final TunDevice tun;
    private final Host host;
    private final String ifname;
    private final String kernelAddress;
    private final DatagramChannel channel;
    private final SocatTun socat;
    private final Thread receiver;
    private final int localPort;
    private final int remotePort;
    /** Empty slots, for the receiver thread. */
    private final ArrayBlockingQueue<Slot> free = new ArrayBlockingQueue<>(RX_SLOTS);
    /** Filled slots, for the loop. */
    private final ArrayBlockingQueue<Slot> filled = new ArrayBlockingQueue<>(RX_SLOTS);
    /** Whether a drain of {@link #filled} is queued on the loop. */
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable drainTask = this::drainFromKernel;
    /** The loop's transmit buffer: one packet at a time. */
    private final ByteBuffer txBuffer;
    /** Completed by the receiver thread once socat is ready (or failed). */
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final AtomicLong rxDatagrams = new AtomicLong();
    private final AtomicLong rxDropped = new AtomicLong();
    private final AtomicLong rxLengthErrors = new AtomicLong();
    private volatile long txDatagrams;
    private volatile long txErrors;
    private volatile boolean closed;

    TunBridge(TunBridgeBuilder b) {
        this.ifname = b.ifname;
        this.kernelAddress = b.kernelAddress;
        this.loop = EventLoop.builder().seed(b.seed).realTime(true).threadName("stacksim-tun-" + b.ifname).build();
        this.pool = SkBuffPool.create();
        this.tun = new TunDevice("tun0");
        tun.setMtu(b.mtu);
        this.txBuffer = ByteBuffer.allocateDirect(b.mtu);
        for (int i = 0; i < RX_SLOTS; i++) {
            free.add(new Slot(b.mtu));
        }
        Host h = null;
        DatagramChannel ch = null;
        SocatTun s = null;
        int bridgePort;
        int peerPort;
        try {
            h = onLoop(() -> {
                Host.Builder hb = Host.builder(loop, pool, b.hostName).device(tun).address("tun0", b.hostAddress);
                if (b.hostSetup != null) {
                    b.hostSetup.accept(hb);
                }
                Host built = hb.build();
                tun.setReader(d -> transmitToKernel());
                return built;
            });
            InetAddress lo = InetAddress.getLoopbackAddress();
            if (b.peerPort == 0) {
                SocatTun.ensureLoopbackUp();
            }
            ch = DatagramChannel.open();
            ch.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
            ch.setOption(StandardSocketOptions.SO_SNDBUF, 4 << 20);
            ch.bind(new InetSocketAddress(lo, b.bridgePort));
            bridgePort = ((InetSocketAddress) ch.getLocalAddress()).getPort();
            peerPort = b.peerPort != 0 ? b.peerPort : freeUdpPort(lo);
            ch.connect(new InetSocketAddress(lo, peerPort));
            if (b.peerPort == 0) {
                s = new SocatTun(b.socat, b.ifname, b.kernelAddress, b.mtu, peerPort, bridgePort);
            }
        } catch (IOException | RuntimeException e) {
            closeQuietly(ch);
            shutdownLoop(h);
            throw e instanceof IOException io ? new UncheckedIOException("tun bridge: " + io.getMessage(), io)
                    : (RuntimeException) e;
        }
        this.host = h;
        this.localPort = bridgePort;
        this.remotePort = peerPort;
        this.channel = ch;
        this.socat = s;
        this.receiver = new Thread(this::receiveFromKernel, "stacksim-tun-rx-" + b.ifname);
        receiver.setDaemon(true);
        receiver.start();
        try {
            ready.get(SocatTun.READY_TIMEOUT.toMillis() + 2000, TimeUnit.MILLISECONDS);
            if (socat != null && b.mtu != TunDevice.DEFAULT_MTU) {
                Command.Result r = Command.run(Duration.ofSeconds(5), "ip", "link", "set", "dev", b.ifname, "mtu",
                        Integer.toString(b.mtu));
                if (!r.ok()) {
                    throw new IllegalStateException("tun bridge: " + r);
                }
            }
        } catch (RuntimeException | ExecutionException | TimeoutException | InterruptedException e) {
            close();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw cause instanceof RuntimeException re ? re : new IllegalStateException("tun bridge: " + cause, cause);
        }
    }

    /** A builder with the defaults: {@code sim0}, the kernel at 10.9.0.1/24, the host at 10.9.0.2/24. */
    public static TunBridgeBuilder builder() {
        return new TunBridgeBuilder();
    }

    /**
     * Why a bridge cannot be opened in this process, or empty when it can: not Linux, no
     * {@code /dev/net/tun}, no {@code CAP_NET_ADMIN} (root has it), no {@code socat} or {@code ip}
     * on the {@code PATH}. Tests skip with this reason.
     */
    public static Optional<String> unavailableReason() {
        if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
            return Optional.of("not Linux (os.name=" + System.getProperty("os.name") + ")");
        }
        if (!Files.exists(Path.of("/dev/net/tun"))) {
            return Optional.of("no /dev/net/tun");
        }
        if (!Command.hasCapability(12)) {
            return Optional.of("no CAP_NET_ADMIN (run as root) to create a TUN device");
        }
        if (Command.which("socat").isEmpty()) {
            return Optional.of("no socat on the PATH (apt-get install socat)");
        }
        if (Command.which("ip").isEmpty()) {
            return Optional.of("no ip on the PATH (apt-get install iproute2)");
        }
        return Optional.empty();
    }

    // ---------------------------------------------------------------- what users see

    /** The simulated host; call its processes' socket calls from any thread but the loop's. */
    public Host host() {
        return host;
    }

    /** The real-time loop the host runs on. */
    public EventLoop loop() {
        return loop;
    }

    /** The pool the host's skbs come from; {@code outstanding()} is 0 after {@link #close()}. */
    public SkBuffPool pool() {
        return pool;
    }

    /** The simulated host's side of the wire: {@code tun0}. */
    public TunDevice device() {
        return tun;
    }

    /** The kernel's TUN device name ({@code sim0}): where to run {@code tcpdump -i} and {@code tc}. */
    public String kernelIfname() {
        return ifname;
    }

    /** The kernel's address on the device, as given ({@code 10.9.0.1/24}). */
    public String kernelAddress() {
        return kernelAddress;
    }

    /**
     * The bridge's UDP port on 127.0.0.1: the kernel's packets arrive there, one datagram each, from
     * {@link #peerPort()}. A filter on it (nftables) can drop what the kernel sent after the
     * kernel's TCP counted it as sent, as a lossy wire would.
     */
    public int bridgePort() {
        return localPort;
    }

    /** The UDP port on 127.0.0.1 of socat (or of the caller's {@link TunBridgeBuilder#peerPort peer}). */
    public int peerPort() {
        return remotePort;
    }

    /** The process id of socat, or -1 when the bridge talks to a {@link TunBridgeBuilder#peerPort peer} of its own. */
    public long socatPid() {
        return socat == null ? -1 : socat.pid();
    }

    /**
     * Runs {@code task} on the loop's thread and waits for its result: how another thread reads
     * the host's views ({@code host.ss("-tan")}) or counters safely.
     */
    public <T> T onLoop(Callable<T> task) {
        if (loop.inEventLoop()) {
            try {
                return task.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        try {
            return loop.submit(task).get(LOOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("tun bridge: interrupted waiting for the loop", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("tun bridge: the loop did not answer within " + LOOP_TIMEOUT, e);
        }
    }

    /** Datagrams received from the kernel's side (each one IP packet). */
    public long rxDatagrams() {
        return rxDatagrams.get();
    }

    /** Datagrams dropped because every slot was waiting for the loop. */
    public long rxDropped() {
        return rxDropped.get();
    }

    /** Datagrams dropped because they were longer than the MTU. */
    public long rxLengthErrors() {
        return rxLengthErrors.get();
    }

    /** Packets the host sent to the kernel's side. */
    public long txDatagrams() {
        return txDatagrams;
    }

    /** Packets the host sent that the channel refused (socat gone, or a send error). */
    public long txErrors() {
        return txErrors;
    }

    @Override
    public String toString() {
        return "TunBridge[" + ifname + " " + kernelAddress + " <-> " + tun + " rx=" + rxDatagrams + " rxDropped="
                + rxDropped + " tx=" + txDatagrams + " txErrors=" + txErrors + (closed ? " closed" : "") + "]";
    }

    // ---------------------------------------------------------------- kernel -> host

    /** The receiver thread: starts socat (so that its parent death signal follows this thread), then receives. */
    private void receiveFromKernel() {
        try {
            if (socat != null) {
                socat.start(remotePort);
            }
            ready.complete(null);
        } catch (RuntimeException e) {
            ready.completeExceptionally(e);
            return;
        }
        ByteBuffer discard = ByteBuffer.allocate(64 * 1024);
        while (!closed) {
            Slot slot = free.poll();
            ByteBuffer target = slot != null ? slot.buffer : discard;
            target.clear();
            try {
                channel.read(target);
            } catch (PortUnreachableException e) {
                // an ICMP error for an earlier send (socat not bound yet): nothing was received
                if (slot != null) {
                    free.offer(slot);
                }
                continue;
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (!closed) {
                    org.slf4j.LoggerFactory.getLogger(TunBridge.class).warn("tun bridge {}: receive failed", ifname, e);
                }
                return;
            }
            rxDatagrams.incrementAndGet();
            if (slot == null) {
                rxDropped.incrementAndGet();
                continue;
            }
            if (!target.hasRemaining()) {
                // A slot holds the MTU plus one byte: a full slot means a longer, truncated datagram.
                rxLengthErrors.incrementAndGet();
                free.offer(slot);
                continue;
            }
            slot.length = target.position();
            filled.offer(slot);
            if (drainScheduled.compareAndSet(false, true)) {
                try {
                    loop.execute(drainTask);
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    return;
                }
            }
        }
    }

    /** On the loop: hands filled slots to the device ({@code tun_get_user} per packet), a budget at a time. */
    private void drainFromKernel() {
        drainScheduled.set(false);
        for (int i = 0; i < RX_BUDGET; i++) {
            Slot s = filled.poll();
            if (s == null) {
                return;
            }
            if (!closed) {
                tun.write(s.array, 0, s.length);
            }
            free.offer(s);
        }
        if (!filled.isEmpty() && drainScheduled.compareAndSet(false, true)) {
            loop.execute(drainTask);
        }
    }

    // ---------------------------------------------------------------- host -> kernel

    /** On the loop, from the device's transmit: each queued packet becomes one datagram to socat. */
    private void transmitToKernel() {
        SkBuff skb;
        while ((skb = tun.read()) != null) {
            int len = skb.len();
            if (len > txBuffer.capacity()) {
                // cannot happen while the device's MTU is the buffer's size; counted, not thrown
                txErrors++;
                skb.consume();
                continue;
            }
            txBuffer.clear().limit(len);
            skb.buf().getBytes(skb.data(), txBuffer);
            skb.consume();
            txBuffer.flip();
            try {
                if (channel.write(txBuffer) == len) {
                    txDatagrams++;
                } else {
                    txErrors++;
                }
            } catch (IOException e) {
                // socat not (yet, or any longer) there, or the channel closing: the packet is lost
                txErrors++;
            }
        }
    }

    // ---------------------------------------------------------------- life cycle

    /**
     * Closes the host (its processes exit, sockets close, queues are freed), stops socat (the
     * kernel removes the device), closes the channel and joins the receiver thread, then closes the
     * loop and the pool. Idempotent.
     *
     * @throws IllegalStateException when an event threw on the loop during the bridge's life
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (socat != null) {
                socat.close();
            }
            closeQuietly(channel);
            if (receiver != null) {
                try {
                    receiver.join(TimeUnit.SECONDS.toMillis(5));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        } finally {
            shutdownLoop(host);
        }
    }

    private void shutdownLoop(Host h) {
        try {
            if (h != null) {
                onLoop(() -> {
                    tun.setReader(null);
                    h.close();
                    return null;
                });
            }
        } finally {
            try {
                loop.close();
            } finally {
                pool.close();
            }
        }
    }

    private static void closeQuietly(DatagramChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing a datagram channel does not fail in a way we could act on
            }
        }
    }

    /** A UDP port free on loopback now, for socat to bind. */
    private static int freeUdpPort(InetAddress lo) throws IOException {
        try (DatagramChannel probe = DatagramChannel.open()) {
            probe.bind(new InetSocketAddress(lo, 0));
            return ((InetSocketAddress) probe.getLocalAddress()).getPort();
        }
    }

    /** One received datagram on its way to the loop. */
    private static final class Slot {
        final byte[] array;
        final ByteBuffer buffer;
        int length;

        Slot(int mtu) {
            this.array = new byte[mtu + 1];
            this.buffer = ByteBuffer.wrap(array);
        }
    }
}
