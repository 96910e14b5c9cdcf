package dev.stacksim.docs.tour;

import static dev.stacksim.socket.SocketConstants.AF_INET;
import static dev.stacksim.socket.SocketConstants.AF_UNIX;
import static dev.stacksim.socket.SocketConstants.MSG_DONTWAIT;
import static dev.stacksim.socket.SocketConstants.MSG_TRUNC;
import static dev.stacksim.socket.SocketConstants.SOCK_DGRAM;
import static dev.stacksim.socket.SocketConstants.SOL_SOCKET;
import static dev.stacksim.socket.SocketConstants.SO_RCVBUF;
import static dev.stacksim.socket.SocketConstants.SO_SNDBUF;

import dev.stacksim.diag.TraceDiagram;
import dev.stacksim.host.Host;
import dev.stacksim.net.Network;
import dev.stacksim.net.NetworkLink;
import dev.stacksim.socket.ErrnoException;
import dev.stacksim.socket.MsgHdr;
import dev.stacksim.socket.Process;
import dev.stacksim.socket.RecvFrom;
import dev.stacksim.socket.SockAddr;
import dev.stacksim.trace.TraceRecorder;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * UDP: datagrams keep their boundaries, a short buffer truncates, the link's losses reach the
 * application and the counters, a full receive buffer drops (where AF_UNIX makes the sender
 * wait), and a connected socket hears ICMP port unreachable as ECONNREFUSED.
 */
public final class UdpChapter implements Chapter {
    @Override
    public String id() {
        return "udp";
    }

    @Override
    public String title() {
        return "UDP: datagrams keep their edges, and losses show in the counters";
    }

    @Override
    public String guidePage() {
        return "guide/udp.md";
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static String text(byte[] b, int n) {
        return new String(b, 0, n, StandardCharsets.US_ASCII);
    }

    @Override
    public void run(TourOutput out) {
        out.para("Two hosts, client 10.0.0.1 and server 10.0.0.2, on a cable with 5 ms of "
                + "latency. The server binds UDP port 7 (echo) as root; the client sends without "
                + "binding, so its socket takes an ephemeral port on the first send. One thread "
                + "plays both programs: a blocking recvfrom runs the simulation until a datagram "
                + "arrives.");
        try (Network net = Network.builder().seed(42).build()) {
            Host server = net.host("server").ip("10.0.0.2/24").build();
            Host client = net.host("client").ip("10.0.0.1/24").build();
            NetworkLink link = net.link(client, server).latency(Duration.ofMillis(5));
            Path pcap = out.artifact(id(), "udp.pcap");
            Path svg = out.artifact(id(), "udp.svg");
            link.capture(pcap);
            TraceRecorder trace = new TraceRecorder();
            net.tracer().addListener(trace);

            // tag::boundaries[]
            Process srv = server.spawn("echod");                  // root: port 7 < 1024
            int s = srv.socket(AF_INET, SOCK_DGRAM, 0);
            srv.bind(s, SockAddr.any(7));
            Process cli = client.spawn("echo", 1000);
            int c = cli.socket(AF_INET, SOCK_DGRAM, 0);
            SockAddr echo = SockAddr.of("10.0.0.2", 7);
            cli.sendto(c, bytes("hello"), 0, echo);               // two sends ...
            cli.sendto(c, bytes("world!"), 0, echo);
            byte[] buf = new byte[100];
            RecvFrom first = srv.recvfrom(s, buf, 0, buf.length, 0);   // ... two datagrams
            String one = text(buf, first.length());
            RecvFrom second = srv.recvfrom(s, buf, 0, buf.length, 0);
            String two = text(buf, second.length());
            // end::boundaries[]
            out.show("client: sendto \"hello\", sendto \"world!\"");
            out.show(String.format("server: recvfrom -> %d bytes \"%s\" from %s", first.length(), one,
                    first.from()));
            out.show(String.format("server: recvfrom -> %d bytes \"%s\" from %s", second.length(), two,
                    second.from()));
            out.show("two sends, two datagrams: UDP never merges or splits them");
            out.blank();

            out.para("A buffer shorter than the datagram gets its beginning; the rest is thrown "
                    + "away, and MSG_TRUNC in the message flags says so. With MSG_TRUNC in the "
                    + "call, recv returns the datagram's real length.");
            // tag::truncate[]
            cli.sendto(c, bytes("0123456789"), 0, echo);
            byte[] small = new byte[4];
            RecvFrom cut = srv.recvfrom(s, small, 0, small.length, 0);  // 4, MSG_TRUNC
            String kept = text(small, cut.length());
            cli.sendto(c, bytes("abcdefghij"), 0, echo);
            MsgHdr msg = new MsgHdr(small, 0, small.length);
            int real = srv.recvmsg(s, msg, MSG_TRUNC);             // 10, though 4 were copied
            // end::truncate[]
            out.show(String.format("recvfrom(buf of 4) -> %d \"%s\", flags %s: 6 bytes lost",
                    cut.length(), kept, cut.flags() == MSG_TRUNC ? "MSG_TRUNC" : "0"));
            out.show(String.format("recvmsg(buf of 4, MSG_TRUNC) -> %d, copied \"%s\"", real, text(small, 4)));
            out.blank();

            out.para("Now the cable loses 10% of the frames in each direction (netem: loss "
                    + "10%). The client sends 20 numbered datagrams; the server echoes whatever "
                    + "reaches it; the client collects what comes back. Nothing retransmits: "
                    + "what the link loses is simply missing.");
            link.lossRate(0.1);
            long lostUp0 = link.link().endA().stats().lossDrops();
            long lostDown0 = link.link().endB().stats().lossDrops();
            // tag::echo[]
            for (int i = 0; i < 20; i++) {
                cli.sendto(c, bytes(String.format("%02d", i)), 0, echo);
            }
            net.runFor(Duration.ofMillis(50));                    // 5 ms away: all arrived
            List<String> reached = new ArrayList<>();
            while (true) {                                        // the server echoes each one
                try {
                    RecvFrom r = srv.recvfrom(s, buf, 0, buf.length, MSG_DONTWAIT);
                    reached.add(text(buf, r.length()));
                    srv.sendto(s, buf, 0, r.length(), 0, r.from());
                } catch (ErrnoException e) {                      // EAGAIN: queue empty
                    break;
                }
            }
            net.runFor(Duration.ofMillis(50));
            List<String> back = new ArrayList<>();
            while (true) {
                try {
                    back.add(text(buf, cli.recv(c, buf, 0, buf.length, MSG_DONTWAIT)));
                } catch (ErrnoException e) {
                    break;
                }
            }
            // end::echo[]
            long lostUp = link.link().endA().stats().lossDrops() - lostUp0;
            long lostDown = link.link().endB().stats().lossDrops() - lostDown0;
            out.show("sent        00 .. 19 (20 datagrams)");
            out.show("server got  " + String.join(" ", reached) + " (" + reached.size() + ")");
            out.show("came back   " + String.join(" ", back) + " (" + back.size() + ")");
            out.show(String.format("link lossDrops: client->server %d, server->client %d", lostUp, lostDown));
            out.show(String.format("client Udp: OutDatagrams %d InDatagrams %d",
                    client.snmp().get("UdpOutDatagrams"), client.snmp().get("UdpInDatagrams")));
            out.show(String.format("server Udp: InDatagrams %d OutDatagrams %d",
                    server.snmp().get("UdpInDatagrams"), server.snmp().get("UdpOutDatagrams")));
            out.show(String.format("20 sent - %d lost = %d echoed; %d - %d lost = %d back", lostUp,
                    reached.size(), reached.size(), lostDown, back.size()));
            out.show("(the counters include the 4 datagrams of the first two experiments)");
            link.lossRate(0);
            out.blank();

            out.para("A connected UDP socket has a default destination and accepts datagrams from "
                    + "it alone. When nobody listens there, the peer's kernel answers with ICMP "
                    + "port unreachable; Linux turns that into the socket's error, and the next "
                    + "call fails with ECONNREFUSED. The first send succeeded: UDP could not know.");
            // tag::refused[]
            int d = cli.socket(AF_INET, SOCK_DGRAM, 0);
            cli.connect(d, SockAddr.of("10.0.0.2", 9));           // nobody on port 9
            cli.send(d, bytes("anyone?"), 0);                     // succeeds
            net.runFor(Duration.ofMillis(20));                    // ICMP port unreachable
            String refused;
            try {
                cli.send(d, bytes("again"), 0);
                refused = "sent";
            } catch (ErrnoException e) {
                refused = e.getMessage();                         // ECONNREFUSED (111)
            }
            // end::refused[]
            out.show("send -> " + refused);
            out.show(String.format("server: Udp NoPorts %d, Icmp OutDestUnreachs %d",
                    server.snmp().get("UdpNoPorts"), server.snmp().get("IcmpOutDestUnreachs")));
            out.blank();

            out.para("The receive buffer: a UDP socket accepts a datagram while the memory it "
                    + "holds (truesize, not payload) is within SO_RCVBUF, and drops the rest, "
                    + "counting RcvbufErrors. An AF_UNIX datagram socket never drops: a full "
                    + "receiver makes the sender wait (or fail with EAGAIN).");
            long rcvbufErrors0 = server.snmp().get("UdpRcvbufErrors");
            // tag::rcvbuf[]
            srv.setsockopt(s, SOL_SOCKET, SO_RCVBUF, 4096);       // 8192 once doubled
            for (int i = 0; i < 20; i++) {
                cli.sendto(c, new byte[100], 0, echo);
            }
            net.runFor(Duration.ofMillis(20));
            int queued = 0;
            while (true) {
                try {
                    srv.recv(s, buf, 0, buf.length, MSG_DONTWAIT);
                    queued++;
                } catch (ErrnoException e) {
                    break;
                }
            }
            // end::rcvbuf[]
            out.show(String.format("UDP: 20 sent, %d queued and read, %d dropped (UdpRcvbufErrors)", queued,
                    server.snmp().get("UdpRcvbufErrors") - rcvbufErrors0));
            // tag::unix[]
            int[] sv = srv.socketpair(AF_UNIX, SOCK_DGRAM, 0);
            srv.setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, 4096);
            int accepted = 0;
            String stopped = "";
            for (int i = 0; i < 20; i++) {
                try {
                    srv.send(sv[0], new byte[100], MSG_DONTWAIT);
                    accepted++;
                } catch (ErrnoException e) {                      // full: the sender must wait
                    stopped = e.errno().name();
                    break;
                }
            }
            // end::unix[]
            int read = 0;
            while (true) {
                try {
                    srv.recv(sv[1], buf, 0, buf.length, MSG_DONTWAIT);
                    read++;
                } catch (ErrnoException e) {
                    break;
                }
            }
            out.show(String.format("AF_UNIX: %d accepted, then %s; %d read, none lost", accepted, stopped, read));
            out.blank();

            out.para("Every bound UDP socket is a line of /proc/net/udp (here a few of its "
                    + "columns). The server's: sl is the hash chain, the address is network-order "
                    + "bytes read by a little-endian host, the port is hex (7 is 0007), st 07 is "
                    + "unconnected, drops counts the datagrams the socket lost.");
            procNetUdp(out, server);
            out.blank();
            out.para("The client's: its first socket got an ephemeral port on its first send and "
                    + "stays bound to 0.0.0.0; the connected one took the route's source address "
                    + "(10.0.0.1 is 0100000A) and shows its peer, 10.0.0.2 port 9, with st 01.");
            procNetUdp(out, client);
            TraceDiagram.draw("UDP: echo over a lossy link, then a closed port", trace.events(), "client",
                    "server").write(svg);
            out.show("sequence diagram: " + svg.getFileName() + "; capture: " + pcap.getFileName());
        }
    }

    /** A few columns of /proc/net/udp, each token as the kernel prints it. */
    private static void procNetUdp(TourOutput out, Host host) {
        for (String line : host.procNetUdp().split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f[0].equals("sl")) {
                out.show(String.format("%6s %-14s %-14s %2s %-17s %5s %5s", "sl", "local_address",
                        "rem_address", "st", "tx_queue:rx_queue", "uid", "drops"));
            } else {
                out.show(String.format("%6s %-14s %-14s %2s %-17s %5s %5s", f[0], f[1], f[2], f[3], f[4],
                        f[7], f[12]));
            }
        }
    }
}
