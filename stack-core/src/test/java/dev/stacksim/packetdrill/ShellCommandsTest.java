package dev.stacksim.packetdrill;

import dev.stacksim.host.Sysctl;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ShellCommandsTest {
    private final Sysctl sysctl = new Sysctl();

    @Test
    void sysctlSetsEveryAssignmentWithQuotedTuples() {
        List<String> done = ShellCommands.run("sysctl -q net.ipv4.tcp_rmem=\"4096 131072 6291456\" "
                + "net.ipv4.tcp_syncookies=2", sysctl);
        assertEquals(List.of("net.ipv4.tcp_rmem = 4096\t131072\t6291456", "net.ipv4.tcp_syncookies = 2"), done);
        assertEquals(2, sysctl.getInt("net.ipv4.tcp_syncookies"));
    }

    @Test
    void echoIntoProcSysAndSeveralCommandsOnALine() {
        ShellCommands.run("echo 1 > /proc/sys/net/ipv4/tcp_abort_on_overflow; sysctl -w net.core.somaxconn=16", sysctl);
        assertEquals(1, sysctl.getInt("net.ipv4.tcp_abort_on_overflow"));
        assertEquals(16, sysctl.getInt("net.core.somaxconn"));
    }

    @Test
    void anythingElseIsRefusedWithAReason() {
        assertEquals("unsupported shell command 'tc qdisc add dev tun0 root pfifo': the simulator runs only sysctl and"
                + " echo V > /proc/sys/...", assertThrows(IllegalArgumentException.class,
                () -> ShellCommands.run("tc qdisc add dev tun0 root pfifo", sysctl)).getMessage());
        assertEquals("sysctl net.ipv4.tcp_syncookies: only name=value settings are supported",
                assertThrows(IllegalArgumentException.class,
                        () -> ShellCommands.run("sysctl net.ipv4.tcp_syncookies", sysctl)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> ShellCommands.run("sysctl -q net.ipv4.tcp_syncookies=7", sysctl));
        assertEquals(List.of("a", "b c", "d"), ShellCommands.words("a 'b c' d"));
    }

    @Test
    void linuxOnlyTuningIsAcceptedOnlyAtTheSimulatorsFixedValue() {
        assertEquals(List.of("net.ipv4.tcp_min_tso_segs = 1 (the simulator's fixed behaviour)"),
                ShellCommands.run("sysctl -q net.ipv4.tcp_min_tso_segs=1", sysctl));
        assertEquals("sysctl net.ipv4.tcp_min_tso_segs=2: the simulator has no such machinery and always behaves as"
                + " net.ipv4.tcp_min_tso_segs=1", assertThrows(IllegalArgumentException.class,
                () -> ShellCommands.run("sysctl -q net.ipv4.tcp_min_tso_segs=2", sysctl)).getMessage());
    }
}
