package dev.stacksim.tcp;

import dev.stacksim.socket.Process;
import org.junit.jupiter.api.Test;

import static dev.stacksim.socket.SocketConstants.*;
import static org.junit.jupiter.api.Assertions.*;

class TcpSmokeTest {
    @Test
    void handshakeDataAndClose() {
        try (TcpLab lab = new TcpLab(1)) {
            Process srv = lab.b.spawn("srv");
            int lfd = srv.socket(AF_INET, SOCK_STREAM, 0);
            srv.bind(lfd, TcpLab.addr("0.0.0.0", 80));
            srv.listen(lfd, 8);
            Process cli = lab.a.spawn("cli");
            int fd = lab.connect(cli, 80);
            int cfd = srv.accept(lfd);
            assertEquals(5, cli.send(fd, TcpLab.bytes("hello"), 0));
            byte[] buf = new byte[100];
            int n = srv.recv(cfd, buf, 0, buf.length, 0);
            assertEquals("hello", TcpLab.str(buf, n));
            srv.send(cfd, TcpLab.bytes("world!"), 0);
            n = cli.recv(fd, buf, 0, buf.length, 0);
            assertEquals("world!", TcpLab.str(buf, n));
            cli.close(fd);
            assertEquals(0, srv.recv(cfd, buf, 0, buf.length, 0));
            srv.close(cfd);
            lab.run(1_000_000_000L);
            lab.sent().forEach(System.out::println);
            lab.states().forEach(System.out::println);
        }
    }
}
