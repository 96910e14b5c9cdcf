package dev.stacksim.tun;

import dev.stacksim.dev.TunDevice;
import dev.stacksim.host.Host;
import dev.stacksim.wire.Ipv4Cidr;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Configures a {@link TunBridge}: the kernel's device and address, the simulated host's address,
 * the MTU, the seed, and where the packets go (socat, or a UDP peer of the caller's own).
 * {@code TunBridge.builder().build()} takes the defaults: {@code sim0}, the kernel at 10.9.0.1/24,
 * the host at 10.9.0.2/24, MTU 1500.
 */
public final class TunBridgeBuilder {
    /** The kernel's TUN device. */
    String ifname = TunBridge.DEFAULT_IFNAME;
    /** The kernel's address/prefix on it. */
    String kernelAddress = TunBridge.DEFAULT_KERNEL_ADDRESS;
    /** The simulated host's address/prefix on its tun0. */
    String hostAddress = TunBridge.DEFAULT_HOST_ADDRESS;
    /** The simulated host's name. */
    String hostName = "sim";
    /** The seed of the host's random choices. */
    long seed = 1;
    /** Both ends' MTU. */
    int mtu = TunDevice.DEFAULT_MTU;
    /** The socat executable; null until build() looks it up on the PATH. */
    Path socat;
    /** The bridge's UDP port; 0 for any. */
    int bridgePort;
    /** A peer's UDP port instead of socat; 0 for socat. */
    int peerPort;
    /** More host configuration, or null. */
    Consumer<Host.Builder> hostSetup;

    TunBridgeBuilder() {
    }

    /** The kernel's TUN device name, 1 to 15 characters ({@code sim0}). */
    public TunBridgeBuilder ifname(String ifname) {
        if (ifname == null || ifname.isEmpty() || ifname.length() > 15 || !ifname.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("tun bridge: ifname=\"" + ifname + "\" must be 1..15 of [A-Za-z0-9_.-]");
        }
        this.ifname = ifname;
        return this;
    }

    /** The kernel's address and prefix on the device ({@code 10.9.0.1/24}): socat assigns it. */
    public TunBridgeBuilder kernelAddress(String cidr) {
        Ipv4Cidr.parse(cidr);
        this.kernelAddress = cidr;
        return this;
    }

    /** The simulated host's address and prefix on its {@code tun0} ({@code 10.9.0.2/24}). */
    public TunBridgeBuilder hostAddress(String cidr) {
        Ipv4Cidr.parse(cidr);
        this.hostAddress = cidr;
        return this;
    }

    /** The simulated host's name ({@code sim}). */
    public TunBridgeBuilder hostName(String name) {
        this.hostName = Objects.requireNonNull(name, "name");
        return this;
    }

    /** The seed of the host's random choices (ISNs, ports); the real kernel's timing is not seeded. */
    public TunBridgeBuilder seed(long seed) {
        this.seed = seed;
        return this;
    }

    /** The MTU of both ends of the wire, 576..9000 (1500). */
    public TunBridgeBuilder mtu(int mtu) {
        if (mtu < 576 || mtu > 9000) {
            throw new IllegalArgumentException("tun bridge: mtu=" + mtu + " not in 576..9000");
        }
        this.mtu = mtu;
        return this;
    }

    /** The socat executable; by default the one on the {@code PATH}. */
    public TunBridgeBuilder socat(Path socat) {
        this.socat = Objects.requireNonNull(socat, "socat");
        return this;
    }

    /** The bridge's UDP port on 127.0.0.1; 0 (the default) lets the kernel choose. */
    public TunBridgeBuilder bridgePort(int port) {
        this.bridgePort = checkPort(port);
        return this;
    }

    /**
     * Exchanges datagrams with a peer of the caller's own on {@code 127.0.0.1:port} instead of
     * starting socat: no TUN device, no privileges. Each datagram is one IPv4 packet. Tests use
     * it to drive the bridge by hand.
     */
    public TunBridgeBuilder peerPort(int port) {
        this.peerPort = checkPort(port);
        return this;
    }

    /** Further configuration of the host (sysctls, routes) before it is built. */
    public TunBridgeBuilder host(Consumer<Host.Builder> setup) {
        this.hostSetup = setup;
        return this;
    }

    /**
     * Starts the loop and the host, then socat, and returns once the kernel's device is up.
     *
     * @throws IllegalStateException when socat fails or a prerequisite is missing
     *         ({@link TunBridge#unavailableReason()})
     */
    public TunBridge build() {
        if (Ipv4Cidr.parse(kernelAddress).address().equals(Ipv4Cidr.parse(hostAddress).address())) {
            throw new IllegalArgumentException("tun bridge: kernel and host share the address " + hostAddress);
        }
        if (peerPort == 0) {
            Optional<String> why = TunBridge.unavailableReason();
            if (why.isPresent()) {
                throw new IllegalStateException("tun bridge: " + why.get());
            }
            if (socat == null) {
                socat = Command.which("socat").orElseThrow();
            }
        }
        return new TunBridge(this);
    }

    private static int checkPort(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("tun bridge: port=" + port + " not in 0..65535");
        }
        return port;
    }
}
