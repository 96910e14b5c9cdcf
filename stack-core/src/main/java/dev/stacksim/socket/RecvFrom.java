package dev.stacksim.socket;

/**
 * What {@code recvfrom} returns in C through its return value and out-parameters: the byte count
 * ({@code n}), the sender's address ({@code src_addr}) and the message flags that {@code recvmsg}
 * would set (MSG_TRUNC when a datagram did not fit). For an allocation-free loop use
 * {@link Process#recvmsg} with a reused {@link MsgHdr}.
 *
 * @param length bytes copied, or with MSG_TRUNC on a datagram socket the datagram's real length
 * @param from   the sender: for AF_UNIX its bound path, or the empty path when unnamed; null when
 *               the protocol reports none
 * @param flags  message flags: MSG_TRUNC
 */
public record RecvFrom(int length, SockAddr from, int flags) {
}
