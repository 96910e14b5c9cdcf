package dev.stacksim.tcp;

import dev.stacksim.dev.FrameTap;
import dev.stacksim.socket.Process;
import dev.stacksim.wire.IpProtocol;
import dev.stacksim.wire.TcpHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static dev.stacksim.socket.SocketConstants.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The TCP checksum of data segments, which {@code transmitSkb} leaves partial (the pseudo-header's
 * sum in the field, {@code CHECKSUM_PARTIAL}) for the device or {@code skb_checksum_help} to
 * complete: every segment on the wire must carry the checksum a whole-segment sum gives, whatever
 * the sizes and parities of the writes that filled it, and so must retransmissions of segments cut
 * by a partial ACK.
 */
class TcpChecksumTest {
    /** Writes of odd and even sizes, some with MSG_MORE so that later ones append at odd offsets. */
    private static final int[] WRITES = {1, 3, 1447, 1449, 7, 2897, 5000, 2, 1, 999, 65535, 4};

    @Test
    void segmentsFilledByOddAndEvenWritesCarryTheWholeSegmentChecksum() {
        try (TcpLab lab = new TcpLab(3)) {
            Process srv = lab.b.spawn("srv");
            int lfd = lab.listen(srv, 80, 8);
            Process cli = lab.a.spawn("cli");
            int fd = lab.connect(cli, 80);
            int cfd = srv.accept(lfd);
            int total = Arrays.stream(WRITES).sum();
            byte[] data = new byte[total];
            for (int i = 0; i < total; i++) {
                data[i] = (byte) (i * 131 + 17);
            }
            int off = 0;
            for (int i = 0; i < WRITES.length; i++) {
                int flags = i % 3 == 1 ? MSG_MORE : 0;
                assertEquals(WRITES[i], cli.send(fd, data, off, WRITES[i], flags));
                off += WRITES[i];
            }
            byte[] got = new byte[total];
            int n = 0;
            while (n < total) {
                n += srv.recv(cfd, got, n, total - n, 0);
            }
            assertArrayEquals(data, got);
            int checked = verifyEveryTcpFrame(lab.tap);
            assertTrue(checked > 50, "data segments checked: " + checked);
            assertEquals(0, TcpLab.mib(lab.b, "InCsumErrors"));
            cli.close(fd);
            srv.close(cfd);
            srv.close(lfd);
            lab.run(120_000_000_000L);
        }
    }

    /** Checks the TCP checksum of every frame the tap saw by summing it whole; returns how many carried data. */
    static int verifyEveryTcpFrame(FrameTap tap) {
        int withData = 0;
        for (FrameTap.Frame f : tap.frames()) {
            ByteBuf fr = Unpooled.wrappedBuffer(f.bytes());
            if (fr.getUnsignedByte(14 + 9) != IpProtocol.TCP) {
                continue;
            }
            int ihl = (fr.getUnsignedByte(14) & 0x0F) * 4;
            int total = fr.getUnsignedShort(14 + 2);
            TcpHeader th = new TcpHeader().wrap(fr, 14 + ihl, total - ihl);
            assertTrue(th.verifyChecksum(fr.getInt(14 + 12), fr.getInt(14 + 16)), "bad checksum: " + th);
            if (total - ihl > th.headerLen()) {
                withData++;
            }
        }
        return withData;
    }
}
