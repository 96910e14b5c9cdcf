package dev.stacksim.tun;

import dev.stacksim.host.Host;
import dev.stacksim.socket.ErrnoException;
import dev.stacksim.socket.PollFd;
import dev.stacksim.socket.Process;
import dev.stacksim.socket.SockAddr;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import static dev.stacksim.socket.SocketConstants.AF_INET;
import static dev.stacksim.socket.SocketConstants.POLLIN;
import static dev.stacksim.socket.SocketConstants.SOCK_STREAM;
import static dev.stacksim.socket.SocketConstants.SOL_SOCKET;
import static dev.stacksim.socket.SocketConstants.SO_REUSEADDR;

/**
 * Programs of the simulated host for the TUN scenarios, each on a thread of its own making
 * blocking socket calls, as a program on a kernel would: the host runs on a real-time loop, so the
 * calls park the thread until the stack wakes it.
 */
final class SimApps {
    private SimApps() {
    }

    /** What a server saw of one connection: the bytes' count and SHA-256, and how it ended. */
    record Served(long bytes, String sha256, String end) {
    }

    /** A listening socket on {@code port}, backlog 16, SO_REUSEADDR. */
    static int listen(Process p, int port) {
        int lfd = p.socket(AF_INET, SOCK_STREAM, 0);
        p.setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, 1);
        p.bind(lfd, SockAddr.any(port));
        p.listen(lfd, 16);
        return lfd;
    }

    /**
     * An echo server (RFC 862) for {@code connections} connections, one after the other: each is
     * read to its end, every byte sent back as it arrives, then closed. Completes with what each
     * connection carried.
     */
    static CompletableFuture<Served[]> echo(Host host, int port, int connections) {
        Process p = host.spawn("echo");
        int lfd = listen(p, port);
        return CompletableFuture.supplyAsync(() -> {
            Served[] out = new Served[connections];
            for (int i = 0; i < connections; i++) {
                int fd = p.accept(lfd);
                MessageDigest md = TunLab.sha256();
                byte[] buf = new byte[64 * 1024];
                long total = 0;
                String end = "eof";
                try {
                    for (int n; (n = p.recv(fd, buf, 0, buf.length, 0)) > 0; ) {
                        md.update(buf, 0, n);
                        total += n;
                        for (int off = 0; off < n; ) {
                            off += p.send(fd, buf, off, n - off, 0);
                        }
                    }
                } catch (ErrnoException e) {
                    end = e.errno().name();
                }
                p.close(fd);
                out[i] = new Served(total, HexFormat.of().formatHex(md.digest()), end);
            }
            p.close(lfd);
            return out;
        }, daemon("sim-echo"));
    }

    /**
     * A one-request HTTP/1.1 server: reads the request head, answers 200 with {@code body} applied
     * to the request line, then closes.
     */
    static CompletableFuture<String> http(Host host, int port, Function<String, String> body) {
        Process p = host.spawn("httpd");
        int lfd = listen(p, port);
        return CompletableFuture.supplyAsync(() -> {
            int fd = p.accept(lfd);
            StringBuilder head = new StringBuilder();
            byte[] buf = new byte[4096];
            while (head.indexOf("\r\n\r\n") < 0) {
                int n = p.recv(fd, buf, 0, buf.length, 0);
                if (n == 0) {
                    break;
                }
                head.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
            }
            String requestLine = head.toString().lines().findFirst().orElse("");
            byte[] b = body.apply(requestLine).getBytes(StandardCharsets.UTF_8);
            byte[] h = ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + b.length
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
            sendAll(p, fd, h);
            sendAll(p, fd, b);
            p.close(fd);
            p.close(lfd);
            return requestLine;
        }, daemon("sim-httpd"));
    }

    /**
     * A server that accepts one connection, waits until data is in its receive queue, and closes
     * without reading it: RFC 2525 2.17 says reset. Completes with the bytes it left unread.
     */
    static CompletableFuture<Integer> closeUnread(Host host, int port) {
        Process p = host.spawn("rude");
        int lfd = listen(p, port);
        return CompletableFuture.supplyAsync(() -> {
            int fd = p.accept(lfd);
            PollFd[] pfd = {new PollFd(fd, POLLIN)};
            p.poll(pfd, 5000);
            int unread = p.ioctl(fd, dev.stacksim.socket.SocketConstants.FIONREAD);
            p.close(fd);
            p.close(lfd);
            return unread;
        }, daemon("sim-rude"));
    }

    /** Sends all of {@code b}; a blocking stream socket may take it in several calls. */
    static void sendAll(Process p, int fd, byte[] b) {
        for (int off = 0; off < b.length; ) {
            off += p.send(fd, b, off, b.length - off, 0);
        }
    }

    /**
     * A client: connects to {@code addr}, sends {@code data} from a second thread while it reads
     * until the peer's FIN, then closes. Its own FIN goes last, so that a peer which quits when its
     * input ends ({@code nc -l}) has sent everything first. Completes with what it read.
     */
    static CompletableFuture<Served> exchange(Host host, SockAddr addr, byte[] data) {
        Process p = host.spawn("client");
        return CompletableFuture.supplyAsync(() -> {
            int fd = p.socket(AF_INET, SOCK_STREAM, 0);
            p.connect(fd, addr);
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> sendAll(p, fd, data),
                    daemon("sim-client-writer"));
            MessageDigest md = TunLab.sha256();
            byte[] buf = new byte[64 * 1024];
            long total = 0;
            for (int n; (n = p.recv(fd, buf, 0, buf.length, 0)) > 0; ) {
                md.update(buf, 0, n);
                total += n;
            }
            writer.join();
            p.close(fd);
            return new Served(total, HexFormat.of().formatHex(md.digest()), "eof");
        }, daemon("sim-client"));
    }

    /** An executor that runs each task on a new daemon thread named {@code name}. */
    static java.util.concurrent.Executor daemon(String name) {
        return task -> {
            Thread t = new Thread(task, name);
            t.setDaemon(true);
            t.start();
        };
    }
}
