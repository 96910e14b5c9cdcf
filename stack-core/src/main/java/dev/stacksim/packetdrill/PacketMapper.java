package dev.stacksim.packetdrill;

import dev.stacksim.wire.Checksum;
import dev.stacksim.wire.IpProtocol;
import dev.stacksim.wire.TcpHeader;

/**
 * Translates between script values and live values ({@code map_inbound_packet},
 * {@code tcp_convert_seq_number} and {@code map_outbound_live_packet} in packetdrill's
 * {@code run_packet.c}).
 *
 * <p>Inbound, a script line becomes the bytes of a real IPv4 packet: the live 4-tuple of its
 * socket (the remote end's address and port as source), sequence numbers shifted by the ISNs, SACK
 * blocks shifted like the ack, the TS ecr replaced by the live TS val the script's value stood for,
 * a TTL of 255 unless given, and correct IP and transport checksums.
 *
 * <p>Outbound, a copy of the live packet is shifted the other way, so that it can be compared with
 * the line field by field: seq and ack relative again, and the TS val rebased on the first one seen
 * (packetdrill does not check it unless {@code --tcp_ts_tick_usecs} is set).
 */
final class PacketMapper {
    /** IP header length of every packet the runner builds. */
    private static final int IP_HLEN = 20;
    /** packetdrill's TTL for injected packets ({@code TTL_CHECK_NONE}). */
    private static final int DEFAULT_TTL = 255;

    private final ScriptConfig config;

    PacketMapper(ScriptConfig config) {
        this.config = config;
    }

    /**
     * The live bytes for inbound line {@code p} on socket {@code s}; updates the socket's handshake
     * state as {@code do_inbound_script_packet} does.
     *
     * @throws IllegalArgumentException with packetdrill's message when a TS ecr cannot be mapped
     */
    byte[] inbound(PacketSpec p, ScriptSocket s) {
        int src = s.remoteIp != 0 ? s.remoteIp : config.remoteIp().toInt();
        int dst = s.localIp != 0 ? s.localIp : config.localIp().toInt();
        int sport = s.remotePort != 0 ? s.remotePort : config.connectPort();
        int dport = s.localPort != 0 ? s.localPort : config.bindPort();
        int ttl = p.ip().ttl() != 0 ? p.ip().ttl() : DEFAULT_TTL;
        int tos = p.ip().tosCheck() == PacketSpec.TosCheck.NONE ? 0 : p.ip().tos();
        if (p.transport() instanceof PacketSpec.Tcp t) {
            if (t.srcPort() != 0) {
                sport = t.srcPort();
            }
            if (t.dstPort() != 0) {
                dport = t.dstPort();
            }
            return tcp(t, s, src, dst, sport, dport, tos, ttl);
        }
        if (p.transport() instanceof PacketSpec.Udp u) {
            if (u.srcPort() != 0) {
                sport = u.srcPort();
            }
            if (u.dstPort() != 0) {
                dport = u.dstPort();
            }
            byte[] b = ip(IP_HLEN + 8 + u.payloadLen(), tos, ttl, IpProtocol.UDP, src, dst);
            put16(b, IP_HLEN, sport);
            put16(b, IP_HLEN + 2, dport);
            put16(b, IP_HLEN + 4, 8 + u.payloadLen());
            put16(b, IP_HLEN + 6, l4Checksum(b, src, dst, IpProtocol.UDP));
            return b;
        }
        return icmp((PacketSpec.Icmp) p.transport(), s, src, dst, sport, dport, tos, ttl);
    }

    private byte[] tcp(PacketSpec.Tcp t, ScriptSocket s, int src, int dst, int sport, int dport, int tos, int ttl) {
        boolean syn = t.has('S');
        boolean ackFlag = t.has('.');
        if (s.state == ScriptSocket.State.PASSIVE_SYNACK_SENT && ackFlag) {
            s.state = ScriptSocket.State.PASSIVE_SYNACK_ACKED;
        } else if (s.state == ScriptSocket.State.ACTIVE_SYN_SENT && syn && ackFlag) {
            s.state = ScriptSocket.State.ACTIVE_SYN_ACKED;
            s.liveRemoteIsn = t.seq();
        }
        byte[] opts = TcpOptionSpec.encodeAll(t.options());
        int thlen = 20 + opts.length;
        byte[] b = ip(IP_HLEN + thlen + t.payloadLen(), tos, ttl, IpProtocol.TCP, src, dst);
        int at = IP_HLEN;
        put16(b, at, sport);
        put16(b, at + 2, dport);
        LivePacket.put32(b, at + 4, t.seq() + s.remoteSeqScriptToLive(syn));
        long ackOffset = s.localSeqScriptToLive(syn);
        LivePacket.put32(b, at + 8, ackFlag ? t.ack() + ackOffset : t.ack());
        int flags = t.flagBits();
        b[at + 12] = (byte) ((thlen / 4) << 4 | ((flags & PacketSpec.AE) != 0 ? 1 : 0));
        b[at + 13] = (byte) flags;
        put16(b, at + 14, t.window());
        put16(b, at + 18, t.urgPointer());
        System.arraycopy(opts, 0, b, at + 20, opts.length);
        mapInboundOptions(b, at + 20, opts.length, ackOffset, ackFlag, s);
        put16(b, at + 16, l4Checksum(b, src, dst, IpProtocol.TCP));
        return b;
    }

    /** SACK blocks shifted like the ack; the TS ecr replaced by the live TS val it echoes. */
    private void mapInboundOptions(byte[] b, int from, int len, long ackOffset, boolean ackFlag, ScriptSocket s) {
        int i = from;
        int end = from + len;
        while (i < end) {
            int kind = b[i] & 0xFF;
            if (kind == TcpHeader.OPT_EOL) {
                break;
            }
            if (kind == TcpHeader.OPT_NOP) {
                i++;
                continue;
            }
            int olen = b[i + 1] & 0xFF;
            if (kind == TcpHeader.OPT_SACK) {
                for (int blk = i + 2; blk + 8 <= i + olen; blk += 8) {
                    LivePacket.put32(b, blk, (LivePacket.i32(b, blk) & 0xFFFF_FFFFL) + ackOffset);
                    LivePacket.put32(b, blk + 4, (LivePacket.i32(b, blk + 4) & 0xFFFF_FFFFL) + ackOffset);
                }
            } else if (kind == TcpHeader.OPT_TIMESTAMP && ackFlag) {
                long scriptEcr = LivePacket.i32(b, i + 6) & 0xFFFF_FFFFL;
                Long live = s.tsValMap.get(scriptEcr);
                if (live == null) {
                    throw new IllegalArgumentException("unable to infer live TS ecr for script TS ecr " + scriptEcr
                            + ";  no matching or preceding outbound TS val");
                }
                LivePacket.put32(b, i + 6, live);
            }
            i += Math.max(olen, 2);
        }
    }

    private byte[] icmp(PacketSpec.Icmp m, ScriptSocket s, int src, int dst, int sport, int dport, int tos, int ttl) {
        int type = IcmpNames.type(m.type());
        int code = IcmpNames.code(type, m.code());
        if (type < 0 || code < 0) {
            throw new IllegalArgumentException("unknown ICMP type or code: " + m.type()
                    + (m.code() == null ? "" : " " + m.code()));
        }
        PacketSpec.Echoed e = m.echoed();
        boolean quotes = e.protocol() == IpProtocol.TCP || e.protocol() == IpProtocol.UDP;
        int icmpLen = quotes ? 8 + IP_HLEN + 8 : Math.max(8, e.payloadLen());
        byte[] b = ip(IP_HLEN + icmpLen, tos, ttl, IpProtocol.ICMP, src, dst);
        int at = IP_HLEN;
        b[at] = (byte) type;
        b[at + 1] = (byte) code;
        if (m.mtu() >= 0) {
            put16(b, at + 6, m.mtu());
        } else if (m.echoId() != 0) {
            put16(b, at + 4, m.echoId());
        }
        if (quotes) {
            // The quoted datagram is the one this host sent: its source is the local end.
            int q = at + 8;
            int l4hdr = e.protocol() == IpProtocol.TCP ? 20 : 8;
            b[q] = 0x45;
            put16(b, q + 2, IP_HLEN + l4hdr + e.payloadLen());
            b[q + 8] = (byte) DEFAULT_TTL;
            b[q + 9] = (byte) e.protocol();
            LivePacket.put32(b, q + 12, dst);
            LivePacket.put32(b, q + 16, src);
            put16(b, q + 10, Checksum.finish(Checksum.sum(b, q, IP_HLEN)));
            put16(b, q + IP_HLEN, dport);
            put16(b, q + IP_HLEN + 2, sport);
            if (e.protocol() == IpProtocol.TCP) {
                LivePacket.put32(b, q + IP_HLEN + 4, e.seq() + s.localSeqScriptToLive(false));
            } else {
                put16(b, q + IP_HLEN + 4, 8 + e.payloadLen());
            }
        }
        put16(b, at + 2, Checksum.finish(Checksum.sum(b, at, icmpLen)));
        return b;
    }

    /** An IPv4 packet of {@code total} bytes, header filled and checksummed (id 0, no DF, as packetdrill). */
    private static byte[] ip(int total, int tos, int ttl, int protocol, int src, int dst) {
        byte[] b = new byte[total];
        b[0] = 0x45;
        b[1] = (byte) tos;
        put16(b, 2, total);
        b[8] = (byte) ttl;
        b[9] = (byte) protocol;
        LivePacket.put32(b, 12, src);
        LivePacket.put32(b, 16, dst);
        put16(b, 10, Checksum.finish(Checksum.sum(b, 0, IP_HLEN)));
        return b;
    }

    private static int l4Checksum(byte[] b, int src, int dst, int protocol) {
        int len = b.length - IP_HLEN;
        return Checksum.finish(Checksum.combine(Checksum.pseudoHeader(src, dst, protocol, len),
                Checksum.sum(b, IP_HLEN, len)));
    }

    private static void put16(byte[] b, int at, int v) {
        b[at] = (byte) (v >> 8);
        b[at + 1] = (byte) v;
    }

    // ---------------------------------------------------------------- outbound

    /**
     * {@code tcp_convert_seq_number}: a copy of live packet {@code live} with seq, ack and SACK
     * blocks in script space.
     */
    static LivePacket toScriptSeq(LivePacket live, ScriptSocket s) {
        LivePacket a = live.copy();
        if (!a.isTcp()) {
            return a;
        }
        boolean syn = a.has(TcpHeader.SYN);
        a.seq = (a.seq - s.localSeqScriptToLive(syn)) & 0xFFFF_FFFFL;
        long ackOffset = s.remoteSeqScriptToLive(syn);
        if (a.has(TcpHeader.ACK)) {
            a.ack = (a.ack - ackOffset) & 0xFFFF_FFFFL;
        }
        int sack = a.findOption(TcpHeader.OPT_SACK);
        if (sack >= 0) {
            int olen = a.options[sack + 1] & 0xFF;
            for (int blk = sack + 2; blk + 8 <= sack + olen; blk += 8) {
                LivePacket.put32(a.options, blk, (LivePacket.i32(a.options, blk) & 0xFFFF_FFFFL) - ackOffset);
                LivePacket.put32(a.options, blk + 4, (LivePacket.i32(a.options, blk + 4) & 0xFFFF_FFFFL) - ackOffset);
            }
        }
        return a;
    }

    /**
     * {@code map_outbound_live_packet}'s timestamp part: remembers which live TS val the script's TS
     * val stands for, and rebases the actual TS val on the first pair seen.
     */
    static void mapTimestamps(LivePacket actual, PacketSpec.Tcp script, ScriptSocket s) {
        if (script.options() == null) {
            return;
        }
        TcpOptionSpec.Timestamp ts = null;
        for (TcpOptionSpec o : script.options()) {
            if (o instanceof TcpOptionSpec.Timestamp t) {
                ts = t;
            }
        }
        int at = actual.findOption(TcpHeader.OPT_TIMESTAMP);
        if (ts == null || at < 0 || (actual.options[at + 1] & 0xFF) != TcpHeader.OPTLEN_TIMESTAMP) {
            return;
        }
        long liveVal = LivePacket.i32(actual.options, at + 2) & 0xFFFF_FFFFL;
        s.tsValMap.put(ts.val(), liveVal);
        if (!s.foundFirstTs) {
            s.foundFirstTs = true;
            s.firstScriptTsVal = ts.val();
            s.firstActualTsVal = liveVal;
        }
        LivePacket.put32(actual.options, at + 2, s.firstScriptTsVal + (liveVal - s.firstActualTsVal));
    }
}
