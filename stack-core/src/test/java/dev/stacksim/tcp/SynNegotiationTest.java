package dev.stacksim.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stacksim.tcp.SynNegotiation.InitialWindow;
import dev.stacksim.tcp.SynNegotiation.Negotiated;
import dev.stacksim.tcp.SynNegotiation.ReceivedOptions;
import dev.stacksim.tcp.SynNegotiation.Settings;
import dev.stacksim.wire.TcpHeader;
import dev.stacksim.wire.TcpOptions;
import dev.stacksim.wire.TcpRepr;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/**
 * Expected windows are what Linux 6.18 sent on this machine (tcpdump of Python loopback
 * connections in a network namespace, tcp_rmem "4096 131072 6291456" unless said otherwise,
 * net.core.rmem_max 4194304).
 */
class SynNegotiationTest {
    private static final Settings LINUX_612 = Settings.LINUX_DEFAULTS;
    /** This machine: rmem_max 4194304; tcp_rmem[2] as the test sets it. */
    private static final Settings THIS_MACHINE = new Settings(1, true, true, 6291456, 4194304, false);
    private static final Settings THIS_MACHINE_618 = THIS_MACHINE.withTcpRmemMax(33554432);
    private static final int RCVBUF = 131072;
    private static final TcpOptions LINUX_SYN =
            TcpOptions.NONE.withMss(1460).withSackPermitted(true).withTimestamps(654826208, 0).withWindowScale(7);

    @Test
    void advertisedMssIsMtuMinusFortyWithinLinuxsBounds() {
        assertEquals(1460, SynNegotiation.defaultAdvmss(1500));
        assertEquals(65495, SynNegotiation.defaultAdvmss(65536), "lo: observed mss 65495");
        assertEquals(65495, SynNegotiation.defaultAdvmss(65535));
        assertEquals(536, SynNegotiation.defaultAdvmss(576));
        assertEquals(256, SynNegotiation.defaultAdvmss(200), "min_adv_mss");
        assertEquals(1000, SynNegotiation.advertisedMss(1500, 1000), "TCP_MAXSEG 1000: observed mss 1000");
        assertEquals(1460, SynNegotiation.advertisedMss(1500, 2000), "TCP_MAXSEG only lowers");
    }

    @Test
    void fullSpaceIsHalfTheBuffer() {
        assertEquals(65536, SynNegotiation.fullSpace(RCVBUF));
        assertEquals(100, SynNegotiation.winFromSpace(200, TcpConstants.TCP_DEFAULT_SCALING_RATIO));
        assertEquals(150, SynNegotiation.winFromSpace(200, 192));
    }

    @Test
    void connectingWindowOnEthernetMtuIs64240WithScale7() {
        InitialWindow w = SynNegotiation.activeWindow(THIS_MACHINE, 1460, RCVBUF, false, 0);
        assertEquals(64240, w.rcvWnd());
        assertEquals(7, w.rcvWscale());
        assertEquals(0xFFFF << 7, w.windowClamp());
        assertEquals(w, SynNegotiation.activeWindow(LINUX_612, 1460, RCVBUF, false, 0), "rmem_max below tcp_rmem[2]");
    }

    @Test
    void connectingWindowOnLoopbackIs65495() {
        assertEquals(new InitialWindow(65495, 0xFFFF << 7, 7),
                SynNegotiation.activeWindow(THIS_MACHINE, 65495, RCVBUF, false, 0));
        assertEquals(10, SynNegotiation.activeWindow(THIS_MACHINE_618, 65495, RCVBUF, false, 0).rcvWscale(),
                "Linux 6.18's 32 MiB tcp_rmem[2]: observed wscale 10");
    }

    @Test
    void listenerWindowRoundsToTheMssLessTimestamps() {
        Negotiated eth = SynNegotiation.passive(LINUX_SYN, THIS_MACHINE, 1460, RCVBUF, false, 0, 0, false);
        assertEquals(65160, eth.rcvWnd(), "45 x 1448");
        assertEquals(7, eth.rcvWscale());
        Negotiated lo = SynNegotiation.passive(LINUX_SYN.withMss(65495), THIS_MACHINE, 65495, RCVBUF, false, 0, 0,
                false);
        assertEquals(65483, lo.rcvWnd());
        assertEquals(10, SynNegotiation.passive(LINUX_SYN.withMss(65495), THIS_MACHINE_618, 65495, RCVBUF, false, 0,
                0, false).rcvWscale());
    }

    @Test
    void listenerAnswersABareSynWithMssOnly() {
        // Observed: SYN "options [mss 1460]" got SYN-ACK "win 64240, options [mss 1460]".
        TcpOptions bare = TcpOptions.NONE.withMss(1460);
        Negotiated n = SynNegotiation.passive(bare, THIS_MACHINE, 1460, RCVBUF, false, 0, 0, false);
        assertEquals(64240, n.rcvWnd());
        assertFalse(n.wscaleOk());
        assertEquals(0, n.rcvWscale());
        assertFalse(n.sackOk());
        assertFalse(n.tstampOk());
        RequestSock req = new RequestSock(2, 80, 1, 40000, 12345, 99).negotiated(n);
        assertEquals(bare, SynNegotiation.synAckOptions(req, 1460, 42));
    }

    @Test
    void listenerEchoesEachOptionOnlyWhenTheSynHadIt() {
        Negotiated n = SynNegotiation.passive(LINUX_SYN, THIS_MACHINE, 1460, RCVBUF, false, 0, 0, false);
        RequestSock req = new RequestSock(2, 80, 1, 40000, 12345, 99).negotiated(n);
        assertEquals(TcpOptions.NONE.withMss(1460).withWindowScale(7).withTimestamps(42, 654826208)
                .withSackPermitted(true), SynNegotiation.synAckOptions(req, 1460, 42));

        Negotiated noSack = SynNegotiation.passive(LINUX_SYN.withSackPermitted(false), THIS_MACHINE, 1460, RCVBUF,
                false, 0, 0, false);
        assertFalse(noSack.sackOk());
        assertTrue(noSack.wscaleOk());
        Settings sackOff = new Settings(1, false, true, 6291456, 4194304, false);
        assertFalse(SynNegotiation.passive(LINUX_SYN, sackOff, 1460, RCVBUF, false, 0, 0, false).sackOk());
    }

    @Test
    void synAckWrittenInPlaceIsByteForByteTheEmittedRecord() {
        // Every combination of Window Scale, SACK-Permitted and Timestamps the SYN may have carried.
        for (int mask = 0; mask < 8; mask++) {
            TcpOptions syn = TcpOptions.NONE.withMss(1460);
            if ((mask & 1) != 0) {
                syn = syn.withWindowScale(7);
            }
            if ((mask & 2) != 0) {
                syn = syn.withSackPermitted(true);
            }
            if ((mask & 4) != 0) {
                syn = syn.withTimestamps(654826208, 0);
            }
            Negotiated n = SynNegotiation.passive(syn, THIS_MACHINE, 1460, RCVBUF, false, 0, 0, false);
            RequestSock req = new RequestSock(0x0A000002, 80, 0x0A000001, 40000, 12345, 99).negotiated(n);
            TcpOptions opts = SynNegotiation.synAckOptions(req, 1460, 42);
            TcpRepr r = new TcpRepr(80, 40000, 99, 12346, TcpHeader.SYN | TcpHeader.ACK, 65160, 0, opts, 0);
            int hlen = r.headerLen();
            assertEquals(hlen, TcpHeader.MIN_HEADER_LEN + SynNegotiation.synAckOptionsLength(req), "mask=" + mask);
            ByteBuf expected = Unpooled.buffer(hlen);
            r.emit(new TcpHeader().wrap(expected, 0, hlen), 0x0A000002, 0x0A000001);
            ByteBuf actual = Unpooled.buffer(hlen);
            TcpOutput.writeHeader(actual, 0, 80, 40000, 99, 12346, TcpHeader.SYN | TcpHeader.ACK, 65160, hlen);
            assertEquals(hlen - TcpHeader.MIN_HEADER_LEN,
                    SynNegotiation.writeSynAckOptions(actual, TcpHeader.MIN_HEADER_LEN, req, 1460, 42));
            new TcpHeader().wrap(actual, 0, hlen).fillChecksum(0x0A000002, 0x0A000001);
            assertEquals(ByteBufUtil.hexDump(expected, 0, hlen), ByteBufUtil.hexDump(actual, 0, hlen),
                    "mask=" + mask + " " + opts);
        }
    }

    @Test
    void listenerWithMaxsegAdvertisesItAndRoundsToIt() {
        // Observed: listener TCP_MAXSEG 1000 sent "win 65208, options [mss 1000,...]": 66 x 988.
        Negotiated n = SynNegotiation.passive(LINUX_SYN, THIS_MACHINE, SynNegotiation.advertisedMss(1500, 1000),
                RCVBUF, false, 0, 1000, false);
        assertEquals(65208, n.rcvWnd());
        assertEquals(1000, n.mss(), "and the peer's 1460 is lowered to it");
    }

    @Test
    void listenerWithLargeSoRcvbufOffersAFullWindowAndScale1() {
        // Observed: SO_RCVBUF 100000 (sk_rcvbuf 200000) gave "win 65535 ... wscale 1".
        Negotiated n = SynNegotiation.passive(LINUX_SYN, THIS_MACHINE, 1460, 200000, true, 0, 0, false);
        assertEquals(99912, n.rcvWnd(), "69 x 1448, sent as min(99912, 65535)");
        assertEquals(100000, n.windowClamp());
        assertEquals(1, n.rcvWscale());
    }

    @Test
    void connectingWithTinyRcvbufOffersOneMssAndScale0() {
        // Observed: SO_RCVBUF 2304 (sk_rcvbuf 4608) sent "win 1460 ... wscale 0".
        InitialWindow w = SynNegotiation.activeWindow(THIS_MACHINE, 1460, 4608, true, 0);
        assertEquals(new InitialWindow(1460, 2304, 0), w);
    }

    @Test
    void connectingWithMaxsegRoundsToIt() {
        // Observed: TCP_MAXSEG 1000 before connect() sent "win 65000, options [mss 1000,...]".
        InitialWindow w = SynNegotiation.activeWindow(THIS_MACHINE, SynNegotiation.advertisedMss(1500, 1000), RCVBUF,
                false, 0);
        assertEquals(65000, w.rcvWnd());
    }

    @Test
    void windowScaleFollowsTheLargestBufferAndStopsAt14() {
        assertEquals(7, SynNegotiation.selectInitialWindow(65536, 1460, 0, true, LINUX_612, 0).rcvWscale());
        assertEquals(10, SynNegotiation.selectInitialWindow(65536, 1460, 0, true,
                LINUX_612.withTcpRmemMax(33554432), 0).rcvWscale());
        assertEquals(0, SynNegotiation.selectInitialWindow(65536, 1460, 0, true,
                new Settings(1, true, true, 4096, 4096, false), 0).rcvWscale());
        assertEquals(14, SynNegotiation.selectInitialWindow(65536, 1460, 0, true,
                LINUX_612.withTcpRmemMax(Integer.MAX_VALUE), 0).rcvWscale());
        InitialWindow off = SynNegotiation.selectInitialWindow(65536, 1460, 0, false, LINUX_612, 0);
        assertEquals(0, off.rcvWscale());
        assertEquals(0xFFFF, off.windowClamp());
    }

    @Test
    void signedWindowWorkaroundAndInitRwndLimitTheWindow() {
        Settings signed = new Settings(1, true, true, 6291456, 212992, true);
        assertEquals(32767, SynNegotiation.selectInitialWindow(65536, 1460, 0, true, signed, 0).rcvWnd());
        assertEquals(14600, SynNegotiation.selectInitialWindow(65536, 1460, 0, true, LINUX_612, 10).rcvWnd());
        assertEquals(1000, SynNegotiation.selectInitialWindow(1000, 1460, 0, true, LINUX_612, 0).rcvWnd(),
                "space below one MSS is not rounded");
    }

    @Test
    void synOptionsFollowTheSysctlsInLinuxsOrder() {
        TcpOptions syn = SynNegotiation.synOptions(THIS_MACHINE, 1460, 7, 654826208);
        assertEquals(LINUX_SYN, syn);
        assertEquals(20, syn.length(), "mss 1460,sackOK,TS val .. ecr 0,nop,wscale 7");
        Settings bare = new Settings(0, false, false, 6291456, 212992, false);
        assertEquals(TcpOptions.NONE.withMss(1460), SynNegotiation.synOptions(bare, 1460, 0, 1));
    }

    @Test
    void parsingTakesThePeersMssOr536() {
        assertEquals(1460, SynNegotiation.parseSynOptions(LINUX_SYN, LINUX_612, 0).mssClamp());
        assertEquals(536, SynNegotiation.parseSynOptions(TcpOptions.NONE, LINUX_612, 0).mssClamp());
        assertEquals(536, SynNegotiation.parseSynOptions(TcpOptions.NONE.withMss(0), LINUX_612, 0).mssClamp(),
                "an MSS of 0 is ignored");
        assertEquals(1200, SynNegotiation.parseSynOptions(LINUX_SYN, LINUX_612, 1200).mssClamp());
    }

    @Test
    void parsingCapsWindowScaleAt14AndHonoursSysctls() {
        ReceivedOptions rx = SynNegotiation.parseSynOptions(LINUX_SYN.withWindowScale(15), LINUX_612, 0);
        assertTrue(rx.wscaleOk());
        assertEquals(14, rx.sndWscale());
        ReceivedOptions off = SynNegotiation.parseSynOptions(LINUX_SYN, new Settings(0, false, false, 1, 1, false), 0);
        assertFalse(off.wscaleOk());
        assertFalse(off.sackOk());
        assertFalse(off.sawTstamp());
        assertEquals(0, off.tsVal());
    }

    @Test
    void cookieWithoutTimestampsDropsWindowScaleAndSack() {
        TcpOptions noTs = LINUX_SYN.withoutTimestamps();
        Negotiated n = SynNegotiation.passive(noTs, LINUX_612, 1460, RCVBUF, false, 0, 0, true);
        assertFalse(n.wscaleOk());
        assertFalse(n.sackOk());
        assertEquals(0, n.rcvWscale());
        assertEquals(1460, n.mss());
        Negotiated withTs = SynNegotiation.passive(LINUX_SYN, LINUX_612, 1460, RCVBUF, false, 0, 0, true);
        assertTrue(withTs.wscaleOk());
        assertTrue(withTs.sackOk());
    }

    @Test
    void connectingEndUsesWhatTheSynAckReturned() {
        InitialWindow w = SynNegotiation.activeWindow(THIS_MACHINE, 1460, RCVBUF, false, 0);
        // Observed SYN-ACK: "TS val 2546584836 ecr 654826208".
        Negotiated full = SynNegotiation.active(LINUX_SYN.withTimestamps((int) 2546584836L, 654826208), THIS_MACHINE,
                w, 0);
        assertTrue(full.wscaleOk());
        assertEquals(7, full.rcvWscale());
        assertTrue(full.tstampOk());
        assertEquals((int) 2546584836L, full.tsRecent());
        Negotiated mssOnly = SynNegotiation.active(TcpOptions.NONE.withMss(1400), THIS_MACHINE, w, 0);
        assertEquals(1400, mssOnly.mss());
        assertFalse(mssOnly.wscaleOk());
        assertEquals(0, mssOnly.rcvWscale());
        assertEquals(0xFFFF, mssOnly.windowClamp());
        assertFalse(mssOnly.sackOk());
        assertFalse(mssOnly.tstampOk());
        assertEquals(536, SynNegotiation.active(TcpOptions.NONE, THIS_MACHINE, w, 0).mss());
        assertEquals(1000, SynNegotiation.active(TcpOptions.NONE, THIS_MACHINE, w, 1000).mss(), "TCP_MAXSEG");
    }

    @Test
    void sendMssIsPathMtuLessHeadersAndTimestamps() {
        assertEquals(1448, SynNegotiation.mtuToMss(1500, 1460, 32, 48), "ss -i: mss:1448");
        assertEquals(1460, SynNegotiation.mtuToMss(1500, 1460, 20, 48));
        assertEquals(65483, SynNegotiation.mtuToMss(65535, 65495, 32, 48));
        assertEquals(524, SynNegotiation.mtuToMss(1500, 536, 32, 48), "a peer without an MSS option");
        assertEquals(60, SynNegotiation.mtuToMss(100, 1460, 20, 48));
        assertEquals(36, SynNegotiation.mtuToMss(68, 1460, 32, 48), "floor tcp_min_snd_mss before options");
    }

    @Test
    void segmentsAreBoundToHalfThePeersLargestWindow() {
        // ss -i on loopback: the server's mss:32768 (client offered 65536), the client's mss:32741
        // (server offered 65483).
        assertEquals(32768, SynNegotiation.boundToHalfWnd(65536, 65483, 32));
        assertEquals(32741, SynNegotiation.boundToHalfWnd(65483, 65483, 32));
        assertEquals(1448, SynNegotiation.boundToHalfWnd(64256, 1448, 32));
        assertEquals(500, SynNegotiation.boundToHalfWnd(500, 1448, 32), "small windows are not halved");
        assertEquals(1448, SynNegotiation.boundToHalfWnd(0, 1448, 32));
        assertEquals(36, SynNegotiation.boundToHalfWnd(20, 1448, 32));
    }

    @Test
    void synOptionsWrittenInPlaceMatchTheRecordsEmitForEveryCombination() {
        for (int mask = 0; mask < 8; mask++) {
            boolean ts = (mask & 1) != 0;
            boolean sack = (mask & 2) != 0;
            boolean ws = (mask & 4) != 0;
            TcpOptions opts = TcpOptions.NONE.withMss(1460);
            if (ts) {
                opts = opts.withTimestamps(654826208, 77);
            }
            if (ws) {
                opts = opts.withWindowScale(7);
            }
            if (sack) {
                opts = opts.withSackPermitted(true);
            }
            TcpRepr r = new TcpRepr(40000, 80, 12345, 0, TcpHeader.SYN, 65535, 0, opts, 0);
            int hlen = r.headerLen();
            assertEquals(hlen, TcpHeader.MIN_HEADER_LEN + SynNegotiation.synOptionsLength(ts, sack, ws), "mask=" + mask);
            ByteBuf expected = Unpooled.buffer(hlen);
            r.emit(new TcpHeader().wrap(expected, 0, hlen), 0x0A000001, 0x0A000002);
            ByteBuf actual = Unpooled.buffer(hlen);
            TcpOutput.writeHeader(actual, 0, 40000, 80, 12345, 999, TcpHeader.SYN, 65535, hlen);
            assertEquals(hlen - TcpHeader.MIN_HEADER_LEN, SynNegotiation.writeSynOptions(actual, TcpHeader.MIN_HEADER_LEN,
                    1460, ts, 654826208, 77, sack, ws, 7));
            new TcpHeader().wrap(actual, 0, hlen).fillChecksum(0x0A000001, 0x0A000002);
            assertEquals(ByteBufUtil.hexDump(expected, 0, hlen), ByteBufUtil.hexDump(actual, 0, hlen),
                    "mask=" + mask + " " + opts);
        }
    }
}
