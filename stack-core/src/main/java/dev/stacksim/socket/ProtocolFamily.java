package dev.stacksim.socket;

/**
 * A protocol family that {@code socket()} can create sockets of: Linux's
 * {@code struct net_proto_family}, registered with {@link SocketLayer#registerFamily} as
 * {@code sock_register} fills {@code net_families[]}. AF_UNIX registers itself in every
 * {@link SocketLayer}; AF_INET registers once TCP and UDP exist.
 */
public interface ProtocolFamily {
    /** The family number: {@link SocketConstants#AF_UNIX}, {@link SocketConstants#AF_INET}. */
    int family();

    /**
     * Makes {@code sock} a socket of this family ({@code net_proto_family.create}): checks the type
     * (already stripped of SOCK_NONBLOCK/SOCK_CLOEXEC and within 0..SOCK_MAX) and the protocol,
     * then installs the protocol's {@link ProtoOps} with {@link Socket#setOps}.
     *
     * @return 0, or -errno: ESOCKTNOSUPPORT for a type the family lacks, EPROTONOSUPPORT for a
     *         protocol that does not fit (Linux: {@code socket(AF_UNIX, SOCK_STREAM, 6)} → 93)
     */
    int create(Socket sock, int type, int protocol);

    /**
     * Why {@link #create} failed with {@code errno} for this type and protocol, when Linux's text
     * alone would mislead: the explanation is appended to the {@link ErrnoException}'s message
     * ({@code ESOCKTNOSUPPORT ... - TCP is not built yet}). Null (the default) adds nothing.
     *
     * @param type     the type without SOCK_NONBLOCK/SOCK_CLOEXEC
     * @param protocol the protocol given to socket()
     * @param errno    the error create returned
     */
    default String explain(int type, int protocol, Errno errno) {
        return null;
    }
}
