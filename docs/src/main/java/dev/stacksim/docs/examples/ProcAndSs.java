package dev.stacksim.docs.examples;

import dev.stacksim.host.Host;
import dev.stacksim.net.Network;
import dev.stacksim.socket.Process;
import dev.stacksim.socket.SockAddr;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static dev.stacksim.socket.SocketConstants.AF_INET;
import static dev.stacksim.socket.SocketConstants.SOCK_STREAM;

/**
 * The guide's page on {@code /proc/net/tcp}, {@code ss} and {@code netstat}: a server with a
 * backlog of 2 that accepts one connection of three, and what the three tools say about it. Run it
 * with {@code mvn -q -pl docs -am package -DskipTests exec:java -Dexec.mainClass=dev.stacksim.docs.examples.ProcAndSs}.
 */
public final class ProcAndSs {
    private ProcAndSs() {
    }

    /** Prints what {@link #run()} returns. */
    public static void main(String[] args) {
        System.out.print(run());
    }

    /** The example: the views, one after the other, as the guide shows them. */
    public static String run() {
        // tag::setup[]
        try (Network net = Network.builder().seed(7).build()) {
            Host server = net.host("server").ip("10.0.0.2/24").build();
            Host client = net.host("client").ip("10.0.0.1/24").build();
            net.link(client, server).latency(Duration.ofMillis(1));

            Process httpd = server.spawn("httpd", 1000);
            int lfd = httpd.socket(AF_INET, SOCK_STREAM, 0);
            httpd.bind(lfd, SockAddr.of("0.0.0.0", 8080));
            httpd.listen(lfd, 2);                        // backlog 2: three may wait

            Process curl = client.spawn("curl", 1000);
            int[] fd = new int[3];
            for (int i = 0; i < 3; i++) {
                fd[i] = curl.socket(AF_INET, SOCK_STREAM, 0);
                curl.connect(fd[i], SockAddr.of("10.0.0.2", 8080));  // the kernels shake hands
            }
            int conn = httpd.accept(lfd);                // one leaves the accept queue
            curl.send(fd[0], "GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 0);
            curl.close(fd[2]);                           // the client gives up on the third
            net.runFor(Duration.ofMillis(10));
            // end::setup[]
            StringBuilder out = new StringBuilder();
            // tag::views[]
            out.append("$ ss -tanp\n").append(server.ss("-tanp"));
            out.append("$ netstat -tanp\n").append(server.views().netstat("-tanp"));
            out.append("$ cat /proc/net/tcp\n").append(server.procNetTcp());
            out.append("$ ss -tano   # on the client\n").append(client.ss("-tano"));
            // end::views[]
            return out.toString();
        }
    }
}
