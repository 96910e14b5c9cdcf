package dev.stacksim.packetdrill;

/**
 * One line of a script's timeline: when (its {@link EventTime}) and what (an {@link Action}):
 * a packet to inject or expect, a system call, a shell command, or a code snippet.
 *
 * @param line   the 1-based line of its time column, as packetdrill reports it
 * @param time   when it happens
 * @param action what happens
 */
public record ScriptEvent(int line, EventTime time, Action action) {
    /** What an event does. */
    public sealed interface Action permits PacketSpec, SyscallSpec, CommandSpec, CodeSpec {
    }

    /** A short name for messages: {@code inbound packet}, {@code outbound packet}, {@code system call start}, {@code command}. */
    public String description() {
        if (action instanceof PacketSpec p) {
            return p.outbound() ? "outbound packet" : "inbound packet";
        }
        if (action instanceof SyscallSpec) {
            return "system call start";
        }
        if (action instanceof CommandSpec) {
            return "command";
        }
        return "data collection for code";
    }
}
