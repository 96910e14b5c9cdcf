package dev.stacksim.diag;

import dev.stacksim.trace.TraceEvent;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Draws a {@link SequenceDiagram} from a recorded event trace: one lane per chosen host, in the
 * order given, an arrow per packet one of them sent and another received, state changes as notes
 * in the margin of their host, drops marked.
 *
 * <pre>{@code
 * TraceRecorder rec = new TraceRecorder();
 * net.tracer().addListener(rec);
 * ...                                                   // the scenario
 * TraceDiagram.draw("UDP to a closed port", rec.events(), "client", "server")
 *         .write(Path.of("target/closed-port.svg"));
 * }</pre>
 *
 * <h2>How events become the drawing</h2>
 * <ul>
 *   <li>{@link TraceEvent.Packet}: a packet sent on one lane's host is paired with the first later
 *       packet received on another lane's host with the same protocol, addresses and summary, in
 *       the order they were sent (FIFO). A broadcast received by several hosts gives an arrow to
 *       each. The label is the protocol, the ports if any, and the summary.</li>
 *   <li>A packet sent and never received is drawn towards the host that owns its destination
 *       address, ending in a cross: at the time and with the reason of the first later
 *       {@link TraceEvent.Drop} on any host whose packet summary names it (a link's loss, a full
 *       ring, a router's drop), or at
 *       its sending time as {@code not received}.</li>
 *   <li>{@link TraceEvent.StateChange}: a note beside its host, {@code TCP SYN_SENT -> ESTABLISHED}.</li>
 *   <li>Every other {@link TraceEvent.Drop} of a lane's host: a mark on its lifeline,
 *       {@code drop NO_SOCKET Udp.receive}.</li>
 * </ul>
 * Events of hosts not chosen, and the other kinds of event, are left out.
 */
public final class TraceDiagram {
    private TraceDiagram() {
    }

    /**
     * The diagram of {@code events} (in the order they happened) for {@code hosts}, left to right.
     * Each lane is labelled with the host's name and the first address it sent from.
     */
    public static SequenceDiagram draw(String title, List<? extends TraceEvent> events, String... hosts) {
        if (hosts.length == 0) {
            throw new IllegalArgumentException("trace diagram: no hosts");
        }
        Map<String, Integer> lane = new LinkedHashMap<>();
        for (String h : hosts) {
            if (lane.putIfAbsent(h, lane.size()) != null) {
                throw new IllegalArgumentException("trace diagram: host " + h + " twice");
            }
        }
        Map<String, String> firstAddress = new HashMap<>();
        Map<String, Integer> owner = new HashMap<>();
        for (TraceEvent e : events) {
            if (e instanceof TraceEvent.Packet p && lane.containsKey(p.host())) {
                String own = ip(p.sent() ? p.saddr() : p.daddr());
                owner.putIfAbsent(own, lane.get(p.host()));
                if (p.sent()) {
                    firstAddress.putIfAbsent(p.host(), ip(p.saddr()));
                }
            }
        }
        SequenceDiagram d = new SequenceDiagram(title);
        for (String h : hosts) {
            String a = firstAddress.get(h);
            d.lane(a == null ? h : h + " " + a);
        }

        Map<String, ArrayDeque<Sent>> pending = new HashMap<>();
        Map<String, Sent> lastMatched = new HashMap<>();
        List<Sent> sends = new ArrayList<>();
        List<Dropped> drops = new ArrayList<>();
        for (TraceEvent e : events) {
            Integer l = lane.get(e.host());
            if (l == null) {
                if (e instanceof TraceEvent.Drop x) {
                    drops.add(new Dropped(-1, x)); // may explain a packet lost between the lanes (a router)
                }
                continue;
            }
            if (e instanceof TraceEvent.Packet p) {
                String key = p.protocol() + '|' + p.saddr() + '|' + p.daddr() + '|' + p.summary();
                if (p.sent()) {
                    Sent s = new Sent(l, p);
                    sends.add(s);
                    pending.computeIfAbsent(key, k -> new ArrayDeque<>()).add(s);
                } else {
                    Sent s = takeFrom(pending.get(key), l);
                    if (s != null) {
                        s.received = true;
                        lastMatched.put(key, s);
                    } else {
                        s = lastMatched.get(key); // another receiver of the same broadcast
                    }
                    if (s != null && s.lane != l) {
                        d.arrow(s.lane, l, s.packet.time(), p.time(), label(p));
                    }
                }
            } else if (e instanceof TraceEvent.StateChange c) {
                d.note(l, c.time(), c.protocol() + " " + c.from() + " -> " + c.to());
            } else if (e instanceof TraceEvent.Drop x) {
                drops.add(new Dropped(l, x));
            }
        }
        for (Sent s : sends) {
            if (s.received) {
                continue;
            }
            TraceEvent.Packet p = s.packet;
            Integer to = owner.get(ip(p.daddr()));
            int target = to != null && to != s.lane ? to : s.lane == 0 ? Math.min(1, hosts.length - 1) : s.lane - 1;
            Dropped x = dropOf(drops, p);
            if (x != null) {
                x.used = true;
                d.dropped(s.lane, target, p.time(), x.drop.time(), label(p), x.drop.reason().name());
            } else {
                d.dropped(s.lane, target, p.time(), p.time(), label(p), "not received");
            }
        }
        for (Dropped x : drops) {
            if (!x.used && x.lane >= 0) {
                d.mark(x.lane, x.drop.time(), "drop " + x.drop.reason() + " " + x.drop.where());
            }
        }
        return d;
    }

    /** The arrow's text: {@code UDP 40000 > 9: length 5}, {@code ICMP echo request, id 1, seq 1, length 64}. */
    static String label(TraceEvent.Packet p) {
        int sp = p.saddr().indexOf(':');
        int dp = p.daddr().indexOf(':');
        if (sp >= 0 && dp >= 0) {
            return p.protocol() + " " + p.saddr().substring(sp + 1) + " > " + p.daddr().substring(dp + 1) + ": "
                    + p.summary();
        }
        return p.protocol() + " " + p.summary();
    }

    /** The oldest send in {@code queue} from another lane than {@code receiver}, removed; null when none. */
    private static Sent takeFrom(ArrayDeque<Sent> queue, int receiver) {
        if (queue == null) {
            return null;
        }
        for (Sent s : queue) {
            if (s.lane != receiver) {
                queue.remove(s);
                return s;
            }
        }
        return null;
    }

    /** The first unused drop at or after {@code p} was sent whose packet summary names {@code p}. */
    private static Dropped dropOf(List<Dropped> drops, TraceEvent.Packet p) {
        for (Dropped x : drops) {
            if (x.used || x.drop.time() < p.time()) {
                continue;
            }
            String what = x.drop.what();
            boolean names = p.protocol().equals("ARP")
                    ? what.contains(p.summary())
                    : what.contains(p.saddr() + " > " + p.daddr() + ":") && what.contains(p.summary());
            if (names) {
                return x;
            }
        }
        return null;
    }

    /** The address part of {@code 10.0.0.1:40000}. */
    private static String ip(String addr) {
        int colon = addr.indexOf(':');
        return colon < 0 ? addr : addr.substring(0, colon);
    }

    /** A packet sent by a lane's host, waiting for its receiver. */
    private static final class Sent {
        final int lane;
        final TraceEvent.Packet packet;
        boolean received;

        Sent(int lane, TraceEvent.Packet packet) {
            this.lane = lane;
            this.packet = packet;
        }
    }

    /** A drop on a lane's host (or elsewhere: lane -1), used once it explains a packet that never arrived. */
    private static final class Dropped {
        final int lane;
        final TraceEvent.Drop drop;
        boolean used;

        Dropped(int lane, TraceEvent.Drop drop) {
            this.lane = lane;
            this.drop = drop;
        }
    }
}
