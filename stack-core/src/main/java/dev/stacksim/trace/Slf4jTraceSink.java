package dev.stacksim.trace;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * A {@link TraceListener} that logs every event through slf4j, one {@link TraceEvent#format()} line
 * each, on the logger {@value #LOGGER}, at a level by kind:
 *
 * <table>
 *   <caption>levels</caption>
 *   <tr><th>level</th><th>events</th><th>why</th></tr>
 *   <tr><td>INFO</td><td>{@link TraceEvent.StateChange}, {@link TraceEvent.QueueMove}</td>
 *       <td>a few per connection: the story of a run</td></tr>
 *   <tr><td>DEBUG</td><td>{@link TraceEvent.Drop}, {@link TraceEvent.Timer}</td>
 *       <td>what went wrong and what woke up</td></tr>
 *   <tr><td>TRACE</td><td>{@link TraceEvent.Packet}, {@link TraceEvent.SkbHop}, {@link TraceEvent.RingMove}</td>
 *       <td>several per packet</td></tr>
 * </table>
 *
 * <pre>{@code
 * net.tracer().addListener(new Slf4jTraceSink());   // logback: <logger name="dev.stacksim.trace" level="DEBUG"/>
 * }</pre>
 *
 * <p>Each event's level is checked before its line is formatted, so a logger set to INFO costs
 * one check for a per-packet event. The events themselves are built as long as the sink is
 * attached: detach it ({@link Tracer#removeListener}) to make tracing free again.
 */
public final class Slf4jTraceSink implements TraceListener {
    /** The logger name events go to: {@code dev.stacksim.trace}. */
    public static final String LOGGER = "dev.stacksim.trace";

    private final Logger log;

    /** A sink logging to {@value #LOGGER}. */
    public Slf4jTraceSink() {
        this(LoggerFactory.getLogger(LOGGER));
    }

    /** A sink logging to {@code log}. */
    public Slf4jTraceSink(Logger log) {
        if (log == null) {
            throw new IllegalArgumentException("slf4j trace sink: log=null");
        }
        this.log = log;
    }

    /** The level an event is logged at (see the class comment). */
    public static Level level(TraceEvent event) {
        if (event instanceof TraceEvent.StateChange || event instanceof TraceEvent.QueueMove) {
            return Level.INFO;
        }
        if (event instanceof TraceEvent.Drop || event instanceof TraceEvent.Timer) {
            return Level.DEBUG;
        }
        return Level.TRACE;
    }

    @Override
    public void onEvent(TraceEvent event) {
        switch (level(event)) {
            case INFO:
                if (log.isInfoEnabled()) {
                    log.info(event.format());
                }
                break;
            case DEBUG:
                if (log.isDebugEnabled()) {
                    log.debug(event.format());
                }
                break;
            default:
                if (log.isTraceEnabled()) {
                    log.trace(event.format());
                }
                break;
        }
    }

    @Override
    public String toString() {
        return "Slf4jTraceSink[" + log.getName() + "]";
    }
}
