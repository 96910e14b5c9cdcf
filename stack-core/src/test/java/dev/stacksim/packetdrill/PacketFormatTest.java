package dev.stacksim.packetdrill;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PacketFormatTest {
    private static PacketSpec line(String text) {
        return (PacketSpec) Script.parse("t.pkt", "0 " + text).events().get(0).action();
    }

    @Test
    void scriptLinesPrintAsPacketdrillDumpsThem() {
        assertEquals("S. 0:0(0) ack 1 <mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 7>",
                PacketFormat.script(line("> S. 0:0(0) ack 1 <mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 7>")));
        assertEquals("P. 1:1001(1000) ack 1 win 257", PacketFormat.script(line("< P. 1:1001(1000) ack 1 win 257")));
        assertEquals("F. 1:1(0) ack 1 <...>", PacketFormat.script(line("> F. 1:1(0) ack 1 <...>")));
        assertEquals("R 1:1(0)", PacketFormat.script(line("> R 1:1(0)")));
        assertEquals("udp (10)", PacketFormat.script(line("> udp (10)")));
        assertEquals("icmp unreachable port_unreachable", PacketFormat.script(line("> icmp unreachable port_unreachable")));
        assertEquals("script packet:  0.100000 udp (1)", PacketFormat.dumpLine("script", 100_000, "udp (1)"));
    }

    @Test
    void optionBytesAreNamedOneByOne() {
        byte[] o = TcpOptionSpec.encodeAll(line("> S 0:0(0) <mss 1460,nop,nop,sack 1:2 3:4,FO 0a0b,nop,nop,nop,nop>")
                .transport() instanceof PacketSpec.Tcp t ? t.options() : null);
        assertEquals("[mss 1460, nop, nop, sack 1:2 3:4, FO 0a0b, nop, nop, nop, nop]", PacketFormat.options(o).toString());
        assertEquals("[unknown-option(kind=99,len=2)]", PacketFormat.options(new byte[] {99, 2}).toString());
        assertEquals("[bad-option(kind=2)]", PacketFormat.options(new byte[] {2, 9}).toString());
    }
}
