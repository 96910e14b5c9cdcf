package dev.stacksim.packetdrill;

import org.junit.jupiter.api.Test;

import java.util.List;

import dev.stacksim.buf.SkBuffPool;
import dev.stacksim.host.Host;
import dev.stacksim.sim.EventLoop;
import dev.stacksim.socket.SocketConstants;
import org.junit.jupiter.api.Assumptions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The interpreter against the simulated host, with UDP and socket calls (what runs without TCP). */
class ScriptRunnerTest {
    /** Opens a connected UDP socket 3 and sends one byte, so that the runner knows its address. */
    private static final String UDP = """
            0 socket(..., SOCK_DGRAM, IPPROTO_UDP) = 3
            +0 bind(3, ..., ...) = 0
            +0 connect(3, ..., ...) = 0
            +0 write(3, ..., 1) = 1
            +0 > udp (1)
            """;

    private static RunTrace run(String text) {
        return ScriptRunner.run(Script.parse("t.pkt", text), ScriptConfig.defaults(), new RunTrace());
    }

    private static String failure(String text) {
        return assertThrows(ScriptFailure.class, () -> run(text)).getMessage();
    }

    @Test
    void traceShowsCallsAndPacketsWithLiveAddresses() {
        List<String> lines = run(UDP + "+.1 < udp (10)\n+0 read(3, ..., 100) = 10\n").lines();
        assertEquals(List.of(
                "  0.000000 [ 1] socket(..., SOCK_DGRAM, IPPROTO_UDP) = 3",
                "  0.000000 [ 2] bind(3, ..., ...) = 0",
                "  0.000000 [ 3] connect(3, ..., ...) = 0",
                "  0.000000 [ 4] write(3, ..., 1) = 1",
                "  0.000000 [ 5] > udp (1)   192.168.0.1:8080 > 192.0.2.1:8080",
                "  0.100000 [ 6] < udp (10)   192.0.2.1:8080 > 192.168.0.1:8080",
                "  0.100000 [ 7] read(3, ..., 100) = 10"), lines);
    }

    @Test
    void errnoMismatchIsARuntimeErrorOfTheCall() {
        assertEquals("t.pkt:2: runtime error in read call: Expected errno 104 (Connection reset by peer) but got 11"
                + " (Resource temporarily unavailable)",
                failure("0 socket(..., SOCK_DGRAM|SOCK_NONBLOCK, 0) = 3\n"
                        + "+0 read(3, ..., 10) = -1 ECONNRESET (Connection reset by peer)\n"));
    }

    @Test
    void resultMismatchNamesTheErrnoItGot() {
        assertEquals("t.pkt:2: runtime error in bind call: Expected result 0 but got -1 with errno 99 (Cannot assign"
                + " requested address)", failure("0 socket(..., SOCK_DGRAM, 0) = 3\n+0 bind(3, {sa_family=AF_INET,"
                + " sin_port=htons(1), sin_addr=inet_addr(\"10.9.9.9\")}, 16) = 0\n"));
        assertEquals("t.pkt:1: runtime error in socket call: Expected non-negative result but got -1 with errno 97"
                + " (Address family not supported by protocol)", failure("0 socket(99, SOCK_DGRAM, 0) = 3\n"));
        assertEquals("t.pkt:1: runtime error in socket call: Expected result -1 but got 3 with errno 0 (Success)",
                failure("0 socket(..., SOCK_DGRAM, 0) = -1 EINVAL (Invalid argument)\n"));
    }

    @Test
    void brokenPacketExpectationReportsTheFieldAndBothPackets() {
        assertEquals("t.pkt:5: error handling packet: live packet field ttl: expected: 32 (0x20) vs actual: 64 (0x40)\n"
                + "script packet:  0.000000 udp (1)\n"
                + "actual packet:  0.000000 udp (1)",
                failure(UDP.replace("> udp (1)", "> [ttl 32] udp (1)")));
        assertEquals("t.pkt:5: error handling packet: live packet payload: expected 0 bytes vs actual 1 bytes\n"
                + "script packet:  0.000000 udp (0)\n"
                + "actual packet:  0.000000 udp (1)",
                failure(UDP.replace("> udp (1)", "> udp (0)")));
    }

    @Test
    void outboundPacketAtTheWrongTimeIsATimingError() {
        assertEquals("t.pkt:5: error handling packet: timing error: expected outbound packet at 0.100000 sec but"
                + " happened at 0.000000 sec; tolerance 0.012500 sec\n"
                + "script packet:  0.100000 udp (1)\n"
                + "actual packet:  0.000000 udp (1)",
                failure(UDP.replace("+0 > udp (1)", "0.1 > udp (1)")));
    }

    @Test
    void toleranceGrowsWithTheWaitSinceThePreviousEvent() {
        // 12.5% of a 1.1 s wait is 137.5 ms: a read returning 100 ms early passes...
        run(UDP + "0...1.1 read(3, ..., 100) = 7\n1.0 < udp (7)\n");
        // ...but not 500 ms early after 2.5 s (tolerance 312.5 ms).
        assertEquals("t.pkt:6: timing error: expected system call return at 2.500000 sec but happened at 2.000000 sec;"
                + " tolerance 0.312500 sec", failure(UDP + "0...2.5 read(3, ..., 100) = 7\n2.0 < udp (7)\n"));
    }

    @Test
    void anExpectedPacketThatNeverComesTimesOut() {
        assertEquals("t.pkt:6: error handling packet: Timed out waiting for packet",
                failure(UDP + "+0 > udp (5)\n"));
    }

    @Test
    void aStarLineWaitsAsLongAsTheSimulationHasEvents() {
        assertEquals("t.pkt:6: error handling packet: Timed out waiting for packet", failure(UDP + "* > udp (5)\n"));
    }

    @Test
    void aPacketNoLineExpectsBeforeTheEndFailsTheScript() {
        assertEquals("t.pkt:6: error handling packet: unexpected outbound packet: no line expects it before the script"
                + " ends\nactual packet:  0.000000 udp (3)   192.168.0.1:8080 > 192.0.2.1:8080",
                failure(UDP + "+0 write(3, ..., 3) = 3\n+.1 close(3) = 0\n"));
        // One sent at the very end is left alone: the script stopped looking.
        run(UDP + "+.1 write(3, ..., 3) = 3\n");
    }

    @Test
    void aBlockingCallReturningAtTheWrongTimeIsATimingError() {
        assertEquals("t.pkt:6: timing error: expected system call return at 0.300000 sec but happened at 0.200000"
                + " sec; tolerance 0.037500 sec",
                failure(UDP + "0...0.3 read(3, ..., 100) = 7\n0.2 < udp (7)\n"));
    }

    @Test
    void aBlockingCallStartedWhileAnotherSleepsFails() {
        assertEquals("t.pkt:7: runtime error in read call: blocking system call while another blocking system call is"
                + " already in progress",
                failure(UDP + "0...2 read(3, ..., 100) = 7\n0.1...0.2 read(3, ..., 100) = 7\n"));
    }

    @Test
    void theScriptMayNotEndWhileABlockingCallSleeps() {
        assertEquals("t.pkt:6: runtime error: exiting while a blocking system call is in progress",
                failure(UDP + "0...2 read(3, ..., 100) = 7\n"));
    }

    @Test
    void aCallWithoutEndTimeThatBlocksHoldsTheScriptUp() {
        String msg = failure(UDP + "+0 read(3, ..., 100) = 7\n");
        assertTrue(msg.startsWith("t.pkt:6: runtime error in read call: read(3, len=100): would block forever"), msg);
        assertTrue(msg.endsWith("write start...end to let the following events run while it blocks"), msg);
    }

    @Test
    void aCallDuringABlockingOneWaitsASecondForItFirst() {
        // packetdrill's main thread waits up to a second for the syscall thread to go idle...
        assertEquals("t.pkt:7: timing error: expected system call start at 0.100000 sec but happened at 1.000000 sec;"
                + " tolerance 0.012500 sec", failure(UDP + "0...0.2 read(3, ..., 100) = 7\n"
                + "0.1 getsockopt(3, SOL_SOCKET, SO_TYPE, [2], [4]) = 0\n0.2 < udp (7)\n"));
        // ...then makes a non-blocking call itself, while the blocking one still sleeps.
        List<String> lines = run(UDP + "0...2 read(3, ..., 100) = 7\n1 getsockopt(3, SOL_SOCKET, SO_TYPE, [2], [4]) = 0\n"
                + "2 < udp (7)\n").lines();
        assertEquals("  0.000000 [ 6] read(3, ..., 100) blocks", lines.get(5));
        assertEquals("  1.000000 [ 7] getsockopt(3, SOL_SOCKET, SO_TYPE, [2], [4]) = 0", lines.get(6));
        assertEquals("  2.000000 [ 6] read(3, ..., 100) = 7", lines.get(8));
    }

    @Test
    void consecutiveInboundPacketsAreOffsetFromTheScriptTimeNotTheClock() {
        List<String> lines = run(UDP + "+.1 < udp (1)\n+.1 < udp (2)\n+0 read(3, ..., 9) = 1\n").lines();
        assertEquals("  0.200000 [ 7] < udp (2)   192.0.2.1:8080 > 192.168.0.1:8080", lines.get(6));
    }

    @Test
    void sysctlLinesChangeTheSimulatedKernelAndOtherCommandsAreRefused() {
        List<String> lines = run("0 `sysctl -q net.core.rmem_default=4096`\n"
                + "+0 socket(..., SOCK_DGRAM, 0) = 3\n+0 getsockopt(3, SOL_SOCKET, SO_RCVBUF, [4096], [4]) = 0\n").lines();
        assertEquals("  0.000000 [ 1] `sysctl net.core.rmem_default = 4096`", lines.get(0));
        assertEquals("t.pkt:1: error executing `ip link set tun0 mtu 1280` command: unsupported shell command 'ip link"
                + " set tun0 mtu 1280': the simulator runs only sysctl and echo V > /proc/sys/...",
                failure("0 `ip link set tun0 mtu 1280`\n"));
        assertEquals("t.pkt:1: error executing `sysctl -q net.ipv4.tcp_nope=1` command: sysctl: cannot stat"
                + " /proc/sys/net/ipv4/tcp_nope: No such file or directory (the simulated kernel has no such parameter)",
                failure("0 `sysctl -q net.ipv4.tcp_nope=1`\n"));
        assertEquals("t.pkt:0: error executing init command: unsupported shell command '../common/defaults.sh': the"
                + " simulator runs only sysctl and echo V > /proc/sys/...",
                failure("`../common/defaults.sh`\n0 socket(..., SOCK_DGRAM, 0) = 3\n"));
    }

    @Test
    void codeSnippetsAreReportedAsUnsupported() {
        assertEquals("t.pkt:2: error executing code: %{ }% code snippets (Python with tcpi_* from TCP_INFO) are not"
                + " supported by the simulator", failure("0 socket(..., SOCK_DGRAM, 0) = 3\n+0 %{ print(1) }%\n"));
    }

    @Test
    void scriptLevelChecks() {
        assertEquals("t.pkt:1: first event should be at time 0", failure("0.5 socket(..., SOCK_DGRAM, 0) = 3\n"));
        assertEquals("t.pkt:3: time goes backward in script from 500000 usec to 100000 usec",
                failure("0 socket(..., SOCK_DGRAM, 0) = 3\n0.5 socket(..., SOCK_DGRAM, 0) = 4\n0.1 close(3) = 0\n"));
        assertEquals("t.pkt:1: error handling packet: no matching socket for script packet", failure("0 < udp (1)\n"));
        assertEquals("t.pkt:2: runtime error in frobnicate call: Unknown system call: 'frobnicate'",
                failure("0 socket(..., SOCK_DGRAM, 0) = 3\n+0 frobnicate(3) = 0\n"));
        assertEquals("t.pkt:2: runtime error in fcntl call: unknown symbol: F_NOPE",
                failure("0 socket(..., SOCK_DGRAM, 0) = 3\n+0 fcntl(3, F_NOPE) = 0\n"));
    }

    @Test
    void optionsAtTheTopAreChecked() {
        assertEquals("t.pkt:1:1: syntax error: unsupported option --wire_client",
                assertThrows(ScriptParseException.class, () -> run("--wire_client\n0 close(3) = -1 EBADF (x)\n"))
                        .getMessage());
        run("--bind_port=9000\n" + UDP + "+0 getsockname(3, {sa_family=AF_INET,"
                + " sin_port=htons(9000), sin_addr=inet_addr(\"192.168.0.1\")}, [16]) = 0\n");
    }
}
