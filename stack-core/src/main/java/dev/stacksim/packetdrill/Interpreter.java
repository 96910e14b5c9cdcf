package dev.stacksim.packetdrill;

import dev.stacksim.sim.EventLoop;
import dev.stacksim.sim.Timer;

import java.util.ArrayList;
import java.util.List;

/**
 * Plays a script's timeline against the simulated host: packetdrill's main thread ({@code run.c},
 * {@code run_packet.c}) as a chain of events on the host's loop, in virtual time.
 *
 * <p>Each event is taken in turn ({@code get_next_event}); a relative time is offset by the moment
 * the previous event finished, except that consecutive inbound packets offset from the previous
 * one's script time ({@code adjust_relative_event_times}). Then:
 * <ul>
 *   <li>an inbound packet waits for its time, is built with live values and injected into tun0;</li>
 *   <li>an outbound packet is looked for at once among what the host has sent (packetdrill starts
 *       sniffing early to catch packets sent too soon), waiting up to two seconds past its time;
 *       consecutive segments are merged until they carry the payload the line expects; the packet
 *       is compared field by field and its time checked;</li>
 *   <li>a system call waits for its time and is handed to the {@link SyscallThread}; the script
 *       continues when the call returns, or, for a blocking call ({@code start...end}), as soon as
 *       it blocks;</li>
 *   <li>a shell command waits for its time and sets sysctls.</li>
 * </ul>
 * Every failure is a {@link ScriptFailure} thrown from the event that found it; it unwinds the loop
 * (and a blocked call) up to {@link ScriptRunner}.
 */
final class Interpreter {
    private final Script script;
    private final ScriptConfig config;
    private final ScriptNetdev net;
    private final EventLoop loop;
    private final ScriptSockets sockets;
    private final PacketMapper mapper;
    private final RunTrace trace;
    private SyscallThread syscalls;

    private long startNanos;
    private int index = -1;
    private ScriptEvent event;
    private ScriptEvent lastEvent;
    /** The current event's script times, offset if relative (microseconds since the start). */
    private long evTime;
    private long evEnd;
    private long evOffset;
    private long evSyscallEnd;
    /** The previous event's (offset) script time, or -1. */
    private long lastEvTime = -1;
    private int numEvents;
    private boolean finished;
    /** When each event started, for placing unexpected packets: {line, start usecs}. */
    private final List<long[]> started = new ArrayList<>();
    /** What the outbound event under way is waiting for, for the message when the loop runs dry. */
    private boolean sniffing;

    Interpreter(Script script, ScriptConfig config, ScriptNetdev net, ScriptSockets sockets, RunTrace trace) {
        this.script = script;
        this.config = config;
        this.net = net;
        this.loop = net.loop;
        this.sockets = sockets;
        this.mapper = new PacketMapper(config);
        this.trace = trace;
    }

    void setSyscallThread(SyscallThread t) {
        this.syscalls = t;
    }

    boolean finished() {
        return finished;
    }

    long startNanos() {
        return startNanos;
    }

    /** The line of the event being run, 0 before the first and after the last. */
    int currentLine() {
        return event == null ? 0 : event.line();
    }

    /** Microseconds of script time now. */
    long nowUsecs() {
        return (loop.now() - startNanos) / 1000;
    }

    ScriptFailure failure(int line, String detail) {
        return new ScriptFailure(script.name(), line, detail);
    }

    /** Starts the timeline at the loop's current time. */
    void start() {
        startNanos = loop.now();
        trace.start(startNanos);
        if (script.init() != null) {
            command(script.init(), 0, "init command");
        }
        loop.execute(this::nextEvent);
    }

    /** The loop ran dry with the script unfinished: only an outbound packet with no deadline can be waiting. */
    ScriptFailure stalled() {
        int line = event == null ? 0 : event.line();
        return failure(line, sniffing ? "error handling packet: Timed out waiting for packet"
                : "the simulation ran out of events before the script finished");
    }

    /** The current event is complete: go on with the next one, on a later event at this time. */
    void done() {
        numEvents++;
        loop.execute(this::nextEvent);
    }

    private void nextEvent() {
        if (index >= 0) {
            lastEvent = event;
            lastEvTime = evTime;
        }
        index++;
        if (index >= script.events().size()) {
            event = null;
            endOfScript();
            return;
        }
        event = script.events().get(index);
        EventTime t = event.time();
        if (index == 0 && t.usecs() != 0) {
            throw failure(event.line(), "first event should be at time 0");
        }
        if (lastEvent != null && lastEvent.time().isAbsolute() && t.isAbsolute() && t.usecs() < lastEvTime) {
            throw failure(event.line(), "time goes backward in script from " + lastEvTime + " usec to " + t.usecs()
                    + " usec");
        }
        adjustRelativeTimes();
        started.add(new long[] {event.line(), evTime});
        ScriptEvent.Action a = event.action();
        if (a instanceof PacketSpec p) {
            if (p.outbound()) {
                outbound(p);
            } else {
                inbound(p);
            }
        } else if (a instanceof SyscallSpec s) {
            syscall(s);
        } else if (a instanceof CommandSpec c) {
            waitForEvent(() -> {
                command(c, event.line(), null);
                done();
            });
        } else {
            throw failure(event.line(), "error executing code: %{ }% code snippets (Python with tcpi_* from TCP_INFO)"
                    + " are not supported by the simulator");
        }
    }

    /** {@code adjust_relative_event_times}. */
    private void adjustRelativeTimes() {
        EventTime t = event.time();
        evTime = t.usecs();
        evEnd = t.endUsecs();
        evOffset = 0;
        evSyscallEnd = event.action() instanceof SyscallSpec s ? s.endUsecs() : -1;
        if (!t.isRelative()) {
            return;
        }
        long offset = lastEvent != null && isInbound(lastEvent) && isInbound(event) ? lastEvTime : nowUsecs();
        evOffset = offset;
        evTime += offset;
        if (t.type() == EventTime.Type.RELATIVE_RANGE) {
            evEnd += offset;
        }
        if (t.type() == EventTime.Type.RELATIVE && evSyscallEnd >= 0) {
            evSyscallEnd += offset;
        }
    }

    private static boolean isInbound(ScriptEvent e) {
        return e.action() instanceof PacketSpec p && !p.outbound();
    }

    /** {@code wait_for_event}: runs {@code then} at the event's time, after checking it is not late. */
    private void waitForEvent(Runnable then) {
        long at = startNanos + evTime * 1000;
        if (loop.now() < at) {
            loop.scheduleAt(at, () -> {
                checkEventTime();
                then.run();
            });
        } else {
            checkEventTime();
            then.run();
        }
    }

    /** {@code check_event_time}: an event that starts late (after a call that blocked the script) fails. */
    private void checkEventTime() {
        if (numEvents == 0) {
            return;
        }
        String err = Timing.verify(event.time().type(), evTime, evEnd, nowUsecs(), lastEvTime, evOffset,
                event.description(), config);
        if (err != null) {
            throw failure(event.line(), err);
        }
    }

    // ---------------------------------------------------------------- commands

    private void command(CommandSpec c, int line, String what) {
        try {
            for (String s : ShellCommands.run(c.commandLine(), net.host.sysctl())) {
                trace.event(loop.now(), line, "`sysctl " + s + "`");
            }
        } catch (IllegalArgumentException e) {
            throw failure(line, what != null ? "error executing " + what + ": " + e.getMessage()
                    : "error executing `" + c.commandLine() + "` command: " + e.getMessage());
        }
    }

    // ---------------------------------------------------------------- packets

    private ScriptSocket socketFor(PacketSpec p) {
        ScriptSocket s = sockets.forScriptPacket(p);
        if (s == null) {
            throw failure(event.line(), "error handling packet: no matching socket for script packet");
        }
        return s;
    }

    private void inbound(PacketSpec p) {
        ScriptSocket s = socketFor(p);
        waitForEvent(() -> {
            byte[] bytes;
            try {
                bytes = mapper.inbound(p, s);
            } catch (IllegalArgumentException e) {
                throw failure(event.line(), "error handling packet: " + e.getMessage());
            }
            LivePacket live = LivePacket.parse(bytes, loop.now());
            trace.event(loop.now(), event.line(), "< " + PacketFormat.script(p) + "   " + addresses(live));
            if (!net.inject(bytes)) {
                throw failure(event.line(), "error handling packet: tun0 refused the packet");
            }
            done();
        });
    }

    private void outbound(PacketSpec p) {
        ScriptSocket s = socketFor(p);
        if (s.state == ScriptSocket.State.PASSIVE_PACKET_RECEIVED && p.transport() instanceof PacketSpec.Tcp t
                && t.has('S') && t.has('.')) {
            s.scriptLocalIsn = t.seq();
        }
        new Sniff(p, s).next();
    }

    /** One outbound line: the live packets taken for it, merged until they carry its payload. */
    private final class Sniff {
        private final PacketSpec script;
        private final ScriptSocket socket;
        private final int expectedPayload;
        private final List<LivePacket> fragments = new ArrayList<>();
        private int sniffedPayload;
        private Timer timeout;

        Sniff(PacketSpec script, ScriptSocket socket) {
            this.script = script;
            this.socket = socket;
            this.expectedPayload = PacketMatcher.payloadLen(script);
        }

        /** {@code sniff_outbound_live_packet}: the next packet for the socket, now or when it comes. */
        void next() {
            sniffing = true;
            while (!net.captured().isEmpty()) {
                LivePacket live = net.captured().pollFirst();
                ScriptSocket owner = sockets.forLivePacket(live);
                if (owner == null) {
                    trace.note(live.timeNanos, "ignored (no socket under test): " + PacketFormat.full(live));
                    continue;
                }
                if (owner != socket) {
                    throw failure(event.line(), "error handling packet: packet is not for expected socket\n"
                            + PacketFormat.dumpLine("script", evTime, PacketFormat.script(script)) + "\n"
                            + PacketFormat.dumpLine("actual", usecs(live.timeNanos), PacketFormat.full(live)));
                }
                if (timeout != null) {
                    timeout.cancel();
                    timeout = null;
                }
                sniffing = false;
                net.onNextPacket(null);
                sniffed(live);
                return;
            }
            net.onNextPacket(this::next);
            if (timeout == null && event.time().type() != EventTime.Type.ANY) {
                long expected = Math.max(evTime - lastTimeOrZero(), evEnd - lastTimeOrZero());
                long secs = (long) (expected / 1e6) + 2;
                timeout = loop.schedule(secs * 1_000_000_000L, () -> {
                    net.onNextPacket(null);
                    throw failure(event.line(), "error handling packet: Timed out waiting for packet");
                });
            }
        }

        private void sniffed(LivePacket live) {
            if (socket.state == ScriptSocket.State.PASSIVE_PACKET_RECEIVED && live.isTcp()
                    && script.transport() instanceof PacketSpec.Tcp t && t.has('S') && t.has('.')) {
                socket.state = ScriptSocket.State.PASSIVE_SYNACK_SENT;
                socket.liveLocalIsn = live.seq;
            }
            LivePacket converted = PacketMapper.toScriptSeq(live, socket);
            if (!fragments.isEmpty()) {
                LivePacket prev = fragments.get(fragments.size() - 1);
                String err = PacketMatcher.fragment(converted, prev, sniffedPayload, expectedPayload);
                if (err != null) {
                    StringBuilder sb = new StringBuilder("error handling packet: " + err + "\n"
                            + PacketFormat.dumpLine("   script", evTime, PacketFormat.script(script)));
                    fragments.add(converted);
                    for (int i = 0; i < fragments.size(); i++) {
                        LivePacket f = fragments.get(i);
                        sb.append('\n').append(PacketFormat.dumpLine("actual #" + i, usecs(f.timeNanos),
                                PacketFormat.live(f)));
                    }
                    throw failure(event.line(), sb.toString());
                }
            }
            fragments.add(converted);
            sniffedPayload += converted.payloadLen();
            if (sniffedPayload < expectedPayload && !config.strictSegments()) {
                next();
                return;
            }
            verify();
        }

        /** {@code verify_outbound_live_packet}. */
        private void verify() {
            LivePacket actual = fragments.size() == 1 ? fragments.get(0) : PacketMatcher.aggregate(fragments);
            long actualUsecs = usecs(actual.timeNanos);
            String err = null;
            if (sniffedPayload != expectedPayload) {
                err = "live packet payload: expected " + expectedPayload + " bytes vs actual " + sniffedPayload + " bytes";
            }
            if (err == null) {
                if (script.transport() instanceof PacketSpec.Tcp t && actual.isTcp()) {
                    PacketMapper.mapTimestamps(actual, t, socket);
                }
                long tsTolerance = Math.max(config.toleranceUsecs(), (long) (config.tolerancePercent() / 100.0 * evTime));
                err = PacketMatcher.verify(actual, script, config, tsTolerance);
            }
            if (err == null) {
                err = Timing.verify(event.time().type(), evTime, evEnd, actualUsecs, lastEvTime, evOffset,
                        "outbound packet", config);
            }
            if (err != null) {
                throw failure(event.line(), "error handling packet: " + err + "\n"
                        + PacketFormat.dumpLine("script", evTime, PacketFormat.script(script)) + "\n"
                        + PacketFormat.dumpLine("actual", actualUsecs, PacketFormat.live(actual)));
            }
            trace.event(actual.timeNanos, event.line(), "> " + PacketFormat.live(actual) + "   " + addresses(actual));
            done();
        }
    }

    private long lastTimeOrZero() {
        return lastEvTime < 0 ? 0 : lastEvTime;
    }

    private long usecs(long nanos) {
        return (nanos - startNanos) / 1000;
    }

    private static String addresses(LivePacket p) {
        if (p == null) {
            return "";
        }
        String full = PacketFormat.full(p);
        return full.substring(0, full.indexOf(' ', full.indexOf('>') + 2));
    }

    // ---------------------------------------------------------------- system calls

    private void syscall(SyscallSpec spec) {
        int line = event.line();
        long start = evTime;
        long end = evSyscallEnd;
        EventTime.Type type = event.time().type();
        syscalls.awaitIdle(idle -> {
            if (!idle && spec.isBlocking()) {
                throw failure(line, "runtime error in " + spec.name() + " call: blocking system call while another"
                        + " blocking system call is already in progress");
            }
            waitForEvent(() -> {
                SyscallThread.Call call = new SyscallThread.Call(line, spec, start, end, type);
                if (syscalls.isIdle()) {
                    syscalls.submit(call);
                } else {
                    syscalls.runInline(call);
                }
            });
        });
    }

    // ---------------------------------------------------------------- the end

    /** {@code state_free}: the syscall thread must go idle, then leftover packets are checked. */
    private void endOfScript() {
        syscalls.awaitIdle(idle -> {
            if (!idle) {
                throw failure(syscalls.busyLine(), "runtime error: exiting while a blocking system call is in progress");
            }
            if (config.checkUnexpectedPackets()) {
                checkUnexpectedPackets();
            }
            if (script.cleanup() != null) {
                command(script.cleanup(), 0, "cleanup command");
            }
            finished = true;
        });
    }

    /**
     * The simulator's addition to packetdrill: a packet the host sent on a socket under test before
     * the script's last event, which no outbound line took, fails the script at the line of the event
     * it followed.
     */
    private void checkUnexpectedPackets() {
        long end = lastEvTime;
        for (LivePacket p : net.captured()) {
            long at = usecs(p.timeNanos);
            ScriptSocket owner = at < end ? sockets.forLivePacket(p) : null;
            if (owner == null) {
                continue;
            }
            long line = started.isEmpty() ? 0 : started.get(0)[0];
            for (long[] s : started) {
                if (s[1] <= at) {
                    line = s[0];
                }
            }
            throw failure((int) line, "error handling packet: unexpected outbound packet: no line expects it before"
                    + " the script ends\n" + PacketFormat.dumpLine("actual", at,
                    PacketFormat.live(PacketMapper.toScriptSeq(p, owner)) + "   " + addresses(p)));
        }
    }
}
