package dev.stacksim.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stacksim.sim.SimRandom;
import dev.stacksim.sim.SimTime;
import dev.stacksim.tcp.SynCookies.CookieAck;
import dev.stacksim.tcp.SynCookies.CookieOptions;
import dev.stacksim.tcp.SynCookies.CookieVerdict;
import dev.stacksim.wire.Ipv4Address;
import dev.stacksim.wire.TcpHeader;
import dev.stacksim.wire.TcpOptions;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SynCookiesTest {
    private static final int CLIENT = Ipv4Address.parse("10.0.0.1").toInt();
    private static final int SERVER = Ipv4Address.parse("10.0.0.2").toInt();
    private static final int CPORT = 40000;
    private static final int SPORT = 80;
    private static final int CLIENT_ISN = 0x1234_5678;
    private static final SynNegotiation.Settings DEFAULTS = SynNegotiation.Settings.LINUX_DEFAULTS;

    private final SimRandom hostRandom = new SimRandom(11).fork("host:server");
    private final SynCookies cookies = new SynCookies(hostRandom.fork("syncookie_secret"));
    private final IsnGenerator isn = new IsnGenerator(hostRandom.fork("net_secret"));

    private int cookie(int mss, long now) {
        return cookies.initSequence(CLIENT, SERVER, CPORT, SPORT, CLIENT_ISN, mss, now);
    }

    private int check(int cookie, long now) {
        return cookies.check(CLIENT, SERVER, CPORT, SPORT, CLIENT_ISN + 1, cookie + 1, now);
    }

    @Test
    void mssTableIsLinuxs() {
        assertEquals(4, SynCookies.mssTableSize());
        assertEquals(536, SynCookies.mssOfIndex(0));
        assertEquals(1300, SynCookies.mssOfIndex(1));
        assertEquals(1440, SynCookies.mssOfIndex(2));
        assertEquals(1460, SynCookies.mssOfIndex(3));
    }

    @Test
    void mssChosenIsTheLargestTableEntryNotAboveThePeers() {
        assertEquals(1460, SynCookies.cookieMss(1460));
        assertEquals(1300, SynCookies.cookieMss(1400));
        assertEquals(536, SynCookies.cookieMss(1000));
        assertEquals(536, SynCookies.cookieMss(536));
        assertEquals(1440, SynCookies.cookieMss(1452), "PPPoE");
        assertEquals(1460, SynCookies.cookieMss(65495), "loopback");
        assertEquals(536, SynCookies.cookieMss(100), "below the table: index 0");
        assertEquals(1300, SynCookies.cookieMss(1439));
    }

    @Test
    void cookieValidatesForEveryMssIndex() {
        long now = SimTime.seconds(30);
        for (int i = 0; i < SynCookies.mssTableSize(); i++) {
            int mss = SynCookies.mssOfIndex(i);
            assertEquals(mss, check(cookie(mss, now), now), "index " + i);
        }
    }

    @Test
    void cookieCarriesTheMinuteCounterInItsTopByte() {
        long now = SimTime.seconds(5 * 60 + 3);
        assertEquals(5, SynCookies.cookieTime(now));
        int data = 2;
        int withCount5 = cookies.secureTcpSynCookie(CLIENT, SERVER, CPORT, SPORT, CLIENT_ISN, data, 5);
        int withCount6 = cookies.secureTcpSynCookie(CLIENT, SERVER, CPORT, SPORT, CLIENT_ISN, data, 6);
        assertEquals(data, cookies.checkTcpSynCookie(withCount5, CLIENT, SERVER, CPORT, SPORT, CLIENT_ISN, 5));
        assertEquals(1, ((withCount6 - withCount5) >>> 24) & 0xFF, "count << 24 plus a 24-bit hash difference");
    }

    @Test
    void cookieIsValidInItsMinuteAndTheNext() {
        int c = cookie(1460, 0);
        assertEquals(1460, check(c, 0));
        assertEquals(1460, check(c, SimTime.seconds(59)));
        assertEquals(1460, check(c, SimTime.seconds(60)));
        assertEquals(1460, check(c, SimTime.seconds(120) - 1));
    }

    @Test
    void cookieFailsOnceTheCounterMovedTwice() {
        assertEquals(0, check(cookie(1460, 0), SimTime.seconds(120)));
        // Made late in minute 0, a cookie lives only a little over a minute.
        int late = cookie(1460, SimTime.millis(59_900));
        assertEquals(1460, check(late, SimTime.seconds(119)));
        assertEquals(0, check(late, SimTime.seconds(120)));
        assertEquals(0, check(cookie(1460, 0), SimTime.seconds(10 * 60)));
    }

    @Test
    void cookieFromTheFutureFails() {
        assertEquals(0, check(cookie(1460, SimTime.seconds(61)), SimTime.seconds(59)));
    }

    @Test
    void cookieFailsForAChangedTuple() {
        long now = SimTime.seconds(1);
        int c = cookie(1460, now);
        int ack = c + 1;
        int seq = CLIENT_ISN + 1;
        assertEquals(1460, cookies.check(CLIENT, SERVER, CPORT, SPORT, seq, ack, now));
        assertEquals(0, cookies.check(CLIENT + 1, SERVER, CPORT, SPORT, seq, ack, now));
        assertEquals(0, cookies.check(CLIENT, SERVER + 1, CPORT, SPORT, seq, ack, now));
        assertEquals(0, cookies.check(CLIENT, SERVER, CPORT + 1, SPORT, seq, ack, now));
        assertEquals(0, cookies.check(CLIENT, SERVER, CPORT, SPORT + 1, seq, ack, now));
        assertEquals(0, cookies.check(SERVER, CLIENT, SPORT, CPORT, seq, ack, now), "reversed tuple");
        assertEquals(0, cookies.check(CLIENT, SERVER, CPORT, SPORT, seq + 4, ack, now), "another client ISN");
    }

    @Test
    void cookieWithAnyOfItsUpperThirtyBitsFlippedFails() {
        long now = SimTime.seconds(90);
        for (int idx = 0; idx < 4; idx++) {
            int c = cookie(SynCookies.mssOfIndex(idx), now);
            for (int bit = 2; bit < 32; bit++) {
                assertEquals(0, check(c ^ (1 << bit), now), "index " + idx + " bit " + bit);
            }
        }
    }

    @Test
    void flippingTheLowTwoBitsOnlyMovesTheMssAsInLinux() {
        // The MSS index is added to the low bits: a cookie altered there may still decode to a
        // table entry. Linux accepts it; the client only chose another of the four MSS values.
        long now = SimTime.seconds(90);
        int c = cookie(536, now);
        assertEquals(1300, check(c + 1, now));
        assertEquals(1460, check(c + 3, now));
        assertEquals(0, check(c + 4, now));
    }

    @Test
    void randomForgeriesAlmostNeverPass() {
        SplittableRandom r = new SplittableRandom(1);
        long now = SimTime.seconds(30);
        int passed = 0;
        for (int i = 0; i < 100_000; i++) {
            if (check(r.nextInt(), now) != 0) {
                passed++;
            }
        }
        // A random cookie passes with probability about 2 * 4 / 2^32 (two counters accepted in 256).
        assertEquals(0, passed);
    }

    @Test
    void timestampOptionsRoundTripForEveryWscaleSackAndEcn() {
        long now = SimTime.millis(123_456);
        for (int ws = 0; ws <= 14; ws++) {
            for (int bits = 0; bits < 4; bits++) {
                boolean sack = (bits & 1) != 0;
                boolean ecn = (bits & 2) != 0;
                int options = SynCookies.encodeOptions(true, ws, sack, ecn);
                int ts = SynCookies.initTimestamp(options, now);
                assertEquals(options, ts & 0x3F);
                CookieOptions back = SynCookies.decodeTimestamp(true, ts, 1, 1, 1);
                assertEquals(new CookieOptions(true, sack, true, ws, ecn), back);
            }
        }
        int none = SynCookies.encodeOptions(false, 0, true, false);
        assertEquals(0x1F, none);
        assertEquals(new CookieOptions(true, true, false, 0, false),
                SynCookies.decodeTimestamp(true, SynCookies.initTimestamp(none, now), 1, 1, 1));
    }

    @Test
    void cookieTimestampNeverRunsAheadOfTheClock() {
        // 1000 ms: the low six bits are 40 (0b101000). Options 47 would make 1007, ahead of the
        // clock, so Linux steps back 64 ms: 943.
        assertEquals(943, SynCookies.initTimestamp(47, SimTime.millis(1000)));
        assertEquals(960 + 7, SynCookies.initTimestamp(7, SimTime.millis(1000)));
        assertEquals(1000, SynCookies.initTimestamp(40, SimTime.millis(1000)));
        SplittableRandom r = new SplittableRandom(9);
        for (int i = 0; i < 1000; i++) {
            long ms = 64 + r.nextLong(1L << 40);
            int options = r.nextInt(64);
            long ts = Integer.toUnsignedLong(SynCookies.initTimestamp(options, SimTime.millis(ms)));
            long clock = ms & 0xFFFF_FFFFL;
            assertTrue(((clock - ts) & 0xFFFF_FFFFL) < 64, "ms=" + ms + " options=" + options);
        }
    }

    @Test
    void decodingRefusesOptionsThisHostSwitchedOff() {
        int sackAndWs7 = SynCookies.encodeOptions(true, 7, true, false);
        assertNull(SynCookies.decodeTimestamp(true, sackAndWs7, 1, 0, 1), "tcp_sack=0");
        assertNull(SynCookies.decodeTimestamp(true, sackAndWs7, 1, 1, 0), "tcp_window_scaling=0");
        assertNull(SynCookies.decodeTimestamp(true, sackAndWs7, 0, 1, 1), "tcp_timestamps=0");
        int noWs = SynCookies.encodeOptions(false, 0, false, false);
        assertEquals(new CookieOptions(true, false, false, 0, false),
                SynCookies.decodeTimestamp(true, noWs, 1, 1, 0), "no window scaling asked: fine");
        assertEquals(CookieOptions.NONE, SynCookies.decodeTimestamp(false, 0, 1, 1, 1));
    }

    @Test
    void ackWithTimestampButZeroEcrDecodesAsWindowScaleZero() {
        // Linux: rcv_tsecr == 0 is not offset-corrected, and its option bits read as wscale 0.
        assertEquals(new CookieOptions(true, false, true, 0, false), SynCookies.decodeTimestamp(true, 0, 1, 1, 1));
    }

    @Test
    void wholeHandshakeThroughACookieRestoresMssAndOptions() {
        long synTime = SimTime.millis(70_500);
        int cookie = cookies.initSequence(CLIENT, SERVER, CPORT, SPORT, CLIENT_ISN, 1400, synTime);
        int tsOff = isn.tsOff(SERVER, CLIENT, SPORT, CPORT, 1);
        int options = SynCookies.encodeOptions(true, 7, true, false);
        int synAckTsVal = SynCookies.initTimestamp(options, synTime) + tsOff;

        long ackTime = synTime + SimTime.millis(40);
        TcpOptions ackOptions = TcpOptions.NONE.withTimestamps(555, synAckTsVal);
        CookieAck result = cookies.checkAck(CLIENT, SERVER, CPORT, SPORT, CLIENT_ISN + 1, cookie + 1, TcpHeader.ACK,
                ackOptions, tsOff, 1, false, DEFAULTS, ackTime);

        assertEquals(CookieVerdict.VALID, result.verdict());
        assertEquals(1300, result.mss());
        assertEquals(new CookieOptions(true, true, true, 7, false), result.options());
        assertEquals(CLIENT_ISN, result.rcvIsn());
        assertEquals(cookie, result.sntIsn());
        assertEquals(555, result.tsRecent());
        assertEquals(tsOff, result.tsOff());
        assertTrue(result.bumps(ListenCounter.SYNCOOKIES_RECV));
        assertFalse(result.bumps(ListenCounter.SYNCOOKIES_FAILED));
    }

    @Test
    void ackWithoutTimestampsRestoresOnlyTheMss() {
        long now = SimTime.seconds(2);
        int cookie = cookie(1460, now);
        CookieAck result = cookies.checkAck(CLIENT, SERVER, CPORT, SPORT, CLIENT_ISN + 1, cookie + 1, TcpHeader.ACK,
                TcpOptions.NONE, 0, 1, false, DEFAULTS, now);
        assertEquals(CookieVerdict.VALID, result.verdict());
        assertEquals(1460, result.mss());
        assertEquals(CookieOptions.NONE, result.options());
    }

    @Test
    void ackIsNotCheckedWithoutRecentOverflowOrCookiesOrAPureAck() {
        long now = SimTime.seconds(2);
        int ack = cookie(1460, now) + 1;
        int seq = CLIENT_ISN + 1;
        assertEquals(CookieVerdict.NOT_CHECKED, cookies.checkAck(CLIENT, SERVER, CPORT, SPORT, seq, ack,
                TcpHeader.ACK, TcpOptions.NONE, 0, 1, true, DEFAULTS, now).verdict(), "no recent overflow");
        assertEquals(CookieVerdict.NOT_CHECKED, cookies.checkAck(CLIENT, SERVER, CPORT, SPORT, seq, ack,
                TcpHeader.ACK, TcpOptions.NONE, 0, 0, false, DEFAULTS, now).verdict(), "tcp_syncookies=0");
        assertEquals(CookieVerdict.NOT_CHECKED, cookies.checkAck(CLIENT, SERVER, CPORT, SPORT, seq, ack,
                TcpHeader.ACK | TcpHeader.RST, TcpOptions.NONE, 0, 1, false, DEFAULTS, now).verdict(), "RST");
        assertEquals(CookieVerdict.NOT_CHECKED, cookies.checkAck(CLIENT, SERVER, CPORT, SPORT, seq, ack,
                TcpHeader.PSH, TcpOptions.NONE, 0, 1, false, DEFAULTS, now).verdict(), "no ACK flag");
        assertEquals(0, cookies.checkAck(CLIENT, SERVER, CPORT, SPORT, seq, ack, TcpHeader.ACK, TcpOptions.NONE, 0,
                1, true, DEFAULTS, now).counters());
    }

    @Test
    void forgedAckCountsSyncookiesFailed() {
        long now = SimTime.seconds(2);
        int ack = cookie(1460, now) + 1 + (1 << 10);
        CookieAck result = cookies.checkAck(CLIENT, SERVER, CPORT, SPORT, CLIENT_ISN + 1, ack, TcpHeader.ACK,
                TcpOptions.NONE, 0, 1, false, DEFAULTS, now);
        assertEquals(CookieVerdict.FAILED, result.verdict());
        assertTrue(result.bumps(ListenCounter.SYNCOOKIES_FAILED));
        assertFalse(result.bumps(ListenCounter.SYNCOOKIES_RECV));
    }

    @Test
    void validCookieAskingForADisabledOptionIsRefusedButCountedReceived() {
        long now = SimTime.seconds(2);
        int cookie = cookie(1460, now);
        int tsOff = 12345;
        int tsVal = SynCookies.initTimestamp(SynCookies.encodeOptions(true, 7, true, false), now) + tsOff;
        SynNegotiation.Settings noSack = new SynNegotiation.Settings(1, false, true, 6291456, 212992, false);
        CookieAck result = cookies.checkAck(CLIENT, SERVER, CPORT, SPORT, CLIENT_ISN + 1, cookie + 1, TcpHeader.ACK,
                TcpOptions.NONE.withTimestamps(1, tsVal), tsOff, 1, false, noSack, now);
        assertEquals(CookieVerdict.OPTIONS_REFUSED, result.verdict());
        assertTrue(result.bumps(ListenCounter.SYNCOOKIES_RECV));
    }

    @Test
    void sameSeedGivesSameCookies() {
        SynCookies again = new SynCookies(new SimRandom(11).fork("host:server").fork("syncookie_secret"));
        assertEquals(cookie(1460, 5), again.initSequence(CLIENT, SERVER, CPORT, SPORT, CLIENT_ISN, 1460, 5));
    }
}
