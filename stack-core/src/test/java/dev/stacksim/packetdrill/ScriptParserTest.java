package dev.stacksim.packetdrill;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScriptParserTest {
    private static Script parse(String text) {
        return ScriptParser.parse("t.pkt", text);
    }

    private static ScriptEvent only(String line) {
        return parse(line).events().get(0);
    }

    private static PacketSpec.Tcp tcp(String line) {
        return (PacketSpec.Tcp) ((PacketSpec) only(line).action()).transport();
    }

    private static SyscallSpec call(String line) {
        return (SyscallSpec) only(line).action();
    }

    private static String error(String text) {
        return assertThrows(ScriptParseException.class, () -> parse(text)).getMessage();
    }

    // ---------------------------------------------------------------- times

    @Test
    void timesAreMicroseconds() {
        Script s = parse("0 close(3) = 0\n+.1 close(3) = 0\n1.5 close(3) = 0\n+2 close(3) = 0\n");
        assertEquals(new EventTime(EventTime.Type.ABSOLUTE, 0, -1), s.events().get(0).time());
        assertEquals(new EventTime(EventTime.Type.RELATIVE, 100_000, -1), s.events().get(1).time());
        assertEquals(new EventTime(EventTime.Type.ABSOLUTE, 1_500_000, -1), s.events().get(2).time());
        assertEquals(new EventTime(EventTime.Type.RELATIVE, 2_000_000, -1), s.events().get(3).time());
        assertEquals(List.of(1, 2, 3, 4), s.events().stream().map(ScriptEvent::line).toList());
    }

    @Test
    void windowsAndStarGoWithOutboundPackets() {
        assertEquals(new EventTime(EventTime.Type.ANY, 0, -1), only("* > udp (1)").time());
        assertEquals(new EventTime(EventTime.Type.ABSOLUTE_RANGE, 100_000, 300_000), only("0.1~0.3 > udp (1)").time());
        assertEquals(new EventTime(EventTime.Type.RELATIVE_RANGE, 0, 40_000), only("+0~+.04 > udp (1)").time());
        assertEquals("t.pkt:1:1: syntax error: event time <star> can only be used with outbound packets",
                error("* close(3) = 0"));
        assertEquals("t.pkt:1:1: syntax error: event time range can only be used with outbound packets",
                error("0~1 < udp (1)"));
        assertEquals("t.pkt:1:1: syntax error: time range is backwards", error("0.3~0.1 > udp (1)"));
        assertEquals("t.pkt:1:1: syntax error: negative time", error("-1 close(3) = 0"));
    }

    @Test
    void blockingCallCarriesItsEndTime() {
        SyscallSpec s = call("+.1...0.2 accept(3, ..., ...) = 4");
        assertTrue(s.isBlocking());
        assertEquals(200_000, s.endUsecs());
        assertEquals(100_000, only("+.1...0.2 accept(3, ..., ...) = 4").time().usecs());
        assertFalse(call("0 accept(3, ..., ...) = 4").isBlocking());
    }

    // ---------------------------------------------------------------- system calls

    @Test
    void syscallArgumentsOfEveryShape() {
        SyscallSpec s = call("0 setsockopt(3, SOL_SOCKET, SO_LINGER, {onoff=1, linger=0}, 8) = 0");
        assertEquals("setsockopt", s.name());
        assertEquals(new Expr.Int(3, false), s.args().get(0));
        assertEquals(new Expr.Word("SOL_SOCKET"), s.args().get(1));
        Expr.Struct linger = (Expr.Struct) s.args().get(3);
        assertEquals(new Expr.Int(1, false), linger.get("onoff"));
        assertEquals(new Expr.Int(0, false), linger.get("linger"));

        assertEquals(new Expr.ListExpr(List.of(new Expr.Int(1, false))),
                call("0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0").args().get(3));
        assertEquals(new Expr.Or(new Expr.Word("O_RDWR"), new Expr.Word("O_NONBLOCK")),
                call("0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0").args().get(2));
        assertInstanceOf(Expr.Ellipsis.class, call("0 bind(3, ..., ...) = 0").args().get(1));
        assertEquals(new Expr.Int(0x802, true), call("0 fcntl(3, F_GETFL) = 0x802").result());

        Expr.Struct addr = (Expr.Struct) call("0 bind(3, {sa_family=AF_INET, sin_port=htons(8080), "
                + "sin_addr=inet_addr(\"192.0.2.1\")}, 16) = 0").args().get(1);
        assertEquals(new Expr.Call("htons", List.of(new Expr.Int(8080, false))), addr.get("sin_port"));
        assertEquals(new Expr.Call("inet_addr", List.of(new Expr.Str("192.0.2.1", false))), addr.get("sin_addr"));

        Expr.ListExpr fds = (Expr.ListExpr) call("0 poll([{fd=3, events=POLLIN, revents=POLLIN}], 1, 0) = 1").args().get(0);
        assertEquals(new Expr.Word("POLLIN"), ((Expr.Struct) fds.items().get(0)).get("revents"));
        Expr.Struct iov = (Expr.Struct) ((Expr.ListExpr) call("0 writev(4, [{..., 10}], 1) = 10").args().get(1)).items().get(0);
        assertNull(iov.fields().get(0).name());
        assertEquals(new Expr.Str("ab", true), call("0 write(4, \"a\" \"b\"..., 2) = 2").args().get(1));
        assertEquals(List.of(), call("0 getpid() = 1").args());
    }

    @Test
    void errnoAndNoteFollowTheResult() {
        SyscallSpec s = call("0 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)");
        assertEquals(new Expr.Int(-1, false), s.result());
        assertEquals("EINPROGRESS", s.errno());
        assertEquals("Operation now in progress", s.note());
        assertEquals("flags O_RDWR", call("0 fcntl(3, F_GETFL) = 2 (flags O_RDWR)").note());
        assertEquals("t.pkt:1:30: syntax error: expected '(' and the error text after EPIPE but found end of file",
                error("0 write(3, ..., 1) = -1 EPIPE"));
        assertEquals("t.pkt:1:32: syntax error: expected words or ')' in the note after the result but found '|'",
                error("0 fcntl(3, F_GETFL) = 2 (O_RDWR|O_NONBLOCK)"));
    }

    // ---------------------------------------------------------------- packets

    @Test
    void tcpLineWithEveryField() {
        PacketSpec p = (PacketSpec) only("0 < [ect0] 40000>8080 P. 1:1001(1000) ack 7 win 257 urg 3 <nop,nop,nop,eol>").action();
        assertEquals(PacketSpec.Direction.INBOUND, p.direction());
        assertEquals(new PacketSpec.IpInfo(PacketSpec.TosCheck.ECN, 2, 0), p.ip());
        PacketSpec.Tcp t = (PacketSpec.Tcp) p.transport();
        assertEquals(40000, t.srcPort());
        assertEquals(8080, t.dstPort());
        assertEquals("P.", t.flags());
        assertEquals(1, t.seq());
        assertEquals(1000, t.payloadLen());
        assertEquals(7, t.ack());
        assertEquals(257, t.window());
        assertEquals(3, t.urgPointer());
        assertEquals(List.of(new TcpOptionSpec.Nop(), new TcpOptionSpec.Nop(), new TcpOptionSpec.Nop(),
                new TcpOptionSpec.Eol()), t.options());
    }

    @Test
    void everyTcpOption() {
        PacketSpec.Tcp t = tcp("0 > S. 0:0(0) ack 1 <mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 7,nop,nop,"
                + "sack 1:11 21:31>");
        assertEquals(List.of(new TcpOptionSpec.Mss(1460), new TcpOptionSpec.SackPermitted(),
                new TcpOptionSpec.Timestamp(100, 0), new TcpOptionSpec.Nop(), new TcpOptionSpec.WindowScale(7),
                new TcpOptionSpec.Nop(), new TcpOptionSpec.Nop()), t.options().subList(0, 7));
        TcpOptionSpec.Sack sack = (TcpOptionSpec.Sack) t.options().get(7);
        assertEquals(2, sack.blocks().size());
        assertEquals(21, sack.blocks().get(1)[0]);
        assertEquals("FO 0102", tcp("0 > S 0:0(0) <FO 0102>").options().get(0).toString());
        assertEquals(254, tcp("0 > S 0:0(0) <FOEXP>").options().get(0).kind());
    }

    @Test
    void ellipsisOptionsAndMissingWindowAreUncheckedOnOutboundOnly() {
        PacketSpec.Tcp t = tcp("0 > S. 0:0(0) ack 1 <...>");
        assertNull(t.options());
        assertEquals(-1, t.window());
        assertEquals("t.pkt:1:27: syntax error: <...> for TCP options can only be used with outbound packets",
                error("0 < . 1:1(0) ack 1 win 10 <...>"));
        assertEquals("t.pkt:1:5: syntax error: window must be specified for inbound packets",
                error("0 < . 1:1(0) ack 1"));
    }

    @Test
    void flagSpellings() {
        assertEquals(".", tcp("0 > . 1:1(0) ack 1").flags());
        assertEquals("", tcp("0 > - 1:1(0)").flags());
        assertEquals("R.", tcp("0 > R. 0:0(0) ack 1").flags());
        assertEquals("SEW", tcp("0 > SEW 0:0(0) <...>").flags());
        assertEquals("S.2", tcp("0 > S.2 0:0(0) ack 1 <...>").flags());
        assertEquals("t.pkt:1:5: syntax error: Invalid TCP flag: 'X'", error("0 > X 0:0(0)"));
        assertEquals("t.pkt:1:5: syntax error: Conflicting TCP flag: '1'", error("0 > SE1 0:0(0)"));
    }

    @Test
    void badSequencesAndOptionListsAreRefused() {
        assertEquals("t.pkt:1:8: syntax error: inconsistent TCP sequence numbers and payload size",
                error("0 > P. 1:100(1000) ack 1"));
        assertEquals("t.pkt:1:22: syntax error: TCP options are not padded correctly to ensure TCP header is a"
                + " multiple of 4 bytes: 3 excess bytes", error("0 > S 0:0(0) win 100 <wscale 7>"));
        assertEquals("t.pkt:1:15: syntax error: expected a TCP option (nop, eol, mss N, wscale N, sackOK, sack L:R,"
                + " TS val N ecr N, FO) but found 'bogus'", error("0 > S 0:0(0) <bogus>"));
        assertEquals("t.pkt:1:14: syntax error: TCP option list too long",
                error("0 > S 0:0(0) <sack 1:2 3:4 5:6 7:8 9:10,nop,nop>"));
        assertEquals("t.pkt:1:18: syntax error: TCP window value out of range", error("0 < . 1:1(0) win 70000"));
    }

    @Test
    void udpAndIcmpLines() {
        PacketSpec.Udp u = (PacketSpec.Udp) ((PacketSpec) only("0 > udp 5000>53 (100)").action()).transport();
        assertEquals(new PacketSpec.Udp(5000, 53, 100), u);
        PacketSpec.Icmp i = (PacketSpec.Icmp) ((PacketSpec) only(
                "0 < icmp unreachable frag_needed mtu 1200 [1:1461(1460)]").action()).transport();
        assertEquals("unreachable", i.type());
        assertEquals("frag_needed", i.code());
        assertEquals(1200, i.mtu());
        assertEquals(new PacketSpec.Echoed(6, 1, 1460), i.echoed());
        PacketSpec.Icmp e = (PacketSpec.Icmp) ((PacketSpec) only("0 < icmp echo_request id 7").action()).transport();
        assertEquals(7, e.echoId());
        assertNull(e.code());
        PacketSpec.Icmp q = (PacketSpec.Icmp) ((PacketSpec) only("0 < icmp unreachable port_unreachable [udp (10)]")
                .action()).transport();
        assertEquals(new PacketSpec.Echoed(17, 0, 10), q.echoed());
    }

    @Test
    void ipInformation() {
        assertEquals(new PacketSpec.IpInfo(PacketSpec.TosCheck.TOS, 0x10, 0),
                ((PacketSpec) only("0 > (tos 0x10) udp (1)").action()).ip());
        assertEquals(new PacketSpec.IpInfo(PacketSpec.TosCheck.NONE, 0, 64),
                ((PacketSpec) only("0 > [ttl 64] udp (1)").action()).ip());
        assertEquals(PacketSpec.TosCheck.ECT01, ((PacketSpec) only("0 > [ect01] udp (1)").action()).ip().tosCheck());
        assertEquals("t.pkt:1:6: syntax error: [ect01] can only be used with outbound packets",
                error("0 < [ect01] udp (1)"));
        assertEquals("t.pkt:1:5: syntax error: encapsulation and explicit addresses (ipv4) are not supported",
                error("0 < ipv4 1.2.3.4 > 5.6.7.8: udp (1)"));
    }

    // ---------------------------------------------------------------- the script around the events

    @Test
    void optionsCommandsAndCode() {
        Script s = parse("--tolerance_usecs=10000\n--strict_segments\n`init`\n0 `sysctl -q a=1`\n+0 %{ x = 1 }%\n`cleanup`\n");
        assertEquals(List.of(new Script.Option("tolerance_usecs", "10000", 1),
                new Script.Option("strict_segments", null, 2)), s.options());
        assertEquals(new CommandSpec("init"), s.init());
        assertEquals(new CommandSpec("sysctl -q a=1"), s.events().get(0).action());
        assertEquals(new CodeSpec("x = 1"), s.events().get(1).action());
        assertEquals(new CommandSpec("cleanup"), s.cleanup());
    }

    @Test
    void structuralErrorsNameLineAndColumn() {
        assertEquals("t.pkt:2:4: syntax error: expected a packet (< or >), a system call, a `command` or %{ code }%"
                + " but found '='", error("0 close(3) = 0\n+0 = 1"));
        assertEquals("t.pkt:1:11: syntax error: expected ',' or ')' in the arguments of close but found '='",
                error("0 close(3 = 0"));
        assertEquals("t.pkt:1:1: syntax error: expected an event time (0.100, +.1, * or a~b) but found 'close'",
                error("close(3) = 0"));
        assertEquals("t.pkt:2:1: syntax error: the script has no events", error("// nothing\n"));
        assertEquals("t.pkt:2:1: syntax error: a command without a time must be the first or the last line",
                error("0 close(3) = 0\n`a`\n+0 close(3) = 0"));
    }

    @Test
    void packetdrillsOwnExampleParses() {
        Script s = parse("""
                // Test for blocking accept.
                `../common/defaults.sh`
                    0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
                   +0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0
                   +0 bind(3, ..., ...) = 0
                   +0 listen(3, 1) = 0
                   +0...0.200 accept(3, ..., ...) = 4
                  +.1 < S 0:0(0) win 32792 <mss 1000,nop,wscale 7>
                   +0 > S. 0:0(0) ack 1 <mss 1460,nop,wscale 8>
                  +.1 < . 1:1(0) ack 1 win 257
                  +.1 write(4, ..., 2000) = 2000
                   +0 > P. 1:2001(2000) ack 1
                """);
        assertEquals(10, s.events().size());
        assertEquals(12, s.events().get(9).line());
    }
}
