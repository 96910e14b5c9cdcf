package dev.stacksim.net;

import dev.stacksim.host.Host;
import dev.stacksim.socket.Process;
import dev.stacksim.socket.SockAddr;
import dev.stacksim.trace.TraceEvent;
import dev.stacksim.trace.TraceRecorder;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.stacksim.socket.SocketConstants.AF_INET;
import static dev.stacksim.socket.SocketConstants.SOCK_STREAM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The order of the trace's TCP events for a handshake and a close across two NICs: packets sent
 * (by flags), state changes and queue moves, as a reader of the trace sees them.
 */
class TcpTraceOrderTest {
    /** TCP events as {@code host: what}, packets by their flags only. */
    private static List<String> story(List<TraceEvent> events) {
        List<String> out = new ArrayList<>();
        for (TraceEvent e : events) {
            if (e instanceof TraceEvent.Packet p && p.protocol().equals("TCP") && p.sent()) {
                String s = p.summary();
                out.add(p.host() + ": sends " + s.substring(s.indexOf('['), s.indexOf(']') + 1));
            } else if (e instanceof TraceEvent.StateChange s && s.protocol().equals("TCP")) {
                out.add(s.host() + ": " + s.from() + " -> " + s.to());
            } else if (e instanceof TraceEvent.QueueMove q) {
                out.add(q.host() + ": " + q.op() + " " + q.length());
            }
        }
        return out;
    }

    @Test
    void handshakeAndCloseEmitEventsInProtocolOrder(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        try (Network net = Network.builder().seed(3).build()) {
            Host server = net.host("server").ip("10.0.0.2/24").build();
            Host client = net.host("client").ip("10.0.0.1/24").build();
            net.link(client, server).latency(Duration.ofMillis(1));
            TraceRecorder rec = new TraceRecorder();
            net.tracer().addListener(rec);
            Process srv = server.spawn("srv");
            int lfd = srv.socket(AF_INET, SOCK_STREAM, 0);
            srv.bind(lfd, SockAddr.any(80));
            srv.listen(lfd, 16);
            Process cli = client.spawn("cli");
            int fd = cli.socket(AF_INET, SOCK_STREAM, 0);
            cli.connect(fd, SockAddr.of("10.0.0.2", 80));
            int conn = srv.accept(lfd);
            assertEquals(List.of(
                    "server: CLOSE -> LISTEN",
                    "client: CLOSE -> SYN_SENT",
                    "client: sends [S]",
                    "server: SYN_QUEUE_ADD 1",
                    "server: sends [S.]",
                    "client: SYN_SENT -> ESTABLISHED",
                    "client: sends [.]",
                    "server: NEW_SYN_RECV -> SYN_RECV",
                    "server: SYN_QUEUE_REMOVE 0",
                    "server: ACCEPT_QUEUE_ADD 1",
                    "server: SYN_RECV -> ESTABLISHED",
                    "server: ACCEPT 0"), story(rec.events()));
            rec.clear();
            cli.close(fd);
            net.runFor(Duration.ofMillis(10));
            srv.close(conn);
            net.runFor(Duration.ofSeconds(61));
            assertEquals(List.of(
                    "client: ESTABLISHED -> FIN_WAIT1",
                    "client: sends [F.]",
                    "server: ESTABLISHED -> CLOSE_WAIT",
                    "server: sends [.]",                // no data came: the ACK of the FIN is not delayed
                    "client: FIN_WAIT1 -> FIN_WAIT2",
                    "server: CLOSE_WAIT -> LAST_ACK",
                    "server: sends [F.]",
                    "client: FIN_WAIT2 -> TIME_WAIT",
                    "client: sends [.]",
                    "server: LAST_ACK -> CLOSE",
                    "client: TIME_WAIT -> CLOSE"), story(rec.events()));
            Path svg = dir.resolve("close.svg");
            dev.stacksim.diag.TraceDiagram.draw("close", rec.events(), "client", "server").write(svg);
            assertTrue(Files.readString(svg).contains("TIME_WAIT"));
        }
    }
}
