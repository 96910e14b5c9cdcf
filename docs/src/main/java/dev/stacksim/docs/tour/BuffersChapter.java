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
import java.util.ArrayList;
import java.util.List;

import static dev.stacksim.socket.SocketConstants.AF_INET;
import static dev.stacksim.socket.SocketConstants.MSG_DONTWAIT;
import static dev.stacksim.socket.SocketConstants.SOCK_STREAM;
import static dev.stacksim.socket.SocketConstants.SOL_SOCKET;
import static dev.stacksim.socket.SocketConstants.SO_RCVBUF;
import static dev.stacksim.socket.SocketConstants.SO_SNDBUF;

/**
 * Socket buffers: a sender that writes while the receiver does not read. The receiver's Recv-Q
 * fills, its advertised window falls to zero, the sender's Send-Q fills and a non-blocking send
 * fails with EAGAIN; the persist timer sends zero-window probes; reading drains it all.
 */
public final class BuffersChapter implements Chapter {
    @Override
    public String id() {
        return "buffers";
    }

    @Override
    public String title() {
        return "socket buffers: Recv-Q, Send-Q, the window, EAGAIN, zero-window probes";
    }

    @Override
    public String guidePage() {
        return "guide/buffers.md";
    }

    private static void ss(TourOutput out, String who, Host host) {
        out.show("ss -tno on the " + who + ":");
        for (String l : host.ss("-tno").lines().skip(1).toList()) {
            out.show("  " + l.strip().replaceAll(" +", " "));
        }
    }

    @Override
    public void run(TourOutput out) {
        out.para("Every socket has a send buffer and a receive buffer, each a byte budget "
                + "(SO_SNDBUF, SO_RCVBUF). send() copies into the send buffer and returns; TCP "
                + "sends from there as the peer's window allows and frees bytes when they are "
                + "acknowledged. Arriving data waits in the receive buffer until recv() copies "
                + "it out. Linux doubles what setsockopt asks for, to leave room for its own "
                + "bookkeeping (struct sk_buff), and getsockopt returns the doubled value.");
        try (Network net = Network.builder().seed(5).build()) {
            Host server = net.host("server").ip("10.0.0.2/24").build();
            Host client = net.host("client").ip("10.0.0.1/24").build();
            NetworkLink link = net.link(client, server).latency(Duration.ofMillis(1));
            Path pcap = out.artifact(id(), "buffers.pcap");
            Path svg = out.artifact(id(), "buffers.svg");
            link.capture(pcap);
            TraceRecorder trace = new TraceRecorder();
            net.tracer().addListener(trace);
            // tag::setup[]
            Process srv = server.spawn("slowpoke");
            int lfd = srv.socket(AF_INET, SOCK_STREAM, 0);
            srv.setsockopt(lfd, SOL_SOCKET, SO_RCVBUF, 8192);   // children inherit it
            srv.bind(lfd, SockAddr.any(9000));
            srv.listen(lfd, 8);

            Process cli = client.spawn("writer", 1000);
            int fd = cli.socket(AF_INET, SOCK_STREAM, 0);
            cli.setsockopt(fd, SOL_SOCKET, SO_SNDBUF, 4096);
            cli.connect(fd, SockAddr.of("10.0.0.2", 9000));
            int conn = srv.accept(lfd);
            int rcvbuf = srv.getsockopt(conn, SOL_SOCKET, SO_RCVBUF);  // 16384
            int sndbuf = cli.getsockopt(fd, SOL_SOCKET, SO_SNDBUF);    // 8192
            // end::setup[]
            out.show("setsockopt(SO_RCVBUF, 8192) -> getsockopt " + rcvbuf);
            out.show("setsockopt(SO_SNDBUF, 4096) -> getsockopt " + sndbuf);
            out.show("server skmem: " + skmem(server));
            out.blank();

            out.para("The writer sends 4000-byte chunks without waiting (MSG_DONTWAIT); the "
                    + "server never calls recv().");
            trace.clear();
            // tag::fill[]
            byte[] chunk = new byte[4000];
            int sent = 0;
            int refused = 0;
            String error = null;
            while (refused < 3) {                          // until the buffer stays full
                try {
                    sent += cli.send(fd, chunk, 0, chunk.length, MSG_DONTWAIT);
                    refused = 0;
                } catch (ErrnoException e) {
                    error = e.getMessage();                 // EAGAIN: the send buffer is full
                    refused++;
                }
                net.runFor(Duration.ofMillis(50));         // let TCP move what it can
            }
            // end::fill[]
            // end::fill[]
            List<String> lines = TcpTraceLines.of(trace.events());
            lines.stream().filter(l -> l.contains("server  sends")).forEach(out::show);
            out.show("accepted " + sent + " bytes, then " + error);
            out.blank();
            ss(out, "server", server);
            ss(out, "client", client);
            out.blank();
            out.para("The server's Recv-Q holds what arrived and was not read; the window it "
                    + "advertises (win) shrank with each ACK. At 344 bytes it is less than a "
                    + "segment, so the client sends nothing more: the window is closed for it. (A "
                    + "receiver never takes back window it has offered, so the right edge stays put "
                    + "rather than jumping to 0.) The client's Send-Q holds what it wrote and the "
                    + "server has not acknowledged; its send buffer is full, so send() says EAGAIN. "
                    + "Nothing moves, so the client's persist timer (timer:(persist,...)) sends "
                    + "window probes, an old sequence number without data that forces an ACK "
                    + "carrying the current window, backing off each time.");
            trace.clear();
            // tag::probe[]
            net.runFor(Duration.ofSeconds(2));            // the persist timer probes
            // end::probe[]
            TcpTraceLines.of(trace.events()).stream().limit(8).forEach(out::show);
            out.blank();
            out.para("Now the server reads. The window reopens (a window update), the client's "
                    + "queue drains, and a second read finds the rest.");
            trace.clear();
            // tag::drain[]
            int read = 0;
            List<Integer> reads = new ArrayList<>();
            while (read < sent) {
                byte[] got = srv.recv(conn, 65536, 0);     // blocks until data is there
                reads.add(got.length);
                read += got.length;
            }
            net.runFor(Duration.ofMillis(20));
            // end::drain[]
            // end::drain[]
            TcpTraceLines.of(trace.events()).stream().limit(4).forEach(out::show);
            out.show("recv() returned " + reads + ": " + read + " of " + sent + " bytes");
            ss(out, "server", server);
            ss(out, "client", client);
            TraceDiagram.draw("a receiver that does not read", trace.events(), "client", "server").write(svg);
            out.show("sequence diagram (the drain): " + svg.getFileName() + "; capture: " + pcap.getFileName());
        }
    }

    private static String skmem(Host host) {
        String s = host.ss("-tnmH");
        int i = s.indexOf("skmem:");
        return i < 0 ? "-" : s.substring(i, s.indexOf(')', i) + 1);
    }
}
