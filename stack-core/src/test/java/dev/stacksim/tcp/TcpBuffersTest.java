package dev.stacksim.tcp;

import dev.stacksim.sim.SimTime;
import dev.stacksim.socket.Process;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.stacksim.socket.SocketConstants.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Buffer auto-tuning ({@code tcp_input.c}): the send buffer sized at the end of the handshake
 * ({@code tcp_init_buffer_space} -> {@code tcp_sndbuf_expand}), the receive buffer grown by
 * dynamic right-sizing ({@code tcp_rcv_space_adjust}) and the window's ceiling raised per segment
 * ({@code tcp_grow_window}); SO_SNDBUF and SO_RCVBUF lock them ({@code SOCK_SNDBUF_LOCK},
 * {@code SOCK_RCVBUF_LOCK}).
 */
class TcpBuffersTest {

    private record Conn(Process cli, int fd, Process srv, int cfd) {
    }

    private static Conn connect(TcpLab lab, java.util.function.ObjIntConsumer<Process> client,
            java.util.function.ObjIntConsumer<Process> listener) {
        Process srv = lab.b.spawn("srv");
        int lfd = srv.socket(AF_INET, SOCK_STREAM, 0);
        if (listener != null) {
            listener.accept(srv, lfd);
        }
        srv.bind(lfd, TcpLab.addr("0.0.0.0", 80));
        srv.listen(lfd, 8);
        Process cli = lab.a.spawn("cli");
        int fd = cli.socket(AF_INET, SOCK_STREAM, 0);
        if (client != null) {
            client.accept(cli, fd);
        }
        cli.connect(fd, TcpLab.addr("10.0.0.2", 80));
        return new Conn(cli, fd, srv, srv.accept(lfd));
    }

    /**
     * tcp_sndbuf_expand: per_mss = roundup_pow_of_two(max(mss_clamp 1460, mss_cache 1448) +
     * MAX_TCP_HEADER 320 + SKB_DATA_ALIGN(skb_shared_info) 320) + SKB_DATA_ALIGN(sk_buff) 256 =
     * 4096 + 256; twice the initial window of 10: 87040, on both ends, as ss -m shows (tb87040).
     */
    @Test
    void aNewConnectionsSendBufferGrowsTo87040() {
        try (TcpLab lab = new TcpLab(31)) {
            Process p = lab.a.spawn("p");
            int fresh = p.socket(AF_INET, SOCK_STREAM, 0);
            assertEquals(16384, p.getsockopt(fresh, SOL_SOCKET, SO_SNDBUF), "tcp_wmem[1] before the handshake");
            Conn c = connect(lab, null, null);
            assertEquals(87040, c.cli.getsockopt(c.fd, SOL_SOCKET, SO_SNDBUF));
            assertEquals(87040, c.srv.getsockopt(c.cfd, SOL_SOCKET, SO_SNDBUF));
            assertTrue(lab.a.ss("-tm").contains(",tb87040,"), lab.a.ss("-tm"));
        }
    }

    /** tcp_init_buffer_space expands only without SOCK_SNDBUF_LOCK: SO_SNDBUF 10000 stays 20000. */
    @Test
    void soSndbufLocksTheSendBufferAgainstExpansion() {
        try (TcpLab lab = new TcpLab(32)) {
            Conn c = connect(lab, (cli, fd) -> cli.setsockopt(fd, SOL_SOCKET, SO_SNDBUF, 10_000), null);
            assertEquals(20_000, c.cli.getsockopt(c.fd, SOL_SOCKET, SO_SNDBUF));
            c.cli.send(c.fd, new byte[8_000], MSG_DONTWAIT);
            lab.run(SimTime.millis(50));
            assertEquals(20_000, c.cli.getsockopt(c.fd, SOL_SOCKET, SO_SNDBUF), "not grown by tcp_new_space either");
            assertEquals(87040, c.srv.getsockopt(c.cfd, SOL_SOCKET, SO_SNDBUF));
        }
    }

    /** Sends {@code total} bytes from the client, the server reading every 100 µs; returns the rcvbufs seen. */
    private static List<Integer> bulk(TcpLab lab, Conn c, int total) {
        byte[] chunk = new byte[65536];
        byte[] buf = new byte[1 << 20];
        int sent = 0;
        int got = 0;
        List<Integer> rcvbufs = new ArrayList<>();
        TcpSock rx = TcpLab.sock(c.srv, c.cfd);
        for (int i = 0; i < 100_000 && got < total; i++) {
            if (sent < total) {
                try {
                    sent += c.cli.send(c.fd, chunk, 0, Math.min(chunk.length, total - sent), MSG_DONTWAIT);
                } catch (dev.stacksim.socket.ErrnoException e) {
                    assertEquals(dev.stacksim.socket.Errno.EAGAIN, e.errno());
                }
            }
            lab.run(SimTime.micros(100));
            while (rx.receiveQueueBytes() > 0) {
                got += c.srv.recv(c.cfd, buf, 0, buf.length, MSG_DONTWAIT);
            }
            int rb = c.srv.getsockopt(c.cfd, SOL_SOCKET, SO_RCVBUF);
            if (rcvbufs.isEmpty() || rcvbufs.get(rcvbufs.size() - 1) != rb) {
                rcvbufs.add(rb);
            }
        }
        assertEquals(total, got);
        return rcvbufs;
    }

    /**
     * Dynamic right-sizing: once per receiver RTT the buffer grows to hold twice (and more, while
     * the sender is still speeding up) what the application read, never shrinking; on an
     * unlimited link that is the cap at the first adjustment: tcp_rmem[2]
     * tcp_rmem[2] (here 1 MiB); ss -m shows it as rb.
     */
    @Test
    void theReceiveBufferGrowsDuringABulkTransferUpToTcpRmemMax() {
        try (TcpLab lab = new TcpLab(33, true)) {
            lab.b.sysctl("net.ipv4.tcp_rmem", 4096, 131072, 1 << 20);
            Conn c = connect(lab, null, null);
            assertEquals(131072, c.srv.getsockopt(c.cfd, SOL_SOCKET, SO_RCVBUF));
            List<Integer> seen = bulk(lab, c, 1 << 19);
            // the first measured round already read several times rcvq_space (10 * advmss), and
            // grow = rcvwin * (copied - rcvq_space) / rcvq_space overshoots the cap at once
            assertEquals(131072, seen.get(0));
            for (int i = 1; i < seen.size(); i++) {
                assertTrue(seen.get(i) > seen.get(i - 1), "never shrinks: " + seen);
            }
            assertEquals(1 << 20, seen.get(seen.size() - 1), "capped by tcp_rmem[2]: " + seen);
            assertTrue(lab.b.ss("-tm").contains("rb1048576,"), lab.b.ss("-tm"));
            assertTrue(TcpLab.sock(c.srv, c.cfd).windowClamp > 131072 / 2, "the window clamp follows the buffer");
        }
    }

    @Test
    void soRcvbufStopsReceiveBufferAutoTuning() {
        try (TcpLab lab = new TcpLab(34, true)) {
            lab.b.sysctl("net.ipv4.tcp_rmem", 4096, 131072, 1 << 20);
            Conn c = connect(lab, null, (srv, lfd) -> srv.setsockopt(lfd, SOL_SOCKET, SO_RCVBUF, 65536));
            assertEquals(131072, c.srv.getsockopt(c.cfd, SOL_SOCKET, SO_RCVBUF), "doubled, inherited from the listener");
            assertEquals(List.of(131072), bulk(lab, c, 1 << 19));
        }
    }

    /**
     * tcp_grow_window: each in-order full-sized segment raises rcv_ssthresh by
     * max(2 * advmss, 2 * len) = 2920 (MSS 1460 both ways, no timestamps), up to the room left
     * under window_clamp. A listener with TCP_WINDOW_CLAMP 10000 gives its child an initial
     * window of rounddown(10000, 1460) = 8760 (tcp_select_initial_window); raising the clamp to
     * 30000 afterwards (tcp_set_window_clamp keeps max(min(rcv_wnd, clamp), rcv_ssthresh)) leaves
     * the growth to the segments: 8760, 11680, ... 29200, then 30000, then no further.
     */
    @Test
    void rcvSsthreshGrowsByTwoAdvmssPerFullSegmentUpToTheWindowClamp() {
        try (TcpLab lab = new TcpLab(35)) {
            TcpPeer p = TcpPeer.connect(lab, 1460, true, false,
                    (srv, lfd) -> srv.setsockopt(lfd, SOL_TCP, TCP_WINDOW_CLAMP, 10_000));
            assertEquals(10_000, p.sk.windowClamp);
            assertEquals(8760, p.sk.rcvSsthresh);
            assertEquals(1460, p.info().advmss());
            p.srv.setsockopt(p.fd, SOL_TCP, TCP_WINDOW_CLAMP, 30_000);
            assertEquals(8760, p.sk.rcvSsthresh);
            List<Integer> seen = new ArrayList<>();
            for (int k = 0; k < 10; k++) {
                p.data(1 + 1460 * k, 1460);
                lab.run(SimTime.micros(250));
                seen.add(p.info().rcvSsthresh());
            }
            assertEquals(List.of(11680, 14600, 17520, 20440, 23360, 26280, 29200, 30000, 30000, 30000), seen);
        }
    }
}
