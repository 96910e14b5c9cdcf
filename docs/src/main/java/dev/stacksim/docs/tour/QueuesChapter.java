package dev.stacksim.docs.tour;

import dev.stacksim.diag.SequenceDiagram;
import dev.stacksim.diag.TraceDiagram;
import dev.stacksim.host.Host;
import dev.stacksim.net.Network;
import dev.stacksim.socket.ErrnoException;
import dev.stacksim.socket.Process;
import dev.stacksim.socket.SockAddr;
import dev.stacksim.trace.TraceEvent;
import dev.stacksim.trace.TraceRecorder;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.stacksim.socket.SocketConstants.AF_INET;
import static dev.stacksim.socket.SocketConstants.SOCK_NONBLOCK;
import static dev.stacksim.socket.SocketConstants.SOCK_STREAM;

/**
 * The SYN queue and the accept queue of a listener, listen()'s backlog and what happens when the
 * accept queue is full: five clients and listen(fd, 2).
 */
public final class QueuesChapter implements Chapter {
    @Override
    public String id() {
        return "queues";
    }

    @Override
    public String title() {
        return "the SYN queue, the accept queue, backlog and somaxconn";
    }

    @Override
    public String guidePage() {
        return "guide/tcp-connections.md";
    }

    @Override
    public void run(TourOutput out) {
        out.para("listen(fd, backlog) gives a listener two queues. A SYN makes a request sock in the "
                + "SYN queue (half-open, SYN-RECV) and is answered with a SYN-ACK; the client's ACK "
                + "turns it into a full connection in the accept queue, where it waits for accept(). "
                + "The backlog (clamped to net.core.somaxconn, 4096) limits both. Linux counts the "
                + "accept queue full when it holds MORE than the backlog: listen(fd, 2) lets 3 wait.");
        try (Network net = Network.builder().seed(1).build()) {
            Host server = net.host("server").ip("10.0.0.2/24").build();
            Host client = net.host("client").ip("10.0.0.1/24").build();
            Path pcap = out.artifact(id(), "queues.pcap");
            Path svg = out.artifact(id(), "queues.svg");
            net.link(client, server).latency(Duration.ofMillis(1)).capture(pcap);
            TraceRecorder trace = new TraceRecorder();
            TraceRecorder all = new TraceRecorder();
            net.tracer().addListener(trace);
            net.tracer().addListener(all);
            // tag::backlog[]
            Process srv = server.spawn("server");
            int lfd = srv.socket(AF_INET, SOCK_STREAM, 0);
            srv.bind(lfd, SockAddr.any(8080));
            srv.listen(lfd, 2);
            List<Process> clients = new ArrayList<>();
            for (int i = 1; i <= 5; i++) {                      // five clients, 10 ms apart
                Process c = client.spawn("client" + i, 1000);
                int fd = c.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
                try {
                    c.connect(fd, SockAddr.of("10.0.0.2", 8080));
                } catch (ErrnoException e) {                    // EINPROGRESS: SYN sent
                }
                clients.add(c);
                net.runFor(Duration.ofMillis(10));
            }
            long overflows = server.snmp().tcpExt.get("ListenOverflows");
            String ss = server.ss("-tln");                    // Recv-Q 3, Send-Q 2
            String netstat = server.views().netstat("-tnl");  // Send-Q 0
            // end::backlog[]
            for (String line : TcpTraceLines.of(trace.events())) {
                if (line.contains("sends [S]") || line.contains("accept queue")) {
                    out.show(line);                              // SYNs and the accept queue
                }
            }
            out.show("TcpExt ListenOverflows " + overflows + ", ListenDrops "
                    + server.snmp().tcpExt.get("ListenDrops") + ": two SYNs found the accept queue full");
            out.blank();
            out.show("ss -tln:");
            ss.lines().forEach(l -> out.show("  " + l.stripTrailing()));
            out.show("netstat -tnl:");
            netstat.lines().forEach(l -> out.show("  " + l.stripTrailing()));
            out.blank();
            out.para("Nothing tells clients 4 and 5: their SYNs were dropped without an answer, so "
                    + "their kernels resend them on Linux's schedule (1 s, then every second for the "
                    + "first four resends, then doubling). ss shows the listener with Recv-Q 3 "
                    + "(waiting) and Send-Q 2 (the backlog); netstat shows 0 for its Send-Q. One accept() makes room; the next "
                    + "resent SYN gets in.");
            trace.clear();
            // tag::accept[]
            int conn = srv.accept(lfd);                          // room for one more
            net.runFor(Duration.ofSeconds(3));                  // the SYNs are resent
            // end::accept[]
            for (String line : TcpTraceLines.of(trace.events())) {
                out.show(line);
            }
            out.blank();
            out.show("accepted fd " + conn + "; TcpExt ListenOverflows now "
                    + server.snmp().tcpExt.get("ListenOverflows"));
            SequenceDiagram diagram = TraceDiagram.draw("five clients, listen(fd, 2)", all.events(), "client",
                    "server");
            markOverflows(diagram, all.events());
            diagram.write(svg);
            out.show("sequence diagram: " + svg.getFileName() + "; capture: " + pcap.getFileName());
        }
    }

    /**
     * Marks on the server's lifeline each SYN that got no SYN-ACK: the listener dropped it because
     * its accept queue was full. The drop is counted, not traced, so the diagram would otherwise
     * show those SYNs as plainly delivered.
     */
    private static void markOverflows(SequenceDiagram diagram, List<TraceEvent> events) {
        Map<String, Long> unanswered = new LinkedHashMap<>();
        List<Long> dropped = new ArrayList<>();
        for (TraceEvent e : events) {
            if (e instanceof TraceEvent.Packet p && p.host().equals("server") && p.protocol().equals("TCP")) {
                if (!p.sent() && p.summary().startsWith("Flags [S],")) {
                    Long earlier = unanswered.put(p.saddr(), p.time());
                    if (earlier != null) {
                        dropped.add(earlier);
                    }
                } else if (p.sent() && p.summary().startsWith("Flags [S.],")) {
                    unanswered.remove(p.daddr());
                }
            }
        }
        dropped.addAll(unanswered.values());
        for (long t : dropped) {
            diagram.mark(1, t, "accept queue full: SYN dropped (ListenOverflows)");
        }
    }
}
