package dev.stacksim.net;

import dev.stacksim.buf.DropReason;
import dev.stacksim.buf.SkBuff;
import dev.stacksim.diag.FrameSummary;
import dev.stacksim.diag.SequenceDiagram;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Records what crosses a {@link Link} as a {@link SequenceDiagram}: an arrow per frame from the
 * moment its first bit left to the moment it arrived, a cross for every drop with its reason, each
 * labelled as tcpdump would print the frame.
 *
 * <pre>{@code
 * LinkRecorder rec = net.link(client, server).latency(ms(5)).record();
 * client.ping("10.0.0.2", 1);
 * rec.diagram().write(Path.of("target/ping.svg"));
 * }</pre>
 */
public final class LinkRecorder implements LinkObserver {
    private final Link link;
    private final SequenceDiagram diagram;
    private final int laneA;
    private final int laneB;
    /** Frames on the wire: the skb object is the same from sent to delivered (the link does not copy). */
    private final Map<SkBuff, Sent> inFlight = new IdentityHashMap<>();

    /**
     * Starts recording {@code link}, with the lanes named {@code nameA} (the port of end A) and
     * {@code nameB}. Replaces any other observer of the link.
     */
    public LinkRecorder(Link link, String title, String nameA, String nameB) {
        this.link = link;
        this.diagram = new SequenceDiagram(title);
        this.laneA = diagram.lane(nameA);
        this.laneB = diagram.lane(nameB);
        link.observe(this);
    }

    /** The diagram so far; add notes to it, or write it. */
    public SequenceDiagram diagram() {
        return diagram;
    }

    /** Stops recording. */
    public void stop() {
        link.observe(null);
        inFlight.clear();
    }

    @Override
    public void sent(LinkEnd end, SkBuff frame, long timeNanos) {
        inFlight.put(frame, new Sent(timeNanos, FrameSummary.of(frame.buf(), frame.data(), frame.len())));
    }

    @Override
    public void delivered(LinkEnd end, SkBuff frame, long timeNanos) {
        Sent s = inFlight.remove(frame);
        if (s == null) {
            // A duplicate: netem sends a copy, which the sender never handed over.
            diagram.arrow(from(end), to(end), timeNanos, timeNanos,
                    FrameSummary.of(frame.buf(), frame.data(), frame.len()) + " (duplicate)");
        } else {
            diagram.arrow(from(end), to(end), s.time, timeNanos, s.label);
        }
    }

    @Override
    public void dropped(LinkEnd end, SkBuff frame, long timeNanos, DropReason reason) {
        Sent s = inFlight.remove(frame);
        String label = s != null ? s.label : FrameSummary.of(frame.buf(), frame.data(), frame.len());
        diagram.dropped(from(end), to(end), s != null ? s.time : timeNanos, timeNanos, label, reason.name());
    }

    private int from(LinkEnd end) {
        return end == link.endA() ? laneA : laneB;
    }

    private int to(LinkEnd end) {
        return end == link.endA() ? laneB : laneA;
    }

    private record Sent(long time, String label) {
    }
}
