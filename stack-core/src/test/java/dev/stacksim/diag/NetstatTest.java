package dev.stacksim.diag;

import dev.stacksim.host.GatedPair;
import dev.stacksim.socket.Process;
import dev.stacksim.socket.SockAddr;
import org.junit.jupiter.api.Test;

import static dev.stacksim.socket.SocketConstants.*;
import static org.junit.jupiter.api.Assertions.*;

/** net-tools {@code netstat}, read from the simulated {@code /proc/net/tcp} and {@code /proc/net/udp}. */
class NetstatTest {
    private static int connect(Process cli, int port) {
        int fd = cli.socket(AF_INET, SOCK_STREAM, 0);
        cli.bind(fd, SockAddr.of("10.0.0.1", port));
        cli.connect(fd, SockAddr.of("10.0.0.2", 8080));
        return fd;
    }

    @Test
    void listenSendQIsZeroWhereSsShowsTheBacklog() {
        try (GatedPair p = new GatedPair(7)) {
            Process srv = p.b.spawn("srv", 1000);
            int lfd = srv.socket(AF_INET, SOCK_STREAM, 0);
            srv.bind(lfd, SockAddr.of("0.0.0.0", 8080));
            srv.listen(lfd, 128);
            Process cli = p.a.spawn("cli", 1000);
            connect(cli, 40001);
            connect(cli, 40002);
            connect(cli, 40003);
            p.runMillis(10);
            assertEquals("Active Internet connections (only servers)\n"
                + "Proto Recv-Q Send-Q Local Address           Foreign Address         State      \n"
                + "tcp        3      0 0.0.0.0:8080            0.0.0.0:*               LISTEN     \n"
                + "", p.b.views().netstat("-tnl"));
            assertEquals("State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess\n"
                + "LISTEN 3      128          0.0.0.0:8080      0.0.0.0:*          \n"
                + "", p.b.ss("-tln"));
        }
    }

    @Test
    void everyStateWithNetToolsNamesAndPrograms() {
        try (GatedPair p = new GatedPair(7)) {
            Process srv = p.b.spawn("httpd", 1000);
            int lfd = srv.socket(AF_INET, SOCK_STREAM, 0);
            srv.bind(lfd, SockAddr.of("0.0.0.0", 8080));
            srv.listen(lfd, 8);
            Process worker = srv.fork();
            Process cli = p.a.spawn("curl", 1000);
            int c1 = connect(cli, 40001);
            int s1 = worker.accept(lfd);
            int c2 = connect(cli, 40002);
            int s2 = srv.accept(lfd);
            cli.close(c2);
            p.runMillis(2);                 // the FIN's ACK waits for the next jiffy (tcp_send_delayed_ack, ato 0)
            srv.close(s2);
            cli.send(c1, new byte[7], 0);
            p.gate.blockIn = true;
            int fd = cli.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
            cli.bind(fd, SockAddr.of("10.0.0.1", 40003));
            assertThrows(RuntimeException.class, () -> cli.connect(fd, SockAddr.of("10.0.0.2", 8080)));
            p.runMillis(300);
            assertEquals("Active Internet connections (servers and established)\n"
                + "Proto Recv-Q Send-Q Local Address           Foreign Address         State       PID/Program name    \n"
                + "tcp        0      0 0.0.0.0:8080            0.0.0.0:*               LISTEN      1000/httpd          \n"
                + "tcp        7      0 10.0.0.2:8080           10.0.0.1:40001          ESTABLISHED 1001/httpd          \n"
                + "tcp        1      1 10.0.0.2:8080           10.0.0.1:40002          LAST_ACK    -                   \n"
                + "tcp        0      0 10.0.0.2:8080           10.0.0.1:40003          SYN_RECV    -                   \n"
                + "", p.b.views().netstat("-tanp"));
            assertEquals("Active Internet connections (servers and established)\n"
                + "Proto Recv-Q Send-Q Local Address           Foreign Address         State       Timer\n"
                + "tcp        0      7 10.0.0.1:40001          10.0.0.2:8080           ESTABLISHED on (0.10/0/0)\n"
                + "tcp        0      0 10.0.0.1:40002          10.0.0.2:8080           FIN_WAIT2   timewait (59.69/0/0)\n"
                + "tcp        0      1 10.0.0.1:40003          10.0.0.2:8080           SYN_SENT    on (0.70/0/0)\n"
                + "", p.a.views().netstat("-tano"));
            assertEquals("Active Internet connections (w/o servers)\n"
                + "Proto Recv-Q Send-Q Local Address           Foreign Address         State      \n"
                + "tcp        0      7 10.0.0.1:40001          10.0.0.2:8080           ESTABLISHED\n"
                + "tcp        0      0 10.0.0.1:40002          10.0.0.2:8080           FIN_WAIT2  \n"
                + "tcp        0      1 10.0.0.1:40003          10.0.0.2:8080           SYN_SENT   \n"
                + "", p.a.views().netstat("-tn"));
        }
    }

    @Test
    void udpShowsAStateOnlyWhenConnected() {
        try (GatedPair p = new GatedPair(7)) {
            Process app = p.b.spawn("named", 0);
            int q = app.socket(AF_INET, SOCK_DGRAM, 0);
            app.bind(q, SockAddr.of("0.0.0.0", 53));
            Process cli = p.a.spawn("dig", 1000);
            int c = cli.socket(AF_INET, SOCK_DGRAM, 0);
            cli.connect(c, SockAddr.of("10.0.0.2", 53));
            cli.send(c, new byte[20], 0);
            p.runMillis(10);
            assertEquals("Active Internet connections (servers and established)\n"
                + "Proto Recv-Q Send-Q Local Address           Foreign Address         State      \n"
                + "udp      680      0 0.0.0.0:53              0.0.0.0:*                          \n"
                + "", p.b.views().netstat("-uan"));
            assertEquals("Active Internet connections (w/o servers)\n"
                + "Proto Recv-Q Send-Q Local Address           Foreign Address         State      \n"
                + "udp        0      0 10.0.0.1:43619          10.0.0.2:53             ESTABLISHED\n"
                + "", p.a.views().netstat("-un"));
            assertEquals("Active Internet connections (only servers)\n"
                + "Proto Recv-Q Send-Q Local Address           Foreign Address         State       PID/Program name    \n"
                + "udp      680      0 0.0.0.0:53              0.0.0.0:*                           1000/named          \n"
                + "", p.b.views().netstat("-ulnp"));
            assertEquals("Active Internet connections (servers and established)\n"
                + "Proto Recv-Q Send-Q Local Address           Foreign Address         State      \n"
                + "udp      680      0 0.0.0.0:53              0.0.0.0:*                          \n"
                + "", p.b.views().netstat("-a"));
        }
    }

    @Test
    void unknownOptionsAreRejected() {
        try (GatedPair p = new GatedPair(7)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.a.views().netstat("-tx"));
            assertEquals("netstat: invalid option -- 'x'", e.getMessage());
        }
    }
}
