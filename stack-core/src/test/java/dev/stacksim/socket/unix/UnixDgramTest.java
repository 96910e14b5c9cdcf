package dev.stacksim.socket.unix;

import static dev.stacksim.socket.SocketConstants.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.stacksim.socket.Errno;
import dev.stacksim.socket.ErrnoException;
import dev.stacksim.socket.PollFd;
import dev.stacksim.socket.Process;
import dev.stacksim.socket.RecvFrom;
import dev.stacksim.socket.SockAddr;
import dev.stacksim.socket.TestHost;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** AF_UNIX datagram sockets; expected values observed on Linux 6.18 (net.unix.max_dgram_qlen = 10). */
class UnixDgramTest {
    private final TestHost host = new TestHost();
    private final Process rcv = host.spawn("receiver");
    private final Process snd = host.spawn("sender");

    @AfterEach
    void tearDown() {
        host.close();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static String str(byte[] b, int n) {
        return new String(b, 0, n, StandardCharsets.US_ASCII);
    }

    private static Errno errno(Runnable r) {
        return assertThrows(ErrnoException.class, r::run).errno();
    }

    private int mask(Process p, int fd) {
        PollFd pfd = new PollFd(fd, 0xFFFF);
        p.poll(new PollFd[] {pfd}, 0);
        return pfd.revents;
    }

    @Test
    void boundariesAreKeptAndAShortBufferTruncates() {
        int[] sv = snd.socketpair(AF_UNIX, SOCK_DGRAM, 0);
        snd.send(sv[0], bytes("0123456789"), 0);
        snd.send(sv[0], bytes("ab"), 0);
        assertEquals(10, snd.ioctl(sv[1], FIONREAD));                 // 6.18: the next datagram's length
        byte[] buf = new byte[4];
        RecvFrom r = snd.recvfrom(sv[1], buf, 0, 4, 0);
        assertEquals(4, r.length());
        assertEquals(MSG_TRUNC, r.flags());
        assertEquals("0123", str(buf, 4));                             // the rest of the datagram is gone
        assertEquals(2, snd.recv(sv[1], new byte[1], 0, 1, MSG_TRUNC)); // 6.18: MSG_TRUNC returns the real length
        assertEquals(0, snd.send(sv[0], new byte[0], 0));              // an empty datagram is a datagram
        assertEquals(0, snd.recv(sv[1], new byte[10], 0, 10, MSG_DONTWAIT));
        assertEquals(Errno.EAGAIN, errno(() -> snd.recv(sv[1], new byte[10], 0, 10, MSG_DONTWAIT)));
    }

    @Test
    void recvfromNamesTheSenderByItsPathOrTheEmptyPath() {
        int r = rcv.socket(AF_UNIX, SOCK_DGRAM, 0);
        rcv.bind(r, SockAddr.unix("/r"));
        int anon = snd.socket(AF_UNIX, SOCK_DGRAM, 0);
        int named = snd.socket(AF_UNIX, SOCK_DGRAM, 0);
        snd.bind(named, SockAddr.unix("/w"));
        snd.sendto(anon, bytes("a"), 0, SockAddr.unix("/r"));
        snd.sendto(named, bytes("n"), 0, SockAddr.unix("/r"));
        assertEquals(SockAddr.unix(""), rcv.recvfrom(r, new byte[8], 0, 8, 0).from());
        assertEquals(SockAddr.unix("/w"), rcv.recvfrom(r, new byte[8], 0, 8, 0).from());
    }

    @Test
    void errnoTableAsObservedOnLinux() {
        int g = snd.socket(AF_UNIX, SOCK_DGRAM, 0);
        int st = rcv.socket(AF_UNIX, SOCK_STREAM, 0);
        rcv.bind(st, SockAddr.unix("/stream"));
        assertEquals(Errno.ENOTCONN, errno(() -> snd.send(g, bytes("x"), 0)));
        assertEquals(Errno.EPROTOTYPE, errno(() -> snd.sendto(g, bytes("x"), 0, SockAddr.unix("/stream"))));
        assertEquals(Errno.ENOENT, errno(() -> snd.sendto(g, bytes("x"), 0, SockAddr.unix("/missing"))));
        assertEquals(Errno.EAGAIN, errno(() -> snd.recv(g, 10, MSG_DONTWAIT)));
        assertEquals(Errno.EOPNOTSUPP, errno(() -> snd.accept(g)));
        assertEquals(Errno.ENOTCONN, errno(() -> snd.getpeername(g)));
        snd.shutdown(g, SHUT_WR);                                                   // 6.18: 0
        // 6.18: 212000 bytes fit a 212992 send buffer, 212992 do not (len > sndbuf - 32)
        int[] sv = snd.socketpair(AF_UNIX, SOCK_DGRAM, 0);
        assertEquals(Errno.EMSGSIZE, errno(() -> snd.send(sv[0], new byte[212_992], 0)));
        assertEquals(212_000, snd.send(sv[0], new byte[212_000], 0));
    }

    @Test
    void aConnectedReceiverTakesOnlyFromItsPeer() {
        int r = rcv.socket(AF_UNIX, SOCK_DGRAM, 0);
        rcv.bind(r, SockAddr.unix("/r"));
        int w3 = snd.socket(AF_UNIX, SOCK_DGRAM, 0);
        snd.bind(w3, SockAddr.unix("/w3"));
        rcv.connect(r, SockAddr.unix("/w3"));
        int other = snd.socket(AF_UNIX, SOCK_DGRAM, 0);
        assertEquals(Errno.EPERM, errno(() -> snd.sendto(other, bytes("x"), 0, SockAddr.unix("/r")))); // 6.18: EPERM
        assertEquals(1, snd.sendto(w3, bytes("x"), 0, SockAddr.unix("/r")));
        assertEquals(SockAddr.unix("/w3"), rcv.getpeername(r));
    }

    @Test
    void peerCloseMakesTheNextSendEconnrefusedThenEnotconn() {
        int[] sv = snd.socketpair(AF_UNIX, SOCK_DGRAM, 0);
        snd.close(sv[1]);
        assertEquals(POLLOUT | POLLWRNORM | POLLWRBAND, mask(snd, sv[0]));               // 6.18: POLLOUT only
        assertEquals(Errno.EAGAIN, errno(() -> snd.recv(sv[0], 1, MSG_DONTWAIT)));       // no EOF for datagrams
        assertEquals(Errno.ECONNREFUSED, errno(() -> snd.send(sv[0], bytes("x"), MSG_NOSIGNAL)));
        assertEquals(Errno.ENOTCONN, errno(() -> snd.send(sv[0], bytes("x"), MSG_NOSIGNAL)));
    }

    @Test
    void aFullReceiverQueueStopsUnconnectedSendersAtMaxDgramQlenPlusOne() {
        int r = rcv.socket(AF_UNIX, SOCK_DGRAM, 0);
        rcv.bind(r, SockAddr.unix("/r"));
        int w = snd.socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0);
        int sent = 0;
        try {
            while (true) {
                snd.sendto(w, bytes(Integer.toString(sent)), 0, SockAddr.unix("/r"));
                sent++;
            }
        } catch (ErrnoException e) {
            assertEquals(Errno.EAGAIN, e.errno());
        }
        assertEquals(11, sent);                                                           // 6.18: 11 with qlen 10
        int w2 = snd.socket(AF_UNIX, SOCK_DGRAM, 0);
        snd.connect(w2, SockAddr.unix("/r"));
        assertEquals(0, mask(snd, w2));                                                    // 6.18: not writable
        rcv.recv(r, 10, 0);
        assertEquals(POLLOUT, mask(snd, w2) & POLLOUT);
    }

    @Test
    void datagramsArriveInOrderAfterASenderBlockedOnAFullReceiver() {
        int r = rcv.socket(AF_UNIX, SOCK_DGRAM, 0);
        rcv.bind(r, SockAddr.unix("/r"));
        int w = snd.socket(AF_UNIX, SOCK_DGRAM, 0);
        snd.connect(w, SockAddr.unix("/r"));
        List<String> got = new ArrayList<>();
        byte[] buf = new byte[16];
        // the reader wakes every 10 ms and takes one datagram; the sender pushes 40 in one go
        for (int i = 1; i <= 40; i++) {
            host.loop.schedule(Duration.ofMillis(10L * i), () -> {
                int n = rcv.recv(r, buf, 0, buf.length, MSG_DONTWAIT);
                got.add(str(buf, n));
            });
        }
        for (int i = 0; i < 40; i++) {
            snd.send(w, bytes("d" + i), 0);   // blocks from the 12th datagram on until the reader makes room
        }
        assertEquals(290_000_000L, host.loop.now()); // the 40th fits once the 29th read (at 290 ms) freed a slot
        host.loop.runUntilIdle();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            expected.add("d" + i);
        }
        assertEquals(expected, got);
    }

    @Test
    void socketpairNeverHitsQlenOnlyTheSendBuffer() {
        int[] sv = snd.socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0);
        int n = 0;
        try {
            while (true) {
                snd.send(sv[0], new byte[10], 0);
                n++;
            }
        } catch (ErrnoException e) {
            assertEquals(Errno.EAGAIN, e.errno());
        }
        // a send is allowed while sk_wmem_alloc < sk_sndbuf (sock_alloc_send_pskb), so the count is
        // ceil(212992 / truesize). Linux 6.18 fits 278 (truesize 768); here truesize is the buffer
        // (64 bytes from a size class, 10 exact while the pool tracks allocations) + 576.
        dev.stacksim.buf.SkBuff probe = host.pool.alloc(10);
        int truesize = probe.truesize();
        probe.release();
        assertEquals((212_992 + truesize - 1) / truesize, n);
        assertEquals(0, mask(snd, sv[0]) & POLLOUT);
        assertEquals(POLLIN, mask(snd, sv[1]) & POLLIN);
    }

    @Test
    void rawIsQuietlyADatagramSocket() {
        int fd = snd.socket(AF_UNIX, SOCK_RAW, 0);                                       // 6.18: accepted
        assertEquals(SOCK_DGRAM, snd.getsockopt(fd, SOL_SOCKET, SO_TYPE));
    }

    @Test
    void shutdownOfADatagramSocketAsObservedOnLinux() {
        int[] sv = snd.socketpair(AF_UNIX, SOCK_DGRAM, 0);
        snd.shutdown(sv[0], SHUT_WR);
        assertEquals(Errno.EPIPE, errno(() -> snd.send(sv[0], bytes("x"), 0)));       // 6.18: EPIPE
        assertEquals(0, snd.sigpipeCount());                                           // no SIGPIPE for datagrams
        snd.send(sv[1], bytes("y"), 0);                                                // 6.18: the peer may still send
        assertEquals("y", new String(snd.recv(sv[0], 10, MSG_DONTWAIT), StandardCharsets.US_ASCII));
        snd.shutdown(sv[0], SHUT_RD);
        assertEquals(Errno.EAGAIN, errno(() -> snd.recv(sv[0], 10, MSG_DONTWAIT)));  // 6.18: EAGAIN, not 0
        assertEquals(0, snd.recv(sv[0], 10, 0).length);                                // a blocking recv: 0
        assertEquals(Errno.EPIPE, errno(() -> snd.send(sv[1], bytes("z"), 0)));       // 6.18: peer gets EPIPE
        // 6.18: poll -> 0x2355
        assertEquals(POLLRDHUP | POLLWRBAND | POLLWRNORM | POLLRDNORM | POLLHUP | POLLOUT | POLLIN, mask(snd, sv[0]));
    }

    @Test
    void bothWaysThroughASocketpair() {
        int[] sv = snd.socketpair(AF_UNIX, SOCK_DGRAM, 0);
        snd.send(sv[0], bytes("ping"), 0);
        snd.send(sv[1], bytes("pong"), 0);
        assertEquals("ping", new String(snd.recv(sv[1], 10, 0), StandardCharsets.US_ASCII));
        assertEquals("pong", new String(snd.recv(sv[0], 10, 0), StandardCharsets.US_ASCII));
    }
}
