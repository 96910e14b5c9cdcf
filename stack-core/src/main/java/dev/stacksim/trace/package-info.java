/**
 * The event trace: what happens inside the hosts (state changes, queue moves, drops with their
 * reasons and places, timers, packets, skb trips through the layers, ring descriptors) as {@link
 * dev.stacksim.trace.TraceEvent} records handed to {@link dev.stacksim.trace.TraceListener}s. The
 * equivalent of Linux's tracepoints, for tests, logs, files and sequence diagrams.
 *
 * <ul>
 *   <li>{@link dev.stacksim.trace.Tracer}: the stream of one network (or lone host), with its
 *       listeners; {@code enabled()} gates every emitter.</li>
 *   <li>{@link dev.stacksim.trace.HostTrace}: the stream as one host emits into it (its name, its
 *       clock), and its drop monitor: the drop listener of every skb in the host.</li>
 *   <li>Sinks: {@link dev.stacksim.trace.TraceRecorder} (memory),
 *       {@link dev.stacksim.trace.Slf4jTraceSink} (the {@code dev.stacksim.trace} logger),
 *       {@link dev.stacksim.trace.TraceFile} (text or JSON lines).</li>
 * </ul>
 * Sequence diagrams are drawn from recorded events by {@code dev.stacksim.diag.TraceDiagram}.
 * This package depends on {@code buf}, {@code sim} and {@code wire} only.
 */
package dev.stacksim.trace;
