package dev.stacksim.docs.tour;

import dev.stacksim.diag.TraceDiagram;
import dev.stacksim.host.Host;
import dev.stacksim.net.Network;
import dev.stacksim.net.NetworkLink;
import dev.stacksim.socket.Process;
import dev.stacksim.socket.SockAddr;
import dev.stacksim.trace.TraceRecorder;
import dev.stacksim.wire.Inet;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static dev.stacksim.socket.SocketConstants.AF_INET;
import static dev.stacksim.socket.SocketConstants.SOCK_STREAM;

/**
 * The seeds' server on port 9501 as {@code /proc/<pid>/fd} and {@code /proc/net/tcp} show it:
 * {@code socket:[inode]} links matched to the table's inode column, and the addresses' byte order.
 */
public final class ProcChapter implements Chapter {
    @Override
    public String id() {
        return "proc";
    }

    @Override
    public String title() {
        return "/proc/<pid>/fd and /proc/net/tcp: inodes, states, byte order";
    }

    @Override
    public String guidePage() {
        return "guide/proc.md";
    }

    private static void table(TourOutput out, Host host) {
        // the first 7 columns (of 17): sl, addresses, st, queues, timer, retrnsmt, uid, timeout, inode
        for (String l : host.procNetTcp().lines().toList()) {
            String[] f = l.trim().split("\\s+");
            out.show(String.format("%4s %-13s %-13s %-2s %-17s %5s %s", f[0], f[1], f[2], f[3], f[0].equals("sl") ? "tx_queue:rx_queue" : f[4],
                    f[0].equals("sl") ? "uid" : f[7], f[0].equals("sl") ? "inode" : f[9]));
        }
    }

    @Override
    public void run(TourOutput out) {
        out.para("The seeds' server listens on 0.0.0.0:9501; then a client connects with telnet "
                + "from the same host. Each socket is a file: /proc/<pid>/fd shows the "
                + "descriptor as a link to socket:[inode], and /proc/net/tcp lists the kernel's "
                + "TCP sockets with the same inode in its inode column.");
        try (Network net = Network.builder().seed(17).build()) {
            Host host = net.host("server").ip("10.0.0.2/24").build();
            // tag::listen[]
            Process server = host.spawn("server");
            int lfd = server.socket(AF_INET, SOCK_STREAM, 0);
            server.bind(lfd, SockAddr.any(9501));
            server.listen(lfd, 128);
            List<String> fdsBefore = server.fds();              // 3 -> socket:[inode]
            String tcpBefore = host.procNetTcp();
            // end::listen[]
            out.show("$ ls -l /proc/" + server.pid() + "/fd");
            fdsBefore.forEach(out::show);
            out.show("$ cat /proc/net/tcp   (the first columns)");
            table(out, host);
            out.blank();
            // tag::connect[]
            Process telnet = host.spawn("telnet", 1000);
            int fd = telnet.socket(AF_INET, SOCK_STREAM, 0);
            telnet.connect(fd, SockAddr.of("127.0.0.1", 9501));  // over the loopback
            int conn = server.accept(lfd);                       // fd 4
            net.runFor(Duration.ofMillis(1));
            // end::connect[]
            out.show("$ ls -l /proc/" + server.pid() + "/fd");
            server.fds().forEach(out::show);
            out.show("$ ls -l /proc/" + telnet.pid() + "/fd   (telnet)");
            telnet.fds().subList(3, telnet.fds().size()).forEach(out::show);
            out.show("$ cat /proc/net/tcp");
            table(out, host);
            out.blank();
            out.para("Three rows, three inodes: the listener (st 0A, LISTEN), the server's accepted "
                    + "socket and telnet's socket (st 01, ESTABLISHED), each end of the connection "
                    + "seen from its side. The uid column is the owner: 0 for the server, 1000 "
                    + "for telnet.");
            // tag::decode[]
            int port = 9501;
            String portHex = String.format("%04X", port);                   // 251D
            String addrHex = String.format("%08X", Integer.reverseBytes(
                    dev.stacksim.wire.Ipv4Address.parse("127.0.0.1").toInt()));  // 0100007F
            int wire = Inet.htons(port);                                    // sin_port
            // end::decode[]
            out.show("127.0.0.1 is printed " + addrHex + ": the 4 bytes as they lie in memory "
                    + "(network order), read as a little-endian int");
            out.show("port 9501 is printed " + portHex + ": the port converted to host order first");
            out.show(String.format("htons(9501) = 0x%04x, the value a C program stores in sin_port",
                    wire & 0xFFFF));
            out.show("telnet's fd " + fd + " and the server's fd " + conn + " are different inodes "
                    + "on one host: one socket per end.");
            out.blank();

            out.para("Loopback traffic never reaches a NIC, so there is nothing to capture. A "
                    + "second client, on another host, connects over a link that is captured "
                    + "and traced; its row shows a less symmetric address: 10.0.0.1 is printed "
                    + "0100000A.");
            Host remote = net.host("laptop").ip("10.0.0.1/24").build();
            NetworkLink link = net.link(remote, host).latency(Duration.ofMillis(1));
            Path pcap = out.artifact(id(), "proc.pcap");
            Path svg = out.artifact(id(), "proc.svg");
            link.capture(pcap);
            TraceRecorder trace = new TraceRecorder();
            net.tracer().addListener(trace);
            // tag::remote[]
            Process nc = remote.spawn("nc", 1000);
            int rfd = nc.socket(AF_INET, SOCK_STREAM, 0);
            nc.connect(rfd, SockAddr.of("10.0.0.2", 9501));
            int rconn = server.accept(lfd);                      // fd 5
            nc.send(rfd, "hi\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0);
            net.runFor(Duration.ofMillis(5));                    // Recv-Q: 3 bytes unread
            // end::remote[]
            host.procNetTcp().lines().filter(l -> l.contains("0100000A")).forEach(l -> {
                String[] f = l.trim().split("\\s+");
                out.show(String.format("%4s %-13s %-13s %-2s %-17s %5s %s", f[0], f[1], f[2], f[3], f[4], f[7], f[9]));
            });
            out.show("fd " + rconn + " of the server: 3 bytes waiting (rx_queue 3), from 10.0.0.1");
            TraceDiagram.draw("a client from another host", trace.events(), "laptop", "server").write(svg);
            out.show("sequence diagram: " + svg.getFileName() + "; capture: " + pcap.getFileName());
        }
    }
}
