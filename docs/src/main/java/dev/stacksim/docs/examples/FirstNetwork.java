package dev.stacksim.docs.examples;

import dev.stacksim.host.Host;
import dev.stacksim.host.PingResult;
import dev.stacksim.net.Network;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The guide's first network: two hosts, one link, a capture, three pings. Run it with
 * {@code mvn -q -pl docs -am package -DskipTests exec:java -Dexec.mainClass=dev.stacksim.docs.examples.FirstNetwork}
 * or from the IDE.
 */
public final class FirstNetwork {
    private FirstNetwork() {
    }

    /** Runs the example, writing its capture under {@code target/}. */
    public static void main(String[] args) throws Exception {
        Files.createDirectories(Path.of("target"));
        System.out.print(run(Path.of("target/client-server.pcap")));
    }

    /** The example: returns what it prints. */
    public static String run(Path pcap) {
        // tag::first[]
        try (Network net = Network.builder().seed(7).build()) {
            Host server = net.host("server").ip("10.0.0.2/24").build();
            Host client = net.host("client").ip("10.0.0.1/24").build();
            net.link(client, server).latency(Duration.ofMillis(5)).bandwidth(1_000_000_000L)
                    .capture(pcap);
            PingResult r = client.ping("10.0.0.2", 3);    // runs the simulation until done
            return r + "\n" + client.ipNeigh();            // ping(8)'s output, RTTs in virtual time
        }
        // end::first[]
    }
}
