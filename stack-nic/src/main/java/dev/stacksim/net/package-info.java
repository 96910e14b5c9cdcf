/**
 * The network between NICs: full-duplex point-to-point {@code Link}s with bandwidth, delay, a
 * bounded egress queue and netem-style impairments, a learning {@code Switch}, pcap capture, and
 * the {@code Network} builder that wires hosts together on one event loop. Ports
 * ({@link dev.stacksim.net.FramePort}) transmit into a {@link dev.stacksim.net.Medium}.
 */
package dev.stacksim.net;
