package dev.stacksim.nic;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static dev.stacksim.nic.TestFrames.addr;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ToeplitzTest {
    /**
     * Microsoft's RSS verification suite for IPv4 ("Verifying the RSS Hash Calculation"):
     * destination, destination port, source, source port, IPv4-only hash, IPv4-with-TCP hash.
     */
    private static final Object[][] SUITE = {
        {"161.142.100.80", 1766, "66.9.149.187", 2794, 0x323e8fc2, 0x51ccc178},
        {"65.69.140.83", 4739, "199.92.111.2", 14230, 0xd718262a, 0xc626b0ea},
        {"12.22.207.184", 38024, "24.19.198.95", 12898, 0xd2d0a5de, 0x5c2b394a},
        {"209.142.163.6", 2217, "38.27.205.30", 48228, 0x82989176, 0xafc7327f},
        {"202.188.127.2", 1303, "153.39.163.191", 44251, 0x5d1809c5, 0x10e828a2},
    };

    private final Toeplitz toeplitz = Toeplitz.withMicrosoftKey();

    @Test
    void ipv4OnlyHashesMatchTheVerificationSuite() {
        for (Object[] v : SUITE) {
            int dst = addr((String) v[0]);
            int src = addr((String) v[2]);
            assertEquals((int) v[4], toeplitz.hashIpv4(src, dst), "2-tuple " + v[2] + " -> " + v[0]);
        }
    }

    @Test
    void ipv4WithPortsHashesMatchTheVerificationSuite() {
        for (Object[] v : SUITE) {
            int dst = addr((String) v[0]);
            int src = addr((String) v[2]);
            assertEquals((int) v[5], toeplitz.hashIpv4Ports(src, dst, (int) v[3], (int) v[1]),
                    "4-tuple " + v[2] + ":" + v[3] + " -> " + v[0] + ":" + v[1]);
        }
    }

    @Test
    void bitByBitHashOfTheInputBytesMatchesTheSuite() {
        for (Object[] v : SUITE) {
            byte[] in = new byte[12];
            putInt(in, 0, addr((String) v[2]));
            putInt(in, 4, addr((String) v[0]));
            in[8] = (byte) ((int) v[3] >>> 8);
            in[9] = (byte) (int) v[3];
            in[10] = (byte) ((int) v[1] >>> 8);
            in[11] = (byte) (int) v[1];
            assertEquals((int) v[4], toeplitz.hash(in, 0, 8));
            assertEquals((int) v[5], toeplitz.hash(in, 0, 12));
        }
    }

    @Test
    void tableLookupsAgreeWithTheBitByBitDefinitionForRandomKeysAndTuples() {
        SplittableRandom random = new SplittableRandom(42);
        for (int k = 0; k < 20; k++) {
            byte[] key = new byte[Toeplitz.KEY_LEN];
            random.nextBytes(key);
            Toeplitz t = new Toeplitz(key);
            for (int i = 0; i < 200; i++) {
                int src = random.nextInt();
                int dst = random.nextInt();
                int sport = random.nextInt(65536);
                int dport = random.nextInt(65536);
                byte[] in = new byte[12];
                putInt(in, 0, src);
                putInt(in, 4, dst);
                putInt(in, 8, (sport << 16) | dport);
                assertEquals(t.hash(in, 0, 8), t.hashIpv4(src, dst));
                assertEquals(t.hash(in, 0, 12), t.hashIpv4Ports(src, dst, sport, dport));
            }
        }
    }

    @Test
    void hashIsLinearOverXor() {
        int a = toeplitz.hashIpv4Ports(addr("10.0.0.1"), 0, 0, 0);
        int b = toeplitz.hashIpv4Ports(0, addr("10.0.0.2"), 0, 0);
        int c = toeplitz.hashIpv4Ports(0, 0, 9501, 0);
        assertEquals(a ^ b ^ c, toeplitz.hashIpv4Ports(addr("10.0.0.1"), addr("10.0.0.2"), 9501, 0));
        assertEquals(0, toeplitz.hashIpv4Ports(0, 0, 0, 0));
    }

    @Test
    void microsoftKeyIsAFreshCopyOfThePublishedKey() {
        byte[] key = Toeplitz.microsoftKey();
        assertEquals(40, key.length);
        assertEquals(0x6d, key[0] & 0xFF);
        assertEquals(0xfa, key[39] & 0xFF);
        key[0] = 0;
        assertEquals(0x6d, Toeplitz.microsoftKey()[0] & 0xFF);
        assertArrayEquals(Toeplitz.microsoftKey(), toeplitz.key());
        assertEquals("Toeplitz[key=6d5a56da255b0ec2...]", toeplitz.toString());
    }

    @Test
    void inputLongerThanTheKeyAllowsIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> toeplitz.hash(new byte[37], 0, 37));
        assertEquals("toeplitz: len=37 key len=40", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Toeplitz(new byte[15]));
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }
}
