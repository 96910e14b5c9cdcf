package dev.stacksim.socket.unix;

import static dev.stacksim.socket.SocketConstants.AF_UNIX;
import static dev.stacksim.socket.SocketConstants.SOCK_DGRAM;
import static dev.stacksim.socket.SocketConstants.SOCK_RAW;
import static dev.stacksim.socket.SocketConstants.SOCK_STREAM;

import dev.stacksim.socket.Errno;
import dev.stacksim.socket.ProtocolFamily;
import dev.stacksim.socket.Socket;

/**
 * AF_UNIX ({@code unix_family_ops}, {@code unix_create} in {@code net/unix/af_unix.c}): local
 * sockets between the processes of one host, stream ({@link UnixStream}) and datagram
 * ({@link UnixDgram}).
 *
 * <p>As on Linux 6.18 (observed): protocol 0 or 1 (PF_UNIX) is accepted, any other is
 * EPROTONOSUPPORT; SOCK_RAW is quietly made SOCK_DGRAM; other types are ESOCKTNOSUPPORT.
 * SOCK_SEQPACKET, which Linux has, is not modelled here and answers ESOCKTNOSUPPORT.
 */
public final class UnixFamily implements ProtocolFamily {
    @Override
    public int family() {
        return AF_UNIX;
    }

    @Override
    public int create(Socket sock, int type, int protocol) {
        if (protocol != 0 && protocol != AF_UNIX) {
            return -Errno.EPROTONOSUPPORT.number();
        }
        switch (type) {
            case SOCK_STREAM -> sock.setOps(new UnixStream(sock));
            case SOCK_RAW, SOCK_DGRAM -> {
                sock.setType(SOCK_DGRAM);
                sock.setOps(new UnixDgram(sock));
            }
            default -> {
                return -Errno.ESOCKTNOSUPPORT.number();
            }
        }
        return 0;
    }

    @Override
    public String toString() {
        return "AF_UNIX";
    }
}
