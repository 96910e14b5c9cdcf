package dev.stacksim.tcp;

/**
 * What the established table holds ({@code struct sock_common} of a full socket or a TIME_WAIT
 * minisock): a connection's 4-tuple seen from this host, and the link to the next entry of its
 * hash chain.
 */
interface TcpEhashEntry {
    /** This host's address. */
    int localAddr();

    /** This host's port. */
    int localPort();

    /** The peer's address. */
    int remoteAddr();

    /** The peer's port. */
    int remotePort();

    /** The next entry in the chain, or null. */
    TcpEhashEntry ehashNext();

    /** Sets the next entry in the chain. */
    void setEhashNext(TcpEhashEntry next);
}
