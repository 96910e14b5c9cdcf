package dev.stacksim.packetdrill;

/**
 * A backquoted shell line: {@code `sysctl -q net.ipv4.tcp_syncookies=2`}. The runner applies
 * {@code sysctl} settings to the simulated host and reports any other command as unsupported.
 *
 * @param commandLine the text between the backquotes
 */
public record CommandSpec(String commandLine) implements ScriptEvent.Action {
}
