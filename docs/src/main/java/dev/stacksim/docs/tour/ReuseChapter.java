package dev.stacksim.docs.tour;

import dev.stacksim.diag.TraceDiagram;
import dev.stacksim.host.Host;
import dev.stacksim.net.Network;
import dev.stacksim.net.NetworkLink;
import dev.stacksim.socket.ErrnoException;
import dev.stacksim.socket.Process;
import dev.stacksim.socket.SockAddr;
import dev.stacksim.trace.TraceRecorder;

import java.nio.file.Path;
import java.time.Duration;

import static dev.stacksim.socket.SocketConstants.AF_INET;
import static dev.stacksim.socket.SocketConstants.SOCK_STREAM;
import static dev.stacksim.socket.SocketConstants.SOL_SOCKET;
import static dev.stacksim.socket.SocketConstants.SO_REUSEADDR;
import static dev.stacksim.socket.SocketConstants.SO_REUSEPORT;

/**
 * SO_REUSEADDR (restarting a server while a TIME_WAIT holds its port) and SO_REUSEPORT groups
 * (four listeners on one port, connections spread by a hash of the 4-tuple).
 */
public final class ReuseChapter implements Chapter {
    @Override
    public String id() {
        return "reuse";
    }

    @Override
    public String title() {
        return "SO_REUSEADDR after TIME_WAIT, SO_REUSEPORT listener groups";
    }

    @Override
    public String guidePage() {
        return "guide/reuse.md";
    }

    @Override
    public void run(TourOutput out) {
        out.para("Normally one address and port belong to one socket: a second bind() fails with "
                + "EADDRINUSE. A server that closes a connection first keeps it in TIME_WAIT for "
                + "60 s, and that minisock still holds the server's port: restarting the server "
                + "fails, unless its new socket sets SO_REUSEADDR before bind(), and so did the "
                + "socket that is now in TIME_WAIT (Linux checks both; the same program restarted "
                + "sets it both times).");
        try (Network net = Network.builder().seed(13).build()) {
            Host server = net.host("server").ip("10.0.0.2/24").build();
            Host client = net.host("client").ip("10.0.0.1/24").build();
            NetworkLink link = net.link(client, server).latency(Duration.ofMillis(1));
            Path pcap = out.artifact(id(), "reuse.pcap");
            Path svg = out.artifact(id(), "reuse.svg");
            link.capture(pcap);
            TraceRecorder trace = new TraceRecorder();
            net.tracer().addListener(trace);
            // tag::timewait[]
            Process old = server.spawn("httpd");
            int lfd = old.socket(AF_INET, SOCK_STREAM, 0);
            old.setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, 1);  // inherited by conn
            old.bind(lfd, SockAddr.any(8080));
            old.listen(lfd, 16);
            Process curl = client.spawn("curl", 1000);
            int fd = curl.socket(AF_INET, SOCK_STREAM, 0);
            curl.connect(fd, SockAddr.of("10.0.0.2", 8080));
            int conn = old.accept(lfd);
            old.close(conn);                         // the server closes first ...
            net.runFor(Duration.ofMillis(5));
            curl.close(fd);                           // ... so the server gets TIME_WAIT
            net.runFor(Duration.ofMillis(5));
            old.exit();                               // the server stops (and restarts)

            Process fresh = server.spawn("httpd");
            int s1 = fresh.socket(AF_INET, SOCK_STREAM, 0);
            String without;
            try {
                fresh.bind(s1, SockAddr.any(8080));
                without = "bound";
            } catch (ErrnoException e) {
                without = e.getMessage();             // EADDRINUSE
            }
            int s2 = fresh.socket(AF_INET, SOCK_STREAM, 0);
            fresh.setsockopt(s2, SOL_SOCKET, SO_REUSEADDR, 1);
            fresh.bind(s2, SockAddr.any(8080));      // succeeds beside the TIME_WAIT
            fresh.listen(s2, 16);
            // end::timewait[]
            out.show("$ ss -tan   (after the restart)");
            server.ss("-tan").lines().forEach(l -> out.show(l.stripTrailing()));
            out.show("without SO_REUSEADDR: " + without);
            out.show("with SO_REUSEADDR:    bind and listen succeed");
            TraceDiagram.draw("the server closes first: TIME_WAIT on the server", trace.events(),
                    "client", "server").write(svg);
            out.show("sequence diagram: " + svg.getFileName() + "; capture: " + pcap.getFileName());
        }
        out.blank();
        out.para("SO_REUSEPORT lets several sockets, all setting it and owned by the same user, "
                + "bind the same address and port: a reuseport group. Four worker processes each "
                + "listen on port 80 with their own accept queue. For each SYN the kernel picks "
                + "one listener by a hash of the connection's 4-tuple (source address and port, "
                + "destination address and port), not in turn: the counts are only roughly even.");
        try (Network net = Network.builder().seed(13).build()) {
            Host server = net.host("server").ip("10.0.0.2/24").build();
            Host client = net.host("client").ip("10.0.0.1/24").build();
            net.link(client, server).latency(Duration.ofMillis(1));
            // tag::reuseport[]
            Process[] worker = new Process[4];
            int[] lfd = new int[4];
            for (int w = 0; w < 4; w++) {
                worker[w] = server.spawn("worker" + w);
                lfd[w] = worker[w].socket(AF_INET, SOCK_STREAM, 0);
                worker[w].setsockopt(lfd[w], SOL_SOCKET, SO_REUSEPORT, 1);
                worker[w].bind(lfd[w], SockAddr.any(80));
                worker[w].listen(lfd[w], 128);
            }
            Process ab = client.spawn("ab", 1000);
            for (int i = 0; i < 100; i++) {              // 100 connections, new ports
                int fd = ab.socket(AF_INET, SOCK_STREAM, 0);
                ab.connect(fd, SockAddr.of("10.0.0.2", 80));
            }
            net.runFor(Duration.ofMillis(5));
            String listeners = server.ss("-tln");         // Recv-Q: each one's accept queue
            // end::reuseport[]
            listeners.lines().forEach(l -> out.show(l.stripTrailing()));
            StringBuilder counts = new StringBuilder("waiting per listener (worker0..3):");
            for (var info : server.views().tcpSockets()) {
                if (info.state() == dev.stacksim.tcp.TcpState.LISTEN) {
                    counts.append(' ').append(info.rxQueue());
                }
            }
            out.show(counts.toString());
        }
        out.blank();
        out.para("The seeds draw the listeners taking connections round-robin; Linux hashes, so "
                + "a given 4-tuple always lands on the same listener and the spread is only "
                + "statistically even. The four-way close and TIME_WAIT itself are in the "
                + "handshake chapter.");
    }
}
