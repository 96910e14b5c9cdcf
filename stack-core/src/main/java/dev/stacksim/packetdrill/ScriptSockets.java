package dev.stacksim.packetdrill;

import dev.stacksim.sim.SimRandom;
import dev.stacksim.wire.IpProtocol;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The runner's table of sockets and descriptors, and packetdrill's rules for which socket a
 * packet belongs to ({@code run_packet.c}): one <em>socket under test</em> at a time, the last one
 * created by {@code socket()} or by a SYN arriving at a listener.
 *
 * <ul>
 *   <li>An inbound SYN while the socket under test listens (or before any socket exists) creates
 *       a child: the remote port is a fresh ephemeral port, the local port the bind port.</li>
 *   <li>An outbound SYN while the socket under test is connecting fills in its local port and ISN.</li>
 *   <li>Any other packet goes to the socket under test. A line with explicit ports ({@code 40001>8080})
 *       keeps them: inbound it is sent with them; outbound the host's packet with those ports
 *       belongs to a side flow of its own (a simulator extension: packetdrill ignores such packets).</li>
 *   <li>A live packet that matches no socket is ignored, as packetdrill ignores other flows.</li>
 * </ul>
 */
final class ScriptSockets {
    private final ScriptConfig config;
    private final SimRandom ports;
    /** Newest first, as packetdrill's list. */
    private final List<ScriptSocket> sockets = new ArrayList<>();
    /** Script descriptor to live descriptor, for every descriptor the script has opened. */
    private final Map<Integer, Integer> fds = new HashMap<>();
    /** Flows of lines with explicit ports, by remote port. */
    private final Map<Integer, ScriptSocket> sideFlows = new HashMap<>();
    ScriptSocket underTest;

    ScriptSockets(ScriptConfig config, SimRandom random) {
        this.config = config;
        this.ports = random;
    }

    /** The live descriptor of script descriptor {@code fd}; the number itself when the script never opened it. */
    int liveFd(int scriptFd) {
        Integer live = fds.get(scriptFd);
        return live == null ? scriptFd : live;
    }

    /** True when the script opened {@code scriptFd} (and it may since have been closed). */
    boolean knows(int scriptFd) {
        return fds.containsKey(scriptFd);
    }

    /** Records a descriptor a call returned; fails on a script descriptor already in use. */
    void addFd(int scriptFd, int liveFd, boolean closedBefore) {
        if (fds.containsKey(scriptFd) && !closedBefore) {
            throw new IllegalArgumentException("duplicate fd " + scriptFd + " in script");
        }
        fds.put(scriptFd, liveFd);
    }

    /** A new socket from {@code socket()}: it becomes the socket under test. */
    ScriptSocket newSocket(int protocol, int scriptFd, int liveFd) {
        ScriptSocket s = new ScriptSocket();
        s.state = ScriptSocket.State.NEW;
        s.protocol = protocol;
        s.scriptFd = scriptFd;
        s.liveFd = liveFd;
        sockets.add(0, s);
        underTest = s;
        return s;
    }

    /** The socket of script descriptor {@code fd}, or null. */
    ScriptSocket byScriptFd(int fd) {
        for (ScriptSocket s : sockets) {
            if (s.scriptFd == fd) {
                return s;
            }
        }
        return null;
    }

    /**
     * {@code run_syscall_accept}: the connection past its SYN-ACK, not yet owned by a descriptor,
     * whose remote port is the accepted peer's (the accept queue is FIFO, so the newest is not
     * necessarily the one accepted). With {@code remotePort} -1 (the peer is unknown: it was reset
     * before accept), the oldest such connection.
     */
    ScriptSocket acceptable(int remotePort) {
        ScriptSocket oldest = null;
        for (ScriptSocket s : sockets) {
            if (s.scriptFd < 0 && (s.state == ScriptSocket.State.PASSIVE_SYNACK_SENT
                    || s.state == ScriptSocket.State.PASSIVE_SYNACK_ACKED)) {
                if (s.remotePort == remotePort) {
                    return s;
                }
                oldest = s;
            }
        }
        return remotePort < 0 ? oldest : null;
    }

    /** {@code run_syscall_connect}: a new socket starts connecting to the remote address. */
    void connecting(ScriptSocket s, int remoteIp, int remotePort) {
        if (s.state != ScriptSocket.State.NEW) {
            return;
        }
        s.state = ScriptSocket.State.ACTIVE_CONNECTING;
        s.remoteIp = remoteIp;
        s.remotePort = remotePort;
    }

    /**
     * {@code find_or_create_socket_for_script_packet}: the socket a script line is about, creating
     * a child for an inbound SYN at a listener.
     *
     * @return the socket, or null ({@code no matching socket for script packet})
     */
    ScriptSocket forScriptPacket(PacketSpec p) {
        if (p.transport() instanceof PacketSpec.Tcp t) {
            if (t.srcPort() != 0 || t.dstPort() != 0) {
                ScriptSocket flow = sideFlow(p, t);
                if (flow != null) {
                    return flow;
                }
            }
            if (!p.outbound() && (underTest == null || underTest.state == ScriptSocket.State.PASSIVE_LISTENING)) {
                ScriptSocket child = new ScriptSocket();
                child.state = ScriptSocket.State.PASSIVE_PACKET_RECEIVED;
                child.protocol = IpProtocol.TCP;
                child.remoteIp = config.remoteIp().toInt();
                child.remotePort = nextEphemeralPort();
                child.localIp = config.localIp().toInt();
                child.localPort = config.bindPort();
                child.liveRemoteIsn = t.seq();
                sockets.add(0, child);
                underTest = child;
                return child;
            }
            if (p.outbound() && t.has('S') && !t.has('.') && underTest != null
                    && underTest.state == ScriptSocket.State.ACTIVE_CONNECTING) {
                underTest.state = ScriptSocket.State.ACTIVE_SYN_SENT;
                underTest.scriptLocalIsn = t.seq();
                return underTest;
            }
        }
        if (underTest != null && matchesProtocol(p, underTest)) {
            return underTest;
        }
        return null;
    }

    /** Lines with explicit ports: their own flow, keyed by the remote port, created by an inbound SYN. */
    private ScriptSocket sideFlow(PacketSpec p, PacketSpec.Tcp t) {
        int remotePort = p.outbound() ? t.dstPort() : t.srcPort();
        ScriptSocket flow = sideFlows.get(remotePort);
        if (flow == null && !p.outbound() && t.has('S')) {
            flow = new ScriptSocket();
            flow.state = t.has('.') ? ScriptSocket.State.ACTIVE_SYN_ACKED : ScriptSocket.State.PASSIVE_PACKET_RECEIVED;
            flow.protocol = IpProtocol.TCP;
            flow.remoteIp = config.remoteIp().toInt();
            flow.remotePort = remotePort;
            flow.localIp = config.localIp().toInt();
            flow.localPort = t.dstPort() != 0 ? t.dstPort() : config.bindPort();
            flow.liveRemoteIsn = t.seq();
            sideFlows.put(remotePort, flow);
            sockets.add(0, flow);
        }
        return flow;
    }

    private static boolean matchesProtocol(PacketSpec p, ScriptSocket s) {
        boolean icmp = p.transport() instanceof PacketSpec.Icmp;
        if (s.protocol == IpProtocol.TCP) {
            return p.transport() instanceof PacketSpec.Tcp || icmp;
        }
        if (s.protocol == IpProtocol.UDP) {
            return p.transport() instanceof PacketSpec.Udp || icmp;
        }
        return false;
    }

    /**
     * {@code find_socket_for_live_packet} then {@code find_connect_for_live_packet}: the socket an
     * outbound live packet belongs to, filling in a connecting socket's local address and ISN.
     *
     * @return the socket, or null when the packet belongs to none (it is ignored)
     */
    ScriptSocket forLivePacket(LivePacket p) {
        for (ScriptSocket flow : sideFlows.values()) {
            if (!p.isIcmp() && flow.isOutbound(p.srcAddr, p.srcPort, p.dstAddr, p.dstPort)) {
                return flow;
            }
        }
        ScriptSocket s = underTest;
        if (s == null) {
            return null;
        }
        if (p.isIcmp() ? p.srcAddr == s.localIp && p.dstAddr == s.remoteIp
                : s.isOutbound(p.srcAddr, p.srcPort, p.dstAddr, p.dstPort)) {
            return s;
        }
        boolean udp = p.isUdp() && s.protocol == IpProtocol.UDP && s.state == ScriptSocket.State.ACTIVE_CONNECTING;
        boolean tcp = p.isTcp() && p.has(dev.stacksim.wire.TcpHeader.SYN) && !p.has(dev.stacksim.wire.TcpHeader.ACK)
                && s.protocol == IpProtocol.TCP && s.state == ScriptSocket.State.ACTIVE_SYN_SENT;
        if (!udp && !tcp) {
            return null;
        }
        if (p.dstAddr != s.remoteIp || p.dstPort != s.remotePort) {
            return null;
        }
        s.localIp = p.srcAddr;
        s.localPort = p.srcPort;
        if (tcp) {
            s.liveLocalIsn = p.seq;
        }
        return s;
    }

    /**
     * A remote port for a connection the script opens with a SYN (packetdrill binds a real socket
     * to port 0 for one): drawn from the seed, in Linux's default {@code ip_local_port_range}.
     */
    private int nextEphemeralPort() {
        return 32768 + ports.nextInt(60999 - 32768 + 1);
    }
}
