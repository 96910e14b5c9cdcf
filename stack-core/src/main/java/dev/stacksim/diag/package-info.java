/**
 * Seeing inside. What a Linux user types to look at a host's sockets, printed byte for byte in
 * the tools' formats: {@link dev.stacksim.diag.Ss} ({@code ss -tanpio}, {@code -x}, {@code -u}),
 * {@link dev.stacksim.diag.Netstat} ({@code netstat -tanp}), {@link dev.stacksim.diag.Nstat}
 * ({@code nstat -az}), reached through {@link dev.stacksim.diag.HostViews} ({@code host.views()},
 * {@code host.ss("-tan")}); {@code /proc/net/tcp} itself is printed by
 * {@link dev.stacksim.tcp.TcpProc}. And for packets and events: one-line packet summaries
 * ({@link dev.stacksim.diag.FrameSummary}), sequence diagrams drawn as standalone SVG
 * ({@link dev.stacksim.diag.SequenceDiagram}), and {@link dev.stacksim.diag.TraceDiagram}, which
 * draws one from a recorded event trace ({@code dev.stacksim.trace}). And for memory:
 * {@link dev.stacksim.diag.Sockstat} ({@code /proc/net/sockstat}) and
 * {@link dev.stacksim.diag.SocketMemory}, the heap and buffer memory a host's sockets hold, by
 * kind, estimated with {@link dev.stacksim.diag.HeapLayout}'s model of the JVM's object layout.
 */
package dev.stacksim.diag;
