/**
 * The network between NICs: cables, a switch and capture, all on one event loop in virtual time.
 *
 * <ul>
 *   <li>{@link dev.stacksim.net.FramePort} and {@link dev.stacksim.net.Medium}: the two sides of a
 *       cable's plug. A port (a NIC, a switch port) receives frames through {@code FramePort} and
 *       transmits into a {@code Medium}.</li>
 *   <li>{@link dev.stacksim.net.Link}: a full-duplex point-to-point cable with bandwidth
 *       (serialization exact to the nanosecond), latency, a bounded egress queue with tail drop, and
 *       per direction ({@link dev.stacksim.net.LinkEnd}) netem-style
 *       {@link dev.stacksim.net.Impairments}: loss, Gilbert–Elliott burst loss, duplication,
 *       corruption, reordering, jitter. It can be cut and restored for partitions, and counts every
 *       frame ({@link dev.stacksim.net.LinkStats}).</li>
 *   <li>{@link dev.stacksim.net.Switch}: a learning bridge with flooding and MAC ageing, printing
 *       its table as {@code bridge fdb show} does.</li>
 *   <li>{@link dev.stacksim.net.PcapWriter}, {@link dev.stacksim.net.Tap} and
 *       {@link dev.stacksim.net.FrameCapture}: nanosecond pcap files stamped with virtual time, from
 *       taps that wrap a port or a medium, or from a link's own capture.</li>
 * </ul>
 *
 * <pre>{@code
 * EventLoop loop = EventLoop.virtual(7);
 * Switch sw = Switch.builder(loop).name("sw0").ports(2).build();
 * Link l = Link.builder(loop).name("h1-sw0").bandwidth(1_000_000_000).latency(Duration.ofMillis(1))
 *         .impairments(Impairments.builder().lossRate(0.01).build())
 *         .build(nic, sw.port(0));
 * nic.connect(l.endA());                  // the NIC transmits into end A
 * sw.connect(0, l.endB());                // the switch port into end B
 * l.capture(PcapWriter.open(Path.of("target/h1.pcap")));
 * }</pre>
 *
 * Non-API data structures live in {@code dev.stacksim.net.internal}.
 */
package dev.stacksim.net;
