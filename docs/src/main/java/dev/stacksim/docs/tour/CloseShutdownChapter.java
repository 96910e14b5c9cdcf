package dev.stacksim.docs.tour;

import dev.stacksim.diag.TraceDiagram;
import dev.stacksim.host.Host;
import dev.stacksim.net.Network;
import dev.stacksim.socket.ErrnoException;
import dev.stacksim.socket.Process;
import dev.stacksim.socket.SockAddr;
import dev.stacksim.trace.TraceRecorder;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import static dev.stacksim.socket.SocketConstants.AF_INET;
import static dev.stacksim.socket.SocketConstants.AF_UNIX;
import static dev.stacksim.socket.SocketConstants.MSG_DONTWAIT;
import static dev.stacksim.socket.SocketConstants.SHUT_WR;
import static dev.stacksim.socket.SocketConstants.SOCK_DGRAM;
import static dev.stacksim.socket.SocketConstants.SOCK_NONBLOCK;
import static dev.stacksim.socket.SocketConstants.SOCK_STREAM;

/**
 * close() versus shutdown() with fork() and dup(), the seeds' parent/child example, on an AF_UNIX
 * stream; then AF_UNIX datagrams, reliable where UDP is not.
 */
public final class CloseShutdownChapter implements Chapter {
    @Override
    public String id() {
        return "close";
    }

    @Override
    public String title() {
        return "close() vs shutdown(), fork() and dup(); AF_UNIX sockets";
    }

    @Override
    public String guidePage() {
        return "guide/close-shutdown.md";
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public void run(TourOutput out) {
        out.para("A descriptor is a number in one process's table; it points at an open file, and "
                + "fork() and dup() make more descriptors point at the same one. close() removes one "
                + "descriptor: only when the last one goes does the socket close. shutdown() acts on "
                + "the socket itself, at once, whoever else holds it. Here is the seeds' concurrent "
                + "server: the parent accepts, forks a child for the connection, and both hold it.");
        try (Network net = Network.builder().seed(1).build()) {
            Host host = net.host("server").build();
            // tag::fork[]
            Process server = host.spawn("server");
            int lfd = server.socket(AF_UNIX, SOCK_STREAM, 0);
            server.bind(lfd, SockAddr.unix("/run/echo.sock"));
            server.listen(lfd, 16);

            Process client = host.spawn("client");
            int cfd = client.socket(AF_UNIX, SOCK_STREAM, 0);
            client.connect(cfd, SockAddr.unix("/run/echo.sock"));

            int conn = server.accept(lfd);
            Process child = server.fork();               // the child shares lfd and conn
            child.close(conn);                            // one reference gone: nothing happens
            client.send(cfd, ascii("still there?"), 0);
            byte[] got = server.recv(conn, 64, 0);        // the parent still reads it
            // end::fork[]
            out.show("parent " + server.pid() + " fds: " + String.join(", ", server.fds().subList(3, server.fds().size())));
            out.show("child  " + child.pid() + " fds after close(" + conn + "): "
                    + String.join(", ", child.fds().subList(3, child.fds().size())));
            out.show("client sends, parent receives: \"" + new String(got, StandardCharsets.US_ASCII) + "\"");
            out.blank();

            out.para("Now a second child calls shutdown(SHUT_WR) on the shared socket: a FIN (here, "
                    + "an end-of-file mark) goes to the client at once, though the parent still holds "
                    + "the descriptor.");
            // tag::shutdown[]
            Process child2 = server.fork();
            child2.shutdown(conn, SHUT_WR);
            byte[] eof = client.recv(cfd, 64, 0);          // 0 bytes: end of file
            // end::shutdown[]
            out.show("client recv after the child's shutdown: " + eof.length + " bytes (EOF)");
            try {
                server.send(conn, ascii("late"), 0);
            } catch (ErrnoException e) {
                out.show("parent send after shutdown(SHUT_WR): " + e.getMessage());
            }
            out.blank();

            out.para("AF_UNIX datagrams keep message boundaries like UDP, but they are reliable and "
                    + "ordered: a full receiver makes the sender wait (or fail with EAGAIN when it "
                    + "will not wait) instead of dropping. UDP would drop and count UdpRcvbufErrors.");
            // tag::dgram[]
            int[] pair = client.socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0);
            int sent = 0;
            try {
                while (true) {
                    client.send(pair[0], ascii("datagram " + sent), MSG_DONTWAIT);
                    sent++;
                }
            } catch (ErrnoException e) {
                out.show("after " + sent + " datagrams the receiver is full: " + e.getMessage());
            }
            byte[] first = client.recv(pair[1], 64, 0);
            // end::dgram[]
            out.show("the first one out is the first one in: \"" + new String(first, StandardCharsets.US_ASCII) + "\"");
        }
        overTcp(out);
    }

    /**
     * AF_UNIX never reaches a NIC, so there is nothing to capture or draw: the fork, close and
     * shutdown(SHUT_WR) are replayed over TCP between two hosts, where the shutdown is a FIN on the
     * wire and the child's close() sends nothing. Only the files' names are printed.
     */
    private void overTcp(TourOutput out) {
        try (Network net = Network.builder().seed(1).build()) {
            Host host = net.host("server").ip("10.0.0.2/24").build();
            Host remote = net.host("client").ip("10.0.0.1/24").build();
            Path pcap = out.artifact(id(), "close.pcap");
            Path svg = out.artifact(id(), "close.svg");
            net.link(remote, host).latency(Duration.ofMillis(1)).capture(pcap);
            TraceRecorder trace = new TraceRecorder();
            net.tracer().addListener(trace);
            Process server = host.spawn("server");
            int lfd = server.socket(AF_INET, SOCK_STREAM, 0);
            server.bind(lfd, SockAddr.any(7));
            server.listen(lfd, 16);
            Process client = remote.spawn("client", 1000);
            int cfd = client.socket(AF_INET, SOCK_STREAM, 0);
            client.connect(cfd, SockAddr.of("10.0.0.2", 7));
            int conn = server.accept(lfd);
            Process child = server.fork();
            child.close(conn);                            // nothing on the wire
            client.send(cfd, ascii("still there?"), 0);
            server.recv(conn, 64, 0);
            Process child2 = server.fork();
            child2.shutdown(conn, SHUT_WR);               // a FIN at once
            client.recv(cfd, 64, 0);                       // EOF
            client.close(cfd);                             // the client's FIN
            server.close(conn);
            child2.close(conn);                            // the last reference: now it is freed
            net.runFor(Duration.ofMillis(20));
            TraceDiagram.draw("fork, close, shutdown(SHUT_WR) over TCP", trace.events(), "client", "server")
                    .write(svg);
            out.show("sequence diagram (the same over TCP): " + svg.getFileName() + "; capture: "
                    + pcap.getFileName());
        }
    }
}
