package dev.stacksim.socket;

import static dev.stacksim.socket.SocketConstants.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Processes and descriptors: lowest-free allocation, dup/dup2/close, fork, fcntl flags, exit. */
class ProcessTest {
    private final TestHost host = new TestHost();
    private final Process p = host.spawn("app");

    @AfterEach
    void tearDown() {
        host.close();
    }

    private static Errno errno(Runnable r) {
        return assertThrows(ErrnoException.class, r::run).errno();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void aNewProcessHasItsTerminalOnZeroOneTwo() {
        assertEquals(List.of("0 -> /dev/pts/0", "1 -> /dev/pts/0", "2 -> /dev/pts/0"), p.fds());
        assertEquals(Errno.ENOTSOCK, errno(() -> p.bind(0, SockAddr.unix("/x"))));
        assertEquals(Errno.ENOTSOCK, errno(() -> p.recv(1, 10, 0)));
        assertEquals(5, p.write(1, bytes("hello"), 0, 5));
        assertEquals(0, p.read(0, new byte[4], 0, 4));
    }

    @Test
    void descriptorsTakeTheLowestFreeNumber() {
        int a = p.socket(AF_UNIX, SOCK_STREAM, 0);
        int b = p.socket(AF_UNIX, SOCK_STREAM, 0);
        int c = p.socket(AF_UNIX, SOCK_DGRAM, 0);
        assertEquals(List.of(3, 4, 5), List.of(a, b, c));
        p.close(a);
        assertEquals(3, p.socket(AF_UNIX, SOCK_STREAM, 0));
        p.close(1);
        assertEquals(1, p.dup(b));
        assertEquals(6, p.socket(AF_UNIX, SOCK_STREAM, 0));
    }

    @Test
    void procFdShowsSocketInodesInCreationOrder() {
        int a = p.socket(AF_UNIX, SOCK_STREAM, 0);
        int[] sv = p.socketpair(AF_UNIX, SOCK_STREAM, 0);
        int ep = p.epoll_create1(0);
        assertEquals(List.of("0 -> /dev/pts/0", "1 -> /dev/pts/0", "2 -> /dev/pts/0",
                a + " -> socket:[12345]", sv[0] + " -> socket:[12346]", sv[1] + " -> socket:[12347]",
                ep + " -> anon_inode:[eventpoll]"), p.fds());
    }

    @Test
    void closeOfAClosedDescriptorIsEbadf() {
        int a = p.socket(AF_UNIX, SOCK_STREAM, 0);
        p.close(a);
        ErrnoException e = assertThrows(ErrnoException.class, () -> p.close(a));
        assertEquals("close(3): EBADF (9) Bad file descriptor", e.getMessage());
        assertEquals(Errno.EBADF, errno(() -> p.send(a, bytes("x"), 0)));
        assertEquals(Errno.EBADF, errno(() -> p.close(999)));
    }

    @Test
    void dupSharesTheSocketAndCloseActsOnlyOnTheLastDescriptor() {
        int[] sv = p.socketpair(AF_UNIX, SOCK_STREAM, 0);
        int d = p.dup(sv[0]);
        p.close(sv[0]);
        p.send(d, bytes("still open"), 0);
        assertEquals("still open", new String(p.recv(sv[1], 20, 0), StandardCharsets.US_ASCII));
        p.close(d);
        assertEquals(0, p.recv(sv[1], 20, 0).length);                 // now the peer sees EOF
    }

    @Test
    void dup2ReplacesTheTargetAndIsANoOpOnItself() {
        int[] sv = p.socketpair(AF_UNIX, SOCK_STREAM, 0);
        int other = p.socket(AF_UNIX, SOCK_DGRAM, 0);
        assertEquals(other, p.dup2(sv[0], other));                     // the datagram socket is closed
        assertEquals(p.fds().get(sv[0]).substring(2), p.fds().get(other).substring(2));
        assertEquals(sv[0], p.dup2(sv[0], sv[0]));                     // 6.18: dup2(fd, fd) -> fd
        assertEquals(Errno.EBADF, errno(() -> p.dup2(999, 3)));        // 6.18: bad oldfd
        assertEquals(Errno.EBADF, errno(() -> p.dup2(sv[0], 100_000))); // 6.18: newfd past RLIMIT_NOFILE
        assertEquals(9, p.dup2(sv[0], 9));
        assertEquals(List.of("0", "1", "2", "3", "4", "5", "9"), p.fds().stream().map(l -> l.split(" ")[0]).toList());
    }

    @Test
    void cloexecBelongsToTheDescriptorAndNonblockToTheOpenFile() {
        int fd = p.socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        assertEquals(FD_CLOEXEC, p.fcntl(fd, F_GETFD));
        int d = p.dup(fd);
        assertEquals(0, p.fcntl(d, F_GETFD));                          // dup clears FD_CLOEXEC
        assertEquals(O_RDWR, p.fcntl(fd, F_GETFL));                    // 6.18: F_GETFL of a socket -> 0x2
        p.fcntl(d, F_SETFL, O_NONBLOCK);
        assertEquals(O_RDWR | O_NONBLOCK, p.fcntl(fd, F_GETFL));       // shared by both descriptors
        p.fcntl(fd, F_SETFD, 0);
        p.fcntl(d, F_SETFD, FD_CLOEXEC);
        assertEquals(0, p.fcntl(fd, F_GETFD));
        assertEquals(FD_CLOEXEC, p.fcntl(d, F_GETFD));
        assertEquals(Errno.EINVAL, errno(() -> p.fcntl(fd, 9999)));   // 6.18: unknown command
        p.execve("app2");
        assertEquals(List.of("0", "1", "2", String.valueOf(fd)), p.fds().stream().map(l -> l.split(" ")[0]).toList());
        assertEquals("app2", p.name());
    }

    @Test
    void sockNonblockMakesAnEmptyRecvEagainAtOnce() {
        int[] sv = p.socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
        assertEquals(O_RDWR | O_NONBLOCK, p.fcntl(sv[0], F_GETFL));
        assertEquals(Errno.EAGAIN, errno(() -> p.recv(sv[0], 10, 0)));
    }

    @Test
    void aFullTableIsEmfile() {
        p.setRlimitNofile(6);
        p.socket(AF_UNIX, SOCK_STREAM, 0);
        p.socket(AF_UNIX, SOCK_STREAM, 0);
        assertEquals(Errno.EINVAL, errno(() -> p.socket(AF_UNIX, 99, 0)));    // argument errors come first
        int last = p.socket(AF_UNIX, SOCK_STREAM, 0);
        ErrnoException e = assertThrows(ErrnoException.class, () -> p.socket(AF_UNIX, SOCK_STREAM, 0));
        assertEquals("socket(AF_UNIX, SOCK_STREAM, 0): EMFILE (24) Too many open files", e.getMessage());
        assertEquals(Errno.EMFILE, errno(() -> p.dup(last)));
        assertEquals(Errno.EMFILE, errno(() -> p.epoll_create1(0)));
        p.close(last);
        assertEquals(Errno.EMFILE, errno(() -> p.socketpair(AF_UNIX, SOCK_STREAM, 0))); // needs two
    }

    /**
     * The seeds' parent/child example: after fork both hold the connection; the child's close only
     * drops a reference, the child's shutdown ends the connection for everybody.
     */
    @Test
    void forkSharesTheConnectionChildCloseKeepsItChildShutdownEndsIt() {
        Process client = host.spawn("client");
        int lfd = p.socket(AF_UNIX, SOCK_STREAM, 0);
        p.bind(lfd, SockAddr.unix("/srv"));
        p.listen(lfd, 5);
        int fd = client.socket(AF_UNIX, SOCK_STREAM, 0);
        client.connect(fd, SockAddr.unix("/srv"));
        int conn = p.accept(lfd);

        Process child = p.fork();
        assertNotEquals(p.pid(), child.pid());
        assertEquals(p.fds(), child.fds());
        child.close(conn);                                   // a reference goes, the connection stays
        client.send(fd, bytes("still there?"), 0);
        assertEquals("still there?", new String(p.recv(conn, 100, 0), StandardCharsets.US_ASCII));
        p.send(conn, bytes("yes"), 0);
        assertEquals("yes", new String(client.recv(fd, 100, 0), StandardCharsets.US_ASCII));

        Process child2 = p.fork();
        child2.shutdown(conn, SHUT_WR);                      // acts at once, for the parent too
        assertEquals(0, client.recv(fd, 100, 0).length);     // the client sees EOF
        assertEquals(Errno.EPIPE, errno(() -> p.send(conn, bytes("x"), MSG_NOSIGNAL)));
        child2.exit();
        child.exit();
        assertFalse(child.isAlive());
        assertEquals(List.of(p.pid(), client.pid()), host.layer.processes().stream().map(Process::pid).toList());
    }

    @Test
    void exitClosesEverythingAndLaterCallsThrow() {
        int[] sv = p.socketpair(AF_UNIX, SOCK_STREAM, 0);
        p.send(sv[0], bytes("unread"), 0);
        Process other = p.fork();
        p.exit();
        assertThrows(IllegalStateException.class, () -> p.socket(AF_UNIX, SOCK_STREAM, 0));
        assertEquals("unread", new String(other.recv(sv[1], 10, 0), StandardCharsets.US_ASCII)); // the child holds them
        other.exit();
        assertTrue(host.layer.processes().isEmpty());
        assertEquals(0, host.pool.outstanding());
    }

    @Test
    void pidsCountUpAndForkKeepsNameAndUid() {
        Process q = host.layer.spawn("root-app");
        assertEquals(SocketLayer.FIRST_PID, p.pid());
        assertEquals(SocketLayer.FIRST_PID + 1, q.pid());
        assertEquals(0, q.uid());
        Process c = p.fork();
        assertEquals(SocketLayer.FIRST_PID + 2, c.pid());
        assertEquals(1000, c.uid());
        assertEquals("app", c.name());
        assertEquals(c, host.layer.process(c.pid()));
    }
}
