package dev.stacksim.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.stacksim.buf.DropReason;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class Slf4jTraceSinkTest {
    private static final List<TraceEvent> ONE_OF_EACH = List.of(
            new TraceEvent.StateChange(1, "client", "TCP", "10.0.0.1:40000 -> 10.0.0.2:80", "SYN_SENT", "ESTABLISHED"),
            new TraceEvent.QueueMove(2, "server", "0.0.0.0:80", "10.0.0.1:40000", TraceEvent.QueueOp.ACCEPT_QUEUE_ADD, 1, 128),
            new TraceEvent.Drop(3, "server", "Udp.receive", DropReason.NO_SOCKET, "10.0.0.1:4000 > 10.0.0.2:9: UDP, length 1"),
            new TraceEvent.Timer(4, "client", "10.0.0.1:40000 -> 10.0.0.2:80", "retransmit", TraceEvent.TimerOp.ARM, 1_000_000_004L),
            new TraceEvent.Packet(5, "client", true, "UDP", "10.0.0.1:4000", "10.0.0.2:9", "length 1"),
            new TraceEvent.SkbHop(6, "client", "ip", true, 20, 56, 29),
            new TraceEvent.RingMove(7, "client", "eth0", "tx0", "post", 0));

    private final Logger logger = (Logger) LoggerFactory.getLogger(Slf4jTraceSink.LOGGER);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private Level saved;

    @BeforeEach
    void attach() {
        saved = logger.getLevel();
        logger.setAdditive(false); // captured here, not printed
        appender.start();
        logger.addAppender(appender);
    }

    @AfterEach
    void detach() {
        logger.detachAppender(appender);
        logger.setAdditive(true);
        logger.setLevel(saved);
    }

    private List<String> logged() {
        return appender.list.stream().map(e -> e.getLevel() + " " + e.getFormattedMessage()).collect(Collectors.toList());
    }

    @Test
    void stateChangesAndQueueMovesAreInfoDropsAndTimersDebugPerPacketEventsTrace() {
        logger.setLevel(Level.TRACE);
        Slf4jTraceSink sink = new Slf4jTraceSink();
        ONE_OF_EACH.forEach(sink::onEvent);
        assertEquals(List.of(
                "INFO 0.000000001s client   TCP 10.0.0.1:40000 -> 10.0.0.2:80 SYN_SENT -> ESTABLISHED",
                "INFO 0.000000002s server   queue 0.0.0.0:80 ACCEPT_QUEUE_ADD 10.0.0.1:40000 len=1 max=128",
                "DEBUG 0.000000003s server   drop Udp.receive NO_SOCKET 10.0.0.1:4000 > 10.0.0.2:9: UDP, length 1",
                "DEBUG 0.000000004s client   timer 10.0.0.1:40000 -> 10.0.0.2:80 retransmit ARM expires 1.000000004s",
                "TRACE 0.000000005s client   UDP out 10.0.0.1:4000 > 10.0.0.2:9: length 1",
                "TRACE 0.000000006s client   skb ip push 20 -> data=56 len=29",
                "TRACE 0.000000007s client   ring eth0 tx0 post [0]"), logged());
    }

    @Test
    void aLoggerAtInfoLogsOnlyTheStory() {
        logger.setLevel(Level.INFO);
        Slf4jTraceSink sink = new Slf4jTraceSink();
        ONE_OF_EACH.forEach(sink::onEvent);
        assertEquals(2, appender.list.size(), logged().toString());
        logger.setLevel(Level.DEBUG);
        ONE_OF_EACH.forEach(sink::onEvent);
        assertEquals(2 + 4, appender.list.size(), logged().toString());
    }

    @Test
    void levelsByKind() {
        assertEquals(List.of("INFO", "INFO", "DEBUG", "DEBUG", "TRACE", "TRACE", "TRACE"),
                ONE_OF_EACH.stream().map(e -> Slf4jTraceSink.level(e).name()).collect(Collectors.toList()));
    }

    @Test
    void anyLoggerMayBeUsedButNotNone() {
        Slf4jTraceSink sink = new Slf4jTraceSink(LoggerFactory.getLogger("elsewhere"));
        assertEquals("Slf4jTraceSink[elsewhere]", sink.toString());
        assertThrows(IllegalArgumentException.class, () -> new Slf4jTraceSink(null));
    }

    @Test
    void aNetworkTracesToTheLogThroughTheSink() {
        logger.setLevel(Level.INFO);
        try (TracedPair pair = new TracedPair(7)) {
            pair.tracer.addListener(new Slf4jTraceSink());
            pair.client.ping("10.0.0.2", 1);
        }
        assertEquals("INFO client   ARP 10.0.0.2 dev eth0 NONE -> INCOMPLETE",
                logged().get(0).replaceFirst("\\d+\\.\\d+s ", ""));
    }
}
