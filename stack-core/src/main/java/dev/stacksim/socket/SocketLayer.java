package dev.stacksim.socket;

import dev.stacksim.buf.SkBuffPool;
import dev.stacksim.sim.EventLoop;
import dev.stacksim.socket.unix.UnixFamily;
import dev.stacksim.socket.unix.UnixNamespace;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The socket state of one host: what Linux keeps per network namespace for sockets and what the
 * processes of that host share. One per {@code Host}, which creates it with its event loop and skb
 * pool and delegates {@code host.spawn(...)} here.
 *
 * <ul>
 *   <li>The protocol family registry ({@code net_families[]}, {@code sock_register}):
 *       {@link #registerFamily}. AF_UNIX is registered from the start; AF_INET by the host once
 *       TCP and UDP exist.</li>
 *   <li>Socket inode numbers ({@code get_next_ino}): deterministic, counting up from
 *       {@value #FIRST_INODE}, as {@code /proc/<pid>/fd} shows them ({@code socket:[12345]}).</li>
 *   <li>Process ids counting up from {@value #FIRST_PID}, and the process table.</li>
 *   <li>The AF_UNIX path namespace: {@code bind()} creates a socket file, {@link #unlink} removes
 *       it; the file outlives its socket, as on a real filesystem.</li>
 *   <li>The limits of {@link Config} (sysctls), read when they apply.</li>
 * </ul>
 *
 * <pre>{@code
 * SocketLayer layer = new SocketLayer(loop, pool, SocketLayer.Config.defaults());
 * Process server = layer.spawn("server");
 * int lfd = server.socket(AF_UNIX, SOCK_STREAM, 0);
 * }</pre>
 *
 * <p>Only the event loop's thread touches it (in real-time mode {@link Process} hands its calls to
 * the loop).
 */
public final class SocketLayer {
    /** The first socket inode number handed out. */
    public static final int FIRST_INODE = 12345;
    /** The first process id handed out. */
    public static final int FIRST_PID = 1000;

    /**
     * The limits the socket layer applies, by their Linux sysctl names; the host fills it from its
     * sysctls and replaces it with {@link #setConfig} when one changes.
     *
     * @param rmemDefault       {@code net.core.rmem_default}: initial SO_RCVBUF (212992)
     * @param wmemDefault       {@code net.core.wmem_default}: initial SO_SNDBUF (212992)
     * @param rmemMax           {@code net.core.rmem_max}: the most SO_RCVBUF accepts before doubling (212992)
     * @param wmemMax           {@code net.core.wmem_max}: likewise for SO_SNDBUF (212992)
     * @param somaxconn         {@code net.core.somaxconn}: listen() clamps its backlog to it (4096)
     * @param unixMaxDgramQlen  {@code net.unix.max_dgram_qlen}: datagrams an AF_UNIX socket may have
     *                          queued from senders it is not connected to (10; Linux's
     *                          {@code unix_net_init} default, also what this machine's 6.18 shows)
     * @param nofile            {@code RLIMIT_NOFILE} soft limit of new processes (1024)
     */
    public record Config(int rmemDefault, int wmemDefault, int rmemMax, int wmemMax, int somaxconn,
                         int unixMaxDgramQlen, int nofile) {
        /** @throws IllegalArgumentException for a non-positive value */
        public Config {
            if (rmemDefault <= 0 || wmemDefault <= 0 || rmemMax <= 0 || wmemMax <= 0 || somaxconn < 0
                    || unixMaxDgramQlen < 0 || nofile <= 0) {
                throw new IllegalArgumentException("SocketLayer.Config: rmemDefault=" + rmemDefault
                        + " wmemDefault=" + wmemDefault + " rmemMax=" + rmemMax + " wmemMax=" + wmemMax
                        + " somaxconn=" + somaxconn + " unixMaxDgramQlen=" + unixMaxDgramQlen + " nofile=" + nofile);
            }
        }

        /** Linux's defaults: 212992 for the four buffer sysctls, somaxconn 4096, max_dgram_qlen 10, nofile 1024. */
        public static Config defaults() {
            return new Config(212992, 212992, 212992, 212992, 4096, 10, 1024);
        }
    }

    private final EventLoop loop;
    private final SkBuffPool pool;
    private volatile Config config;
    private final ProtocolFamily[] families = new ProtocolFamily[SocketConstants.NPROTO];
    private final UnixNamespace unixNamespace = new UnixNamespace();
    private final Map<Integer, Process> processes = new TreeMap<>();
    private int nextInode = FIRST_INODE;
    private int nextPid = FIRST_PID;

    /**
     * A socket layer with AF_UNIX registered.
     *
     * @param loop   the event loop all its sockets run on
     * @param pool   where protocols allocate skbs
     * @param config the limits
     */
    public SocketLayer(EventLoop loop, SkBuffPool pool, Config config) {
        this.loop = Objects.requireNonNull(loop, "loop");
        this.pool = Objects.requireNonNull(pool, "pool");
        this.config = Objects.requireNonNull(config, "config");
        registerFamily(new UnixFamily());
    }

    /** The event loop. */
    public EventLoop loop() {
        return loop;
    }

    /** The skb pool protocols allocate from. */
    public SkBuffPool pool() {
        return pool;
    }

    /** The limits in force. */
    public Config config() {
        return config;
    }

    /** Replaces the limits (a sysctl changed); sockets already created keep their buffer sizes. */
    public void setConfig(Config config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /**
     * Registers a protocol family ({@code sock_register}); a later registration of the same number
     * replaces the earlier one.
     *
     * @throws IllegalArgumentException when the family number is outside 0..NPROTO-1
     */
    public void registerFamily(ProtocolFamily family) {
        int f = family.family();
        if (f < 0 || f >= families.length) {
            throw new IllegalArgumentException("registerFamily: family=" + f + " not in 0.." + (families.length - 1));
        }
        families[f] = family;
    }

    /** The family registered under {@code family}, or null (then socket() answers EAFNOSUPPORT). */
    public ProtocolFamily family(int family) {
        return family >= 0 && family < families.length ? families[family] : null;
    }

    /** The AF_UNIX path namespace of this host. */
    public UnixNamespace unixNamespace() {
        return unixNamespace;
    }

    /** {@code cat /proc/net/unix}: the host's AF_UNIX sockets ({@link UnixNamespace#procNetUnix()}). */
    public String procNetUnix() {
        return onLoop(unixNamespace::procNetUnix);
    }

    /**
     * Removes an AF_UNIX socket file ({@code unlink(2)}): a socket still bound to it keeps its name
     * but can no longer be reached, and the path may be bound again.
     *
     * @throws ErrnoException ENOENT when no such file exists
     */
    public void unlink(String path) {
        if (!onLoop(() -> unixNamespace.unlink(path))) {
            throw new ErrnoException(Errno.ENOENT, "unlink(\"" + path + "\")");
        }
    }

    /** A new process owned by root (uid 0), with fds 0, 1 and 2 open on its terminal. */
    public Process spawn(String name) {
        return spawn(name, 0);
    }

    /**
     * A new process with fds 0, 1 and 2 open on its terminal ({@code /dev/pts/0}).
     *
     * @param uid its user id: 0 may bind ports below 1024; SO_REUSEPORT groups need the same uid
     */
    public Process spawn(String name, int uid) {
        // The process table is kernel state: on a real-time loop, change it on the loop's thread.
        return onLoop(() -> {
            Process p = new Process(this, nextPid++, name, uid, null);
            processes.put(p.pid(), p);
            return p;
        });
    }

    /** Runs a section that reads or changes the process table or namespace on the loop's thread. */
    private <T> T onLoop(Supplier<T> section) {
        if (loop.isRealTime() && !loop.inEventLoop()) {
            return loop.submit(section::get).join();
        }
        if (!loop.isRealTime()) {
            loop.checkInEventLoop("spawn");
        }
        return section.get();
    }

    /** The live process with that pid, or null. */
    public Process process(int pid) {
        return onLoop(() -> processes.get(pid));
    }

    /** The live processes in pid order. */
    public List<Process> processes() {
        return onLoop(() -> Collections.unmodifiableList(new ArrayList<>(processes.values())));
    }

    // ---------------------------------------------------------------- for Process

    /** A pid for a forked child, registered. */
    Process fork(Process parent) {
        Process child = new Process(this, nextPid++, parent.name(), parent.uid(), parent);
        processes.put(child.pid(), child);
        return child;
    }

    void exited(Process p) {
        processes.remove(p.pid());
    }

    /** The next inode number ({@code get_next_ino}). */
    int allocateInode() {
        return nextInode++;
    }

    @Override
    public String toString() {
        return "SocketLayer[processes=" + processes.size() + " nextInode=" + nextInode + " " + config + "]";
    }
}
