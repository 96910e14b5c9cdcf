package dev.stacksim.docs.tour;

import dev.stacksim.diag.TraceDiagram;
import dev.stacksim.host.Host;
import dev.stacksim.net.Network;
import dev.stacksim.socket.Process;
import dev.stacksim.socket.SockAddr;
import dev.stacksim.trace.TraceRecorder;

import java.nio.file.Path;
import java.time.Duration;

import static dev.stacksim.socket.SocketConstants.AF_INET;
import static dev.stacksim.socket.SocketConstants.AF_UNIX;
import static dev.stacksim.socket.SocketConstants.SOCK_DGRAM;
import static dev.stacksim.socket.SocketConstants.SOCK_STREAM;
import static dev.stacksim.socket.SocketConstants.SOL_SOCKET;
import static dev.stacksim.socket.SocketConstants.SO_PROTOCOL;

/**
 * Socket types and families, the five-tuple, and listening versus connected sockets: one listener
 * on port 80, three connections sharing its port, told apart by their 4-tuples.
 */
public final class SocketsChapter implements Chapter {
    @Override
    public String id() {
        return "sockets";
    }

    @Override
    public String title() {
        return "socket types, the five-tuple, listening vs connected sockets";
    }

    @Override
    public String guidePage() {
        return "guide/sockets.md";
    }

    @Override
    public void run(TourOutput out) {
        out.para("socket(domain, type, protocol) makes an endpoint and returns a descriptor. The "
                + "domain (family) says which addresses it uses: AF_INET for IPv4, AF_UNIX for "
                + "paths on this host. The type says how data moves: SOCK_STREAM is a connected "
                + "byte stream (TCP in AF_INET), SOCK_DGRAM carries separate messages (UDP). "
                + "Protocol 0 picks the family's default for the type.");
        try (Network net = Network.builder().seed(3).build()) {
            Host server = net.host("server").ip("10.0.0.2/24").build();
            Host client = net.host("client").ip("10.0.0.1/24").build();
            Host laptop = net.host("laptop").ip("10.0.0.3/24").build();
            var sw = net.addSwitch("sw", 3);
            net.link(client, sw).latency(Duration.ofMillis(1));
            net.link(laptop, sw).latency(Duration.ofMillis(1));
            net.link(server, sw).latency(Duration.ofMillis(1));
            Path pcap = out.artifact(id(), "sockets.pcap");
            Path svg = out.artifact(id(), "sockets.svg");
            net.capture(server, "eth0", pcap);
            TraceRecorder trace = new TraceRecorder();
            net.tracer().addListener(trace);

            // tag::types[]
            Process p = server.spawn("demo");
            int tcp = p.socket(AF_INET, SOCK_STREAM, 0);
            int udp = p.socket(AF_INET, SOCK_DGRAM, 0);
            int unix = p.socket(AF_UNIX, SOCK_STREAM, 0);
            int tcpProto = p.getsockopt(tcp, SOL_SOCKET, SO_PROTOCOL);   // 6: IPPROTO_TCP
            int udpProto = p.getsockopt(udp, SOL_SOCKET, SO_PROTOCOL);   // 17: IPPROTO_UDP
            // end::types[]
            out.show("socket(AF_INET, SOCK_STREAM, 0) = " + tcp + "   protocol " + tcpProto + " (TCP)");
            out.show("socket(AF_INET, SOCK_DGRAM, 0)  = " + udp + "   protocol " + udpProto + " (UDP)");
            out.show("socket(AF_UNIX, SOCK_STREAM, 0) = " + unix + "   a path, no port, no NIC");
            out.show("/proc/" + p.pid() + "/fd: " + String.join(", ", p.fds().subList(3, p.fds().size())));
            p.close(tcp);
            p.close(udp);
            p.close(unix);
            out.blank();

            out.para("A server binds a socket to an address and port: three of the five-tuple "
                    + "{protocol, local address, local port, peer address, peer port}. listen() "
                    + "makes it a listening socket: it never carries data, it only makes "
                    + "connections. Two clients connect (one twice); accept() returns a new, "
                    + "connected socket for each. All three use the server's port 80: the kernel "
                    + "tells them apart by the peer's address and port.");
            // tag::listen[]
            Process httpd = server.spawn("httpd");
            int lfd = httpd.socket(AF_INET, SOCK_STREAM, 0);
            httpd.bind(lfd, SockAddr.any(80));                 // {TCP, 0.0.0.0, 80, -, -}
            httpd.listen(lfd, 128);

            Process curl = client.spawn("curl", 1000);
            int a = curl.socket(AF_INET, SOCK_STREAM, 0);
            curl.connect(a, SockAddr.of("10.0.0.2", 80));       // an ephemeral port
            int b = curl.socket(AF_INET, SOCK_STREAM, 0);
            curl.connect(b, SockAddr.of("10.0.0.2", 80));       // another one
            Process wget = laptop.spawn("wget", 1000);
            int c = wget.socket(AF_INET, SOCK_STREAM, 0);
            wget.connect(c, SockAddr.of("10.0.0.2", 80));

            int[] conn = new int[3];
            for (int i = 0; i < 3; i++) {
                conn[i] = httpd.accept(lfd);                     // one new socket each
            }
            // end::listen[]
            for (int i = 0; i < 3; i++) {
                out.show(String.format("accept() = %d: {TCP, %s, %s}", conn[i], httpd.getsockname(conn[i]),
                        httpd.getpeername(conn[i])));
            }
            out.show("curl's two sockets: " + curl.getsockname(a) + " and " + curl.getsockname(b));
            out.blank();
            out.para("ss shows the listener (Peer *:*, Recv-Q the accept queue, Send-Q the backlog) "
                    + "and the three connected sockets; httpd holds a descriptor for each of the four:");
            out.show("/proc/" + httpd.pid() + "/fd: " + String.join(", ", httpd.fds().subList(3, httpd.fds().size())));
            // tag::ss[]
            String all = server.ss("-tan");
            String port80 = server.ss("-tn state established '( sport = :80 )'");
            String fromClient = server.ss("-tn dst 10.0.0.1");
            // end::ss[]
            out.show("$ ss -tan");
            all.lines().forEach(l -> out.show(l.stripTrailing()));
            out.show("$ ss -tn state established '( sport = :80 )'");
            port80.lines().forEach(l -> out.show(l.stripTrailing()));
            out.show("$ ss -tn dst 10.0.0.1");
            fromClient.lines().forEach(l -> out.show(l.stripTrailing()));
            out.blank();
            out.para("A SYN for port 80 is matched against the established table by its full "
                    + "4-tuple first; only a SYN that matches no connection goes to the listener. "
                    + "The listener is found by the local port (and address) alone.");
            TraceDiagram.draw("one listener, three connections", trace.events(), "client", "server")
                    .write(svg);
            out.show("sequence diagram: " + svg.getFileName() + "; capture: " + pcap.getFileName()
                    + " (in " + svg.getParent() + ")");
        }
    }
}
