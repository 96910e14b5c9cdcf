package dev.stacksim.diag;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The layout engine fed with the fields {@code ss} 6.1 printed on Linux 6.18 (output piped, not a
 * terminal), checked against the captured lines, trailing spaces included.
 */
class SsTableTest {
    private static void row(SsTable t, String netid, String state, int rq, int wq, String addr, String port,
            String raddr, String rport, String proc) {
        String[] r = t.row();
        SsTable.set(r, SsTable.Col.NETID, netid);
        SsTable.set(r, SsTable.Col.STATE, state);
        SsTable.set(r, SsTable.Col.RECVQ, String.format("%-6d", rq));
        SsTable.set(r, SsTable.Col.SENDQ, String.format("%-6d", wq));
        SsTable.set(r, SsTable.Col.ADDR, addr);
        SsTable.set(r, SsTable.Col.SERV, port);
        SsTable.set(r, SsTable.Col.RADDR, raddr);
        SsTable.set(r, SsTable.Col.RSERV, rport);
        SsTable.set(r, SsTable.Col.PROC, proc);
    }

    @Test
    void tcpAndUdpWithProcessesPadEveryLineButTheLastProcessField() {
        SsTable t = new SsTable(true, true);
        t.header();
        row(t, "udp", "UNCONN", 832, 0, "0.0.0.0:", "5353", "0.0.0.0:", "*",
                " users:((\"python3\",pid=26989,fd=9),(\"python3\",pid=26946,fd=9))");
        row(t, "udp", "ESTAB", 0, 0, "127.0.0.1:", "40100", "127.0.0.1:", "5353",
                " users:((\"python3\",pid=26989,fd=11),(\"python3\",pid=26946,fd=11))");
        row(t, "tcp", "LISTEN", 0, 16, "0.0.0.0:", "8080", "0.0.0.0:", "*",
                " users:((\"python3\",pid=26989,fd=13),(\"python3\",pid=26989,fd=12),(\"python3\",pid=26946,fd=13),(\"python3\",pid=26946,fd=12))");
        assertEquals("Netid State  Recv-Q Send-Q Local Address:Port  Peer Address:PortProcess                                                         \n"
                + "udp   UNCONN 832    0            0.0.0.0:5353       0.0.0.0:*    users:((\"python3\",pid=26989,fd=9),(\"python3\",pid=26946,fd=9))  \n"
                + "udp   ESTAB  0      0          127.0.0.1:40100    127.0.0.1:5353 users:((\"python3\",pid=26989,fd=11),(\"python3\",pid=26946,fd=11))\n"
                + "tcp   LISTEN 0      16           0.0.0.0:8080       0.0.0.0:*    users:((\"python3\",pid=26989,fd=13),(\"python3\",pid=26989,fd=12),(\"python3\",pid=26946,fd=13),(\"python3\",pid=26946,fd=12))\n",
                t.render());
    }

    @Test
    void unixSocketsPrintPathAndInodeAsAddressAndPort() {
        SsTable t = new SsTable(true, true);
        t.header();
        row(t, "u_dgr", "ESTAB", 0, 1536, "* ", "739155", "* ", "739154", "");
        row(t, "u_str", "ESTAB", 0, 0, "/tmp/v2/echo.sock ", "739153", "* ", "739151", "");
        row(t, "u_str", "ESTAB", 0, 768, "* ", "739152", "* ", "0", "");
        row(t, "u_str", "ESTAB", 0, 0, "* ", "739151", "* ", "739153", "");
        row(t, "u_str", "LISTEN", 1, 5, "/tmp/v2/echo.sock ", "739150", "* ", "0", "");
        row(t, "u_dgr", "ESTAB", 10, 0, "/tmp/v2/log.sock ", "739154", "* ", "0", "");
        assertEquals("Netid State  Recv-Q Send-Q     Local Address:Port   Peer Address:Port  Process\n"
                + "u_dgr ESTAB  0      1536                   * 739155            * 739154       \n"
                + "u_str ESTAB  0      0      /tmp/v2/echo.sock 739153            * 739151       \n"
                + "u_str ESTAB  0      768                    * 739152            * 0            \n"
                + "u_str ESTAB  0      0                      * 739151            * 739153       \n"
                + "u_str LISTEN 1      5      /tmp/v2/echo.sock 739150            * 0            \n"
                + "u_dgr ESTAB  10     0       /tmp/v2/log.sock 739154            * 0            \n", t.render());
    }

    @Test
    void infoGoesIntoTheProcessFieldAfterNewlineAndTab() {
        SsTable t = new SsTable(false, true);
        t.header();
        row(t, "tcp", "LISTEN", 0, 16, "0.0.0.0:", "8080", "0.0.0.0:", "*", "\n\t bbr cwnd:10");
        assertEquals("State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess\n"
                + "LISTEN 0      16           0.0.0.0:8080      0.0.0.0:*   \n"
                + "\t bbr cwnd:10\n", t.render());
    }

    @Test
    void headerAloneWhenNothingMatches() {
        SsTable t = new SsTable(false, true);
        t.header();
        assertEquals("State Recv-Q Send-Q Local Address:Port Peer Address:PortProcess\n", t.render());
    }

    @Test
    void nothingAtAllWithoutHeaderOrRows() {
        assertEquals("", new SsTable(false, true).render());
    }
}
