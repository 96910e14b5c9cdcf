package dev.stacksim.packetdrill;

import dev.stacksim.buf.SkBuff;
import dev.stacksim.host.Host;
import dev.stacksim.ip.IpProtocolHandler;
import dev.stacksim.ip.Ipv4;
import dev.stacksim.wire.IpProtocol;
import dev.stacksim.wire.Ipv4Header;
import dev.stacksim.wire.TcpHeader;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The runner's TCP path (ISN learning, relative sequence numbers both ways, SACK shifting, merging
 * segments) against a stand-in for TCP: a scripted peer registered as protocol 6 that answers a
 * SYN with a SYN-ACK of ISN 0x10000000, acknowledges data and answers with 1000 bytes in two
 * segments, in place of the host's own TCP (unregistered for the test). It checks the numbers
 * the runner injects, independently of TCP's behaviour.
 */
class TcpPathTest {
    private static final long ISN = 0x1000_0000L;

    /** A minimal responder, enough to drive the runner; not TCP. */
    static final class FakeTcp implements IpProtocolHandler {
        private final Host host;
        private final TcpHeader in = new TcpHeader();
        private final Ipv4Header iph = new Ipv4Header();
        final List<String> problems = new ArrayList<>();
        private long peerNext;
        private long sent;

        FakeTcp(Host host) {
            this.host = host;
        }

        @Override
        public void receive(SkBuff skb) {
            int at = skb.data();
            in.wrap(skb.buf(), at, skb.len());
            iph.wrap(skb.buf(), skb.networkHeader(), 20);
            int src = iph.srcAddr();
            int dst = iph.dstAddr();
            if (!in.verifyChecksum(src, dst)) {
                problems.add("bad checksum");
            }
            int sport = in.srcPort();
            int dport = in.dstPort();
            long seq = in.seq() & 0xFFFF_FFFFL;
            int len = in.payloadLen();
            if (in.syn()) {
                peerNext = seq + 1;
                send(dst, src, dport, sport, ISN, peerNext, TcpHeader.SYN | TcpHeader.ACK,
                        new byte[] {2, 4, 0x05, (byte) 0xB4, 1, 3, 3, 7}, 0);
            } else {
                long ack = in.ack() & 0xFFFF_FFFFL;
                if (ack != ISN + 1 + sent) {
                    problems.add("ack " + ack + " != " + (ISN + 1 + sent));
                }
                int sack = in.findOption(TcpHeader.OPT_SACK);
                if (sack >= 0 && (in.sackBlockStart(0) & 0xFFFF_FFFFL) != ISN + 501) {
                    problems.add("sack start " + (in.sackBlockStart(0) & 0xFFFF_FFFFL));
                }
                if (len > 0) {
                    peerNext = seq + len;
                    send(dst, src, dport, sport, ISN + 1, peerNext, TcpHeader.ACK, new byte[0], 0);
                    send(dst, src, dport, sport, ISN + 1, peerNext, TcpHeader.ACK, new byte[0], 536);
                    send(dst, src, dport, sport, ISN + 1 + 536, peerNext, TcpHeader.ACK | TcpHeader.PSH, new byte[0], 464);
                    sent = 1000;
                }
            }
            skb.consume();
        }

        private void send(int src, int dst, int sport, int dport, long seq, long ack, int flags, byte[] opts, int len) {
            int hlen = 20 + opts.length;
            SkBuff skb = host.pool().alloc(Ipv4.MAX_HEADER, hlen + len);
            int at = skb.put(hlen + len);
            for (int i = 0; i < hlen + len; i++) {
                skb.buf().setByte(at + i, 0);
            }
            TcpHeader h = new TcpHeader().wrap(skb.buf(), at, hlen + len);
            h.setSrcPort(sport);
            h.setDstPort(dport);
            h.setSeq((int) seq);
            h.setAck((int) ack);
            h.setHeaderLen(hlen);
            h.setFlags(flags);
            h.setWindow(65535);
            skb.buf().setBytes(at + 20, opts);
            h.fillChecksum(src, dst);
            skb.resetTransportHeader();
            host.ip().queueXmit(skb, src, dst, IpProtocol.TCP, 0, 0, true);
        }
    }

    @Test
    void aPassiveOpenAndAnExchangeMapBothWays() {
        FakeTcp[] peer = new FakeTcp[1];
        RunTrace trace = ScriptRunner.run(Script.parse("fake.pkt", """
                0 < S 0:0(0) win 32792 <mss 1000,nop,wscale 7>
                +0 > S. 0:0(0) ack 1 win 65535 <mss 1460,nop,wscale 7>
                +.1 < . 1:1(0) ack 1 win 257
                +0 < P. 1:11(10) ack 1 win 257
                +0 > . 1:1(0) ack 11
                +0 > P. 1:1001(1000) ack 11
                +.1 < . 11:11(0) ack 1001 win 257 <nop,nop,sack 501:1001>
                """), ScriptConfig.defaults(), new RunTrace(), h -> {
                    peer[0] = new FakeTcp(h);
                    h.ip().unregisterProtocol(IpProtocol.TCP);
                    h.ip().registerProtocol(IpProtocol.TCP, peer[0]);
                });
        assertEquals(List.of(), peer[0].problems);
        List<String> lines = trace.lines();
        assertTrue(lines.get(1).startsWith("  0.000000 [ 2] > S. 0:0(0) ack 1 win 65535 <mss 1460,nop,wscale 7>"),
                lines.get(1));
        assertTrue(lines.get(5).startsWith("  0.100000 [ 6] > P. 1:1001(1000) ack 11 win 65535"), lines.get(5));
    }

    @Test
    void aWrongSequenceNumberIsReportedRelativeToTheIsn() {
        ScriptFailure f = assertThrows(ScriptFailure.class, () -> ScriptRunner.run(
                Script.parse("fake.pkt", """
                0 < S 0:0(0) win 32792 <mss 1000,nop,wscale 7>
                +0 > S. 0:0(0) ack 1 <...>
                +.1 < . 1:1(0) ack 1 win 257
                +0 < P. 1:11(10) ack 1 win 257
                +0 > . 1:1(0) ack 12
                """), ScriptConfig.defaults(), new RunTrace(),
                h -> {
                    h.ip().unregisterProtocol(IpProtocol.TCP);
                    h.ip().registerProtocol(IpProtocol.TCP, new FakeTcp(h));
                }));
        assertEquals("fake.pkt:5: error handling packet: live packet field tcp_ack_seq: expected: 12 (0xc) vs actual: 11"
                + " (0xb)\nscript packet:  0.100000 . 1:1(0) ack 12\nactual packet:  0.100000 . 1:1(0) ack 11 win 65535",
                f.getMessage());
    }
}
