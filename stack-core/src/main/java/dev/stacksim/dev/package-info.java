/**
 * Network devices: the {@link dev.stacksim.dev.NetDevice} contract between the stack and a
 * device driver (Linux's {@code struct net_device_ops}), the {@link dev.stacksim.dev.DeviceContext}
 * a host gives each device (how received frames enter the stack, {@code netif_receive_skb}), the
 * loopback device, veth pairs, the raw-IP tun device (what the packetdrill runner injects through),
 * and the counters {@code ip -s link} shows.
 */
package dev.stacksim.dev;
