/**
 * AF_UNIX sockets within one host ({@code net/unix/af_unix.c}): stream sockets
 * ({@link dev.stacksim.socket.unix.UnixStream}) and datagram sockets
 * ({@link dev.stacksim.socket.unix.UnixDgram}), anonymous pairs from {@code socketpair()} or named
 * by paths in the host's {@link dev.stacksim.socket.unix.UnixNamespace}.
 *
 * <p>What the seeds point out and the tests show: AF_UNIX datagrams are reliable and ordered,
 * unlike UDP; a full receiver makes the sender wait, it never drops. Data is carried in skbs
 * charged to the sending socket until read.
 */
package dev.stacksim.socket.unix;
