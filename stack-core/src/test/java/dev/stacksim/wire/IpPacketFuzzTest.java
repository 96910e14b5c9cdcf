package dev.stacksim.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Feeds seeded random mutations of the golden datagrams through the IPv4, ICMP and UDP views and
 * representations, as the receive path would: whatever the bytes, the only exception is
 * {@link MalformedPacketException}, every accessor works once {@code checkLen()} has passed, and
 * what parses emits back to the same header bytes.
 */
class IpPacketFuzzTest {
    private static final long SEED = 0x5EED_0791L;
    private static final int ROUNDS = 30_000;

    private final Map<MalformedReason, Integer> reasons = new EnumMap<>(MalformedReason.class);
    private int parsedIp;
    private int parsedIcmp;
    private int parsedUdp;

    private final Ipv4Header ip = new Ipv4Header();
    private final IcmpHeader icmp = new IcmpHeader();
    private final UdpHeader udp = new UdpHeader();

    @Test
    void mutatedGoldenPacketsThrowOnlyMalformedPacketException() {
        SplittableRandom random = new SplittableRandom(SEED);
        byte[][] golden = IpGoldenPackets.all();
        for (int round = 0; round < ROUNDS; round++) {
            byte[] packet = mutate(golden[random.nextInt(golden.length)], random);
            // Place the packet at a random offset in a buffer that ends where it ends, so that any
            // read past the packet throws instead of reading neighbouring bytes.
            int offset = random.nextInt(17);
            byte[] frame = new byte[offset + packet.length];
            System.arraycopy(packet, 0, frame, offset, packet.length);
            ByteBuf buf = Unpooled.wrappedBuffer(frame);
            boolean repaired = random.nextInt(3) != 0 && repairChecksums(buf, offset, packet.length);
            boolean verify = repaired || random.nextBoolean();
            try {
                receive(buf, offset, packet.length, verify);
            } catch (RuntimeException | AssertionError e) {
                fail("round=" + round + " offset=" + offset + " verify=" + verify + " packet="
                        + ByteBufUtil.hexDump(buf, offset, packet.length), e);
            }
        }
        for (MalformedReason expected : new MalformedReason[] {MalformedReason.TRUNCATED, MalformedReason.BAD_LENGTH,
            MalformedReason.BAD_VERSION, MalformedReason.BAD_IHL, MalformedReason.BAD_OPTION_LENGTH,
            MalformedReason.BAD_CHECKSUM, MalformedReason.UNSUPPORTED_ICMP}) {
            assertTrue(reasons.getOrDefault(expected, 0) > 0, "never hit " + expected + ": " + reasons);
        }
        assertTrue(parsedIp > ROUNDS / 10, "ip parsed " + parsedIp);
        assertTrue(parsedIcmp > ROUNDS / 100, "icmp parsed " + parsedIcmp);
        assertTrue(parsedUdp > ROUNDS / 100, "udp parsed " + parsedUdp);
    }

    /** What ip_rcv, icmp_rcv and udp_rcv would do with the bytes, counting each rejection's reason. */
    private void receive(ByteBuf buf, int offset, int length, boolean verify) {
        ip.wrap(buf, offset, length);
        ip.toString();
        Ipv4Repr ipRepr;
        try {
            ip.checkLen();
            readEveryIpField();
            ipRepr = Ipv4Repr.parse(ip, verify);
        } catch (MalformedPacketException e) {
            count(e);
            return;
        }
        parsedIp++;
        if (verify) {
            assertIpRoundTrip(buf, offset, ipRepr);
        }
        int payloadOffset = ip.payloadOffset();
        int payloadLen = ip.payloadLen();
        // Both parsers see every payload, whatever the protocol byte says: more garbage, more coverage.
        icmp.wrap(buf, payloadOffset, payloadLen);
        icmp.toString();
        try {
            icmp.checkLen();
            readEveryIcmpField();
            IcmpRepr icmpRepr = IcmpRepr.parse(icmp, verify);
            if (ipRepr.protocol() == IpProtocol.ICMP) {
                parsedIcmp++;
            }
            if (verify && icmp.code() == 0 && (icmpRepr instanceof IcmpRepr.EchoRequest
                    || icmpRepr instanceof IcmpRepr.EchoReply)) {
                assertIcmpRoundTrip(buf, icmpRepr);
            }
        } catch (MalformedPacketException e) {
            count(e);
        }
        udp.wrap(buf, payloadOffset, payloadLen);
        udp.toString();
        try {
            udp.checkLen();
            readEveryUdpField(ip.srcAddr(), ip.dstAddr());
            UdpRepr udpRepr = UdpRepr.parse(udp, ip.srcAddr(), ip.dstAddr(), verify);
            if (ipRepr.protocol() == IpProtocol.UDP) {
                parsedUdp++;
            }
            if (verify && udp.checksum() != UdpHeader.NO_CHECKSUM) {
                assertUdpRoundTrip(buf, udpRepr, ip.srcAddr(), ip.dstAddr());
            }
        } catch (MalformedPacketException e) {
            count(e);
        }
    }

    private void count(MalformedPacketException e) {
        reasons.merge(e.reason(), 1, Integer::sum);
        assertTrue(e.getMessage().contains("="), e.getMessage());
    }

    private void readEveryIpField() {
        ip.version();
        ip.ihl();
        ip.tos();
        ip.dscp();
        ip.ecn();
        ip.totalLength();
        ip.identification();
        ip.reservedFlag();
        ip.dontFragment();
        ip.moreFragments();
        ip.fragmentOffsetBytes();
        ip.isFragment();
        ip.ttl();
        ip.protocol();
        ip.headerChecksum();
        ip.srcAddr();
        ip.dstAddr();
        ip.verifyChecksum();
        int options = 0;
        for (int at = ip.firstOption(); at != Ipv4Header.NO_OPTION; at = ip.nextOption(at)) {
            assertTrue(at >= ip.optionsOffset() && at < ip.payloadOffset(), "option at " + at);
            ip.optionKind(at);
            assertTrue(at + ip.optionLength(at) <= ip.payloadOffset(), "option runs past the header");
            assertTrue(++options <= Ipv4Header.MAX_OPTIONS_LEN, "option walk does not end");
        }
    }

    private void readEveryIcmpField() {
        icmp.type();
        icmp.code();
        icmp.checksum();
        icmp.restOfHeader();
        icmp.identifier();
        icmp.sequence();
        icmp.nextHopMtu();
        icmp.pointer();
        icmp.gatewayAddr();
        assertEquals(icmp.offset() + icmp.length(), icmp.dataOffset() + icmp.dataLen());
        icmp.verifyChecksum();
    }

    private void readEveryUdpField(int srcAddr, int dstAddr) {
        udp.srcPort();
        udp.dstPort();
        udp.checksum();
        assertTrue(udp.payloadOffset() + udp.payloadLen() <= udp.offset() + udp.length());
        udp.verifyChecksum(srcAddr, dstAddr);
    }

    /** A verified header emits back to its own bytes, but for the reserved flag, which the repr drops. */
    private static void assertIpRoundTrip(ByteBuf buf, int offset, Ipv4Repr repr) {
        byte[] original = new byte[repr.bufferLen()];
        buf.getBytes(offset, original);
        original[Ipv4Header.FRAG_OFF_OFFSET] &= 0x7F;
        ByteBuf out = Unpooled.buffer(repr.bufferLen(), repr.bufferLen());
        Ipv4Header emitted = new Ipv4Header().wrap(out, 0, repr.bufferLen());
        repr.emit(emitted);
        assertTrue(emitted.verifyChecksum());
        // 0x0000 and 0xFFFF are the same checksum in one's complement, so compare it by verifying.
        out.setShort(Ipv4Header.CHECKSUM_OFFSET, 0);
        original[Ipv4Header.CHECKSUM_OFFSET] = 0;
        original[Ipv4Header.CHECKSUM_OFFSET + 1] = 0;
        assertArrayEquals(original, ByteBufUtil.getBytes(out, 0, repr.bufferLen()));
    }

    private void assertIcmpRoundTrip(ByteBuf buf, IcmpRepr repr) {
        byte[] message = ByteBufUtil.getBytes(buf, icmp.offset(), icmp.length());
        byte[] copy = message.clone();
        Arrays.fill(copy, 0, IcmpHeader.HEADER_LEN, (byte) 0);
        repr.emit(new IcmpHeader().wrap(Unpooled.wrappedBuffer(copy), 0, copy.length));
        assertArrayEquals(message, copy);
    }

    private void assertUdpRoundTrip(ByteBuf buf, UdpRepr repr, int srcAddr, int dstAddr) {
        byte[] datagram = ByteBufUtil.getBytes(buf, udp.offset(), udp.datagramLength());
        byte[] copy = datagram.clone();
        Arrays.fill(copy, 0, UdpHeader.HEADER_LEN, (byte) 0);
        repr.emit(new UdpHeader().wrap(Unpooled.wrappedBuffer(copy), 0, copy.length), srcAddr, dstAddr);
        assertArrayEquals(datagram, copy);
    }

    /**
     * Fixes the IP header checksum and the ICMP and UDP checksums of the payload when the lengths
     * allow it, so that rounds also reach the checks behind the checksums. True when the IP header
     * was fixed.
     */
    private static boolean repairChecksums(ByteBuf buf, int offset, int length) {
        Ipv4Header view = new Ipv4Header().wrap(buf, offset, length);
        try {
            view.checkLen();
        } catch (MalformedPacketException e) {
            return false;
        }
        view.fillChecksum();
        if (view.protocol() == IpProtocol.ICMP && view.payloadLen() >= IcmpHeader.HEADER_LEN) {
            new IcmpHeader().wrap(buf, view.payloadOffset(), view.payloadLen()).fillChecksum();
        } else if (view.protocol() == IpProtocol.UDP) {
            UdpHeader datagram = new UdpHeader().wrap(buf, view.payloadOffset(), view.payloadLen());
            try {
                datagram.checkLen();
                datagram.fillChecksum(view.srcAddr(), view.dstAddr());
            } catch (MalformedPacketException e) {
                // leave it broken
            }
        }
        return true;
    }

    /** One to four random changes: bit flips, byte stores in the headers, cuts, padding, length fields. */
    private static byte[] mutate(byte[] golden, SplittableRandom random) {
        byte[] packet = golden.clone();
        int changes = 1 + random.nextInt(4);
        for (int i = 0; i < changes && packet.length > 0; i++) {
            switch (random.nextInt(8)) {
                case 0:
                    packet[random.nextInt(packet.length)] ^= (byte) (1 << random.nextInt(8));
                    break;
                case 1:
                    packet[random.nextInt(Math.min(packet.length, 72))] = (byte) random.nextInt(256);
                    break;
                case 2:
                    packet = Arrays.copyOf(packet, random.nextInt(packet.length));
                    break;
                case 3:
                    int grown = packet.length;
                    packet = Arrays.copyOf(packet, grown + 1 + random.nextInt(16));
                    for (int j = grown; j < packet.length; j++) {
                        packet[j] = (byte) random.nextInt(256);
                    }
                    break;
                case 4:
                    packet[0] = (byte) (random.nextInt(4) == 0 ? random.nextInt(256) : 0x40 | random.nextInt(16));
                    break;
                case 5:
                    if (packet.length > 3) {
                        int totalLength = random.nextBoolean() ? random.nextInt(65536) : random.nextInt(packet.length + 8);
                        packet[2] = (byte) (totalLength >>> 8);
                        packet[3] = (byte) totalLength;
                    }
                    break;
                case 6:
                    // An option byte, an ICMP type or code, a quoted header, a UDP length.
                    if (packet.length > 20) {
                        packet[20 + random.nextInt(Math.min(packet.length - 20, 48))] = (byte) random.nextInt(256);
                    }
                    break;
                default:
                    if (packet.length > 9) {
                        packet[9] = (byte) (random.nextBoolean() ? IpProtocol.ICMP : IpProtocol.UDP);
                    }
                    break;
            }
        }
        return packet;
    }
}
