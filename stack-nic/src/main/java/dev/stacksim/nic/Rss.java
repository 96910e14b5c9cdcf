package dev.stacksim.nic;

import dev.stacksim.wire.EtherType;
import dev.stacksim.wire.EthernetHeader;
import dev.stacksim.wire.IpProtocol;
import dev.stacksim.wire.Ipv4Header;
import io.netty.buffer.ByteBuf;

/**
 * Receive Side Scaling: how a multi-queue NIC picks the RX queue of an arriving frame, so that each
 * flow always lands on the same queue (and so the same CPU) while different flows spread out.
 *
 * <pre>
 *   frame ─► parse: IPv4? TCP/UDP, not a fragment?
 *              │ yes: 4-tuple (src addr, dst addr, src port, dst port)   12 bytes
 *              │ IPv4 otherwise: 2-tuple (src addr, dst addr)              8 bytes
 *              │ not IPv4 (ARP …): no hash, queue 0
 *              ▼
 *         Toeplitz(key, tuple) = 32-bit hash
 *              ▼
 *         indirection table[hash &amp; 127] = RX queue     (ethtool -x; set with ethtool -X)
 * </pre>
 *
 * Fragments after the first carry no ports, so a fragmented datagram hashes on its addresses only,
 * keeping all its fragments on one queue. The table has {@value #INDIRECTION_TABLE_SIZE} entries,
 * filled round-robin by default as Linux's {@code ethtool_rxfh_indir_default(i, n) = i % n} does;
 * hardware indexes it with the hash's low 7 bits.
 *
 * <p>Parsing reads the frame's bytes in place and allocates nothing. Not thread-safe: it belongs to
 * one NIC on one event loop.
 */
public final class Rss {
    /** Entries in the indirection table (the e1000e/ixgbe RETA size). */
    public static final int INDIRECTION_TABLE_SIZE = 128;
    /** What {@link #flowHash} returns for a frame that is not hashed (not IPv4, or truncated). */
    public static final long NO_HASH = -1;

    private final Toeplitz toeplitz;
    private final int queues;
    private final int[] indirection = new int[INDIRECTION_TABLE_SIZE];

    /**
     * RSS over {@code queues} queues with the given hash and the default round-robin table.
     *
     * @throws IllegalArgumentException unless {@code 1 <= queues <= 128}
     */
    public Rss(Toeplitz toeplitz, int queues) {
        if (toeplitz == null || queues < 1 || queues > INDIRECTION_TABLE_SIZE) {
            throw new IllegalArgumentException("rss: queues=" + queues + " toeplitz=" + toeplitz);
        }
        this.toeplitz = toeplitz;
        this.queues = queues;
        for (int i = 0; i < INDIRECTION_TABLE_SIZE; i++) {
            indirection[i] = i % queues;
        }
    }

    /** The hash function and its key. */
    public Toeplitz toeplitz() {
        return toeplitz;
    }

    /** Number of RX queues the table spreads over. */
    public int queues() {
        return queues;
    }

    /** The queue at {@code index} of the indirection table. */
    public int indirection(int index) {
        return indirection[index];
    }

    /**
     * Sets one entry of the indirection table ({@code ethtool -X eth0 weight ...} writes them all).
     *
     * @throws IllegalArgumentException when the index or queue is out of range
     */
    public void setIndirection(int index, int queue) {
        if (index < 0 || index >= INDIRECTION_TABLE_SIZE || queue < 0 || queue >= queues) {
            throw new IllegalArgumentException("rss: index=" + index + " queue=" + queue + " queues=" + queues);
        }
        indirection[index] = queue;
    }

    /**
     * The RSS hash of the Ethernet frame of {@code len} bytes at {@code offset} of {@code buf}, as an
     * unsigned 32-bit value, or {@link #NO_HASH} when the frame is not IPv4 or too short to hash.
     */
    public long flowHash(ByteBuf buf, int offset, int len) {
        int ipLen = len - EthernetHeader.HEADER_LEN;
        if (ipLen < Ipv4Header.HEADER_LEN
                || buf.getUnsignedShort(offset + EthernetHeader.ETHERTYPE_OFFSET) != EtherType.IPV4) {
            return NO_HASH;
        }
        int ip = offset + EthernetHeader.HEADER_LEN;
        int versionIhl = buf.getUnsignedByte(ip + Ipv4Header.VERSION_IHL_OFFSET);
        int ihl = (versionIhl & 0x0F) * 4;
        if ((versionIhl >>> 4) != Ipv4Header.VERSION || ihl < Ipv4Header.HEADER_LEN || ihl > ipLen) {
            return NO_HASH;
        }
        int src = buf.getInt(ip + Ipv4Header.SRC_ADDR_OFFSET);
        int dst = buf.getInt(ip + Ipv4Header.DST_ADDR_OFFSET);
        int protocol = buf.getUnsignedByte(ip + Ipv4Header.PROTOCOL_OFFSET);
        int fragOff = buf.getUnsignedShort(ip + Ipv4Header.FRAG_OFF_OFFSET);
        boolean fragment = (fragOff & (Ipv4Header.FLAG_MF | Ipv4Header.FRAGMENT_OFFSET_MASK)) != 0;
        if ((protocol == IpProtocol.TCP || protocol == IpProtocol.UDP) && !fragment && ihl + 4 <= ipLen) {
            int ports = buf.getInt(ip + ihl);
            return toeplitz.hashIpv4Ports(src, dst, ports >>> 16, ports & 0xFFFF) & 0xFFFF_FFFFL;
        }
        return toeplitz.hashIpv4(src, dst) & 0xFFFF_FFFFL;
    }

    /** The queue for a {@link #flowHash} result: the indirection entry of its low 7 bits; queue 0 for {@link #NO_HASH}. */
    public int queueOf(long hash) {
        return hash == NO_HASH ? 0 : indirection[(int) hash & (INDIRECTION_TABLE_SIZE - 1)];
    }

    /** The RX queue of the frame of {@code len} bytes at {@code offset} of {@code buf}. */
    public int selectQueue(ByteBuf buf, int offset, int len) {
        return queues == 1 ? 0 : queueOf(flowHash(buf, offset, len));
    }

    /**
     * The table, key and function as {@code ethtool -x dev} prints them:
     * <pre>
     * RX flow hash indirection table for eth0 with 4 RX ring(s):
     *     0:      0     1     2     3     0     1     2     3
     *   ...
     * RSS hash key:
     * 6d:5a:56:da:...
     * RSS hash function:
     *     toeplitz: on
     * </pre>
     */
    public String format(String device) {
        StringBuilder sb = new StringBuilder("RX flow hash indirection table for ").append(device)
                .append(" with ").append(queues).append(" RX ring(s):\n");
        for (int i = 0; i < INDIRECTION_TABLE_SIZE; i++) {
            if (i % 8 == 0) {
                sb.append(String.format("%5d: ", i));
            }
            sb.append(String.format(" %5d", indirection[i]));
            if (i % 8 == 7) {
                sb.append('\n');
            }
        }
        sb.append("RSS hash key:\n");
        byte[] key = toeplitz.key();
        for (int i = 0; i < key.length; i++) {
            sb.append(i == 0 ? "" : ":").append(String.format("%02x", key[i] & 0xFF));
        }
        return sb.append("\nRSS hash function:\n    toeplitz: on\n").toString();
    }

    @Override
    public String toString() {
        return "Rss[queues=" + queues + " " + toeplitz + "]";
    }
}
