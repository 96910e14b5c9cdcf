package dev.stacksim.docs.examples;

import static dev.stacksim.socket.SocketConstants.AF_INET;
import static dev.stacksim.socket.SocketConstants.SOCK_DGRAM;

import dev.stacksim.diag.TraceDiagram;
import dev.stacksim.host.Host;
import dev.stacksim.net.Network;
import dev.stacksim.socket.Process;
import dev.stacksim.socket.SockAddr;
import dev.stacksim.trace.TraceEvent;
import dev.stacksim.trace.TraceFile;
import dev.stacksim.trace.TraceRecorder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Collectors;

/**
 * The guide's event trace: a datagram to a closed port, recorded in memory, written as JSON lines
 * and drawn as a sequence diagram. Run it with
 * {@code mvn -q -pl docs -am package -DskipTests exec:java -Dexec.mainClass=dev.stacksim.docs.examples.TraceExample}.
 */
public final class TraceExample {
    private TraceExample() {
    }

    /** Runs the example, writing its trace and diagram under {@code target/}. */
    public static void main(String[] args) throws IOException {
        System.out.print(run(Files.createDirectories(Path.of("target"))));
    }

    /** The example: returns the trace's packets, state changes and drops, one a line. */
    public static String run(Path dir) throws IOException {
        // tag::trace[]
        try (Network net = Network.builder().seed(7).build()) {
            Host server = net.host("server").ip("10.0.0.2/24").build();
            Host client = net.host("client").ip("10.0.0.1/24").build();
            net.link(client, server).latency(Duration.ofMillis(5));

            TraceRecorder rec = new TraceRecorder();                    // every event, in memory
            net.tracer().addListener(rec);
            try (TraceFile file = TraceFile.open(dir.resolve("closed-port.jsonl"), TraceFile.Format.JSON)) {
                net.tracer().addListener(file);                         // and one JSON object a line
                Process cli = client.spawn("cli", 1000);
                int fd = cli.socket(AF_INET, SOCK_DGRAM, 0);
                cli.sendto(fd, "anyone?".getBytes(StandardCharsets.US_ASCII), 0, SockAddr.of("10.0.0.2", 9));
                net.runFor(Duration.ofMillis(30));
                net.tracer().removeListener(file);
            }                                                           // flushed and closed

            TraceDiagram.draw("UDP to a closed port", rec.events(), "client", "server")
                    .write(dir.resolve("closed-port.svg"));             // a standalone SVG
            return rec.events().stream()
                    .filter(e -> e instanceof TraceEvent.Packet || e instanceof TraceEvent.StateChange
                            || e instanceof TraceEvent.Drop)
                    .map(TraceEvent::format)
                    .collect(Collectors.joining("\n", "", "\n"));
        }
        // end::trace[]
    }
}
