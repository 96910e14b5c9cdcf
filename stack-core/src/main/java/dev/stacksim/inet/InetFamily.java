package dev.stacksim.inet;

import static dev.stacksim.socket.SocketConstants.AF_INET;
import static dev.stacksim.socket.SocketConstants.IPPROTO_ICMP;
import static dev.stacksim.socket.SocketConstants.IPPROTO_IP;
import static dev.stacksim.socket.SocketConstants.IPPROTO_MAX;
import static dev.stacksim.socket.SocketConstants.SOCK_DGRAM;
import static dev.stacksim.socket.SocketConstants.SOCK_RAW;
import static dev.stacksim.socket.SocketConstants.SOCK_STREAM;

import dev.stacksim.socket.Errno;
import dev.stacksim.socket.ProtoOps;
import dev.stacksim.socket.ProtocolFamily;
import dev.stacksim.socket.Socket;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * AF_INET ({@code inet_family_ops}, {@code inet_create} in {@code net/ipv4/af_inet.c}): which
 * protocol serves a {@code socket(AF_INET, type, protocol)} call. Protocols register per type
 * ({@link #register}, {@code inet_register_protosw}); the host registers UDP for SOCK_DGRAM and TCP
 * for SOCK_STREAM.
 *
 * <h2>Choosing the protocol ({@code inet_create}), as observed on Linux 6.18</h2>
 * <ul>
 *   <li>a protocol outside 0..262: EINVAL;</li>
 *   <li>no protocol registered for the type at all: <b>ESOCKTNOSUPPORT</b> (94). SOCK_SEQPACKET answers
 *       it on Linux;</li>
 *   <li>protocol 0 takes the type's first protocol (SOCK_DGRAM: UDP, so SO_PROTOCOL reads 17);
 *       a protocol the type does not have: EPROTONOSUPPORT ({@code socket(AF_INET, SOCK_DGRAM,
 *       IPPROTO_TCP)});</li>
 *   <li>SOCK_RAW: protocol 0 is EPROTONOSUPPORT (Linux's raw entry only matches a named
 *       protocol); with one, a uid other than 0 gets EPERM (no CAP_NET_RAW); uid 0 gets
 *       ESOCKTNOSUPPORT here, since raw sockets are not modelled;</li>
 *   <li>SOCK_DGRAM with IPPROTO_ICMP (a ping socket): EACCES, as Linux answers with its default
 *       {@code net.ipv4.ping_group_range} of {@code 1 0} (no group allowed), whoever asks.</li>
 * </ul>
 */
public final class InetFamily implements ProtocolFamily {
    /** {@code struct inet_protosw}: a protocol of a socket type, and how to make its sockets. */
    private record Protosw(int type, int protocol, Function<Socket, ProtoOps> factory) {
    }

    private final List<Protosw> protosw = new ArrayList<>();

    /**
     * AF_INET with Linux's two entries this simulator does not implement (the raw socket's
     * wildcard entry and the ping socket), so that they answer as Linux does.
     */
    public InetFamily() {
        protosw.add(new Protosw(SOCK_DGRAM, IPPROTO_ICMP, null));
        protosw.add(new Protosw(SOCK_RAW, IPPROTO_IP, null));
    }

    /**
     * Registers a protocol for a socket type ({@code inet_register_protosw}), ahead of the built-in
     * entries of that type so that protocol 0 chooses it.
     *
     * @param factory makes the protocol's {@link ProtoOps} for a new socket
     * @throws IllegalArgumentException when the type already has that protocol
     */
    public void register(int type, int protocol, Function<Socket, ProtoOps> factory) {
        int at = protosw.size();
        for (int i = 0; i < protosw.size(); i++) {
            Protosw p = protosw.get(i);
            if (p.type == type && p.protocol == protocol) {
                throw new IllegalArgumentException("inet: type=" + type + " protocol=" + protocol + " already registered");
            }
            if (p.type == type && p.factory == null && at == protosw.size()) {
                at = i;
            }
        }
        protosw.add(at, new Protosw(type, protocol, factory));
    }

    /** True when some protocol serves {@code type}. */
    public boolean hasType(int type) {
        for (Protosw p : protosw) {
            if (p.type == type && p.factory != null) {
                return true;
            }
        }
        return false;
    }

    @Override
    public int family() {
        return AF_INET;
    }

    @Override
    public int create(Socket sock, int type, int protocol) {
        if (protocol < 0 || protocol >= IPPROTO_MAX) {
            return -Errno.EINVAL.number();
        }
        Protosw answer = null;
        int err = -Errno.ESOCKTNOSUPPORT.number();
        int proto = protocol;
        for (Protosw p : protosw) {
            if (p.type != type) {
                continue;
            }
            err = 0;
            if (proto == p.protocol) {
                if (proto != IPPROTO_IP) {
                    answer = p;
                    break;
                }
            } else {
                if (proto == IPPROTO_IP) {
                    proto = p.protocol;
                    answer = p;
                    break;
                }
                if (p.protocol == IPPROTO_IP) {
                    answer = p;
                    break;
                }
            }
            err = -Errno.EPROTONOSUPPORT.number();
        }
        if (answer == null) {
            return err;
        }
        if (type == SOCK_RAW && sock.ownerUid() != 0) {
            return -Errno.EPERM.number();
        }
        if (answer.factory == null) {
            return type == SOCK_RAW ? -Errno.ESOCKTNOSUPPORT.number() : -Errno.EACCES.number();
        }
        sock.setProtocol(proto);
        sock.setOps(answer.factory.apply(sock));
        return 0;
    }

    @Override
    public String explain(int type, int protocol, Errno errno) {
        if (type == SOCK_RAW && errno == Errno.EPERM) {
            return "raw sockets need CAP_NET_RAW (uid 0)";
        }
        if (type == SOCK_RAW && errno == Errno.ESOCKTNOSUPPORT) {
            return "raw sockets are not modelled";
        }
        if (type == SOCK_DGRAM && protocol == IPPROTO_ICMP && errno == Errno.EACCES) {
            return "ping sockets: net.ipv4.ping_group_range is 1 0 (no group), Linux's default";
        }
        return null;
    }

    @Override
    public String toString() {
        return "AF_INET";
    }
}
