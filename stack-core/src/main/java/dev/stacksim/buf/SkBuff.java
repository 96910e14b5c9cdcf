package dev.stacksim.buf;

import dev.stacksim.wire.Checksum;
import io.netty.buffer.ByteBuf;
import io.netty.util.IllegalReferenceCountException;
import io.netty.util.ReferenceCounted;

/**
 * A socket buffer: one packet on its way through the stack, modelled on Linux's
 * {@code struct sk_buff} ({@code include/linux/skbuff.h}) over one pooled netty {@link ByteBuf}.
 *
 * <h2>Geometry</h2>
 * Four offsets into the backing buffer, always {@code head <= data <= tail <= end}:
 * <pre>
 *   head                data                          tail               end
 *    |     headroom      |            data             |     tailroom     |
 *    +-------------------+-----------------------------+------------------+
 *    0        &lt;=       data()          &lt;=           tail()    &lt;=     end()
 *
 *    reserve(n)  data += n, tail += n   on an empty skb: make room for headers to come
 *    put(n)      tail += n              append payload (returns the old tail)
 *    push(n)     data -= n              prepend a header into the headroom (returns the new data)
 *    pull(n)     data += n              strip a header on the way up (returns the new data)
 *    trim(n)     tail  = data + n       cut the packet to n bytes (Ethernet padding, IP total length)
 * </pre>
 * On the way down, the socket layer allocates the skb once with {@code reserve()}d headroom for
 * every header below it; TCP, IP and Ethernet each {@link #push} their header into that headroom.
 * On the way up, each layer {@link #pull}s its header off. The payload never moves and is never
 * copied between layers. Offsets are absolute indices into {@link #buf()}, so a wire view wraps the
 * same bytes: {@code TcpHeader.wrap(skb.buf(), skb.data(), skb.len())}.
 *
 * <h2>Header marks</h2>
 * {@link #resetMacHeader()}, {@link #resetNetworkHeader()} and {@link #resetTransportHeader()}
 * remember where each layer's header starts (Linux's {@code skb_reset_*_header}), so that a layer
 * above can still find the IP header after pulling it (ICMP quoting it, TCP reading addresses).
 *
 * <h2>References and sharing</h2>
 * Two counts, as in Linux:
 * <ul>
 *   <li>{@link #refCnt()} counts references to this skb object ({@code skb->users}), with netty's
 *       {@link ReferenceCounted} contract: {@link #retain()}, {@link #release()}, {@link #touch()}.
 *       When it reaches zero the skb goes back to its {@link SkBuffPool}. {@link #consume()} is a
 *       release at a normal end of life; {@link #free(DropReason)} is a release that records a drop.</li>
 *   <li>The data buffer is shared by {@link #clone()}s ({@code skb_shinfo(skb)->dataref}): a clone is
 *       a new skb with its own pointers over the same bytes, which is how TCP transmits a segment
 *       while keeping the original on its retransmission queue ({@code tcp_transmit_skb}).
 *       {@link #copy()} is deep.</li>
 * </ul>
 * Writing into shared data would change what the other holders see, so every write method here
 * first makes the data private ({@link #unshare()}, Linux's {@code skb_cow}/{@code skb_unshare}),
 * except for header writes into a clone's headroom that the original gave up with
 * {@link #headerRelease()} (Linux's {@code skb->nohdr}, set by TCP on its queued skbs).
 * Code writing through a view over {@link #buf()} calls {@link #ensureWritable} first.
 *
 * <h2>Misuse</h2>
 * Every misuse throws at once with the numbers: {@code push: len=20 headroom=14}, a pull past the
 * data, a reserve on a non-empty skb, any use after the last release
 * ({@link IllegalReferenceCountException}). An skb released back to a recycling pool may be handed
 * out again; a stale reference to it is then indistinguishable from the new owner's, as with
 * netty's pooled buffers. With netty's leak detection at {@code PARANOID} (every test) the pool does
 * not recycle skb objects, so every use after release is caught.
 *
 * <h2>Threads</h2>
 * An skb belongs to one event loop at a time and is not thread-safe, like the kernel state that
 * holds it.
 */
public final class SkBuff implements ReferenceCounted {
    /** A header mark that was never set (Linux: {@code (typeof(skb->mac_header))~0U}). */
    public static final int UNSET = -1;

    /**
     * The bytes Linux adds to a buffer's size for its {@code truesize}: {@code struct sk_buff} (232
     * bytes, aligned to 256) plus {@code struct skb_shared_info} (320), as {@code SKB_TRUESIZE} does on
     * x86-64.
     */
    public static final int TRUESIZE_OVERHEAD = 576;

    /** Packet type of a received frame (Linux {@code skb->pkt_type}): addressed to this host. */
    public static final int PACKET_HOST = 0;
    /** Packet type: link-layer broadcast. */
    public static final int PACKET_BROADCAST = 1;
    /** Packet type: link-layer multicast. */
    public static final int PACKET_MULTICAST = 2;
    /** Packet type: addressed to another host's MAC (seen only in promiscuous mode). */
    public static final int PACKET_OTHERHOST = 3;
    /** Packet type: sent by this host (a tap sees outgoing frames with this type). */
    public static final int PACKET_OUTGOING = 4;
    /** {@code skb->ip_summed}: nothing is known of the transport checksum; the receiver verifies it. */
    public static final int CHECKSUM_NONE = 0;
    /**
     * {@code skb->ip_summed}: the transport checksum needs no verification: it was computed over
     * these very bytes by their sender and no setter changed one since (what a NIC's receive
     * checksum offload reports for a good segment), or the segment never left the host ({@code lo}:
     * Linux's loopback carries {@code CHECKSUM_PARTIAL} through, which {@code skb_csum_unnecessary}
     * accepts).
     */
    public static final int CHECKSUM_UNNECESSARY = 1;
    /**
     * {@code skb->ip_summed} on transmit: the transport checksum is still to be computed, by the
     * device if it offloads it ({@code NETIF_F_HW_CSUM}) or by {@link #checksumHelp()} before a
     * device that does not: it covers {@link #csumStart()} to the end of the data, and the field at
     * {@link #csumOffset()} past that start holds the pseudo-header's sum meanwhile. Every Linux TCP
     * segment leaves {@code tcp_transmit_skb} so. An skb arriving this way (from {@code lo}, a veth,
     * or a simulated NIC whose peer offloaded) is taken as verified, as {@code skb_csum_unnecessary}
     * does; whoever reads the bytes as they would be on a wire (a capture, a corrupting link)
     * completes the checksum first.
     */
    public static final int CHECKSUM_PARTIAL = 3;

    /**
     * Words in the control block ({@link #cb(int)}): Linux's {@code skb->cb} is 48 bytes; TCP keeps
     * its {@code TCP_SKB_CB} (sequence numbers, flags, SACK state) there.
     */
    public static final int CB_WORDS = 8;

    /** The pool this skb came from and returns to. */
    final SkBuffPool pool;

    /** The backing buffer, shared with clones; {@code null} once released. */
    private ByteBuf buf;
    /** Start of the data (first byte of the outermost header so far). */
    private int data;
    /** One past the last byte of data. */
    private int tail;
    /** One past the last usable byte: the size the skb was allocated with (its buffer may be larger). */
    private int end;

    private int macHeader = UNSET;
    private int networkHeader = UNSET;
    private int transportHeader = UNSET;

    /**
     * In a clone of an skb that gave up its headroom ({@link #headerRelease()}): writes ending at or
     * below this offset go into the shared buffer without unsharing. {@code 0} everywhere else.
     */
    private int headerLimit;
    /** The holder promises not to touch its headroom again (Linux {@code skb->nohdr}). */
    private boolean nohdr;

    /** References to this skb object ({@code skb->users}); 0 once released. */
    private int refCnt;

    private int ifindex;
    private int protocol;
    private int pktType;
    private long tstamp;
    private int mark;
    /** {@code skb->ip_summed}: {@link #CHECKSUM_NONE}, {@link #CHECKSUM_UNNECESSARY} or {@link #CHECKSUM_PARTIAL}. */
    private int ipSummed;
    /** With {@link #CHECKSUM_PARTIAL}: where the checksummed bytes start, an index like {@link #data()}. */
    private int csumStart;
    /** With {@link #CHECKSUM_PARTIAL}: the checksum field's offset from {@link #csumStart}. */
    private int csumOffset;
    private int truesize;
    private SkbOwner owner;
    /*
     * The control block: scratch words of the layer that holds the skb ({@code skb->cb}), inline
     * as in Linux's struct (a separate int[] cost a cache miss on every allocation's clearing).
     */
    private int cb0;
    private int cb1;
    private int cb2;
    private int cb3;
    private int cb4;
    private int cb5;
    private int cb6;
    private int cb7;
    /** Who hears of this skb's drop besides the pool: the host it is in; null when none. */
    private SkBuffPool.DropListener dropListener;

    /** Allocation record and touch hints, only while the pool tracks allocations. */
    SkBuffPool.Record record;

    SkBuff(SkBuffPool pool) {
        this.pool = pool;
    }

    /**
     * Called by the pool: attach {@code buffer} (fresh or kept from this skb's previous life) with
     * data = tail = head and {@code size} usable bytes. The buffer may be larger than {@code size}
     * when it comes from a size class; truesize counts the whole buffer, as Linux counts ksize.
     */
    void init(ByteBuf buffer, int size) {
        this.buf = buffer;
        this.data = 0;
        this.tail = 0;
        this.end = size;
        this.macHeader = UNSET;
        this.networkHeader = UNSET;
        this.transportHeader = UNSET;
        this.headerLimit = 0;
        this.nohdr = false;
        this.refCnt = 1;
        this.ifindex = 0;
        this.protocol = 0;
        this.pktType = PACKET_HOST;
        this.tstamp = 0;
        this.mark = 0;
        this.ipSummed = CHECKSUM_NONE;
        this.truesize = buffer.capacity() + TRUESIZE_OVERHEAD;
        this.owner = null;
        this.cb0 = 0;
        this.cb1 = 0;
        this.cb2 = 0;
        this.cb3 = 0;
        this.cb4 = 0;
        this.cb5 = 0;
        this.cb6 = 0;
        this.cb7 = 0;
        this.dropListener = null;
    }

    /** Called by the pool on recycling: the buffer this skb still holds, or {@code null}. */
    ByteBuf heldBuffer() {
        return buf;
    }

    /** Called by the pool on recycling: forget the buffer (released or kept elsewhere). */
    void detachBuffer() {
        buf = null;
    }

    // ---------------------------------------------------------------- geometry

    /** The first byte of the buffer: always 0 (kept for the kernel's vocabulary). */
    public int head() {
        ensureAccessible();
        return 0;
    }

    /** Offset of the first byte of data in {@link #buf()}. */
    public int data() {
        ensureAccessible();
        return data;
    }

    /** Offset one past the last byte of data. */
    public int tail() {
        ensureAccessible();
        return tail;
    }

    /** Offset one past the last byte that {@link #put} may reach: the size the skb was allocated with. */
    public int end() {
        ensureAccessible();
        return end;
    }

    /** Bytes of data: {@code tail - data} (Linux {@code skb->len}). */
    public int len() {
        ensureAccessible();
        return tail - data;
    }

    /** Bytes free before the data, for headers to {@link #push} ({@code skb_headroom}). */
    public int headroom() {
        ensureAccessible();
        return data;
    }

    /** Bytes free after the data, for {@link #put} ({@code skb_tailroom}). */
    public int tailroom() {
        ensureAccessible();
        return end - tail;
    }

    /**
     * Moves data and tail forward by {@code len} on an empty skb, making headroom for the headers
     * that lower layers will push ({@code skb_reserve}).
     *
     * @throws IllegalStateException when the skb already holds data or {@code len} exceeds the tailroom
     */
    public SkBuff reserve(int len) {
        ensureAccessible();
        if (tail != data) {
            throw new IllegalStateException("reserve: skb not empty len=" + (tail - data));
        }
        if (len < 0 || len > end - tail) {
            throw new IllegalArgumentException("reserve: len=" + len + " tailroom=" + (end - tail));
        }
        data += len;
        tail += len;
        return this;
    }

    /**
     * Extends the data by {@code len} bytes at the tail ({@code skb_put}); the bytes are not
     * initialised.
     *
     * @return the offset of the first added byte (the old tail)
     * @throws IllegalArgumentException when {@code len} is negative or exceeds the tailroom
     */
    public int put(int len) {
        ensureAccessible();
        if (len < 0 || len > end - tail) {
            throw new IllegalArgumentException("put: len=" + len + " tailroom=" + (end - tail));
        }
        int old = tail;
        tail += len;
        return old;
    }

    /** Appends {@code len} bytes of {@code src} from {@code srcIndex} ({@code skb_put_data}). */
    public SkBuff putBytes(byte[] src, int srcIndex, int len) {
        int at = put(len);
        writeUnshared(at, len).setBytes(at, src, srcIndex, len);
        return this;
    }

    /** Appends all of {@code src}. */
    public SkBuff putBytes(byte[] src) {
        return putBytes(src, 0, src.length);
    }

    /** Appends {@code len} bytes of {@code src} from {@code srcIndex}, leaving its indices alone. */
    public SkBuff putBytes(ByteBuf src, int srcIndex, int len) {
        int at = put(len);
        writeUnshared(at, len).setBytes(at, src, srcIndex, len);
        return this;
    }

    /**
     * Prepends {@code len} bytes of header space to the data, taken from the headroom
     * ({@code skb_push}); the bytes are not initialised.
     *
     * @return the new {@link #data()}, where the header goes
     * @throws IllegalArgumentException when {@code len} is negative or exceeds the headroom
     */
    public int push(int len) {
        ensureAccessible();
        if (len < 0 || len > data) {
            throw new IllegalArgumentException("push: len=" + len + " headroom=" + data);
        }
        data -= len;
        return data;
    }

    /**
     * Removes {@code len} bytes from the front of the data: the header just processed on the way
     * up ({@code skb_pull}).
     *
     * @return the new {@link #data()}
     * @throws IllegalArgumentException when {@code len} is negative or exceeds {@link #len()};
     *         the receive path asks {@link #mayPull} first and drops short packets instead
     */
    public int pull(int len) {
        ensureAccessible();
        if (len < 0 || len > tail - data) {
            throw new IllegalArgumentException("pull: len=" + len + " skb.len=" + (tail - data));
        }
        data += len;
        return data;
    }

    /** True when at least {@code len} bytes of data are present ({@code pskb_may_pull}). */
    public boolean mayPull(int len) {
        ensureAccessible();
        return len >= 0 && len <= tail - data;
    }

    /**
     * Cuts the data to its first {@code len} bytes ({@code skb_trim}): Ethernet padding after the
     * IP total length, or a TCP segment's payload after a partial acknowledgement.
     *
     * @throws IllegalArgumentException when {@code len} is negative or longer than the data
     */
    public SkBuff trim(int len) {
        ensureAccessible();
        if (len < 0 || len > tail - data) {
            throw new IllegalArgumentException("trim: len=" + len + " skb.len=" + (tail - data));
        }
        tail = data + len;
        return this;
    }

    // ---------------------------------------------------------------- header marks

    /** Marks the current data as the start of the link-layer header ({@code skb_reset_mac_header}). */
    public SkBuff resetMacHeader() {
        ensureAccessible();
        macHeader = data;
        return this;
    }

    /** Marks {@code data + offset} as the start of the link-layer header ({@code skb_set_mac_header}). */
    public SkBuff setMacHeader(int offset) {
        macHeader = markAt("setMacHeader", offset);
        return this;
    }

    /** Offset of the link-layer header in {@link #buf()} ({@code skb_mac_header}). */
    public int macHeader() {
        return mark("macHeader", macHeader);
    }

    /** True when the link-layer header mark was set ({@code skb_mac_header_was_set}). */
    public boolean macHeaderWasSet() {
        ensureAccessible();
        return macHeader != UNSET;
    }

    /** Marks the current data as the start of the network header ({@code skb_reset_network_header}). */
    public SkBuff resetNetworkHeader() {
        ensureAccessible();
        networkHeader = data;
        return this;
    }

    /** Marks {@code data + offset} as the start of the network header ({@code skb_set_network_header}). */
    public SkBuff setNetworkHeader(int offset) {
        networkHeader = markAt("setNetworkHeader", offset);
        return this;
    }

    /** Offset of the network (IP) header in {@link #buf()} ({@code skb_network_header}). */
    public int networkHeader() {
        return mark("networkHeader", networkHeader);
    }

    /** The network header's position relative to the data ({@code skb_network_offset}); negative once pulled. */
    public int networkOffset() {
        return networkHeader() - data;
    }

    /** True when the network header mark was set. */
    public boolean networkHeaderWasSet() {
        ensureAccessible();
        return networkHeader != UNSET;
    }

    /** Marks the current data as the start of the transport header ({@code skb_reset_transport_header}). */
    public SkBuff resetTransportHeader() {
        ensureAccessible();
        transportHeader = data;
        return this;
    }

    /** Marks {@code data + offset} as the start of the transport header ({@code skb_set_transport_header}). */
    public SkBuff setTransportHeader(int offset) {
        transportHeader = markAt("setTransportHeader", offset);
        return this;
    }

    /** Offset of the transport (TCP, UDP, ICMP) header in {@link #buf()} ({@code skb_transport_header}). */
    public int transportHeader() {
        return mark("transportHeader", transportHeader);
    }

    /** The transport header's position relative to the data ({@code skb_transport_offset}). */
    public int transportOffset() {
        return transportHeader() - data;
    }

    /** True when the transport header mark was set. */
    public boolean transportHeaderWasSet() {
        ensureAccessible();
        return transportHeader != UNSET;
    }

    // ---------------------------------------------------------------- bytes

    /**
     * The backing buffer, for wire views and reads. Offsets are absolute: the data is
     * {@code [data(), tail())}. Its reader and writer indices are not used. Before writing through
     * it, call {@link #ensureWritable} (the data may be shared with a clone).
     */
    public ByteBuf buf() {
        ensureAccessible();
        return buf;
    }

    /** The byte at absolute offset {@code index}. */
    public byte getByte(int index) {
        checkIndex("getByte", index, 1);
        return buf.getByte(index);
    }

    /** The big-endian unsigned 16-bit value at absolute offset {@code index}. */
    public int getUnsignedShort(int index) {
        checkIndex("getUnsignedShort", index, 2);
        return buf.getUnsignedShort(index);
    }

    /** The big-endian 32-bit value at absolute offset {@code index}. */
    public int getInt(int index) {
        checkIndex("getInt", index, 4);
        return buf.getInt(index);
    }

    /** Copies {@code len} bytes from absolute offset {@code index} into {@code dst}. */
    public SkBuff getBytes(int index, byte[] dst, int dstIndex, int len) {
        checkIndex("getBytes", index, len);
        buf.getBytes(index, dst, dstIndex, len);
        return this;
    }

    /** The data as a new array: for tests and printing, never for the data path. */
    public byte[] toByteArray() {
        ensureAccessible();
        byte[] out = new byte[tail - data];
        buf.getBytes(data, out);
        return out;
    }

    /** Writes a byte at absolute offset {@code index}, unsharing first when needed. */
    public SkBuff setByte(int index, int value) {
        checkIndex("setByte", index, 1);
        bytesChanged();
        writeUnshared(index, 1).setByte(index, value);
        return this;
    }

    /** Writes a big-endian 16-bit value, unsharing first when needed. */
    public SkBuff setShort(int index, int value) {
        checkIndex("setShort", index, 2);
        bytesChanged();
        writeUnshared(index, 2).setShort(index, value);
        return this;
    }

    /** Writes a big-endian 32-bit value, unsharing first when needed. */
    public SkBuff setInt(int index, int value) {
        checkIndex("setInt", index, 4);
        bytesChanged();
        writeUnshared(index, 4).setInt(index, value);
        return this;
    }

    /** Writes {@code len} bytes of {@code src}, unsharing first when needed. */
    public SkBuff setBytes(int index, byte[] src, int srcIndex, int len) {
        checkIndex("setBytes", index, len);
        bytesChanged();
        writeUnshared(index, len).setBytes(index, src, srcIndex, len);
        return this;
    }

    /**
     * Makes {@code [index, index + len)} safe to write through {@link #buf()}: when the data is
     * shared with a clone, copies it first ({@code skb_ensure_writable}); header space a clone owns
     * after {@link #headerRelease()} needs no copy.
     */
    public SkBuff ensureWritable(int index, int len) {
        checkIndex("ensureWritable", index, len);
        writeUnshared(index, len);
        return this;
    }

    // ---------------------------------------------------------------- sharing

    /** True when the data is shared with another skb ({@code skb_cloned}). */
    public boolean isCloned() {
        ensureAccessible();
        return buf.refCnt() > 1;
    }

    /**
     * Promises that this skb will not touch its headroom again, so that a clone may write headers
     * there without copying ({@code skb_header_release}, Linux's {@code nohdr}). TCP calls it on
     * every skb it queues for transmission.
     */
    public SkBuff headerRelease() {
        ensureAccessible();
        nohdr = true;
        return this;
    }

    /**
     * A new skb sharing this one's data, with its own pointers, marks and metadata and no owner
     * ({@code skb_clone}). The data stays alive until both are released.
     *
     * <p>When this skb gave up its headroom ({@link #headerRelease()}) and is not already cloned,
     * the clone may push and write its headers there in place; otherwise its first write copies.
     * This is Linux's rule that lets {@code tcp_transmit_skb} clone for every (re)transmission.
     */
    public SkBuff clone() {
        ensureAccessible();
        boolean firstClone = buf.refCnt() == 1;
        SkBuff n = pool.newSkBuff();
        n.buf = buf.retain();
        n.data = data;
        n.tail = tail;
        n.end = end;
        n.macHeader = macHeader;
        n.networkHeader = networkHeader;
        n.transportHeader = transportHeader;
        n.headerLimit = nohdr && firstClone ? data : 0;
        // A clone that owned its header space shares it with the new clone from now on: neither
        // may write there in place any more (Linux's skb_header_cloned).
        headerLimit = 0;
        n.nohdr = false;
        n.refCnt = 1;
        n.truesize = truesize;
        n.owner = null;
        n.copyMetadata(this);
        pool.onClone(n);
        return n;
    }

    /**
     * A new skb with a private copy of the whole buffer, head to tail, and the same geometry and
     * metadata, without an owner ({@code skb_copy}).
     */
    public SkBuff copy() {
        ensureAccessible();
        SkBuff n = pool.alloc(end);
        n.buf.setBytes(0, buf, 0, tail);
        n.data = data;
        n.tail = tail;
        n.macHeader = macHeader;
        n.networkHeader = networkHeader;
        n.transportHeader = transportHeader;
        n.copyMetadata(this);
        return n;
    }

    /**
     * Makes the data private to this skb, copying it when shared ({@code skb_unshare}); the geometry
     * and marks stay as they are.
     */
    public SkBuff unshare() {
        ensureAccessible();
        if (buf.refCnt() > 1) {
            expandHead(0, 0);
        }
        return this;
    }

    /**
     * Moves the data into a new, private buffer with {@code nhead} more bytes of headroom and
     * {@code ntail} more of tailroom ({@code pskb_expand_head}); every offset shifts by
     * {@code nhead}. Used when a packet needs more headroom than was reserved (a tunnel header) and
     * to unshare.
     */
    public SkBuff expandHead(int nhead, int ntail) {
        ensureAccessible();
        if (nhead < 0 || ntail < 0) {
            throw new IllegalArgumentException("expandHead: nhead=" + nhead + " ntail=" + ntail);
        }
        int size = end + nhead + ntail;
        ByteBuf fresh = pool.allocateBuffer(size);
        fresh.setBytes(nhead, buf, 0, end);
        buf.release();
        buf = fresh;
        data += nhead;
        tail += nhead;
        end = size;
        if (macHeader != UNSET) {
            macHeader += nhead;
        }
        if (networkHeader != UNSET) {
            networkHeader += nhead;
        }
        if (transportHeader != UNSET) {
            transportHeader += nhead;
        }
        if (ipSummed == CHECKSUM_PARTIAL) {
            csumStart += nhead;
        }
        headerLimit = 0;
        resizeTruesize(fresh.capacity() + TRUESIZE_OVERHEAD);
        return this;
    }

    // ---------------------------------------------------------------- metadata

    /** Interface index the skb arrived on or leaves by ({@code skb->dev} / {@code skb->skb_iif}); 0 when none. */
    public int ifindex() {
        ensureAccessible();
        return ifindex;
    }

    /** Sets the interface index. */
    public SkBuff setIfindex(int ifindex) {
        ensureAccessible();
        this.ifindex = ifindex;
        return this;
    }

    /** The EtherType of the payload ({@code skb->protocol}), e.g. 0x0800 for IPv4. */
    public int protocol() {
        ensureAccessible();
        return protocol;
    }

    /** Sets the EtherType of the payload. */
    public SkBuff setProtocol(int protocol) {
        ensureAccessible();
        this.protocol = protocol;
        return this;
    }

    /** How the frame was addressed ({@link #PACKET_HOST}, {@link #PACKET_BROADCAST} …). */
    public int pktType() {
        ensureAccessible();
        return pktType;
    }

    /** Sets how the frame was addressed. */
    public SkBuff setPktType(int pktType) {
        ensureAccessible();
        this.pktType = pktType;
        return this;
    }

    /** Virtual time in nanoseconds when the frame was received or sent ({@code skb->tstamp}). */
    public long tstamp() {
        ensureAccessible();
        return tstamp;
    }

    /** Sets the timestamp, in virtual nanoseconds. */
    public SkBuff setTstamp(long tstamp) {
        ensureAccessible();
        this.tstamp = tstamp;
        return this;
    }

    /** A free-form mark ({@code skb->mark}, what {@code SO_MARK} and netfilter set). */
    public int mark() {
        ensureAccessible();
        return mark;
    }

    /** Sets the mark. */
    public SkBuff setMark(int mark) {
        ensureAccessible();
        this.mark = mark;
        return this;
    }

    /**
     * What is known of the transport checksum ({@code skb->ip_summed}): {@link #CHECKSUM_NONE} by
     * default, {@link #CHECKSUM_UNNECESSARY} or {@link #CHECKSUM_PARTIAL}. {@link #setByte} and the
     * other setters complete a partial checksum, then reset it.
     */
    public int ipSummed() {
        ensureAccessible();
        return ipSummed;
    }

    /** Sets {@link #ipSummed()}: {@link #CHECKSUM_UNNECESSARY} spares the receiver its verification. */
    public SkBuff setIpSummed(int ipSummed) {
        ensureAccessible();
        this.ipSummed = ipSummed;
        return this;
    }

    /**
     * Leaves the transport checksum to whoever transmits ({@code skb_partial_csum_set}): it covers
     * the bytes from {@code start} to the end of the data, and the field at {@code start + offset}
     * holds the pseudo-header's folded sum until {@link #checksumHelp()} or an offloading device
     * completes it. See {@link #CHECKSUM_PARTIAL}.
     *
     * @throws IndexOutOfBoundsException unless the two-byte field lies inside the data
     */
    public SkBuff setChecksumPartial(int start, int offset) {
        ensureAccessible();
        if (start < data || offset < 0 || start + offset + 2 > tail) {
            throw new IndexOutOfBoundsException("setChecksumPartial: start=" + start + " offset=" + offset
                    + " data=" + data + " tail=" + tail);
        }
        ipSummed = CHECKSUM_PARTIAL;
        csumStart = start;
        csumOffset = offset;
        return this;
    }

    /** With {@link #CHECKSUM_PARTIAL}: where the checksummed bytes start ({@code skb->csum_start}), an index. */
    public int csumStart() {
        ensureAccessible();
        return csumStart;
    }

    /** With {@link #CHECKSUM_PARTIAL}: the field's offset from {@link #csumStart()} ({@code skb->csum_offset}). */
    public int csumOffset() {
        ensureAccessible();
        return csumOffset;
    }

    /**
     * Whether the transport checksum needs no verification on receive ({@code skb_csum_unnecessary}):
     * {@link #CHECKSUM_UNNECESSARY}, or {@link #CHECKSUM_PARTIAL} (the bytes came from a sender on
     * this side of any wire that could have corrupted them).
     */
    public boolean csumUnnecessary() {
        ensureAccessible();
        return ipSummed == CHECKSUM_UNNECESSARY || ipSummed == CHECKSUM_PARTIAL;
    }

    /**
     * Completes a {@link #CHECKSUM_PARTIAL} checksum in software ({@code skb_checksum_help}): sums
     * the covered bytes, the pseudo-header's sum already in the field, and writes the result into
     * the field (unsharing it first when needed). The checksum is then right for these bytes, so
     * the skb reads {@link #CHECKSUM_UNNECESSARY}. Nothing to do for any other state.
     *
     * @return this
     */
    public SkBuff checksumHelp() {
        ensureAccessible();
        if (ipSummed != CHECKSUM_PARTIAL) {
            return this;
        }
        int field = csumStart + csumOffset;
        ByteBuf b = writeUnshared(field, 2);
        int sum = Checksum.sum(b, csumStart, tail - csumStart);
        b.setShort(field, Checksum.finish(sum));
        ipSummed = CHECKSUM_UNNECESSARY;
        return this;
    }

    /**
     * Memory this skb costs its owner: its buffer's whole capacity (a size class may round the
     * requested size up) plus {@link #TRUESIZE_OVERHEAD}
     * ({@code skb->truesize}), what socket buffer limits count.
     */
    public int truesize() {
        ensureAccessible();
        return truesize;
    }

    /** The socket this skb is charged to, or {@code null} ({@code skb->sk}). */
    public SkbOwner owner() {
        ensureAccessible();
        return owner;
    }

    /**
     * Charges this skb to {@code newOwner} ({@code skb_set_owner_w}/{@code skb_set_owner_r}),
     * uncharging the previous owner first; {@code null} orphans it ({@code skb_orphan}).
     */
    public SkBuff setOwner(SkbOwner newOwner) {
        ensureAccessible();
        if (owner != null) {
            owner.uncharge(this, truesize);
        }
        owner = newOwner;
        if (newOwner != null) {
            newOwner.charge(this, truesize);
        }
        return this;
    }

    /** Who is told when this skb is dropped, besides its pool; {@code null} when nobody. */
    public SkBuffPool.DropListener dropListener() {
        ensureAccessible();
        return dropListener;
    }

    /**
     * Says who is told when this skb is dropped, besides its pool: the host the skb is in, so that
     * a drop is reported with that host's name. Linux finds the network namespace of a
     * {@code kfree_skb} through {@code skb->dev}; here a host sets it as an skb enters it (received
     * by a device, or handed to its IP or device output), and clones and copies inherit it. A
     * field write: no cost per packet beyond that.
     */
    public SkBuff setDropListener(SkBuffPool.DropListener listener) {
        ensureAccessible();
        this.dropListener = listener;
        return this;
    }

    // ---------------------------------------------------------------- life cycle

    @Override
    public int refCnt() {
        return refCnt;
    }

    @Override
    public SkBuff retain() {
        return retain(1);
    }

    @Override
    public SkBuff retain(int increment) {
        ensureAccessible();
        if (increment <= 0) {
            throw new IllegalArgumentException("retain: increment=" + increment);
        }
        refCnt += increment;
        return this;
    }

    @Override
    public SkBuff touch() {
        return touch(null);
    }

    /** Records {@code hint} as where this skb was last seen; shown in leak reports while tracking. */
    @Override
    public SkBuff touch(Object hint) {
        ensureAccessible();
        if (record != null) {
            record.touch(hint);
        }
        buf.touch(hint);
        return this;
    }

    @Override
    public boolean release() {
        return release(1);
    }

    @Override
    public boolean release(int decrement) {
        if (decrement <= 0) {
            throw new IllegalArgumentException("release: decrement=" + decrement);
        }
        if (refCnt < decrement) {
            throw new IllegalReferenceCountException(refCnt, -decrement);
        }
        refCnt -= decrement;
        if (refCnt == 0) {
            deallocate();
            return true;
        }
        return false;
    }

    /**
     * Releases one reference at a normal end of life: delivered, transmitted, acknowledged
     * ({@code consume_skb}). Not a drop.
     *
     * @return true when this was the last reference
     */
    public boolean consume() {
        return release();
    }

    /**
     * Releases one reference and, when it was the last, records a drop for {@code reason} in the
     * pool's counters and drop listener, and tells this skb's own {@link #dropListener()}
     * ({@code kfree_skb_reason}). Only the last reference counts,
     * as in Linux, so a clone and its original are one drop.
     *
     * @return true when this was the last reference
     */
    public boolean free(DropReason reason) {
        ensureAccessible();
        if (refCnt == 1) {
            pool.recordDrop(this, reason);
        }
        return release();
    }

    private void deallocate() {
        if (owner != null) {
            SkbOwner o = owner;
            owner = null;
            o.uncharge(this, truesize);
        }
        pool.recycle(this);
    }

    @Override
    public String toString() {
        if (refCnt == 0) {
            return "SkBuff[released]";
        }
        return "SkBuff[data=" + data + " tail=" + tail + " end=" + end + " len=" + (tail - data)
                + " headroom=" + data + " tailroom=" + (end - tail) + " refCnt=" + refCnt
                + " cloned=" + (buf.refCnt() > 1) + " truesize=" + truesize + "]";
    }

    // ---------------------------------------------------------------- control block

    /**
     * Word {@code i} of the control block ({@code skb->cb}): private scratch of the layer that
     * holds the skb, zero when allocated, copied by {@link #clone()} and {@link #copy()}. TCP keeps
     * a segment's sequence numbers and flags there while the skb sits in its queues.
     *
     * @throws IndexOutOfBoundsException unless {@code 0 <= i < CB_WORDS}
     */
    public int cb(int i) {
        switch (i) {
            case 0: return cb0;
            case 1: return cb1;
            case 2: return cb2;
            case 3: return cb3;
            case 4: return cb4;
            case 5: return cb5;
            case 6: return cb6;
            case 7: return cb7;
            default: throw cbIndex(i);
        }
    }

    /** Sets word {@code i} of the control block; see {@link #cb(int)}. */
    public SkBuff setCb(int i, int value) {
        switch (i) {
            case 0: cb0 = value; break;
            case 1: cb1 = value; break;
            case 2: cb2 = value; break;
            case 3: cb3 = value; break;
            case 4: cb4 = value; break;
            case 5: cb5 = value; break;
            case 6: cb6 = value; break;
            case 7: cb7 = value; break;
            default: throw cbIndex(i);
        }
        return this;
    }

    private static IndexOutOfBoundsException cbIndex(int i) {
        return new IndexOutOfBoundsException("cb: index=" + i + " words=" + CB_WORDS);
    }

    // ---------------------------------------------------------------- internals

    private void copyMetadata(SkBuff from) {
        ifindex = from.ifindex;
        ipSummed = from.ipSummed;
        csumStart = from.csumStart;
        csumOffset = from.csumOffset;
        protocol = from.protocol;
        pktType = from.pktType;
        tstamp = from.tstamp;
        mark = from.mark;
        cb0 = from.cb0;
        cb1 = from.cb1;
        cb2 = from.cb2;
        cb3 = from.cb3;
        cb4 = from.cb4;
        cb5 = from.cb5;
        cb6 = from.cb6;
        cb7 = from.cb7;
        dropListener = from.dropListener;
    }

    private void resizeTruesize(int newTruesize) {
        if (owner != null) {
            owner.uncharge(this, truesize);
            truesize = newTruesize;
            owner.charge(this, truesize);
        } else {
            truesize = newTruesize;
        }
    }

    /**
     * A byte is about to be rewritten in place through a setter (a corrupting link flips one): a
     * partial checksum is completed over the bytes as they are, then what was known of the
     * checksums no longer holds, and the receiver verifies again.
     */
    private void bytesChanged() {
        if (ipSummed == CHECKSUM_PARTIAL) {
            checksumHelp(); // the bytes as they were, with their checksum, before one changes
        }
        ipSummed = CHECKSUM_NONE;
    }

    /** The buffer to write {@code [index, index + len)} into, unshared first unless the clone owns that header space. */
    private ByteBuf writeUnshared(int index, int len) {
        // the header-space test first: it spares a clone writing its headers a read of the
        // buffer's reference count, a cache miss when the segment was queued long ago
        if (index + len > headerLimit && buf.refCnt() > 1) {
            expandHead(0, 0);
        }
        return buf;
    }

    private int markAt(String op, int offset) {
        ensureAccessible();
        int at = data + offset;
        if (at < 0 || at > end) {
            throw new IllegalArgumentException(op + ": offset=" + offset + " data=" + data + " end=" + end);
        }
        return at;
    }

    private int mark(String name, int value) {
        ensureAccessible();
        if (value == UNSET) {
            throw new IllegalStateException(name + ": not set");
        }
        return value;
    }

    private void checkIndex(String op, int index, int len) {
        ensureAccessible();
        if (len < 0 || index < 0 || index > end - len) {
            throw new IndexOutOfBoundsException(op + ": index=" + index + " len=" + len + " end=" + end);
        }
    }

    private void ensureAccessible() {
        if (refCnt == 0) {
            throw new IllegalReferenceCountException("skb used after its last release: refCnt=0");
        }
    }
}
