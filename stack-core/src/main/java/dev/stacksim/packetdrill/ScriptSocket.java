package dev.stacksim.packetdrill;

import java.util.HashMap;
import java.util.Map;

/**
 * What the runner knows of one socket or connection (packetdrill's {@code struct socket} in
 * {@code socket.h}): its descriptors in the script and in the simulated process, where it is in
 * the script's view of its life, its live 4-tuple, and the ISNs and timestamps that translate
 * between script values (relative sequence numbers, the script's TS val) and live ones.
 *
 * <pre>
 *   passive: LISTENING ─(&lt; S)─► PACKET_RECEIVED ─(&gt; S.)─► SYNACK_SENT ─(&lt; .)─► SYNACK_ACKED ─ accept()
 *   active:  NEW ─connect()─► CONNECTING ─(&gt; S)─► SYN_SENT ─(&lt; S.)─► SYN_ACKED
 * </pre>
 *
 * <p>As in packetdrill, sequence numbers are absolute on SYNs and relative to the ISN otherwise:
 * inbound, a non-SYN's seq is shifted by the remote ISN and its ack by the local ISN; outbound,
 * the reverse. The local ISN of the script is the seq its SYN or SYN-ACK line was written with.
 */
final class ScriptSocket {
    /** The socket's place in the script's view of its life ({@code enum socket_state_t}). */
    enum State {
        INIT, NEW, PASSIVE_LISTENING, PASSIVE_PACKET_RECEIVED, PASSIVE_SYNACK_SENT, PASSIVE_SYNACK_ACKED,
        ACTIVE_CONNECTING, ACTIVE_SYN_SENT, ACTIVE_SYN_ACKED
    }

    State state = State.INIT;
    /** IPPROTO_TCP, IPPROTO_UDP. */
    int protocol;
    int scriptFd = -1;
    int liveFd = -1;

    int localIp;
    int localPort;
    int remoteIp;
    int remotePort;

    /** The seq of the script's SYN or SYN-ACK line. */
    long scriptLocalIsn;
    /** The seq of the host's SYN or SYN-ACK. */
    long liveLocalIsn;
    /** The seq of the injected SYN or SYN-ACK (the same in script and live). */
    long liveRemoteIsn;

    /** Outbound TS val, script value to live value, remembered for inbound TS ecr. */
    final Map<Long, Long> tsValMap = new HashMap<>();
    boolean foundFirstTs;
    long firstScriptTsVal;
    long firstActualTsVal;

    /** {@code remote_seq_script_to_live_offset}. */
    long remoteSeqScriptToLive(boolean syn) {
        return syn ? 0 : liveRemoteIsn;
    }

    /** {@code local_seq_script_to_live_offset}. */
    long localSeqScriptToLive(boolean syn) {
        return syn ? liveLocalIsn - scriptLocalIsn : liveLocalIsn;
    }

    /** True when a live packet from {@code (src, sport)} to {@code (dst, dport)} is this socket's outbound traffic. */
    boolean isOutbound(int src, int sport, int dst, int dport) {
        return src == localIp && sport == localPort && dst == remoteIp && dport == remotePort;
    }

    @Override
    public String toString() {
        return "socket[fd " + scriptFd + "/" + liveFd + " " + state + " " + dev.stacksim.wire.Ipv4Address.toString(localIp)
                + ":" + localPort + " > " + dev.stacksim.wire.Ipv4Address.toString(remoteIp) + ":" + remotePort + "]";
    }
}
