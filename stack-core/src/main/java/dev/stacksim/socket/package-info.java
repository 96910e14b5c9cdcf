/**
 * The Berkeley socket facade: processes with descriptor tables, the calls of {@code socket(2)}
 * and friends with Linux's {@link dev.stacksim.socket.Errno} values, readiness ({@code poll},
 * {@code select}, {@code epoll}), and the seam protocols plug into. Linux counterparts:
 * {@code net/socket.c}, {@code fs/file.c}, {@code fs/select.c}, {@code fs/eventpoll.c}.
 *
 * <h2>The layers of a call</h2>
 * <pre>
 *   Process.recv(fd, ...)                       the C call: errno → ErrnoException
 *     descriptor table → open file              FdTable, OpenFile (refcount, O_NONBLOCK)
 *       Socket                                  generic: options, buffers, pending error, wait queue
 *         ProtoOps.recvmsg(msg, flags)          the protocol: UnixStream, UnixDgram, UdpSock; TCP later
 *     would block? wait on the Socket's WaitQueue, in virtual or real time, then try again
 * </pre>
 *
 * <h2>For users</h2>
 * {@link dev.stacksim.socket.SocketLayer} (one per host) spawns
 * {@link dev.stacksim.socket.Process}es; a process makes the calls under their C names with the
 * constants of {@link dev.stacksim.socket.SocketConstants}:
 * <pre>{@code
 * Process srv = layer.spawn("server"), cli = layer.spawn("client");
 * int lfd = srv.socket(AF_UNIX, SOCK_STREAM, 0);
 * srv.bind(lfd, SockAddr.unix("/run/echo.sock"));
 * srv.listen(lfd, 16);
 * int fd = cli.socket(AF_UNIX, SOCK_STREAM, 0);
 * cli.connect(fd, SockAddr.unix("/run/echo.sock"));   // the kernel completes it
 * int cfd = srv.accept(lfd);                          // already queued
 * cli.send(fd, "hello".getBytes(), 0);
 * byte[] got = srv.recv(cfd, 100, 0);                 // one thread plays both ends
 * }</pre>
 * Blocking calls run the simulation until they can complete; one that nothing left in the
 * simulation can complete throws {@link dev.stacksim.socket.SimulationStalledException}.
 *
 * <h2>For protocol implementers</h2>
 * A family registers a {@link dev.stacksim.socket.ProtocolFamily} with
 * {@link dev.stacksim.socket.SocketLayer#registerFamily}; its {@code create} installs a
 * {@link dev.stacksim.socket.ProtoOps} on the new {@link dev.stacksim.socket.Socket}. Operations
 * return {@code -errno} instead of throwing and never block: they answer {@code -EAGAIN} (or
 * {@code -EINPROGRESS} for connect) and wake the socket's {@link dev.stacksim.socket.WaitQueue}
 * when things change; the generic layer does the waiting, the timeouts and the stream loops.
 * Options of level SOL_SOCKET live on {@link dev.stacksim.socket.Socket}; skbs are charged to
 * {@link dev.stacksim.socket.Socket#wmem()}/{@link dev.stacksim.socket.Socket#rmem()}.
 *
 * <h2>Not modelled (yet)</h2>
 * Signals (SIGPIPE is a counter), SOCK_SEQPACKET, AF_UNIX abstract names and autobind, passing
 * descriptors (SCM_RIGHTS), nested epoll instances, {@code connect(AF_UNSPEC)}.
 */
package dev.stacksim.socket;
