package dev.stacksim.tcp;

import dev.stacksim.buf.SkBuff;
import dev.stacksim.wire.IpProtocol;
import dev.stacksim.wire.Ipv4Header;
import dev.stacksim.wire.TcpHeader;
import io.netty.buffer.ByteBuf;

/**
 * Segments sent with no full socket behind them ({@code tcp_ipv4.c}): the RST that answers a
 * segment nobody wants ({@code tcp_v4_send_reset}), the ACKs of request socks and TIME_WAIT
 * minisocks ({@code tcp_v4_send_ack}), and SYN-ACKs of request socks and cookies
 * ({@code tcp_v4_send_synack}); each built in a fresh skb and handed to IP as
 * {@code ip_send_unicast_reply} / {@code ip_build_and_send_pkt} do.
 */
final class TcpReplies {
    private final Tcp tcp;
    private final TcpHeader th = new TcpHeader();

    TcpReplies(Tcp tcp) {
        this.tcp = tcp;
    }

    /**
     * {@code tcp_v4_send_reset}: the answer to a segment no socket wants (RFC 9293 3.10.7.1): when
     * it had ACK, a RST with that sequence number; otherwise RST+ACK acknowledging it. Never in
     * answer to a RST.
     */
    void sendReset(SkBuff in) {
        ByteBuf b = in.buf();
        int t = in.transportHeader();
        int flags = b.getUnsignedByte(t + TcpHeader.FLAGS_OFFSET);
        if ((flags & TcpHeader.RST) != 0) {
            return;
        }
        int nh = in.networkHeader();
        int saddr = b.getInt(nh + Ipv4Header.DST_ADDR_OFFSET);
        int daddr = b.getInt(nh + Ipv4Header.SRC_ADDR_OFFSET);
        int sport = b.getUnsignedShort(t + TcpHeader.DST_PORT_OFFSET);
        int dport = b.getUnsignedShort(t + TcpHeader.SRC_PORT_OFFSET);
        int seq;
        int ack;
        int rflags;
        if ((flags & TcpHeader.ACK) != 0) {
            seq = TcpSkbCb.ackSeq(in);
            ack = 0;
            rflags = TcpHeader.RST;
        } else {
            seq = 0;
            ack = TcpSkbCb.endSeq(in);
            rflags = TcpHeader.RST | TcpHeader.ACK;
        }
        sendControl(saddr, sport, daddr, dport, seq, ack, rflags, 0, false, 0, 0);
        tcp.mib().inc(TcpMib.OUT_RSTS);
    }

    /** {@code tcp_v4_reqsk_send_ack}: an ACK for a request sock (an out-of-window segment in SYN-RECV). */
    void sendReqAck(RequestSock req, SkBuff in) {
        sendControl(req.localAddr(), req.localPort(), req.remoteAddr(), req.remotePort(), req.sntIsn() + 1,
                req.rcvNxt(), TcpHeader.ACK, req.rcvWnd() >>> req.rcvWscale(), req.tstampOk(),
                tcp.tsClock() + req.tsOff(), req.tsRecent());
    }

    /** {@code tcp_v4_timewait_ack}: a TIME_WAIT minisock re-ACKs. */
    void sendTimewaitAck(TcpTimewaitSock tw) {
        sendControl(tw.localAddr(), tw.localPort(), tw.remoteAddr(), tw.remotePort(), tw.sndNxt, tw.rcvNxt,
                TcpHeader.ACK, tw.rcvWnd >>> tw.rcvWscale, tw.tstampOk, tcp.tsClock() + tw.tsOff, tw.tsRecent);
    }

    /** {@code tcp_v4_send_synack}: the SYN-ACK of a request sock, or of a cookie. */
    void sendSynAck(TcpSock listener, RequestSock req, int advmss, boolean cookie) {
        int tsVal = 0;
        if (req.tstampOk()) {
            tsVal = cookie ? SynCookies.initTimestamp(SynCookies.encodeOptions(req.wscaleOk(), req.sndWscale(),
                    req.sackOk(), req.ecnOk()), tcp.now()) + req.tsOff() : tcp.tsClock() + req.tsOff();
        }
        if (!cookie && req.sntSynack() == 0) {
            req.setSntSynack(tcp.now());
        }
        // written in place, as SynNegotiation.synAckOptions + TcpRepr.emit would: no record per SYN
        int hlen = TcpHeader.MIN_HEADER_LEN + SynNegotiation.synAckOptionsLength(req);
        SkBuff skb = tcp.output().alloc(0);
        int at = skb.push(hlen);
        skb.resetTransportHeader();
        ByteBuf buf = skb.buf();
        TcpOutput.writeHeader(buf, at, req.localPort(), req.remotePort(), req.sntIsn(), req.rcvNxt(),
                TcpHeader.SYN | TcpHeader.ACK, Math.min(req.rcvWnd(), 65535), hlen);
        SynNegotiation.writeSynAckOptions(buf, at + TcpHeader.MIN_HEADER_LEN, req, advmss, tsVal);
        th.wrap(buf, at, hlen).fillChecksum(req.localAddr(), req.remoteAddr());
        tcp.tracePacket(true, req.localAddr(), req.localPort(), req.remoteAddr(), req.remotePort(), buf, at, hlen);
        tcp.host().ip().queueXmit(skb, req.localAddr(), req.remoteAddr(), IpProtocol.TCP, listener.tos(), 0, true);
        tcp.mib().inc(TcpMib.OUT_SEGS);
    }

    /** A segment with no socket behind it (RST, ACKs of minisocks), as {@code ip_send_unicast_reply}. */
    private void sendControl(int saddr, int sport, int daddr, int dport, int seq, int ack, int flags, int window,
                             boolean ts, int tsVal, int tsEcr) {
        int hlen = TcpHeader.MIN_HEADER_LEN + (ts ? TcpConstants.TCPOLEN_TSTAMP_ALIGNED : 0);
        SkBuff skb = tcp.output().alloc(0);
        int at = skb.push(hlen);
        skb.resetTransportHeader();
        ByteBuf buf = skb.buf();
        TcpOutput.writeHeader(buf, at, sport, dport, seq, ack, flags, Math.min(window, 65535), hlen);
        if (ts) {
            TcpOutput.writeTimestamps(buf, at + TcpHeader.MIN_HEADER_LEN, tsVal, tsEcr);
        }
        th.wrap(buf, at, hlen).fillChecksum(saddr, daddr);
        if ((flags & TcpHeader.RST) == 0) {
            tcp.mib().inc(TcpMib.OUT_SEGS);
        }
        tcp.tracePacket(true, saddr, sport, daddr, dport, buf, at, hlen);
        tcp.host().ip().queueXmit(skb, saddr, daddr, IpProtocol.TCP, 0, 0, true);
    }
}
