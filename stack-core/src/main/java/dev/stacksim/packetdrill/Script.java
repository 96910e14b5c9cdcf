package dev.stacksim.packetdrill;

import java.util.List;

/**
 * A parsed packetdrill script: the options at its top, an optional init command, the events in
 * order, and an optional cleanup command (packetdrill's {@code struct script}).
 *
 * @param name     the script's name, used in every message ({@code listen-backlog.pkt})
 * @param options  the {@code --name=value} lines at the top, in order
 * @param init     a backquoted command before the first event, or null
 * @param events   the timeline
 * @param cleanup  a backquoted command after the last event, or null
 */
public record Script(String name, List<Option> options, CommandSpec init, List<ScriptEvent> events,
                     CommandSpec cleanup) {
    /**
     * One {@code --name=value} (value null for a bare {@code --name}).
     *
     * @param name  the option without its dashes
     * @param value its value, or null
     * @param line  the line it is on
     */
    public record Option(String name, String value, int line) {
    }

    /** Parses {@code text} as the script {@code name}; see {@link ScriptParser}. */
    public static Script parse(String name, String text) {
        return ScriptParser.parse(name, text);
    }
}
