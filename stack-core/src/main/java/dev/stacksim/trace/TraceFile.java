package dev.stacksim.trace;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A {@link TraceListener} that writes every event to a file, one line each: the
 * {@link TraceEvent#format()} text ({@link Format#TEXT}, for reading and {@code grep}) or a JSON
 * object ({@link Format#JSON}, JSON lines, for {@code jq} and notebooks).
 *
 * <pre>{@code
 * try (TraceFile file = TraceFile.open(Path.of("target/ping.trace.jsonl"), TraceFile.Format.JSON)) {
 *     net.tracer().addListener(file);
 *     client.ping("10.0.0.2", 1);
 *     net.tracer().removeListener(file);
 * }                                                // flushed and closed
 * }</pre>
 *
 * <p>Lines are buffered; {@link #close()} flushes them. A write that fails never throws into the
 * simulation (a listener runs inside the stack): the sink stops writing, and {@link #close()}
 * throws the first failure. Events that arrive after {@link #close()} are ignored.
 */
public final class TraceFile implements TraceListener, AutoCloseable {
    /** How each event is written. */
    public enum Format {
        /** {@link TraceEvent#format()}: {@code 0.005000784s server   UDP in  10.0.0.1:40000 > ...}. */
        TEXT,
        /** {@link TraceEvent#toJson()}: one JSON object per line. */
        JSON
    }

    private final Writer out;
    private final Format format;
    private long written;
    private IOException failure;
    private boolean closed;

    /** A sink writing to {@code out} (which it closes on {@link #close()}). */
    public TraceFile(Writer out, Format format) {
        if (out == null || format == null) {
            throw new IllegalArgumentException("trace file: out=" + out + " format=" + format);
        }
        this.out = out;
        this.format = format;
    }

    /** A sink writing UTF-8 to {@code path}, created or truncated. */
    public static TraceFile open(Path path, Format format) throws IOException {
        BufferedWriter w = Files.newBufferedWriter(path, StandardCharsets.UTF_8);
        return new TraceFile(w, format);
    }

    /** The format lines are written in. */
    public Format format() {
        return format;
    }

    /** Events written so far. */
    public long written() {
        return written;
    }

    @Override
    public void onEvent(TraceEvent event) {
        if (closed || failure != null) {
            return;
        }
        try {
            out.write(format == Format.JSON ? event.toJson() : event.format());
            out.write('\n');
            written++;
        } catch (IOException e) {
            failure = e;
        }
    }

    /**
     * Flushes and closes the file.
     *
     * @throws IOException the first write that failed, or the failure to flush or close
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            out.close();
        } catch (IOException e) {
            if (failure == null) {
                failure = e;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return "TraceFile[" + format + " written=" + written + (closed ? " closed" : "") + "]";
    }
}
