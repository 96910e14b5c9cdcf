package dev.stacksim.socket;

import static dev.stacksim.socket.SocketConstants.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.stacksim.sim.EventLoop;
import dev.stacksim.sim.Timer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The reusable state of blocking calls ({@link BlockingCall}) in virtual time: a call made while
 * one of the same kind waits takes its own state, and calls in a row do not see each other's.
 */
class BlockingCallTest {
    private final EventLoop loop = EventLoop.virtual(5);
    private final TestHost host = new TestHost(loop, SocketLayer.Config.defaults());
    private final Process p = host.spawn("app");

    @AfterEach
    void tearDown() {
        try {
            host.close();
        } finally {
            loop.close();
        }
    }

    @Test
    void aRecvMadeByAnEventCallbackWhileARecvWaitsDoesNotDisturbIt() {
        int[] waited = p.socketpair(AF_UNIX, SOCK_STREAM, 0);
        int[] other = p.socketpair(AF_UNIX, SOCK_STREAM, 0);
        Errno[] nested = new Errno[1];
        int[] nestedOk = new int[1];
        Timer t = new Timer(loop, "nested", () -> {
            // same process, same kind of call, while the test thread's recv is waiting
            ErrnoException e = assertThrows(ErrnoException.class,
                    () -> p.recv(other[1], new byte[10], 0, 10, MSG_DONTWAIT));
            nested[0] = e.errno();
            p.send(other[0], "x".getBytes(StandardCharsets.US_ASCII), 0);
            nestedOk[0] = p.recv(other[1], new byte[10], 0, 10, 0);
            p.send(waited[0], "hello".getBytes(StandardCharsets.US_ASCII), 0);
        });
        t.arm(1_000_000L);
        byte[] buf = new byte[100];
        int n = p.recv(waited[1], buf, 0, buf.length, 0);
        assertEquals(5, n);
        assertArrayEquals("hello".getBytes(StandardCharsets.US_ASCII), Arrays.copyOf(buf, n));
        assertEquals(Errno.EAGAIN, nested[0]);
        assertEquals(1, nestedOk[0]);
    }

    @Test
    void callsInARowKeepTheirOwnLengthsFlagsAndErrors() {
        int[] sv = p.socketpair(AF_UNIX, SOCK_STREAM, 0);
        assertEquals(3, p.send(sv[0], new byte[] {1, 2, 3}, 0));
        byte[] buf = new byte[8];
        assertEquals(2, p.recv(sv[1], buf, 4, 2, 0));
        assertArrayEquals(new byte[] {0, 0, 0, 0, 1, 2, 0, 0}, buf);
        assertEquals(1, p.recv(sv[1], buf, 0, 8, MSG_PEEK));
        assertEquals(1, p.recv(sv[1], buf, 0, 8, 0));
        ErrnoException empty = assertThrows(ErrnoException.class, () -> p.recv(sv[1], buf, 0, 8, MSG_DONTWAIT));
        assertEquals(Errno.EAGAIN, empty.errno());
        assertEquals("recv(" + sv[1] + ", len=8, MSG_DONTWAIT): EAGAIN (11) Resource temporarily unavailable",
                empty.getMessage());
        ErrnoException bad = assertThrows(ErrnoException.class, () -> p.read(99, buf, 0, 4));
        assertEquals(Errno.EBADF, bad.errno());
        assertEquals("read(99, len=4): EBADF (9) Bad file descriptor", bad.getMessage());
        p.close(sv[1]);
        ErrnoException pipe = assertThrows(ErrnoException.class, () -> p.write(sv[0], buf, 0, 4));
        assertEquals(Errno.EPIPE, pipe.errno());
        assertEquals(1, p.sigpipeCount());
    }
}
