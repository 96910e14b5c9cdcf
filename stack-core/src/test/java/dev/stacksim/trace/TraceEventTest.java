package dev.stacksim.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stacksim.buf.DropReason;
import org.junit.jupiter.api.Test;

class TraceEventTest {
    @Test
    void formatPutsTimeAndHostBeforeTheDescription() {
        TraceEvent e = new TraceEvent.Packet(1_500_000_000L, "client", false, "ICMP", "10.0.0.2", "10.0.0.1",
                "echo reply, id 7, seq 1, length 64");
        assertEquals("1.500000000s client   ICMP in  10.0.0.2 > 10.0.0.1: echo reply, id 7, seq 1, length 64", e.format());
    }

    @Test
    void jsonEscapesStringsAndKeepsNumbersAndBooleansBare() {
        TraceEvent e = new TraceEvent.Drop(7, "h\"1\\", "X.y", DropReason.NOMEM, "tab\there\nnewline \u0001");
        assertEquals("{\"type\":\"Drop\",\"time\":7,\"host\":\"h\\\"1\\\\\",\"where\":\"X.y\",\"reason\":\"NOMEM\","
                + "\"what\":\"tab\\there\\nnewline \\u0001\"}", e.toJson());
        assertEquals("{\"type\":\"Timer\",\"time\":1,\"host\":\"c\",\"socket\":\"s\",\"timer\":\"delack\",\"op\":\"FIRE\","
                + "\"expires\":0}", new TraceEvent.Timer(1, "c", "s", "delack", TraceEvent.TimerOp.FIRE, 0).toJson());
    }

    @Test
    void everyKindDescribesItself() {
        assertEquals("ring eth0 rx0 poll [5]", new TraceEvent.RingMove(0, "h", "eth0", "rx0", "poll", 5).describe());
        assertEquals("skb udp pull 8 -> data=84 len=5", new TraceEvent.SkbHop(0, "h", "udp", false, 8, 84, 5).describe());
        assertEquals("ARP 10.0.0.2 dev eth0 NONE -> INCOMPLETE",
                new TraceEvent.StateChange(0, "h", "ARP", "10.0.0.2 dev eth0", "NONE", "INCOMPLETE").describe());
    }
}
