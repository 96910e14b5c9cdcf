package dev.stacksim.host;

import dev.stacksim.buf.DropReason;
import dev.stacksim.buf.SkBuff;
import dev.stacksim.buf.SkBuffPool;
import dev.stacksim.dev.DeviceContext;
import dev.stacksim.dev.DeviceStats;
import dev.stacksim.dev.NetDevice;
import dev.stacksim.dev.Qdisc;
import dev.stacksim.dev.TunDevice;
import dev.stacksim.sim.EventLoop;
import dev.stacksim.trace.HostTrace;
import dev.stacksim.wire.EtherType;
import dev.stacksim.wire.EthernetHeader;
import dev.stacksim.wire.Ipv4Cidr;
import dev.stacksim.wire.MacAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A device registered with a {@link Host}: the device with its index, its IPv4 addresses (Linux's
 * {@code struct in_device}) and its transmit queue. It is also the {@link DeviceContext} the host
 * gives the device: received frames enter the host's stack through {@link #receive}.
 */
public final class Interface implements DeviceContext {
    private static final Logger LOG = LoggerFactory.getLogger(Interface.class);

    private final Host host;
    private final NetDevice device;
    private final int ifindex;
    private final Qdisc qdisc;
    private final List<Ipv4Cidr> addresses = new ArrayList<>();
    /** The receive path's view; one loop thread, one frame at a time. */
    private final EthernetHeader eth = new EthernetHeader();
    /** Frames of an EtherType no protocol handles ({@code rx_nohandler}). */
    private long rxNohandler;
    /** Frames dropped on input before any protocol: too short, or for another host's MAC. */
    private long rxDropped;

    Interface(Host host, NetDevice device, int ifindex) {
        this.host = host;
        this.device = device;
        this.ifindex = ifindex;
        this.qdisc = new Qdisc(device, Qdisc.DEFAULT_TXQUEUELEN);
    }

    /** The host this interface belongs to. */
    public Host host() {
        return host;
    }

    /** The device. */
    public NetDevice device() {
        return device;
    }

    /** The interface index ({@code lo} is 1, the first device added 2 ...). */
    public int ifindex() {
        return ifindex;
    }

    /** The device's name. */
    public String name() {
        return device.name();
    }

    /** The device's MTU. */
    public int mtu() {
        return device.mtu();
    }

    /** The device's MAC address bits (0 for loopback). */
    public long mac() {
        return device.macAddress();
    }

    /** True for the loopback device. */
    public boolean isLoopback() {
        return device.type() == NetDevice.ARPHRD_LOOPBACK;
    }

    /**
     * True when frames on this device start with an Ethernet header and neighbours are resolved by
     * ARP ({@code dev->header_ops} set, {@code IFF_NOARP} clear). False for {@code lo} and for raw-IP
     * devices such as tun: their frames are bare IP packets and output skips the neighbour layer.
     */
    public boolean hasLinkHeader() {
        return device.type() == NetDevice.ARPHRD_ETHER;
    }

    /** True for a point-to-point device without ARP (tun: {@code IFF_POINTOPOINT | IFF_NOARP}). */
    public boolean isPointToPoint() {
        return device.type() == TunDevice.ARPHRD_NONE;
    }

    /** True while the device is up. */
    public boolean isUp() {
        return device.isUp();
    }

    /** The transmit queue ({@code tc -s qdisc show dev}). */
    public Qdisc qdisc() {
        return qdisc;
    }

    /** The IPv4 addresses, primary first, in the order they were added. */
    public List<Ipv4Cidr> addresses() {
        return Collections.unmodifiableList(addresses);
    }

    /** The first address's bits, or 0 when the interface has none. */
    public int primaryAddress() {
        return addresses.isEmpty() ? 0 : addresses.get(0).address().toInt();
    }

    /** True when {@code addr} is one of this interface's addresses. */
    public boolean hasAddress(int addr) {
        for (int i = 0; i < addresses.size(); i++) {
            if (addresses.get(i).address().toInt() == addr) {
                return true;
            }
        }
        return false;
    }

    /**
     * The source address for talking to {@code dst} through this interface
     * ({@code inet_select_addr}): an address whose network contains {@code dst}, else the primary
     * one; 0 when the interface has none.
     */
    public int selectAddress(int dst) {
        for (int i = 0; i < addresses.size(); i++) {
            Ipv4Cidr a = addresses.get(i);
            if (a.contains(dst)) {
                return a.address().toInt();
            }
        }
        return primaryAddress();
    }

    /**
     * Transmits a frame through the queue discipline ({@code dev_queue_xmit}). The data starts at
     * the Ethernet header (for loopback: at the IP header). Ownership passes. A partial checksum
     * is completed here when the device does not offload it.
     *
     * @return false when the frame was dropped (queue full, device down)
     */
    public boolean queueXmit(SkBuff skb) {
        if (skb.ipSummed() == SkBuff.CHECKSUM_PARTIAL && (device.features() & NetDevice.NETIF_F_HW_CSUM) == 0) {
            // validate_xmit_skb: a device without checksum offload gets the checksum done
            skb.checksumHelp();
        }
        skb.setIfindex(ifindex);
        skb.setDropListener(host.trace());
        return qdisc.enqueue(skb);
    }

    /** Frames of an unhandled EtherType ({@code rx_nohandler} in {@code ip -s -s link}). */
    public long rxNohandler() {
        return rxNohandler;
    }

    /** Frames the host dropped on input before any protocol saw them (too short, another host's MAC). */
    public long rxDropped() {
        return rxDropped;
    }

    void addAddress(Ipv4Cidr cidr) {
        addresses.add(cidr);
    }

    boolean removeAddress(Ipv4Cidr cidr) {
        return addresses.remove(cidr);
    }

    // ---------------------------------------------------------------- DeviceContext

    @Override
    public EventLoop loop() {
        return host.loop();
    }

    @Override
    public SkBuffPool pool() {
        return host.pool();
    }

    /**
     * A frame from the device enters the host: {@code netif_receive_skb} with
     * {@code eth_type_trans}. Stamps the frame, classifies it by its destination MAC
     * ({@code pkt_type}), pulls the Ethernet header and hands the payload to ARP or IPv4. Frames of
     * {@code lo} and raw-IP devices (tun) carry no link header: {@link SkBuff#protocol()} already
     * says what they are. Frames for another host's MAC are dropped
     * ({@link DropReason#OTHERHOST}); an EtherType nobody handles (or an 802.3 length) is counted in
     * {@link #rxNohandler()} and dropped ({@link DropReason#UNHANDLED_PROTO}).
     */
    @Override
    public void receive(NetDevice dev, SkBuff skb) {
        skb.setDropListener(host.trace());
        if (host.isClosed()) {
            skb.free(DropReason.DEV_READY);
            return;
        }
        skb.setIfindex(ifindex);
        skb.setTstamp(host.loop().now());
        if (!hasLinkHeader()) {
            skb.setPktType(SkBuff.PACKET_HOST);
            skb.resetNetworkHeader();
            if (skb.protocol() == EtherType.IPV4) {
                host.ip().rcv(skb, this);
            } else {
                rxNohandler++;
                skb.free(DropReason.UNHANDLED_PROTO);
            }
            return;
        }
        int len = skb.len();
        if (len < EthernetHeader.HEADER_LEN) {
            rxDropped++;
            skb.free(DropReason.PKT_TOO_SMALL);
            return;
        }
        skb.resetMacHeader();
        eth.wrap(skb.buf(), skb.data(), len);
        long dst = eth.dst();
        int type = eth.etherType();
        int pktType = dst == device.macAddress() ? SkBuff.PACKET_HOST
                : MacAddress.isBroadcast(dst) ? SkBuff.PACKET_BROADCAST
                : MacAddress.isMulticast(dst) ? SkBuff.PACKET_MULTICAST
                : SkBuff.PACKET_OTHERHOST;
        skb.setPktType(pktType);
        skb.pull(EthernetHeader.HEADER_LEN);
        host.trace().skbHop("eth", false, EthernetHeader.HEADER_LEN, skb);
        skb.resetNetworkHeader();
        skb.setProtocol(type);
        if (pktType == SkBuff.PACKET_OTHERHOST) {
            skb.free(DropReason.OTHERHOST);
            return;
        }
        switch (type) {
            case EtherType.IPV4:
                host.ip().rcv(skb, this);
                break;
            case EtherType.ARP:
                host.arp().rcv(skb, this);
                break;
            default:
                rxNohandler++;
                if (LOG.isTraceEnabled()) {
                    LOG.trace("[{}] {}: no handler for ethertype 0x{}", host.name(), name(), Integer.toHexString(type));
                }
                skb.free(DropReason.UNHANDLED_PROTO);
                break;
        }
    }

    /** The host's event trace: ring moves of the device, and drops of the frames it takes in. */
    @Override
    public HostTrace trace() {
        return host.trace();
    }

    /** The device has room again: restart the queue ({@code netif_wake_queue}). */
    @Override
    public void wakeQueue(NetDevice dev) {
        qdisc.wake();
    }

    /**
     * The interface as {@code ip addr show} prints it:
     * <pre>
     * 2: eth0: &lt;BROADCAST,MULTICAST,UP,LOWER_UP&gt; mtu 1500 qdisc pfifo_fast state UP qlen 1000
     *     link/ether 02:00:00:00:00:01 brd ff:ff:ff:ff:ff:ff
     *     inet 10.0.0.1/24 brd 10.0.0.255 scope global eth0
     * </pre>
     */
    @Override
    public String toString() {
        return describe(false);
    }

    /**
     * This device as {@code ip -s link} prints it: the link line, the link-layer address, then RX and
     * TX counters in columns as wide as their widest entry (iproute2's {@code print_stats64}).
     */
    public String linkStats() {
        DeviceStats st = device.stats();
        String[] rxHead = {"bytes", "packets", "errors", "dropped", "missed", "mcast"};
        String[] txHead = {"bytes", "packets", "errors", "dropped", "carrier", "collsns"};
        long[] rx = {st.rxBytes(), st.rxPackets(), st.rxErrors(), st.rxDropped() + rxDropped,
            st.rxMissedErrors(), st.multicast()};
        long[] tx = {st.txBytes(), st.txPackets(), st.txErrors(), st.txDropped(), st.txCarrierErrors(), 0};
        int[] width = new int[rxHead.length];
        for (int i = 0; i < width.length; i++) {
            width[i] = Math.max(Math.max(rxHead[i].length(), txHead[i].length()),
                    Math.max(Long.toString(rx[i]).length(), Long.toString(tx[i]).length()));
        }
        StringBuilder sb = new StringBuilder(describe(true));
        statsLines(sb, "RX:", rxHead, rx, width);
        statsLines(sb, "TX:", txHead, tx, width);
        return sb.toString();
    }

    private static void statsLines(StringBuilder sb, String dir, String[] head, long[] values, int[] width) {
        sb.append("    ").append(dir);
        for (int i = 0; i < head.length; i++) {
            sb.append(' ').append(" ".repeat(width[i] - head[i].length())).append(head[i]);
        }
        sb.append("\n       ");
        for (int i = 0; i < values.length; i++) {
            String v = Long.toString(values[i]);
            sb.append(' ').append(" ".repeat(width[i] - v.length())).append(v);
        }
        sb.append('\n');
    }

    private String describe(boolean linkOnly) {
        StringBuilder sb = new StringBuilder(160);
        boolean lo = isLoopback();
        boolean ptp = isPointToPoint();
        boolean up = isUp();
        sb.append(ifindex).append(": ").append(name()).append(": <")
                .append(lo ? "LOOPBACK" : ptp ? "POINTOPOINT,MULTICAST,NOARP" : "BROADCAST,MULTICAST")
                .append(up ? ",UP,LOWER_UP" : "")
                .append("> mtu ").append(mtu()).append(" qdisc ").append(lo ? "noqueue" : "pfifo_fast")
                .append(" state ").append(!up ? "DOWN" : lo || ptp ? "UNKNOWN" : "UP")
                .append(" qlen ").append(qdisc.limit()).append('\n');
        if (lo) {
            sb.append("    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n");
        } else if (ptp) {
            sb.append("    link/none \n");
        } else {
            sb.append("    link/ether ").append(MacAddress.toString(mac())).append(" brd ff:ff:ff:ff:ff:ff\n");
        }
        if (linkOnly) {
            return sb.toString();
        }
        for (Ipv4Cidr a : addresses) {
            sb.append("    inet ").append(a);
            if (!lo && !ptp && a.prefixLength() < 31) {
                sb.append(" brd ").append(a.broadcast());
            }
            sb.append(" scope ").append(lo || a.address().isLoopback() ? "host" : "global").append(' ')
                    .append(name()).append('\n');
            sb.append("       valid_lft forever preferred_lft forever\n");
        }
        return sb.toString();
    }
}
