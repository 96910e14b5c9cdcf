package dev.stacksim.ip;

import dev.stacksim.buf.DropReason;
import dev.stacksim.buf.SkBuff;
import dev.stacksim.dev.Wire;
import dev.stacksim.host.Host;
import dev.stacksim.host.Lab;
import dev.stacksim.sim.SimTime;
import dev.stacksim.wire.IcmpCode;
import dev.stacksim.wire.IcmpHeader;
import dev.stacksim.wire.IcmpType;
import dev.stacksim.wire.Ipv4Address;
import dev.stacksim.wire.Ipv4Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.stacksim.ip.Frames.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IcmpTest {
    private static final long MAC1 = WiredHost.MAC1;
    private static final long MAC9 = WiredHost.MAC9;
    private static final long BCAST = 0xFFFF_FFFF_FFFFL;

    private final WiredHost fixture = new WiredHost(61);
    private final Lab lab = fixture.lab;
    private final Wire wire = fixture.wire;
    private final Host h = fixture.h;

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    private List<byte[]> deliver(long dstMac, byte[] datagram) {
        wire.inject(Frames.ipFrame(dstMac, MAC9, datagram));
        lab.loop.runFor(SimTime.millis(1));
        return wire.sentBytes();
    }

    private List<byte[]> deliver(byte[] datagram) {
        return deliver(MAC1, datagram);
    }

    private long c(String name) {
        return h.snmp().get(name);
    }

    private static byte[] icmpError(int type, int code, byte[] quoted) {
        byte[] m = new byte[8 + quoted.length];
        m[0] = (byte) type;
        m[1] = (byte) code;
        System.arraycopy(quoted, 0, m, 8, quoted.length);
        io.netty.buffer.ByteBuf b = io.netty.buffer.Unpooled.wrappedBuffer(m);
        new IcmpHeader().wrap(b, 0, m.length).fillChecksum();
        return m;
    }

    private static byte[] unknownProto(String dst) {
        return Frames.ipv4("10.0.0.9", dst, 253, 64, 7, 0, new byte[12]);
    }

    @Test
    void sendApiAnswersForATransportWithPortUnreachable() {
        h.ip().registerProtocol(253, skb -> {
            h.icmp().send(skb, IcmpType.DEST_UNREACH, IcmpCode.PORT_UNREACH, 0);
            skb.free(DropReason.NO_SOCKET);
        });
        byte[] d = unknownProto("10.0.0.1");
        List<byte[]> sent = deliver(d);
        assertEquals(1, sent.size());
        byte[] f = sent.get(0);
        assertEquals("0303", hex(f).substring(68, 72));
        assertEquals(hex(d), hex(f).substring(2 * 42));
        assertEquals(Ipv4Address.parse("10.0.0.1").toInt(), Frames.ipOf(f).srcAddr(), "from the address asked");
        assertEquals(1, c("IcmpOutDestUnreachs"));
        assertEquals(1, lab.pool.drops(DropReason.NO_SOCKET));
    }

    @Test
    void quoteIsCutToFitIn576Bytes() {
        byte[] d = Frames.ipv4("10.0.0.9", "10.0.0.1", 253, 64, 7, 0, new byte[1000]);
        byte[] f = deliver(d).get(0);
        assertEquals(576, Frames.ipOf(f).totalLength());
        assertEquals(hex(Arrays.copyOf(d, 548)), hex(f).substring(2 * 42));
    }

    @Test
    void errorsAreDeliveredToTheQuotedProtocolsErrorHook() {
        List<int[]> seen = new ArrayList<>();
        h.ip().registerProtocol(253, new IpProtocolHandler() {
            @Override
            public void receive(SkBuff skb) {
                skb.consume();
            }

            @Override
            public void error(SkBuff skb, int type, int code, int info) {
                assertEquals(0x45, skb.getByte(skb.data()), "data at the quoted IPv4 header");
                assertEquals(IcmpType.DEST_UNREACH, skb.getByte(skb.transportHeader()), "transport mark at ICMP");
                seen.add(new int[] {type, code, info});
            }
        });
        byte[] ours = Frames.ipv4("10.0.0.1", "10.0.0.9", 253, 64, 7, 0, new byte[12]);
        deliver(Frames.ipv4("10.0.0.9", "10.0.0.1", 1, 64, 8, 0, icmpError(3, 3, Arrays.copyOf(ours, 28))));
        assertEquals(1, seen.size());
        assertEquals(List.of(3, 3, 0), List.of(seen.get(0)[0], seen.get(0)[1], seen.get(0)[2]));
        assertEquals(1, c("IcmpInDestUnreachs"));
        assertEquals(1, c("IpInDelivers"));
    }

    /** Registers a handler for protocol 253 that records the errors it is given as {type, code, info}. */
    private List<int[]> errorsSeen() {
        List<int[]> seen = new ArrayList<>();
        h.ip().registerProtocol(253, new IpProtocolHandler() {
            @Override
            public void receive(SkBuff skb) {
                skb.consume();
            }

            @Override
            public void error(SkBuff skb, int type, int code, int info) {
                seen.add(new int[] {type, code, info});
            }
        });
        return seen;
    }

    @Test
    void destinationUnreachableWithACodeAbove15ReachesNoHandler() {
        List<int[]> seen = errorsSeen();
        byte[] ours = Frames.ipv4("10.0.0.1", "10.0.0.9", 253, 64, 7, 0, new byte[12]);
        byte[] quoted = Arrays.copyOf(ours, 28);
        // 20 & 15 == FRAG_NEEDED: Linux masks the code for its switch, then refuses codes above 15.
        for (int code : new int[] {16, 20, 200, 255}) {
            deliver(Frames.ipv4("10.0.0.9", "10.0.0.1", 1, 64, 8, 0, icmpError(3, code, quoted)));
        }
        assertTrue(seen.isEmpty());
        assertEquals(4, c("IcmpInMsgs"));
        assertEquals(4, c("IcmpInDestUnreachs"));
        assertEquals(0, c("IcmpInErrors"), "icmp_unreach's out: label counts nothing");
        assertEquals(0, lab.pool.totalDrops(), "consumed");
        deliver(Frames.ipv4("10.0.0.9", "10.0.0.1", 1, 64, 8, 0, icmpError(3, 15, quoted)));
        assertEquals(1, seen.size(), "15 (precedence cutoff) is the last code delivered");
        assertEquals(15, seen.get(0)[1]);
    }

    @Test
    void reassemblyTimeExceededReachesNoHandler() {
        List<int[]> seen = errorsSeen();
        byte[] ours = Frames.ipv4("10.0.0.1", "10.0.0.9", 253, 64, 7, 0, new byte[12]);
        deliver(Frames.ipv4("10.0.0.9", "10.0.0.1", 1, 64, 8, 0,
                icmpError(IcmpType.TIME_EXCEEDED, IcmpCode.EXC_FRAGTIME, Arrays.copyOf(ours, 28))));
        assertTrue(seen.isEmpty());
        assertEquals(1, c("IcmpInTimeExcds"));
        assertEquals(0, c("IcmpInErrors"));
        deliver(Frames.ipv4("10.0.0.9", "10.0.0.1", 1, 64, 8, 0,
                icmpError(IcmpType.TIME_EXCEEDED, IcmpCode.EXC_TTL, Arrays.copyOf(ours, 28))));
        assertEquals(1, seen.size(), "TTL exceeded in transit is delivered");
    }

    @Test
    void oversizeEchoIsRefusedBeforeAnythingIsCounted() {
        // 8 + 65508 bytes of ICMP do not fit in 65535 - 20: EMSGSIZE from ip_append_data.
        assertEquals(XmitResult.MSG_SIZE, h.icmp().sendEcho(Ipv4Address.parse("10.0.0.9").toInt(), 1, 1, 65508, 0));
        assertEquals(0, c("IcmpOutMsgs"));
        assertEquals(0, c("IcmpOutEchos"));
        assertEquals(0, c("IpOutRequests"));
        assertEquals(0, c("IpOutDiscards"));
        assertEquals(XmitResult.OK, h.icmp().sendEcho(Ipv4Address.parse("10.0.0.9").toInt(), 1, 1, 65507, 0));
        assertEquals(1, c("IcmpOutMsgs"));
        assertEquals(1, c("IcmpOutEchos"));
        lab.loop.runUntilIdle();
        assertEquals(45, wire.sent().size(), "a 65535-byte datagram in fragments");
    }

    @Test
    void echoWithoutARouteCountsOutNoRoutesOnly() {
        assertEquals(XmitResult.NO_ROUTE, h.icmp().sendEcho(Ipv4Address.parse("192.0.2.1").toInt(), 1, 1, 65508, 0));
        assertEquals(1, c("IpOutNoRoutes"), "the route is looked up before the size is checked");
        assertEquals(0, c("IcmpOutMsgs"));
        assertEquals(0, c("IcmpOutEchos"));
    }

    @Test
    void rateLimitStateOfAnIdleDestinationIsCollectedAfterTenMinutes() {
        h.neighbours().addPermanent(h.iface("eth0"), Ipv4Address.parse("10.0.0.8"), MAC9);
        deliver(unknownProto("10.0.0.1"));
        assertEquals(1, h.icmp().peerCount());
        lab.loop.runFor(SimTime.seconds(600) - SimTime.millis(2));
        deliver(Frames.ipv4("10.0.0.8", "10.0.0.1", 253, 64, 7, 0, new byte[12]));
        assertEquals(2, h.icmp().peerCount(), "idle for less than inet_peer_maxttl (600 s)");
        lab.loop.runFor(SimTime.seconds(600));
        deliver(Frames.ipv4("10.0.0.7", "10.0.0.1", 253, 64, 7, 0, new byte[12]));
        assertEquals(1, h.icmp().peerCount(), "a new peer collects the ones idle for 600 s");
        assertEquals(0, c("IcmpOutRateLimitHost"));
    }

    @Test
    void errorQuotingTooLittleIsCountedAsAnInError() {
        byte[] ours = Frames.ipv4("10.0.0.1", "10.0.0.9", 253, 64, 7, 0, new byte[12]);
        deliver(Frames.ipv4("10.0.0.9", "10.0.0.1", 1, 64, 8, 0, icmpError(3, 3, Arrays.copyOf(ours, 24))));
        assertEquals(1, c("IcmpInErrors"));
        deliver(Frames.ipv4("10.0.0.9", "10.0.0.1", 1, 64, 8, 0, icmpError(11, 0, Arrays.copyOf(ours, 12))));
        assertEquals(2, c("IcmpInErrors"));
        assertEquals(1, lab.pool.drops(DropReason.PKT_TOO_SMALL));
    }

    @Test
    void badChecksumCountsInCsumErrorsAndInErrors() {
        byte[] echo = Frames.echo(8, 1, 1, new byte[4]);
        echo[2] ^= 0x10;
        assertTrue(deliver(Frames.ipv4("10.0.0.9", "10.0.0.1", 1, 64, 1, 0, echo)).isEmpty());
        assertEquals(1, c("IcmpInMsgs"));
        assertEquals(1, c("IcmpInCsumErrors"));
        assertEquals(1, c("IcmpInErrors"));
        assertEquals(1, lab.pool.drops(DropReason.ICMP_CSUM));
    }

    @Test
    void messageShorterThanItsHeaderIsAnInError() {
        byte[] tiny = {8, 0, (byte) 0xF7, (byte) 0xFF};
        assertTrue(deliver(Frames.ipv4("10.0.0.9", "10.0.0.1", 1, 64, 1, 0, tiny)).isEmpty());
        assertEquals(1, c("IcmpInErrors"));
        assertEquals(0, c("IcmpInCsumErrors"));
        assertEquals(1, lab.pool.drops(DropReason.PKT_TOO_SMALL));
    }

    @Test
    void echoReplyNobodyWaitsForIsANoSocketDrop() {
        deliver(Frames.ipv4("10.0.0.9", "10.0.0.1", 1, 64, 1, 0, Frames.echo(0, 999, 1, new byte[4])));
        assertEquals(1, c("IcmpInEchoReps"));
        assertEquals(1, lab.pool.drops(DropReason.NO_SOCKET));
    }

    @Test
    void noErrorAboutAnIcmpError() {
        h.sysctl("net.ipv4.ip_forward", 1);
        byte[] error = icmpError(3, 1, new byte[28]);
        assertTrue(deliver(Frames.ipv4("10.0.0.9", "10.9.9.9", 1, 64, 1, 0, error)).isEmpty());
        assertEquals(1, c("IpExtInNoRoutes"));
        byte[] unknownType = icmpError(42, 0, new byte[28]);
        assertTrue(deliver(Frames.ipv4("10.0.0.9", "10.9.9.9", 1, 64, 1, 0, unknownType)).isEmpty(),
                "an unknown ICMP type counts as an error");
        assertEquals(1, deliver(Frames.ipv4("10.0.0.9", "10.9.9.9", 1, 64, 1, 0,
                Frames.echo(8, 1, 1, new byte[4]))).size(), "an echo request does get net unreachable");
        assertEquals(1, c("IcmpOutMsgs"));
    }

    @Test
    void noErrorAboutAFragmentOtherThanTheFirst() {
        h.sysctl("net.ipv4.ip_forward", 1);
        h.addRoute("10.9.0.0/16 via 10.0.0.9");
        assertTrue(deliver(Frames.ipv4("10.0.0.9", "10.9.9.9", 253, 1, 5, 1 | Ipv4Header.FLAG_MF, new byte[8]))
                .isEmpty());
        List<byte[]> sent = deliver(Frames.ipv4("10.0.0.9", "10.9.9.9", 253, 1, 5, Ipv4Header.FLAG_MF, new byte[8]));
        assertEquals(1, sent.size(), "the first fragment gets time exceeded");
        assertEquals(11, Frames.icmpOf(sent.get(0)).type());
        assertEquals(2, c("IpInHdrErrors"));
    }

    @Test
    void noErrorAboutALinkLayerBroadcast() {
        assertTrue(deliver(BCAST, unknownProto("10.0.0.1")).isEmpty());
        assertEquals(1, c("IpInUnknownProtos"));
        assertEquals(0, c("IcmpOutMsgs"));
    }

    @Test
    void noErrorAboutAnIpBroadcast() {
        assertTrue(deliver(BCAST, unknownProto("10.0.0.255")).isEmpty());
        assertTrue(deliver(BCAST, unknownProto("255.255.255.255")).isEmpty());
        assertEquals(2, c("IpInUnknownProtos"));
        assertEquals(0, c("IcmpOutMsgs"));
    }

    @Test
    void errorsToOneDestinationAreRateLimitedAfterABurstOfSix() {
        for (int i = 0; i < 10; i++) {
            wire.inject(Frames.ipFrame(MAC1, MAC9, unknownProto("10.0.0.1")));
        }
        lab.loop.runFor(SimTime.millis(1));
        assertEquals(6, wire.sent().size());
        assertEquals(4, c("IcmpOutRateLimitHost"));
        lab.loop.runFor(SimTime.millis(999) - 1);
        assertEquals(0, deliver(unknownProto("10.0.0.1")).size(), "one token per 1000 ms");
        lab.loop.runFor(SimTime.millis(2));
        assertEquals(1, deliver(unknownProto("10.0.0.1")).size());
        h.sysctl("net.ipv4.icmp_ratelimit", 0);
        for (int i = 0; i < 10; i++) {
            wire.inject(Frames.ipFrame(MAC1, MAC9, unknownProto("10.0.0.1")));
        }
        lab.loop.runFor(SimTime.millis(1));
        assertEquals(10, wire.sent().size(), "icmp_ratelimit 0 turns the limit off");
    }

    @Test
    void echoRepliesAreNotRateLimited() {
        for (int i = 0; i < 10; i++) {
            wire.inject(Frames.ipFrame(MAC1, MAC9, Frames.ipv4("10.0.0.9", "10.0.0.1", 1, 64, i, 0,
                    Frames.echo(8, 1, i, new byte[4]))));
        }
        lab.loop.runFor(SimTime.millis(1));
        assertEquals(10, wire.sent().size());
    }

    @Test
    void otherQueriesAreConsumedUnanswered() {
        byte[] timestamp = icmpError(IcmpType.TIMESTAMP, 0, new byte[12]);
        assertTrue(deliver(Frames.ipv4("10.0.0.9", "10.0.0.1", 1, 64, 1, 0, timestamp)).isEmpty());
        assertEquals(1, c("IcmpInTimestamps"));
        assertEquals(0, lab.pool.totalDrops());
    }
}
