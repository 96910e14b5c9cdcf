package dev.stacksim.packetdrill;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * What happened while a script ran, one line per thing, in virtual time: packets injected
 * ({@code <}) and sent by the host ({@code >}) in script terms with their live addresses, system
 * calls with what they returned, commands, and packets the runner ignored.
 *
 * <pre>
 *   0.000000 [ 5] socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
 *   0.100000 [ 9] &lt; S 0:0(0) win 32792 &lt;mss 1000,nop,wscale 7&gt;   192.0.2.1:49152 &gt; 192.168.0.1:8080
 *   0.100000 [10] &gt; S. 0:0(0) ack 1 win 65535 &lt;mss 1460,nop,wscale 7&gt;   192.168.0.1:8080 &gt; 192.0.2.1:49152
 * </pre>
 */
public final class RunTrace {
    private final List<String> lines = new ArrayList<>();
    private final Consumer<String> sink;
    private long startNanos;

    /** A trace that only collects. */
    public RunTrace() {
        this(null);
    }

    /** A trace that also hands each line to {@code sink} as it happens (a console, a logger). */
    public RunTrace(Consumer<String> sink) {
        this.sink = sink;
    }

    /** Every line so far. */
    public List<String> lines() {
        return Collections.unmodifiableList(lines);
    }

    @Override
    public String toString() {
        return String.join("\n", lines);
    }

    void start(long nanos) {
        this.startNanos = nanos;
    }

    void event(long nanos, int line, String text) {
        add(String.format(Locale.ROOT, "%10.6f [%2d] %s", (nanos - startNanos) / 1e9, line, text));
    }

    void note(long nanos, String text) {
        add(String.format(Locale.ROOT, "%10.6f      %s", (nanos - startNanos) / 1e9, text));
    }

    private void add(String s) {
        lines.add(s);
        if (sink != null) {
            sink.accept(s);
        }
    }
}
