package dev.stacksim.packetdrill;

/**
 * A {@code %{ ... }%} snippet: packetdrill runs it as Python with {@code tcpi_*} variables taken
 * from {@code TCP_INFO}. Parsed, and reported as unsupported when run.
 *
 * @param text the code, trimmed
 */
public record CodeSpec(String text) implements ScriptEvent.Action {
}
