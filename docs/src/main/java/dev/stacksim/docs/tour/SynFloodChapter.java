package dev.stacksim.docs.tour;

import dev.stacksim.buf.SkBuff;
import dev.stacksim.diag.TraceDiagram;
import dev.stacksim.host.Host;
import dev.stacksim.ip.Ipv4;
import dev.stacksim.net.Network;
import dev.stacksim.socket.ErrnoException;
import dev.stacksim.socket.Process;
import dev.stacksim.socket.SockAddr;
import dev.stacksim.tcp.TcpSockInfo;
import dev.stacksim.tcp.TcpState;
import dev.stacksim.trace.TraceEvent;
import dev.stacksim.trace.TraceRecorder;
import dev.stacksim.wire.IpProtocol;
import dev.stacksim.wire.Ipv4Address;
import dev.stacksim.wire.TcpHeader;
import dev.stacksim.wire.TcpOptions;
import dev.stacksim.wire.TcpRepr;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static dev.stacksim.socket.SocketConstants.AF_INET;
import static dev.stacksim.socket.SocketConstants.SOCK_NONBLOCK;
import static dev.stacksim.socket.SocketConstants.SOCK_STREAM;

/**
 * A SYN flood from spoofed addresses against a listener with {@code tcp_syncookies} 0, 1 and 2:
 * the SYN queue fills, SYNs are dropped or answered with cookies, and a legitimate client gets in
 * only thanks to the cookies.
 */
public final class SynFloodChapter implements Chapter {
    private static final int BACKLOG = 16;
    private static final int FLOOD = 300;

    @Override
    public String id() {
        return "synflood";
    }

    @Override
    public String title() {
        return "a SYN flood, the SYN queue and SYN cookies (tcp_syncookies 0, 1, 2)";
    }

    @Override
    public String guidePage() {
        return "guide/synflood.md";
    }

    @Override
    public void run(TourOutput out) {
        out.para("An attacker sends SYNs with forged source addresses (10.1.x.y). The server "
                + "answers each with a SYN-ACK that goes nowhere and keeps a request sock in its "
                + "SYN queue, resending the SYN-ACK for about a minute. The queue holds backlog + 1 "
                + "requests (listen(fd, 16): 17). " + FLOOD + " spoofed SYNs arrive over 300 ms; "
                + "in the middle a real client connects. Three runs, one per tcp_syncookies value.");
        for (int mode = 0; mode <= 2; mode++) {
            flood(out, mode);
        }
        out.para("0: no cookies; once the queue is full every SYN is dropped (TCPReqQFullDrop), "
                + "the client's too, and it keeps resending until the fake requests expire. "
                + "1 (Linux's default): cookies only when the queue is full "
                + "(TCPReqQFullDoCookies); the SYN-ACK's sequence number encodes the request, "
                + "nothing is kept, and the client's ACK rebuilds it (SyncookiesRecv). "
                + "2: cookies for every SYN; the SYN queue stays empty.");
    }

    private void flood(TourOutput out, int syncookies) {
        try (Network net = Network.builder().seed(11).build()) {
            Host server = net.host("server").ip("10.0.0.2/24").route("10.1.0.0/16 via 10.0.0.66")
                    .sysctl("net.ipv4.tcp_syncookies", syncookies).build();
            Host client = net.host("client").ip("10.0.0.1/24").build();
            Host attacker = net.host("attacker").ip("10.0.0.66/24").build();
            var sw = net.addSwitch("sw", 3);
            net.link(client, sw).latency(Duration.ofMillis(1));
            net.link(attacker, sw).latency(Duration.ofMillis(1));
            net.link(server, sw).latency(Duration.ofMillis(1));
            Path pcap = out.artifact(id(), "synflood-" + syncookies + ".pcap");
            net.capture(server, "eth0", pcap);
            TraceRecorder trace = new TraceRecorder();
            client.tracer().addListener(trace);
            server.tracer().addListener(trace);

            Process srv = server.spawn("httpd");
            int lfd = srv.socket(AF_INET, SOCK_STREAM, 0);
            srv.bind(lfd, SockAddr.any(80));
            srv.listen(lfd, BACKLOG);
            Process cli = client.spawn("curl", 1000);
            int fd = cli.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
            int peak = 0;
            // tag::flood[]
            for (int i = 0; i < FLOOD; i++) {
                int spoofed = Ipv4Address.parse("10.1.0.0").toInt() | i;   // 10.1.0.i
                sendSyn(attacker, spoofed, 1024 + i, "10.0.0.2", 80);
                if (i == FLOOD / 2) {
                    try {
                        cli.connect(fd, SockAddr.of("10.0.0.2", 80));     // the real client
                    } catch (ErrnoException e) {                          // EINPROGRESS
                    }
                }
                net.runFor(Duration.ofMillis(1));
                peak = Math.max(peak, synQueue(server));
            }
            net.runFor(Duration.ofSeconds(3));
            // end::flood[]
            TcpState state = TcpState.CLOSE;
            for (TcpSockInfo s : client.views().tcpSockets()) {
                if (s.remotePort() == 80) {
                    state = s.state();
                }
            }
            out.show("tcp_syncookies " + syncookies + ": SYN queue peak " + peak + ", now " + synQueue(server)
                    + "; client " + state + " after 3 s");
            // tag::nstat[]
            String counters = server.views().nstat("-az TcpExtTCPReqQFull* TcpExtSyncookies* TcpExtListenDrops");
            // end::nstat[]
            counters.lines().skip(1).filter(l -> !l.matches("\\S+\\s+0\\s.*") || l.contains("Cookies"))
                    .forEach(l -> out.show("  " + l.replaceAll(" {2,}", "  ").replaceAll("  0\\.0$", "")));
            List<TraceEvent> mine = trace.events().stream().filter(e -> !(e instanceof TraceEvent.Packet p)
                    || p.saddr().startsWith("10.0.0.1") || p.daddr().startsWith("10.0.0.1")).toList();
            Path svg = out.artifact(id(), "synflood-" + syncookies + ".svg");
            TraceDiagram.draw("the real client, tcp_syncookies " + syncookies, mine, "client", "server").write(svg);
            out.blank();
        }
    }

    private static int synQueue(Host server) {
        return server.views().tcpSockets().stream().filter(s -> s.state() == TcpState.LISTEN)
                .mapToInt(TcpSockInfo::synQueue).sum();
    }

    // tag::spoof[]
    /** A SYN as Linux sends it, from any source address the attacker likes. */
    private static void sendSyn(Host from, int saddr, int sport, String dst, int dport) {
        int daddr = Ipv4Address.parse(dst).toInt();
        TcpOptions opts = new TcpOptions(1460, 7, true, true, sport, 0, List.of(), List.of());
        TcpRepr syn = new TcpRepr(sport, dport, sport * 7919, 0, TcpHeader.SYN, 64240, 0, opts, 0);
        SkBuff skb = from.pool().alloc(Ipv4.MAX_HEADER + TcpHeader.MAX_HEADER_LEN, 0);
        int at = skb.push(syn.headerLen());
        skb.resetTransportHeader();
        syn.emit(new TcpHeader().wrap(skb.buf(), at, syn.headerLen()), saddr, daddr);
        from.ip().queueXmit(skb, saddr, daddr, IpProtocol.TCP, 0, 64, true);  // takes the skb
    }
    // end::spoof[]
}
