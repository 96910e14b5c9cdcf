package dev.stacksim.docs.examples;

import dev.stacksim.host.Host;
import dev.stacksim.socket.ErrnoException;
import dev.stacksim.socket.Process;
import dev.stacksim.socket.SockAddr;
import dev.stacksim.tun.TunBridge;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static dev.stacksim.socket.SocketConstants.AF_INET;
import static dev.stacksim.socket.SocketConstants.SOCK_STREAM;
import static dev.stacksim.socket.SocketConstants.SOL_SOCKET;
import static dev.stacksim.socket.SocketConstants.SO_REUSEADDR;

/**
 * The TUN chapter's example: a simulated host at 10.9.0.2 behind the kernel's {@code sim0}
 * (10.9.0.1), serving HTTP on port 80 (the page is the simulated host's own {@code ss -tnio}) and
 * echo on port 7, until Ctrl-C. It must run inside a network namespace with root:
 *
 * <pre>
 *   ip netns add stacksim
 *   mvn -q -Ptun package -DskipTests        # docs/pom.xml: ip netns exec stacksim java ... TunServer
 *   ip netns exec stacksim curl http://10.9.0.2/      # from another shell
 * </pre>
 *
 * <p>With {@code --demo} it plays the other shell too: it runs {@code ping}, {@code curl},
 * {@code nc}, {@code tcpdump} and {@code ss} against itself, prints what they print, and exits.
 */
public final class TunServer {
    private TunServer() {
    }

    /** Serves until Ctrl-C; {@code --demo} runs the kernel's tools against the server and exits. */
    public static void main(String[] args) throws Exception {
        boolean demo = List.of(args).contains("--demo");
        // tag::bridge[]
        TunBridge bridge = TunBridge.builder()
                .ifname("sim0")                      // the kernel's TUN device, made by socat
                .kernelAddress("10.9.0.1/24")        // the kernel's end
                .hostAddress("10.9.0.2/24")          // the simulated host's tun0
                .build();                            // a real-time loop, the host, socat; sim0 is up
        Host sim = bridge.host();
        serve(sim, 80, (p, fd) -> http(bridge, p, fd));
        serve(sim, 7, TunServer::echo);
        // end::bridge[]
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            bridge.close();                          // socat stops, sim0 disappears
            stop.countDown();
        }));
        if (demo) {
            demo(bridge);
            bridge.close();
            return;
        }
        System.out.println("simulated host 10.9.0.2 up behind " + bridge.kernelIfname() + " (10.9.0.1); Ctrl-C stops it");
        stop.await();
    }

    /** Handles one accepted connection on its own thread. */
    @FunctionalInterface
    interface Handler {
        void handle(Process p, int fd);
    }

    // tag::serve[]
    /** A listener on {@code port} and a thread per connection, as a threaded server on a kernel. */
    static void serve(Host host, int port, Handler handler) {
        Process p = host.spawn(port == 80 ? "httpd" : "echo");
        int lfd = p.socket(AF_INET, SOCK_STREAM, 0);
        p.setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, 1);
        p.bind(lfd, SockAddr.any(port));
        p.listen(lfd, 128);
        Thread acceptor = new Thread(() -> {
            while (true) {
                int fd;
                try {
                    fd = p.accept(lfd);             // parks this thread until a SYN completes
                } catch (RuntimeException closed) {  // the host shut down
                    return;
                }
                Thread t = new Thread(() -> handler.handle(p, fd), "conn-" + port + "-" + fd);
                t.setDaemon(true);
                t.start();
            }
        }, "accept-" + port);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** RFC 862: everything read is sent back; the end of the peer's data closes the connection. */
    static void echo(Process p, int fd) {
        byte[] buf = new byte[64 * 1024];
        try {
            for (int n; (n = p.recv(fd, buf, 0, buf.length, 0)) > 0; ) {
                for (int off = 0; off < n; ) {
                    off += p.send(fd, buf, off, n - off, 0);
                }
            }
        } catch (ErrnoException reset) {
            // ECONNRESET: the peer aborted; nothing to send back
        }
        p.close(fd);
    }
    // end::serve[]

    /** One HTTP/1.x request; the answer is the simulated host's {@code ss -tnio} at that moment. */
    static void http(TunBridge bridge, Process p, int fd) {
        try {
            StringBuilder head = new StringBuilder();
            byte[] buf = new byte[4096];
            while (head.indexOf("\r\n\r\n") < 0) {
                int n = p.recv(fd, buf, 0, buf.length, 0);
                if (n == 0) {
                    break;
                }
                head.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
            }
            String ss = bridge.onLoop(() -> bridge.host().ss("-tnio"));
            byte[] body = ("hello from the simulated host 10.9.0.2\n\n$ ss -tnio        # on the simulated host\n" + ss)
                    .getBytes(StandardCharsets.UTF_8);
            byte[] h = ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
            p.send(fd, h, 0);
            p.send(fd, body, 0);
        } catch (ErrnoException e) {
            // the client went away
        }
        p.close(fd);
    }

    /** The kernel's side of the chapter, run by this program in its own namespace. */
    static void demo(TunBridge bridge) throws IOException, InterruptedException {
        sh("ping -n -c 2 -i 0.2 10.9.0.2");
        java.nio.file.Path dump = java.nio.file.Files.createTempFile("tun-demo", ".txt");
        java.lang.Process tcpdump = new ProcessBuilder("tcpdump", "-Z", "root", "-i", bridge.kernelIfname(), "-nn",
                "-l", "--immediate-mode", "tcp port 7").redirectErrorStream(true).redirectOutput(dump.toFile()).start();
        for (int i = 0; i < 100 && !java.nio.file.Files.readString(dump).contains("listening on"); i++) {
            TimeUnit.MILLISECONDS.sleep(20);
        }
        sh("printf 'hello, echo\\n' | nc -N 10.9.0.2 7");
        TimeUnit.MILLISECONDS.sleep(200);
        tcpdump.destroy();
        tcpdump.waitFor(5, TimeUnit.SECONDS);
        System.out.print("$ tcpdump -i " + bridge.kernelIfname() + " -nn 'tcp port 7'\n" + java.nio.file.Files.readString(dump));
        java.nio.file.Files.delete(dump);
        sh("curl -s http://10.9.0.2/");
        sh("ss -tan");
        System.out.println("$ ss -tan            # on the simulated host\n" + bridge.onLoop(() -> bridge.host().ss("-tan")));
    }

    private static void sh(String command) throws IOException, InterruptedException {
        java.lang.Process p = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(20, TimeUnit.SECONDS);
        System.out.print("$ " + command + "\n" + out + (out.endsWith("\n") || out.isEmpty() ? "" : "\n"));
    }
}
