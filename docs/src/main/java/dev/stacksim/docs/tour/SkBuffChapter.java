package dev.stacksim.docs.tour;

import dev.stacksim.buf.SkBuff;
import dev.stacksim.buf.SkBuffPool;

import java.nio.charset.StandardCharsets;

/**
 * The sk_buff: one buffer carries a packet down the layers and back up, headers pushed into
 * reserved headroom and pulled off again, the payload never copied between layers.
 */
public final class SkBuffChapter implements Chapter {
    /** Headroom the socket layer reserves for TCP (20..60), IPv4 (20..60) and Ethernet (14) headers. */
    static final int MAX_HEADER = 128;
    static final int ETH = 14;
    static final int IPV4 = 20;
    static final int TCP = 20;

    @Override
    public String id() {
        return "skbuff";
    }

    @Override
    public String title() {
        return "sk_buff: headroom and the zero-copy trip down and up the layers";
    }

    @Override
    public String guidePage() {
        return "guide/skbuff.md";
    }

    @Override
    public void run(TourOutput out) {
        out.para("In Linux one struct sk_buff carries a packet through every layer. The socket layer "
                + "allocates it once, with headroom for every header below; each layer pushes its "
                + "header into that headroom on the way down and pulls it off on the way up. Only "
                + "the data pointer moves. Here is send(fd, \"hello\") on its way to the wire:");
        SkBuffPool pool = SkBuffPool.create();
        try {
            // tag::down[]
            byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);
            SkBuff skb = pool.alloc(MAX_HEADER + hello.length); // alloc_skb
            skb.reserve(MAX_HEADER);                            // skb_reserve: headroom for headers
            skb.putBytes(hello);                                // skb_put: the one copy in
            int payloadAt = skb.data();
            skb.push(TCP);                                      // tcp_transmit_skb
            skb.resetTransportHeader();
            skb.push(IPV4);                                     // ip_queue_xmit
            skb.resetNetworkHeader();
            skb.push(ETH);                                      // neigh_output: dev_hard_header
            skb.resetMacHeader();
            // end::down[]
            out.show("alloc_skb(133), skb_reserve(128), skb_put(5):");
            out.show("  " + layout(0, 0, 0, 128, 133, 133));
            out.show("skb_push(20) TCP, skb_push(20) IPv4, skb_push(14) Ethernet:");
            out.show("  " + layout(skb.macHeader(), skb.networkHeader(), skb.transportHeader(), payloadAt,
                    skb.tail(), skb.end()));
            out.show(String.format("the frame is [data=%d, tail=%d): %d bytes", skb.data(), skb.tail(),
                    skb.len()));
            out.show(String.format("the payload never moved from offset %d: nothing was copied", payloadAt));
            out.blank();

            out.para("To retransmit, TCP keeps the original on its queue and sends a clone: a second "
                    + "skb with its own pointers over the same bytes (skb_clone). Writing into shared "
                    + "bytes would change what the other holder sees, so a write first copies "
                    + "(skb_cow) - except for headers a clone writes into headroom the original gave up.");
            SkBuff clone = skb.clone();
            out.show(String.format("skb_clone: same buffer=%s, both cloned=%s", clone.buf() == skb.buf(),
                    skb.isCloned() && clone.isCloned()));
            clone.consume();
            out.show("clone consumed: original cloned=" + skb.isCloned());
            out.blank();

            out.para("The receiving host's NIC hands the same kind of skb up. Each layer pulls the "
                    + "header it has processed; the header marks remember where each one was:");
            // tag::up[]
            skb.pull(ETH);                                      // eth_type_trans
            skb.pull(IPV4);                                     // ip_rcv_finish -> ip_local_deliver
            skb.pull(TCP);                                      // tcp_v4_rcv -> tcp_queue_rcv
            // end::up[]
            out.show(String.format("after three pulls: data=%d len=%d \"%s\"; IPv4 header still at %d",
                    skb.data(), skb.len(), new String(skb.toByteArray(), StandardCharsets.US_ASCII),
                    skb.networkHeader()));
            out.blank();

            out.para("Misuse fails at once, with the numbers:");
            SkBuff small = pool.alloc(14 + 5).reserve(14);
            try {
                small.push(IPV4);
            } catch (IllegalArgumentException e) {
                out.show("skb_push(20) with 14 bytes of headroom -> " + e.getMessage());
            }
            small.consume();
            skb.consume();                                      // consume_skb: a normal end
            out.show(String.format("pool: allocated=%d cloned=%d released=%d outstanding=%d",
                    pool.allocated(), pool.cloned(), pool.released(), pool.outstanding()));
        } finally {
            pool.close();
        }
    }

    /** One line: the regions of the buffer and where they start. */
    static String layout(int mac, int net, int transport, int payload, int tail, int end) {
        StringBuilder top = new StringBuilder("|");
        if (mac > 0 || net == 0) {
            int headroom = net == 0 ? payload : mac;
            top.append(" headroom ").append(headroom).append(" |");
        }
        if (net > 0) {
            top.append(" eth ").append(net - mac).append(" |");
            top.append(" ipv4 ").append(transport - net).append(" |");
            top.append(" tcp ").append(payload - transport).append(" |");
        }
        top.append(" payload ").append(tail - payload).append(" |");
        if (end > tail) {
            top.append(" tailroom ").append(end - tail).append(" |");
        }
        return top.toString();
    }
}
