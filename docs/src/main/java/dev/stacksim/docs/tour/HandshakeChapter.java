package dev.stacksim.docs.tour;

import dev.stacksim.diag.TraceDiagram;
import dev.stacksim.host.Host;
import dev.stacksim.net.Network;
import dev.stacksim.net.NetworkLink;
import dev.stacksim.socket.Process;
import dev.stacksim.socket.SockAddr;
import dev.stacksim.trace.TraceRecorder;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import static dev.stacksim.socket.SocketConstants.AF_INET;
import static dev.stacksim.socket.SocketConstants.SOCK_STREAM;

/**
 * socket/bind/listen/connect/accept: the three-way handshake done by the two kernels while
 * neither program is looking, the accept queue, then the four-way close and TIME_WAIT.
 */
public final class HandshakeChapter implements Chapter {
    @Override
    public String id() {
        return "handshake";
    }

    @Override
    public String title() {
        return "socket, bind, listen, connect, accept; four-way close, TIME_WAIT";
    }

    @Override
    public String guidePage() {
        return "guide/tcp-connections.md";
    }

    @Override
    public void run(TourOutput out) {
        out.para("A server makes a socket, binds it to a port, and listens: the socket becomes a "
                + "listening socket, which never carries data. A client connects. The three-way "
                + "handshake is done by the two kernels; the server program is not involved, and the "
                + "new connection waits in the listener's accept queue until accept() takes it.");
        try (Network net = Network.builder().seed(1).build()) {
            Host server = net.host("server").ip("10.0.0.2/24").build();
            Host client = net.host("client").ip("10.0.0.1/24").build();
            NetworkLink link = net.link(client, server).latency(Duration.ofMillis(1));
            Path pcap = out.artifact(id(), "handshake.pcap");
            Path svg = out.artifact(id(), "handshake.svg");
            link.capture(pcap);
            TraceRecorder trace = new TraceRecorder();
            TraceRecorder all = new TraceRecorder();
            net.tracer().addListener(trace);
            net.tracer().addListener(all);
            // tag::handshake[]
            Process httpd = server.spawn("httpd");
            int lfd = httpd.socket(AF_INET, SOCK_STREAM, 0);  // CLOSE
            httpd.bind(lfd, SockAddr.any(80));
            httpd.listen(lfd, 128);                            // CLOSE -> LISTEN

            Process curl = client.spawn("curl", 1000);
            int fd = curl.socket(AF_INET, SOCK_STREAM, 0);
            curl.connect(fd, SockAddr.of("10.0.0.2", 80));     // SYN, SYN-ACK, ACK: 2 ms
            net.runFor(Duration.ofMillis(5));                   // nobody accepts yet
            int conn = httpd.accept(lfd);                       // already established
            // end::handshake[]
            TcpTraceLines.of(trace.events()).forEach(out::show);
            out.blank();
            trace.clear();
            out.para("Then a request, a reply, and the four-way close. The side that closes first "
                    + "(here the client) ends in TIME_WAIT, where the connection's 4-tuple stays "
                    + "reserved for 60 s so that a late segment of this connection cannot be taken "
                    + "for one of the next. The server, closing second, passes through CLOSE_WAIT "
                    + "(the peer is done; we may still send) and LAST_ACK.");
            // tag::close[]
            curl.send(fd, "GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 0);
            byte[] request = httpd.recv(conn, 100, 0);
            httpd.send(conn, "HTTP/1.0 200 OK\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 0);
            byte[] reply = curl.recv(fd, 100, 0);
            curl.close(fd);                                      // FIN_WAIT1
            net.runFor(Duration.ofMillis(5));                   // server: CLOSE_WAIT
            httpd.close(conn);                                   // LAST_ACK, client: TIME_WAIT
            net.runFor(Duration.ofSeconds(61));                 // TIME_WAIT is over
            // end::close[]
            TcpTraceLines.of(trace.events()).forEach(out::show);
            out.blank();
            out.show("request " + request.length + " bytes, reply " + reply.length + " bytes");
            TraceDiagram.draw("connect, accept, close", all.events(), "client", "server").write(svg);
            out.show("sequence diagram: " + svg.getFileName() + "; capture: " + pcap.getFileName()
                    + " (in " + svg.getParent() + ")");
        }
    }
}
