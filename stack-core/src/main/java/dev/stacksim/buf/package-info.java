/**
 * The buffer core: {@link dev.stacksim.buf.SkBuff}, one packet carried through every layer with a
 * movable data pointer (Linux's {@code struct sk_buff}), and {@link dev.stacksim.buf.SkBuffPool},
 * which hands them out over netty's pooled allocator and counts drops by
 * {@link dev.stacksim.buf.DropReason}.
 *
 * <p>The life of a transmitted segment, as the stack will live it:
 * <pre>{@code
 * SkBuff skb = pool.alloc(MAX_HEADER, mss);   // headroom for TCP + IPv4 + Ethernet
 * skb.putBytes(userBytes, 0, n);             // the one copy in (tcp_sendmsg)
 * int th = skb.push(20);                     // TCP header into the headroom
 * int ih = skb.push(20);                     // IPv4 header
 * int eh = skb.push(14);                     // Ethernet header; the NIC sends [data, tail)
 * skb.consume();                             // transmitted: a normal end, not a drop
 * }</pre>
 */
package dev.stacksim.buf;
