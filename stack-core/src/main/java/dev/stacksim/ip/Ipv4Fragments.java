package dev.stacksim.ip;

import dev.stacksim.buf.DropReason;
import dev.stacksim.buf.SkBuff;
import dev.stacksim.host.Host;
import dev.stacksim.host.IpExtMib;
import dev.stacksim.host.IpMib;
import dev.stacksim.host.Snmp;
import dev.stacksim.host.Sysctl;
import dev.stacksim.sim.SimTime;
import dev.stacksim.sim.Timer;
import dev.stacksim.wire.IcmpCode;
import dev.stacksim.wire.IcmpType;
import dev.stacksim.wire.Ipv4Address;
import dev.stacksim.wire.Ipv4Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * IPv4 reassembly ({@code net/ipv4/ip_fragment.c}, {@code inet_fragment.c}): fragments of one
 * datagram (same source, destination, identification and protocol, RFC 791 section 3.2) wait in a
 * queue until every byte from 0 to the last fragment's end is there, then become one datagram.
 *
 * <h2>Rules, as Linux applies them</h2>
 * <ul>
 *   <li>Every fragment counts {@code ReasmReqds}; a completed datagram {@code ReasmOKs}.</li>
 *   <li>A fragment lying wholly inside data already queued is a duplicate: it alone is dropped
 *       ({@link DropReason#DUP_FRAG}). A fragment that overlaps queued data only in part condemns
 *       the whole datagram (RFC 5722 as amended by erratum 3089, which Linux applies to IPv4 since
 *       4.19): the queue is discarded, {@code ReasmFails} and {@code IpExt ReasmOverlaps} count.
 *       Linux detects duplicates against <i>runs</i> of fragments that arrived in order; so does this.</li>
 *   <li>A last fragment ending before data already seen, a second last fragment with another end,
 *       data past a known end, or an empty fragment also discard the queue ({@code ReasmFails}).</li>
 *   <li>A queue lives {@code net.ipv4.ipfrag_time} seconds (30) from its first fragment. When it
 *       expires incomplete: {@code ReasmFails} and {@code ReasmTimeout}, its fragments are freed
 *       ({@link DropReason#FRAG_REASM_TIMEOUT}), and if the first fragment (offset 0) had arrived,
 *       an ICMP time exceeded, code 1 (fragment reassembly time exceeded), goes to the source.</li>
 *   <li>While the queued fragments' memory (their truesize) exceeds
 *       {@code net.ipv4.ipfrag_high_thresh}, every new fragment is dropped ({@code ReasmFails},
 *       {@link DropReason#NOMEM}), as {@code inet_frag_find} refuses to look up a queue.</li>
 * </ul>
 *
 * <h2>The one copy</h2>
 * The completed datagram is copied into one new skb: the first fragment's header, then each
 * fragment's data in order. Linux's {@code ip_frag_reasm} coalesces the fragments' pages into the
 * head skb instead; with linear buffers the copy is the equivalent. This is, with the socket's
 * copies to and from the user and fragmentation on output, the only place the stack copies
 * payload. Queues are allocated per datagram: reassembly is not a steady-state path.
 */
public final class Ipv4Fragments {
    private static final Logger LOG = LoggerFactory.getLogger(Ipv4Fragments.class);

    private final Ipv4 ip;
    private final Host host;
    private final Snmp snmp;
    private final Sysctl.Entry fragTime;
    private final Sysctl.Entry highThresh;
    /** Queues in creation order, so that close() frees in a reproducible order. */
    private final Map<Key, FragQueue> queues = new LinkedHashMap<>();
    private final Ipv4Header iph = new Ipv4Header();
    /** Truesize of every queued fragment ({@code frag_mem_limit}). */
    private long memBytes;

    /** What identifies a datagram's fragments (RFC 791; Linux's {@code frag_v4_compare_key}). */
    private record Key(int src, int dst, int id, int protocol) {
    }

    /** One fragment in a queue, at {@code [offset, end)} of the datagram's data. */
    private static final class Frag {
        final SkBuff skb;
        final int offset;
        final int end;
        /** True for the first fragment of a run of fragments that arrived in order. */
        boolean runHead;
        /** For a run head: the end of its run. */
        int runEnd;

        Frag(SkBuff skb, int offset, int end) {
            this.skb = skb;
            this.offset = offset;
            this.end = end;
        }
    }

    /** One datagram being reassembled ({@code struct ipq}). */
    private final class FragQueue {
        final Key key;
        final Timer timer;
        /** Fragments sorted by offset; disjoint. */
        final List<Frag> frags = new ArrayList<>(4);
        /** The fragment with the highest end, the last appended ({@code fragments_tail}). */
        Frag tail;
        /** The head of the run {@link #tail} belongs to. */
        Frag lastRunHead;
        /** The datagram's data length as far as known ({@code q.len}). */
        int len;
        /** Bytes of data queued ({@code q.meat}). */
        int meat;
        boolean firstIn;
        boolean lastIn;
        int maxSize;
        int maxDfSize;

        FragQueue(Key key) {
            this.key = key;
            this.timer = new Timer(host.loop(), "ip-frag-expire", () -> expire(this));
        }
    }

    Ipv4Fragments(Ipv4 ip) {
        this.ip = ip;
        this.host = ip.host();
        this.snmp = host.snmp();
        this.fragTime = host.sysctl().entry("net.ipv4.ipfrag_time");
        this.highThresh = host.sysctl().entry("net.ipv4.ipfrag_high_thresh");
    }

    /** Datagrams being reassembled. */
    public int queueCount() {
        return queues.size();
    }

    /** Truesize of every queued fragment, what {@code ipfrag_high_thresh} limits. */
    public long memBytes() {
        return memBytes;
    }

    /**
     * {@code ip_defrag}: queues a fragment (data at its IPv4 header, trimmed to its total length,
     * header checked) and returns the reassembled datagram when this fragment completes it, with
     * its data and network header at the rebuilt IPv4 header; otherwise {@code null}, the fragment
     * being queued or freed.
     */
    public SkBuff defrag(SkBuff skb) {
        snmp.ip.inc(IpMib.REASM_REQDS);
        int nh = skb.networkHeader();
        iph.wrap(skb.buf(), nh, skb.tail() - nh);
        if (memBytes > highThresh.intValue() || highThresh.intValue() == 0) {
            snmp.ip.inc(IpMib.REASM_FAILS);
            skb.free(DropReason.NOMEM);
            return null;
        }
        Key key = new Key(iph.srcAddr(), iph.dstAddr(), iph.identification(), iph.protocol());
        FragQueue q = queues.get(key);
        if (q == null) {
            q = new FragQueue(key);
            queues.put(key, q);
            q.timer.arm(SimTime.seconds(fragTime.intValue()));
            if (LOG.isDebugEnabled()) {
                LOG.debug("[{}] ipfrag: new queue {}", host.name(), describe(key));
            }
        }
        return queue(q, skb);
    }

    /** {@code ip_frag_queue}. */
    private SkBuff queue(FragQueue q, SkBuff skb) {
        int hlen = iph.headerLen();
        int offset = iph.fragmentOffsetBytes();
        boolean more = iph.moreFragments();
        int fragSize = iph.totalLength();
        boolean df = iph.dontFragment();
        int end = offset + iph.totalLength() - hlen;
        if (!more) {
            if (end < q.len || (q.lastIn && end != q.len)) {
                return discard(q, skb, "last fragment end=" + end + " len=" + q.len);
            }
            q.lastIn = true;
            q.len = end;
        } else {
            end &= ~7;
            if (end > q.len) {
                if (q.lastIn) {
                    return discard(q, skb, "data past the end end=" + end + " len=" + q.len);
                }
                q.len = end;
            }
        }
        if (end == offset) {
            return discard(q, skb, "empty fragment offset=" + offset);
        }
        skb.pull(skb.data() - skb.networkHeader() + hlen);
        skb.trim(end - offset);
        Frag f = new Frag(skb, offset, end);
        int verdict = insert(q, f);
        if (verdict == DUP) {
            if (LOG.isTraceEnabled()) {
                LOG.trace("[{}] ipfrag: duplicate [{}, {}) of {}", host.name(), offset, end, describe(q.key));
            }
            skb.free(DropReason.DUP_FRAG);
            return null;
        }
        if (verdict == OVERLAP) {
            snmp.ipExt.inc(IpExtMib.REASM_OVERLAPS);
            // Linux frees the offending fragment with no reason; the queue's go as on a timeout.
            return discard(q, skb, "overlap [" + offset + ", " + end + ")");
        }
        q.meat += end - offset;
        memBytes += skb.truesize();
        if (offset == 0) {
            q.firstIn = true;
        }
        q.maxSize = Math.max(q.maxSize, fragSize);
        if (df) {
            q.maxDfSize = Math.max(q.maxDfSize, fragSize);
        }
        if (q.firstIn && q.lastIn && q.meat == q.len) {
            return reassemble(q);
        }
        return null;
    }

    private static final int OK = 0;
    private static final int DUP = 1;
    private static final int OVERLAP = 2;

    /** {@code inet_frag_queue_insert}: append to the tail's run, start a run, or find a place among the runs. */
    private static int insert(FragQueue q, Frag f) {
        Frag last = q.tail;
        if (last == null) {
            f.runHead = true;
            f.runEnd = f.end;
            q.frags.add(f);
            q.tail = f;
            q.lastRunHead = f;
            return OK;
        }
        if (last.end < f.end) {
            if (f.offset < last.end) {
                return OVERLAP;
            }
            if (f.offset == last.end) {
                q.lastRunHead.runEnd = f.end;
            } else {
                f.runHead = true;
                f.runEnd = f.end;
                q.lastRunHead = f;
            }
            q.frags.add(f);
            q.tail = f;
            return OK;
        }
        int at = 0;
        for (int i = 0; i < q.frags.size(); i++) {
            Frag h = q.frags.get(i);
            if (f.offset >= h.offset) {
                at = i + 1;
            }
            if (!h.runHead || f.end <= h.offset || f.offset >= h.runEnd) {
                continue;
            }
            return f.offset >= h.offset && f.end <= h.runEnd ? DUP : OVERLAP;
        }
        f.runHead = true;
        f.runEnd = f.end;
        q.frags.add(at, f);
        return OK;
    }

    /** {@code ip_frag_reasm}: one new skb, the first fragment's header, every fragment's data. */
    private SkBuff reassemble(FragQueue q) {
        kill(q);
        Frag first = q.frags.get(0);
        SkBuff head = first.skb;
        int nh = head.networkHeader();
        int hlen = (head.buf().getUnsignedByte(nh) & 0x0F) * 4;
        int totLen = hlen + q.len;
        if (totLen > Ipv4Header.MAX_TOTAL_LENGTH) {
            snmp.ip.inc(IpMib.REASM_FAILS);
            if (LOG.isDebugEnabled()) {
                LOG.debug("[{}] ipfrag: oversized datagram {} len={}", host.name(), describe(q.key), totLen);
            }
            purge(q, DropReason.FRAG_REASM_TIMEOUT);
            return null;
        }
        SkBuff skb = host.pool().alloc(Ipv4.MAX_HEADER, totLen);
        int at = skb.put(totLen);
        skb.buf().setBytes(at, head.buf(), nh, hlen);
        for (Frag f : q.frags) {
            skb.buf().setBytes(at + hlen + f.offset, f.skb.buf(), f.skb.data(), f.end - f.offset);
        }
        skb.resetNetworkHeader();
        skb.setIfindex(head.ifindex()).setProtocol(head.protocol()).setPktType(head.pktType())
                .setTstamp(head.tstamp()).setMark(head.mark()).setDropListener(head.dropListener());
        iph.wrap(skb.buf(), at, totLen);
        iph.setTotalLength(totLen)
                .setFragOff(q.maxDfSize == q.maxSize ? Ipv4Header.FLAG_DF : 0)
                .fillChecksum();
        for (Frag f : q.frags) {
            memBytes -= f.skb.truesize();
            f.skb.consume();
        }
        q.frags.clear();
        snmp.ip.inc(IpMib.REASM_OKS);
        if (LOG.isDebugEnabled()) {
            LOG.debug("[{}] ipfrag: reassembled {} len={}", host.name(), describe(q.key), totLen);
        }
        return skb;
    }

    /** {@code discard_qp}: kill the queue, count ReasmFails, drop this fragment. */
    private SkBuff discard(FragQueue q, SkBuff skb, String why) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("[{}] ipfrag: discarding {}: {}", host.name(), describe(q.key), why);
        }
        kill(q);
        purge(q, DropReason.FRAG_REASM_TIMEOUT);
        snmp.ip.inc(IpMib.REASM_FAILS);
        skb.free(DropReason.DUP_FRAG);
        return null;
    }

    /** {@code ip_expire}: the datagram did not complete in time. */
    private void expire(FragQueue q) {
        if (queues.get(q.key) != q) {
            return;
        }
        kill(q);
        snmp.ip.inc(IpMib.REASM_FAILS);
        snmp.ip.inc(IpMib.REASM_TIMEOUT);
        if (LOG.isDebugEnabled()) {
            LOG.debug("[{}] ipfrag: timeout {} first={} meat={} len={}", host.name(), describe(q.key), q.firstIn,
                    q.meat, q.len);
        }
        if (q.firstIn && !q.frags.isEmpty() && q.frags.get(0).offset == 0) {
            // Only an end host sends it (RFC 792); the datagram was for this host.
            Frag first = q.frags.remove(0);
            memBytes -= first.skb.truesize();
            host.icmp().send(first.skb, IcmpType.TIME_EXCEEDED, IcmpCode.EXC_FRAGTIME, 0);
            first.skb.free(DropReason.FRAG_REASM_TIMEOUT);
        }
        purge(q, DropReason.FRAG_REASM_TIMEOUT);
    }

    /** {@code inet_frag_kill}: out of the table, timer disarmed. */
    private void kill(FragQueue q) {
        q.timer.cancel();
        queues.remove(q.key, q);
    }

    private void purge(FragQueue q, DropReason reason) {
        for (Frag f : q.frags) {
            memBytes -= f.skb.truesize();
            f.skb.free(reason);
        }
        q.frags.clear();
    }

    /** Frees every queue's fragments ({@code fqdir_exit}); the host calls it on close. */
    void close() {
        for (FragQueue q : new ArrayList<>(queues.values())) {
            kill(q);
            purge(q, DropReason.QUEUE_PURGE);
        }
    }

    private static String describe(Key k) {
        return Ipv4Address.toString(k.src) + ">" + Ipv4Address.toString(k.dst) + " id=" + k.id + " proto=" + k.protocol;
    }

    @Override
    public String toString() {
        return "Ipv4Fragments[queues=" + queues.size() + " mem=" + memBytes + "]";
    }
}
