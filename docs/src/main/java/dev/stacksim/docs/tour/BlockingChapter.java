package dev.stacksim.docs.tour;

import dev.stacksim.diag.TraceDiagram;
import dev.stacksim.host.Host;
import dev.stacksim.net.Network;
import dev.stacksim.net.NetworkLink;
import dev.stacksim.socket.EpollEvent;
import dev.stacksim.socket.ErrnoException;
import dev.stacksim.socket.PollFd;
import dev.stacksim.socket.Process;
import dev.stacksim.socket.SockAddr;
import dev.stacksim.trace.TraceRecorder;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.stacksim.socket.SocketConstants.AF_INET;
import static dev.stacksim.socket.SocketConstants.EPOLLET;
import static dev.stacksim.socket.SocketConstants.EPOLLIN;
import static dev.stacksim.socket.SocketConstants.EPOLL_CTL_ADD;
import static dev.stacksim.socket.SocketConstants.F_GETFL;
import static dev.stacksim.socket.SocketConstants.F_SETFL;
import static dev.stacksim.socket.SocketConstants.O_NONBLOCK;
import static dev.stacksim.socket.SocketConstants.SOCK_NONBLOCK;
import static dev.stacksim.socket.SocketConstants.SOCK_STREAM;
import static dev.stacksim.socket.SocketConstants.SOL_SOCKET;
import static dev.stacksim.socket.SocketConstants.SO_SNDTIMEO;

/**
 * Blocking and non-blocking calls (EAGAIN, a send timeout), then one thread serving a listener
 * and several connections with epoll, level- and edge-triggered.
 */
public final class BlockingChapter implements Chapter {
    @Override
    public String id() {
        return "blocking";
    }

    @Override
    public String title() {
        return "blocking vs non-blocking send/recv (EAGAIN), poll and epoll (LT, ET)";
    }

    @Override
    public String guidePage() {
        return "guide/blocking.md";
    }

    private static double ms(Network net) {
        return net.loop().now() / 1e6;
    }

    @Override
    public void run(TourOutput out) {
        out.para("A blocking recv() with an empty receive queue puts the process to sleep until "
                + "data arrives; a blocking send() with a full send buffer sleeps until ACKs free "
                + "room. A non-blocking socket (O_NONBLOCK, or MSG_DONTWAIT on one call) returns "
                + "EAGAIN instead. In stacksim one thread plays every process: a blocking call "
                + "runs the simulation's clock forward until it can return.");
        try (Network net = Network.builder().seed(9).build()) {
            Host server = net.host("server").ip("10.0.0.2/24").build();
            Host client = net.host("client").ip("10.0.0.1/24").build();
            NetworkLink link = net.link(client, server).latency(Duration.ofMillis(5));
            Path pcap = out.artifact(id(), "blocking.pcap");
            Path svg = out.artifact(id(), "blocking.svg");
            link.capture(pcap);
            TraceRecorder trace = new TraceRecorder();
            net.tracer().addListener(trace);
            Process srv = server.spawn("server");
            int lfd = srv.socket(AF_INET, SOCK_STREAM, 0);
            srv.bind(lfd, SockAddr.any(7000));
            srv.listen(lfd, 16);
            Process cli = client.spawn("client", 1000);
            int fd = cli.socket(AF_INET, SOCK_STREAM, 0);
            cli.connect(fd, SockAddr.of("10.0.0.2", 7000));
            int conn = srv.accept(lfd);

            // tag::block[]
            cli.send(fd, new byte[100], 0);                  // 5 ms away
            double t0 = ms(net);
            byte[] got = srv.recv(conn, 1000, 0);            // sleeps until it arrives
            double waited = ms(net) - t0;

            int flags = srv.fcntl(conn, F_GETFL);
            srv.fcntl(conn, F_SETFL, flags | O_NONBLOCK);    // now non-blocking
            String again;
            try {
                srv.recv(conn, 1000, 0);
                again = "data";
            } catch (ErrnoException e) {
                again = e.getMessage();                      // EAGAIN, at once
            }
            // end::block[]
            out.show(String.format("blocking recv: %d bytes after %.3f ms asleep", got.length, waited));
            out.show("non-blocking recv: " + again);
            TraceDiagram.draw("a blocking recv, then EAGAIN", trace.events(), "client", "server").write(svg);
            net.tracer().removeListener(trace);
            out.show("sequence diagram: " + svg.getFileName() + "; capture: " + pcap.getFileName());
            out.blank();

            out.para("The server stops reading. A blocking send of 1 MB fills the send buffer and "
                    + "the peer's receive buffer, then sleeps; with SO_SNDTIMEO it gives up after "
                    + "200 ms and returns what it managed to queue (EAGAIN only if nothing was).");
            // tag::sndtimeo[]
            cli.setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, Duration.ofMillis(200));
            t0 = ms(net);
            int queued = cli.send(fd, new byte[1 << 20], 0);   // a partial write
            waited = ms(net) - t0;
            // end::sndtimeo[]
            out.show(String.format("send(1048576) = %d after %.3f ms", queued, waited));
            out.blank();
        }

        out.para("A server with many connections cannot block on one of them. poll() and epoll "
                + "wait on many descriptors at once: a listener is readable when its accept queue "
                + "is not empty, a connection when data (or EOF) is waiting. epoll keeps the "
                + "interest list in the kernel (epoll_ctl) and returns only the ready ones. "
                + "Level-triggered (the default) reports a descriptor as long as it is ready; "
                + "edge-triggered (EPOLLET) only when it becomes ready: read until EAGAIN.");
        try (Network net = Network.builder().seed(9).build()) {
            Host server = net.host("server").ip("10.0.0.2/24").build();
            Host client = net.host("client").ip("10.0.0.1/24").build();
            net.link(client, server).latency(Duration.ofMillis(1));
            Process srv = server.spawn("server");
            int lfd = srv.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
            srv.bind(lfd, SockAddr.any(7000));
            srv.listen(lfd, 16);
            Process cli = client.spawn("client", 1000);
            int[] c = new int[3];
            for (int i = 0; i < 3; i++) {
                c[i] = cli.socket(AF_INET, SOCK_STREAM, 0);
                cli.connect(c[i], SockAddr.of("10.0.0.2", 7000));
            }
            net.runFor(Duration.ofMillis(5));                  // the last ACKs arrive
            // tag::epoll[]
            int ep = srv.epoll_create1(0);
            srv.epoll_ctl(ep, EPOLL_CTL_ADD, lfd, EPOLLIN);
            EpollEvent[] ev = EpollEvent.array(8);
            int n = srv.epoll_wait(ep, ev, 8, -1);           // the listener is readable
            int ready = ev[0].fd();
            List<Integer> conns = new ArrayList<>();
            while (true) {                                   // accept until EAGAIN
                try {
                    int conn = srv.accept4(lfd, SOCK_NONBLOCK);
                    srv.epoll_ctl(ep, EPOLL_CTL_ADD, conn,
                            conns.size() == 2 ? EPOLLIN | EPOLLET : EPOLLIN);  // the third: ET
                    conns.add(conn);
                } catch (ErrnoException e) {
                    break;
                }
            }
            cli.send(c[0], new byte[100], 0);
            cli.send(c[2], new byte[100], 0);
            int first = srv.epoll_wait(ep, ev, 8, -1);       // both are readable
            for (int i = 0; i < first; i++) {
                srv.recv(ev[i].fd(), 10, 0);                 // read only 10 of 100 bytes
            }
            int second = srv.epoll_wait(ep, ev, 8, 0);       // LT: again; ET: not again
            // end::epoll[]
            out.show("epoll_wait -> " + n + ": fd " + ready + " (the listener) " + PollFd.eventNames(EPOLLIN));
            out.show("accepted fds " + conns + "; fd " + conns.get(2) + " registered EPOLLIN|EPOLLET");
            out.show("client writes 100 bytes on its 1st and 3rd connections");
            out.show("epoll_wait -> " + first + " ready; the server reads 10 bytes from each");
            StringBuilder again = new StringBuilder();
            for (int i = 0; i < second; i++) {
                again.append(" fd ").append(ev[i].fd());
            }
            out.show("epoll_wait(timeout 0) -> " + second + ":" + again + " (LT: 90 bytes still there)");
            cli.send(c[2], new byte[100], 0);
            net.runFor(Duration.ofMillis(5));
            int third = srv.epoll_wait(ep, ev, 8, -1);
            StringBuilder after = new StringBuilder();
            for (int i = 0; i < third; i++) {
                after.append(" fd ").append(ev[i].fd());
            }
            out.show("100 more bytes on the ET connection: epoll_wait -> " + third + ":" + after);
            out.blank();
            out.para("The edge-triggered connection was not reported while 90 bytes sat unread: "
                    + "only new data made a new edge. An ET server must read until EAGAIN, or it "
                    + "stalls. (Linux re-arms on every new segment, not on the empty-to-non-empty "
                    + "transition alone; that is why the last write woke it.)");
        }
    }
}
