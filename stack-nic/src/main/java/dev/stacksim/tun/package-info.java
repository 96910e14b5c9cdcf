/**
 * The simulated stack talking to the real Linux kernel through a TUN device.
 *
 * <ul>
 *   <li>{@link dev.stacksim.tun.TunBridge}: a simulated host on a real-time loop whose
 *       {@code tun0} ({@link dev.stacksim.dev.TunDevice}) is wired, one UDP datagram per IP
 *       packet, to a {@code socat} process holding the kernel's TUN device ({@code sim0}). The
 *       kernel's {@code ping}, {@code nc}, {@code curl} and TCP reach the simulated sockets and the
 *       other way round.</li>
 *   <li>{@link dev.stacksim.tun.PrivateNetns}: runs a Java program in a network namespace of its
 *       own ({@code unshare -n}), so that the device, its address and every packet stay private to
 *       the run.</li>
 * </ul>
 *
 * <p>The guide's chapter {@code docs/guide/tun.md} shows a session: a simulated server reached with
 * {@code curl} and {@code nc}, {@code ss} on both sides, {@code tcpdump} on {@code sim0}.
 */
package dev.stacksim.tun;
