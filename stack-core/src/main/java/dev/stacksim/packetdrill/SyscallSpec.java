package dev.stacksim.packetdrill;

import java.util.List;

/**
 * A system call line: {@code +0 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)}
 * or, blocking, {@code 0.1...0.2 accept(3, ..., ...) = 4}.
 *
 * @param endUsecs  the end time written after {@code ...} (a blocking call), or -1
 * @param name      the call's name
 * @param args      its arguments
 * @param result    the expected return value
 * @param errno     the expected errno's name ({@code EINPROGRESS}), or null
 * @param note      the text in parentheses after it, or null (not checked, as in packetdrill)
 */
public record SyscallSpec(long endUsecs, String name, List<Expr> args, Expr result, String errno, String note)
        implements ScriptEvent.Action {
    /** True for a blocking call: one with {@code start...end} times, run as packetdrill's syscall thread does. */
    public boolean isBlocking() {
        return endUsecs >= 0;
    }

    @Override
    public String toString() {
        String a = args.toString();
        return name + "(" + a.substring(1, a.length() - 1) + ") = " + result
                + (errno == null ? "" : " " + errno) + (note == null ? "" : " (" + note + ")");
    }
}
