package dev.stacksim.tcp;

import dev.stacksim.socket.Process;
import dev.stacksim.wire.Ipv4Address;
import dev.stacksim.wire.TcpHeader;
import dev.stacksim.wire.TcpOptions;
import dev.stacksim.wire.TcpRepr;

import java.util.ArrayList;
import java.util.List;

/**
 * A scripted remote end for a {@link TcpLab}, as packetdrill plays one: segments made by hand come
 * from 10.1.0.9 (through host {@code a}, which does not forward what {@code b} sends back, so only
 * the tap sees it) to a listener on {@code b}, and the test reads what {@code b}'s socket sends.
 * Sequence numbers in its methods are relative: 1 is the first byte after each side's SYN.
 *
 * <p>The peer advertises a large window (65535 scaled by 2^7 when {@code wscale}), and SACK
 * permission and timestamps as asked; with timestamps its TSval is the virtual time in
 * milliseconds and its TSecr echoes the newest TSval {@code b} sent.
 */
final class TcpPeer {
    static final int PEER = Ipv4Address.parse("10.1.0.9").toInt();
    static final int PORT = 8080;
    static final int PEER_PORT = 40000;

    final TcpLab lab;
    final Process srv;
    int fd = -1;
    TcpSock sk;
    final boolean sack;
    final boolean ts;
    /** b's ISN and the peer's. */
    final int irs;
    final int iss = 1_000_000;
    private int sndNxt = 1;
    private int seen;

    private TcpPeer(TcpLab lab, Process srv, int irs, boolean sack, boolean ts) {
        this.lab = lab;
        this.srv = srv;
        this.irs = irs;
        this.sack = sack;
        this.ts = ts;
    }

    /**
     * A connection from the peer to a listener on {@code b}, accepted. {@code mss} is what the
     * peer's SYN offers (b's MSS is that less 12 with timestamps); {@code beforeListen} may set
     * options on the listening socket (TCP_CONGESTION, SO_SNDBUF) that the child inherits.
     */
    static TcpPeer connect(TcpLab lab, int mss, boolean sack, boolean ts) {
        return connect(lab, mss, sack, ts, null);
    }

    /** {@link #connect(TcpLab, int, boolean, boolean)} with {@code beforeListen} run on the listener first. */
    static TcpPeer connect(TcpLab lab, int mss, boolean sack, boolean ts, java.util.function.ObjIntConsumer<Process> beforeListen) {
        Process srv = lab.b.spawn("srv");
        int lfd = srv.socket(dev.stacksim.socket.SocketConstants.AF_INET, dev.stacksim.socket.SocketConstants.SOCK_STREAM, 0);
        if (beforeListen != null) {
            beforeListen.accept(srv, lfd);
        }
        srv.bind(lfd, TcpLab.addr("0.0.0.0", PORT));
        srv.listen(lfd, 8);
        int tsv = ts ? tsval(lab) : 0;
        TcpOptions o = new TcpOptions(mss, 7, sack, ts, tsv, 0, List.of(), List.of());
        lab.inject(PEER, TcpLab.B, new TcpRepr(PEER_PORT, PORT, 1_000_000, 0, TcpHeader.SYN, 65535, 0, o, 0), null);
        lab.run(dev.stacksim.sim.SimTime.millis(1));
        TcpLab.Seg synack = lab.segs(s -> s.daddr() == PEER && s.flags().equals("S.")).get(0);
        int irs = synack.seq();
        TcpPeer p = new TcpPeer(lab, srv, irs, sack, ts);
        p.lastTsval = synack.opts().tsVal();
        p.rawAck(1, 65535, List.of());
        lab.run(dev.stacksim.sim.SimTime.millis(1));
        p.fd = srv.accept(lfd);
        p.sk = TcpLab.sock(srv, p.fd);
        p.seen = lab.segs().size();
        return p;
    }

    private int lastTsval;

    private static int tsval(TcpLab lab) {
        return (int) (lab.now() / 1_000_000L) + 1;
    }

    private TcpOptions opts(List<TcpOptions.SackBlock> blocks) {
        if (!ts && blocks.isEmpty()) {
            return TcpOptions.NONE;
        }
        return new TcpOptions(-1, -1, false, ts, ts ? tsval(lab) : 0, ts ? lastTsval : 0, blocks, List.of());
    }

    private void rawAck(int relAck, int win, List<TcpOptions.SackBlock> blocks) {
        lab.inject(PEER, TcpLab.B, new TcpRepr(PEER_PORT, PORT, iss + sndNxt, irs + relAck, TcpHeader.ACK, win, 0,
                opts(blocks), 0), null);
    }

    /** Sends an ACK of {@code relAck} with SACK blocks given as relative {@code start, end} pairs. */
    void ack(int relAck, int... sackPairs) {
        updateTsecr();
        List<TcpOptions.SackBlock> blocks = new ArrayList<>();
        for (int i = 0; i < sackPairs.length; i += 2) {
            blocks.add(new TcpOptions.SackBlock(irs + sackPairs[i], irs + sackPairs[i + 1]));
        }
        rawAck(relAck, 65535, blocks);
    }

    /** Sends {@code len} bytes of data at relative sequence {@code relSeq} (acknowledging what b sent so far). */
    void data(int relSeq, int len) {
        updateTsecr();
        byte[] payload = new byte[len];
        java.util.Arrays.fill(payload, (byte) 'x');
        int ack = sk.sndNxt() - irs;
        lab.inject(PEER, TcpLab.B, new TcpRepr(PEER_PORT, PORT, iss + relSeq, irs + ack, TcpHeader.ACK, 65535, 0,
                opts(List.of()), len), payload);
        if (TcpSeq.after(relSeq + len, sndNxt)) {
            sndNxt = relSeq + len;
        }
    }

    private void updateTsecr() {
        List<TcpLab.Seg> all = fromB(lab.segs());
        if (!all.isEmpty() && all.get(all.size() - 1).opts().timestamps()) {
            lastTsval = all.get(all.size() - 1).opts().tsVal();
        }
    }

    private static List<TcpLab.Seg> fromB(List<TcpLab.Seg> segs) {
        List<TcpLab.Seg> out = new ArrayList<>();
        for (TcpLab.Seg s : segs) {
            if (s.saddr() == TcpLab.B && s.daddr() == PEER) {
                out.add(s);
            }
        }
        return out;
    }

    /** What b sent to the peer since the last call (or since the connection was accepted). */
    List<TcpLab.Seg> out() {
        List<TcpLab.Seg> all = lab.segs();
        List<TcpLab.Seg> fresh = fromB(all.subList(seen, all.size()));
        seen = all.size();
        return fresh;
    }

    /** b's data segments in {@code segs} as relative {@code start:end} strings. */
    List<String> ranges(List<TcpLab.Seg> segs) {
        List<String> out = new ArrayList<>();
        for (TcpLab.Seg s : segs) {
            if (s.len() > 0) {
                out.add((s.seq() - irs) + ":" + (s.seq() - irs + s.len()));
            }
        }
        return out;
    }

    /** The SACK blocks of {@code s} as relative {@code start:end} strings (peer's sequence space). */
    List<String> sacks(TcpLab.Seg s) {
        List<String> out = new ArrayList<>();
        for (TcpOptions.SackBlock b : s.opts().sackBlocks()) {
            out.add((b.start() - iss) + ":" + (b.end() - iss));
        }
        return out;
    }

    /** The ack number of {@code s}, relative to the peer's ISN. */
    int relAck(TcpLab.Seg s) {
        return s.ack() - iss;
    }

    /** Has b write {@code n} bytes on the connection (the send buffer must take them). */
    void write(int n) {
        int w = srv.send(fd, new byte[n], 0);
        if (w != n) {
            throw new AssertionError("send wrote " + w + " of " + n);
        }
    }

    /** {@code tcp_info} of b's socket now. */
    TcpInfo info() {
        return TcpInfo.of(sk);
    }
}
