package dev.stacksim.diag;

import dev.stacksim.host.Host;
import dev.stacksim.socket.unix.UnixSockInfo;
import dev.stacksim.tcp.TcpProc;
import dev.stacksim.tcp.TcpSockInfo;

import java.util.List;

/**
 * A host's sockets seen the way a Linux user sees them: {@code ss}, {@code netstat},
 * {@code nstat}, {@code /proc/net/tcp}, and the structured snapshots they are printed from. Got
 * from {@link Host#views()}; {@link Host#ss(String)} and {@link Host#procNetTcp()} are shortcuts.
 *
 * <pre>{@code
 * System.out.print(server.ss("-tanp"));           // ss -tanp
 * System.out.print(server.views().netstat("-tnl"));
 * System.out.print(server.views().nstat("-a TcpExtListen*"));
 * for (TcpSockInfo s : server.views().tcpSockets()) { ... s.state(), s.ssRecvQ() ... }
 * }</pre>
 *
 * <p>Like the host, call it on the host's loop thread (in virtual time: between runs). Each call
 * takes a fresh snapshot; nothing is cached but {@code nstat}'s history.
 */
public final class HostViews {
    private final Host host;
    private final Nstat nstat;

    /** The views of {@code host}. */
    public HostViews(Host host) {
        this.host = host;
        this.nstat = new Nstat(host);
    }

    /** {@code ss} with a command line: {@code "-tanpi"}; see {@link SsOptions#parse}. */
    public String ss(String flags) {
        return Ss.render(host, SsOptions.parse(flags));
    }

    /** {@code ss} with parsed options. */
    public String ss(SsOptions options) {
        return Ss.render(host, options);
    }

    /** {@code netstat} for TCP and UDP: {@code "-tan"}, {@code "-tnl"}, {@code "-uanp"}; see {@link Netstat}. */
    public String netstat(String flags) {
        return Netstat.render(host, flags);
    }

    /**
     * {@code nstat}: the counters that changed since the previous call on this host (all of them
     * the first time), {@code "-a"} absolute, {@code "-az"} with zeros; see {@link Nstat}.
     */
    public String nstat(String flags) {
        return nstat.render(flags);
    }

    /** {@code cat /proc/net/tcp}; see {@link TcpProc}. */
    public String procNetTcp() {
        return TcpProc.procNetTcp(host.tcp());
    }

    /** {@code cat /proc/net/sockstat}; see {@link Sockstat}. */
    public String sockstat() {
        return Sockstat.of(host).render();
    }

    /** The memory the host's sockets hold, by kind, as the stack accounts for it; see {@link SocketMemory}. */
    public SocketMemory memory() {
        return SocketMemory.of(host);
    }

    /** The TCP sockets, request socks and TIME_WAIT minisocks, listeners first ({@link TcpProc#sockets}). */
    public List<TcpSockInfo> tcpSockets() {
        return TcpProc.sockets(host.tcp());
    }

    /** The AF_UNIX sockets with an inode, as {@code ss -x} sees them. */
    public List<UnixSockInfo> unixSockets() {
        return host.sockets().unixNamespace().sockets();
    }

    @Override
    public String toString() {
        return "HostViews[" + host.name() + "]";
    }
}
