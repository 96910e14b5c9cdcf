package dev.stacksim.diag;

import dev.stacksim.host.GatedPair;
import dev.stacksim.socket.Process;
import dev.stacksim.socket.SockAddr;
import org.junit.jupiter.api.Test;

import static dev.stacksim.socket.SocketConstants.*;
import static org.junit.jupiter.api.Assertions.*;

/** iproute2 {@code nstat} over the simulated {@code /proc/net/snmp} and {@code /proc/net/netstat}. */
class NstatTest {
    private static void handshake(GatedPair p, int port) {
        Process srv = p.b.spawn("srv", 1000);
        int lfd = srv.socket(AF_INET, SOCK_STREAM, 0);
        srv.bind(lfd, SockAddr.of("0.0.0.0", port));
        srv.listen(lfd, 8);
        Process cli = p.a.spawn("cli", 1000);
        int fd = cli.socket(AF_INET, SOCK_STREAM, 0);
        cli.connect(fd, SockAddr.of("10.0.0.2", port));
        srv.accept(lfd);
        p.runMillis(10);
    }

    @Test
    void absoluteValuesSkipZerosAndTheUselessCounters() {
        try (GatedPair p = new GatedPair(7)) {
            handshake(p, 8080);
            String out = p.a.views().nstat("-a");
            assertEquals("#kernel\n"
                + "IpInReceives                    2                  0.0\n"
                + "IpInDelivers                    2                  0.0\n"
                + "IpOutRequests                   3                  0.0\n"
                + "IpOutTransmits                  3                  0.0\n"
                + "IcmpInMsgs                      1                  0.0\n"
                + "IcmpInEchoReps                  1                  0.0\n"
                + "IcmpOutMsgs                     1                  0.0\n"
                + "IcmpOutEchos                    1                  0.0\n"
                + "IcmpMsgInType0                  1                  0.0\n"
                + "IcmpMsgOutType8                 1                  0.0\n"
                + "TcpActiveOpens                  1                  0.0\n"
                + "TcpInSegs                       1                  0.0\n"
                + "TcpOutSegs                      2                  0.0\n"
                + "TcpExtTCPDelivered              1                  0.0\n"
                + "IpExtInOctets                   144                0.0\n"
                + "IpExtOutOctets                  196                0.0\n"
                + "IpExtInNoECTPkts                2                  0.0\n"
                + "", out);
            assertFalse(out.contains("TcpCurrEstab"), "nstat drops CurrEstab, MaxConn, RtoMin ...");
        }
    }

    @Test
    void secondCallShowsOnlyWhatChanged() {
        try (GatedPair p = new GatedPair(7)) {
            HostViews v = p.b.views();
            v.nstat("-n");
            handshake(p, 8080);
            assertEquals("#kernel\n"
                + "IpInReceives                    2                  0.0\n"
                + "IpInDelivers                    2                  0.0\n"
                + "IpOutRequests                   1                  0.0\n"
                + "IpOutTransmits                  1                  0.0\n"
                + "TcpPassiveOpens                 1                  0.0\n"
                + "TcpInSegs                       2                  0.0\n"
                + "TcpOutSegs                      1                  0.0\n"
                + "TcpExtTCPPureAcks               1                  0.0\n"
                + "IpExtInOctets                   112                0.0\n"
                + "IpExtOutOctets                  60                 0.0\n"
                + "IpExtInNoECTPkts                2                  0.0\n"
                + "", v.nstat(""));
            assertEquals("#kernel\n", v.nstat(""));
            assertTrue(v.nstat("-a").contains("TcpPassiveOpens                 1                  0.0\n"));
        }
    }

    @Test
    void patternsAndZeros() {
        try (GatedPair p = new GatedPair(7)) {
            handshake(p, 8080);
            assertEquals("#kernel\n"
                + "TcpActiveOpens                  0                  0.0\n"
                + "TcpExtListenOverflows           0                  0.0\n"
                + "TcpExtListenDrops               0                  0.0\n"
                + "", p.b.views().nstat("-az TcpExtListen* tcpactiveopens"));
        }
    }
}
