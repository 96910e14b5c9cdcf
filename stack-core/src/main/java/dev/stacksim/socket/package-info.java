/**
 * The Berkeley socket facade: processes with descriptor tables, the calls of {@code socket(2)} and
 * friends with Linux's {@link dev.stacksim.socket.Errno} values, socket addresses and the C
 * constants ({@link dev.stacksim.socket.SocketConstants}). Linux counterpart: {@code net/socket.c}.
 *
 * <p>Being built in the socket-facade issue: this package holds its foundations (errno, constants,
 * addresses) so far.
 */
package dev.stacksim.socket;
