/**
 * The simulated NIC: {@link dev.stacksim.nic.SimNic}, an e1000-like Ethernet adapter with its driver.
 * TX and RX DMA {@link dev.stacksim.nic.DescriptorRing descriptor rings}, interrupts that schedule
 * NAPI polls with a budget, TX queue stop/wake, multi-queue receive with
 * {@link dev.stacksim.nic.Rss RSS} over a {@link dev.stacksim.nic.Toeplitz Toeplitz} hash, and
 * counters as {@code ip -s link} ({@link dev.stacksim.dev.DeviceStats}) and {@code ethtool -S}
 * ({@link dev.stacksim.nic.EthtoolStats}) show them. A NIC is a {@link dev.stacksim.dev.NetDevice}
 * to its host and a {@link dev.stacksim.net.FramePort} to the {@link dev.stacksim.net.Medium} its
 * cable plugs into.
 */
package dev.stacksim.nic;
