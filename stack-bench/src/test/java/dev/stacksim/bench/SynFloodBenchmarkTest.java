package dev.stacksim.bench;

import dev.stacksim.wire.EthernetHeader;
import dev.stacksim.wire.Ipv4Header;
import dev.stacksim.wire.Ipv4Repr;
import dev.stacksim.wire.MalformedPacketException;
import dev.stacksim.wire.TcpHeader;
import dev.stacksim.wire.TcpRepr;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SynFloodBenchmarkTest {
    @Test
    void synFramesAreValidLinuxSynsFromDistinctSources() throws MalformedPacketException {
        byte[][] frames = SynFloodBenchmark.synFrames(256, SynFloodBenchmark.SERVER_MAC, SynFloodBenchmark.GATEWAY_MAC,
                0x0A00_0002, 80);
        Set<Integer> sources = new HashSet<>();
        for (byte[] f : frames) {
            assertEquals(74, f.length);
            ByteBuf buf = Unpooled.wrappedBuffer(f);
            Ipv4Repr ip = Ipv4Repr.parse(new Ipv4Header().wrap(buf, EthernetHeader.HEADER_LEN, 60));
            TcpRepr tcp = TcpRepr.parse(new TcpHeader().wrap(buf, 34, 40), ip.src().toInt(), ip.dst().toInt(), true);
            assertEquals(TcpHeader.SYN, tcp.flags());
            assertEquals(80, tcp.dstPort());
            assertEquals("mss 1460,sackOK,TS val " + Integer.toUnsignedString(tcp.options().tsVal()) + " ecr 0,nop,wscale 7",
                    tcp.options().toString());
            sources.add(ip.src().toInt());
        }
        assertEquals(256, sources.size());
    }

    @Test
    void everySynIsAnsweredByACookieSynAckAndNothingLeaks() {
        SynFloodBenchmark b = new SynFloodBenchmark();
        b.setUp();
        for (int i = 0; i < 3; i++) {
            assertTrue(b.syns() >= (i + 1L) * SynFloodBenchmark.BATCH);
        }
        b.tearDown(); // throws unless SyncookiesSent and eth0's transmits equal the SYNs
    }
}
