package dev.stacksim.docs.tour;

import dev.stacksim.diag.TraceDiagram;
import dev.stacksim.host.Host;
import dev.stacksim.net.Network;
import dev.stacksim.net.NetworkLink;
import dev.stacksim.socket.ErrnoException;
import dev.stacksim.socket.Process;
import dev.stacksim.socket.SockAddr;
import dev.stacksim.trace.TraceRecorder;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.stacksim.socket.SocketConstants.AF_INET;
import static dev.stacksim.socket.SocketConstants.MSG_DONTWAIT;
import static dev.stacksim.socket.SocketConstants.SOCK_DGRAM;
import static dev.stacksim.socket.SocketConstants.SOCK_STREAM;

/**
 * TCP and UDP side by side on the same lossy link: stream versus message boundaries, what recv
 * returns, reliability, a connection versus none.
 */
public final class TcpUdpChapter implements Chapter {
    @Override
    public String id() {
        return "tcpudp";
    }

    @Override
    public String title() {
        return "TCP vs UDP: a byte stream vs datagrams, on a lossy link";
    }

    @Override
    public String guidePage() {
        return "guide/tcp-vs-udp.md";
    }

    private static final List<String> WORDS = List.of("one", "two", "three", "four", "five", "six");

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.US_ASCII);
    }

    @Override
    public void run(TourOutput out) {
        out.para("The same program twice, once over TCP (SOCK_STREAM) and once over UDP "
                + "(SOCK_DGRAM): the client sends \"one\" to \"six\" with six calls; "
                + "the server reads a second later. The link loses 30% of its frames.");
        try (Network net = Network.builder().seed(9).build()) {
            Host server = net.host("server").ip("10.0.0.2/24").build();
            Host client = net.host("client").ip("10.0.0.1/24").build();
            NetworkLink link = net.link(client, server).latency(Duration.ofMillis(2));
            Path pcap = out.artifact(id(), "tcpudp.pcap");
            Path svg = out.artifact(id(), "tcpudp.svg");
            link.capture(pcap);
            TraceRecorder trace = new TraceRecorder();
            net.tracer().addListener(trace);
            Process srv = server.spawn("server");
            Process cli = client.spawn("client", 1000);
            // tag::tcp[]
            int lfd = srv.socket(AF_INET, SOCK_STREAM, 0);
            srv.bind(lfd, SockAddr.any(5000));
            srv.listen(lfd, 8);
            int t = cli.socket(AF_INET, SOCK_STREAM, 0);
            cli.connect(t, SockAddr.of("10.0.0.2", 5000));     // a connection first
            int conn = srv.accept(lfd);
            link.lossRate(0.3);
            for (String m : WORDS) {
                cli.send(t, ascii(m), 0);
                net.runFor(Duration.ofMillis(1));
            }
            net.runFor(Duration.ofSeconds(1));
            List<String> reads = new ArrayList<>();
            int total = 0;
            while (total < 22) {                               // 22 bytes were sent
                byte[] got = srv.recv(conn, 100, 0);           // whatever has arrived, in order
                reads.add(text(got));
                total += got.length;
            }
            // end::tcp[]
            link.lossRate(0);
            out.show("TCP: recv(100) x " + reads.size() + " -> " + reads);
            out.show("     the link lost " + (link.link().endA().stats().lossDrops()
                    + link.link().endB().stats().lossDrops()) + " frames; the client retransmitted "
                    + client.snmp().get("TcpRetransSegs") + " segments; the reader never knew");
            cli.close(t);
            byte[] eof = srv.recv(conn, 100, 0);
            out.show("     after the client's close: recv -> " + eof.length + " bytes (end of stream)");
            out.blank();

            // tag::udp[]
            int u = srv.socket(AF_INET, SOCK_DGRAM, 0);
            srv.bind(u, SockAddr.any(5001));                   // no listen, no accept
            int c = cli.socket(AF_INET, SOCK_DGRAM, 0);
            link.lossRate(0.3);
            for (String m : WORDS) {
                cli.sendto(c, ascii(m), 0, SockAddr.of("10.0.0.2", 5001));  // no connect
                net.runFor(Duration.ofMillis(1));
            }
            net.runFor(Duration.ofSeconds(5));
            List<String> got = new ArrayList<>();
            while (true) {
                try {
                    got.add(text(srv.recv(u, 100, MSG_DONTWAIT)));   // one datagram per call
                } catch (ErrnoException e) {
                    break;                                         // EAGAIN: no more
                }
            }
            // end::udp[]
            link.lossRate(0);
            out.show("UDP: recv(100) x " + got.size() + " -> " + got + " (" + (6 - got.size()) + " lost, nothing resent)");
            cli.sendto(c, new byte[0], 0, SockAddr.of("10.0.0.2", 5001));
            byte[] empty = srv.recv(u, 100, 0);
            out.show("     an empty datagram: recv -> " + empty.length + " bytes, and it is not an end");
            out.blank();
            out.para("TCP delivered a byte stream: six sends became a few reads, the boundaries "
                    + "gone (each read returns what has arrived in order), the losses repaired by retransmission, in order. A 0 from recv means "
                    + "the peer closed. UDP delivered messages: one read per datagram, each "
                    + "whole, but what the link lost is simply missing, and a 0-byte datagram is "
                    + "just a message. TCP needed a connection (the handshake) first; UDP sent "
                    + "at once.");
            TraceDiagram.draw("TCP, then UDP, over a link losing 30%", trace.events(), "client", "server")
                    .write(svg);
            out.show("sequence diagram: " + svg.getFileName() + "; capture: " + pcap.getFileName());
        }
    }
}
