/**
 * Wire formats: one class per header, two faces per header, as smoltcp's {@code src/wire} does.
 *
 * <h2>The two faces</h2>
 * <ul>
 *   <li>A <b>view</b> ({@code EthernetHeader}, {@code ArpPacket}, {@code Ipv4Header}, {@code IcmpHeader},
 *       {@code UdpHeader}, {@code TcpHeader}): a reusable flyweight over a netty {@code ByteBuf} at an
 *       offset, with named field offsets ({@code *_OFFSET} constants), a getter and a setter per
 *       field, a bit diagram in its javadoc and a tcpdump-style {@code toString()}. A view never
 *       copies and never allocates; address fields are returned as raw {@code int}s (network order
 *       read as a big-endian int), not as objects.</li>
 *   <li>A <b>representation</b> ({@code EthernetRepr}, {@code ArpRepr}, {@code Ipv4Repr},
 *       {@code IcmpRepr}, {@code UdpRepr}, {@code TcpRepr}): an immutable record of the parsed,
 *       validated header with {@code parse(view, ...)}, {@code emit(view, ...)} and
 *       {@code bufferLen()}.</li>
 * </ul>
 *
 * <h2>The contract (as smoltcp writes it down)</h2>
 * <ol>
 *   <li>{@code View.wrap(buf, offset, length)} only records where the bytes are; it checks nothing
 *       and never fails. {@code length} is how many bytes from {@code offset} belong to the packet
 *       (for a received skb: {@code skb.len()} at that layer).</li>
 *   <li>{@code view.checkLen()} verifies that every field the accessors may read lies within
 *       {@code length} (including length fields inside the header: IHL, data offset, option
 *       lengths). It throws {@link dev.stacksim.wire.MalformedPacketException} naming the
 *       {@link dev.stacksim.wire.MalformedReason}. <b>Once {@code checkLen()} has passed, no accessor
 *       of that view fails.</b></li>
 *   <li>{@code Repr.parse(view, ...)} calls {@code checkLen()} itself and validates semantics
 *       (versions, checksums when asked to): it throws only {@code MalformedPacketException}, never
 *       {@code IndexOutOfBoundsException}, and never returns a silently wrong value.</li>
 *   <li>{@code repr.emit(view, ...)} into a view wrapped over at least {@code repr.bufferLen()}
 *       bytes never fails.</li>
 * </ol>
 *
 * <p>Checksums are RFC 1071 one's complement sums, see {@link dev.stacksim.wire.Checksum}. The C
 * byte-order and address helpers ({@code htons}, {@code inet_addr} …) live in {@link
 * dev.stacksim.wire.Inet} under their C names, for teaching.
 */
package dev.stacksim.wire;
