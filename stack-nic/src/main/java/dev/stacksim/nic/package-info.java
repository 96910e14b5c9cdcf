/**
 * The simulated NIC: TX and RX DMA descriptor rings, NAPI-style polling, RSS and counters as
 * {@code ethtool -S} shows them. Built in the engine issue on top of {@code stack-core}.
 */
package dev.stacksim.nic;
