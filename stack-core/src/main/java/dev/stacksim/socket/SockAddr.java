package dev.stacksim.socket;

import dev.stacksim.wire.Ipv4Address;

/**
 * A socket address: {@code struct sockaddr_in} ({@link Inet}: an IPv4 address and a port) or
 * {@code struct sockaddr_un} ({@link Unix}: a path in the host's AF_UNIX namespace).
 *
 * <p>Ports and addresses are plain values here: 9501 is 9501, not {@code htons(9501)}; the byte
 * order of the wire is the wire formats' business (see {@code dev.stacksim.wire.Inet} for the C
 * helpers and why {@code sin_port} holds {@code 0x1d25}).
 */
public sealed interface SockAddr permits SockAddr.Inet, SockAddr.Unix, SockAddr.Unspec {
    /** The address family: {@link SocketConstants#AF_INET} or {@link SocketConstants#AF_UNIX}. */
    int family();

    /** {@code 10.0.0.2:9501}: an IPv4 address in dotted decimal and a port 0..65535. */
    static Inet of(String address, int port) {
        return new Inet(Ipv4Address.parse(address), port);
    }

    /** An IPv4 address and a port 0..65535. */
    static Inet of(Ipv4Address address, int port) {
        return new Inet(address, port);
    }

    /** {@code 0.0.0.0:port}: INADDR_ANY, every local address. */
    static Inet any(int port) {
        return new Inet(Ipv4Address.ANY, port);
    }

    /** A path in the host's AF_UNIX namespace, e.g. {@code /run/app.sock}. */
    static Unix unix(String path) {
        return new Unix(path);
    }

    /** An AF_UNSPEC address: {@code connect()} with it dissolves a TCP connection ({@code tcp_disconnect}). */
    static Unspec unspec() {
        return Unspec.INSTANCE;
    }

    /** {@code struct sockaddr_in}: an IPv4 address and a port. */
    record Inet(Ipv4Address address, int port) implements SockAddr {
        /** @throws IllegalArgumentException when the address is null or the port is outside 0..65535 */
        public Inet {
            if (address == null) {
                throw new IllegalArgumentException("sockaddr_in: address=null");
            }
            if (port < 0 || port > 0xFFFF) {
                throw new IllegalArgumentException("sockaddr_in: port=" + port + " not in 0..65535");
            }
        }

        @Override
        public int family() {
            return SocketConstants.AF_INET;
        }

        /** True for {@code 0.0.0.0}. */
        public boolean isWildcard() {
            return address.isUnspecified();
        }

        /** {@code 10.0.0.2:9501}, as {@code ss} prints it ({@code *:9501} is left to the printers). */
        @Override
        public String toString() {
            return address + ":" + port;
        }
    }

    /**
     * {@code struct sockaddr_un}: a filesystem path (at most 107 bytes, as {@code sun_path}), or the
     * empty path of an unbound socket.
     */
    record Unix(String path) implements SockAddr {
        /** The longest path {@code sun_path} holds, without its terminating NUL. */
        public static final int MAX_PATH = 107;

        /** @throws IllegalArgumentException when the path is null or too long */
        public Unix {
            if (path == null) {
                throw new IllegalArgumentException("sockaddr_un: path=null");
            }
            if (path.length() > MAX_PATH) {
                throw new IllegalArgumentException("sockaddr_un: path length=" + path.length() + " max=" + MAX_PATH);
            }
        }

        @Override
        public int family() {
            return SocketConstants.AF_UNIX;
        }

        @Override
        public String toString() {
            return path.isEmpty() ? "@" : path;
        }
    }

    /** {@code AF_UNSPEC}: no address; connect() with it disconnects. */
    record Unspec() implements SockAddr {
        /** The one value. */
        public static final Unspec INSTANCE = new Unspec();

        @Override
        public int family() {
            return SocketConstants.AF_UNSPEC;
        }

        @Override
        public String toString() {
            return "AF_UNSPEC";
        }
    }
}
