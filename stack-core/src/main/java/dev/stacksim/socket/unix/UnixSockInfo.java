package dev.stacksim.socket.unix;

/**
 * One AF_UNIX socket as {@code unix_diag} reports it to {@code ss -x}
 * ({@code net/unix/diag.c}: {@code sk_diag_fill}, {@code sk_diag_show_rqlen}). A snapshot taken
 * by {@link UnixNamespace#sockets()}.
 *
 * @param type   {@code SOCK_STREAM} (1) or {@code SOCK_DGRAM} (2)
 * @param state  {@code sk_state}: {@link #TCP_LISTEN}, {@link #TCP_ESTABLISHED} (connected, or a
 *               datagram socket someone connected to) or {@link #TCP_CLOSE}
 * @param rqueue a listener's pending connections; a stream's unread bytes; the length of a
 *               datagram socket's next datagram ({@code unix_inq_len})
 * @param wqueue a listener's backlog; else the truesize of what this socket sent that its peer
 *               has not read yet ({@code sk_wmem_alloc}, {@code unix_outq_len})
 * @param path   the bound path, an accepted socket's listener's path, an abstract name with
 *               {@code @} for each NUL, or null when unnamed
 * @param inode  the socket's inode
 * @param peer   the peer's inode; 0 without a peer, or when the peer has no file (not yet
 *               accepted, or closed)
 */
public record UnixSockInfo(int type, int state, int rqueue, int wqueue, String path, long inode, long peer) {
    /** {@code TCP_ESTABLISHED}, as AF_UNIX reuses TCP's state numbers. */
    public static final int TCP_ESTABLISHED = 1;
    /** {@code TCP_CLOSE}: not connected. */
    public static final int TCP_CLOSE = 7;
    /** {@code TCP_LISTEN}. */
    public static final int TCP_LISTEN = 10;
}
