package dev.stacksim.docs.tour;

import dev.stacksim.buf.SkBuff;
import dev.stacksim.buf.SkBuffPool;
import dev.stacksim.diag.SequenceDiagram;
import dev.stacksim.net.PcapWriter;
import dev.stacksim.wire.EtherType;
import dev.stacksim.wire.EthernetHeader;
import dev.stacksim.wire.EthernetRepr;
import dev.stacksim.wire.IpProtocol;
import dev.stacksim.wire.Ipv4Address;
import dev.stacksim.wire.Ipv4Header;
import dev.stacksim.wire.Ipv4Repr;
import dev.stacksim.wire.MacAddress;
import dev.stacksim.wire.MalformedPacketException;
import dev.stacksim.wire.TcpHeader;
import dev.stacksim.wire.TcpOptions;
import dev.stacksim.wire.TcpRepr;

import java.nio.file.Path;

/**
 * A SYN built the way the stack builds one: each layer emits its header into the skb's headroom
 * from a parsed representation, and the receiver parses each header back, checksums included.
 */
public final class WireChapter implements Chapter {
    private static final long MS = 1_000_000;

    @Override
    public String id() {
        return "wire";
    }

    @Override
    public String title() {
        return "Wire formats: a SYN down the layers, tcpdump's view, and back up";
    }

    @Override
    public String guidePage() {
        return "guide/wire-formats.md";
    }

    @Override
    public void run(TourOutput out) {
        out.para("Each header has two faces: a view that reads and writes the bytes in place, and a "
                + "record holding the parsed values. A layer emits its record into the headroom it "
                + "pushed; a receiving layer checks the lengths, parses (verifying the checksum) "
                + "and pulls. Here is the first segment of a connection to 10.0.0.2:9501.");
        Path pcap = out.artifact(id(), "wire.pcap");
        Path svg = out.artifact(id(), "wire.svg");
        // No network here: the frames are written by hand, as a tap on the client's cable would
        // see them, the intact SYN at 0 ms and the corrupted copy at 2 ms.
        SequenceDiagram diagram = new SequenceDiagram("a SYN, then a copy with one bit flipped");
        int clientLane = diagram.lane("client 10.0.0.1");
        int serverLane = diagram.lane("server 10.0.0.2");
        SkBuffPool pool = SkBuffPool.create();
        PcapWriter capture = PcapWriter.open(pcap);
        try {
            SkBuff skb = pool.alloc(128, 0);
            // tag::down[]
            Ipv4Address client = Ipv4Address.parse("10.0.0.1");
            Ipv4Address server = Ipv4Address.parse("10.0.0.2");
            TcpRepr syn = new TcpRepr(40000, 9501, 1_000_000, 0, TcpHeader.SYN, 64240, 0,
                    TcpOptions.NONE.withMss(1460).withSackPermitted(true)
                            .withTimestamps(1, 0).withWindowScale(7), 0);
            int tcpAt = skb.push(syn.bufferLen());
            TcpHeader tcp = new TcpHeader().wrap(skb.buf(), tcpAt, syn.bufferLen());
            syn.emit(tcp, client.toInt(), server.toInt());          // fills the checksum

            Ipv4Repr ip = Ipv4Repr.of(client, server, IpProtocol.TCP, syn.bufferLen())
                    .withIdentification(0x1c46).withDontFragment(true);
            int ipAt = skb.push(ip.bufferLen());
            ip.emit(new Ipv4Header().wrap(skb.buf(), ipAt, ip.bufferLen() + syn.bufferLen()));

            EthernetRepr eth = new EthernetRepr(MacAddress.parse("02:00:00:00:00:01"),
                    MacAddress.parse("02:00:00:00:00:02"), EtherType.IPV4);
            int ethAt = skb.push(eth.bufferLen());
            eth.emit(new EthernetHeader().wrap(skb.buf(), ethAt, skb.len()));
            // end::down[]
            capture.write(skb, 0);
            diagram.arrow(clientLane, serverLane, 0, MS, "TCP 40000 > 9501: " + tcp);

            out.show("as tcpdump -e -v -S prints it:");
            out.show(new EthernetHeader().wrap(skb.buf(), skb.data(), skb.len()).toString());
            out.show(new Ipv4Header().wrap(skb.buf(), skb.data() + 14, skb.len() - 14).toString());
            out.show("  10.0.0.1.40000 > 10.0.0.2.9501: " + tcp);
            out.blank();
            out.show("the " + skb.len() + " bytes on the wire (tcpdump -xx):");
            hexdump(out, skb);
            out.blank();

            out.para("The receiver goes up: check, parse, pull. Every check that fails names its "
                    + "reason, so the stack can count the drop instead of throwing:");
            try {
                // tag::up[]
                EthernetHeader rxEth = new EthernetHeader().wrap(skb.buf(), skb.data(), skb.len());
                EthernetRepr l2 = EthernetRepr.parse(rxEth);
                skb.pull(EthernetHeader.HEADER_LEN);
                Ipv4Header rxIp = new Ipv4Header().wrap(skb.buf(), skb.data(), skb.len());
                Ipv4Repr l3 = Ipv4Repr.parse(rxIp);                     // verifies the header checksum
                skb.pull(rxIp.headerLen());
                TcpHeader rxTcp = new TcpHeader().wrap(skb.buf(), skb.data(), skb.len());
                TcpRepr l4 = TcpRepr.parse(rxTcp, l3.src().toInt(), l3.dst().toInt(), true);
                // end::up[]
                out.show("ethertype " + EtherType.name(l2.etherType()) + ", " + l3.src() + " > " + l3.dst()
                        + ", ttl " + l3.ttl() + ", mss " + l4.options().mss() + ", wscale "
                        + l4.options().windowScale());
                skb.setByte(skb.data() + 4, skb.getByte(skb.data() + 4) ^ 0x01);   // flip one bit
                TcpRepr.parse(rxTcp, l3.src().toInt(), l3.dst().toInt(), true);
            } catch (MalformedPacketException e) {
                capture.write(skb.buf(), ethAt, skb.tail() - ethAt, 2 * MS);
                diagram.dropped(clientLane, serverLane, 2 * MS, 3 * MS, "TCP 40000 > 9501: "
                        + new TcpHeader().wrap(skb.buf(), skb.data(), skb.len()), e.reason().name());
                out.show("one bit flipped in the sequence number -> " + e.getMessage());
                out.show("reason " + e.reason() + ": Linux counts it in TcpInCsumErrors and drops it");
            }
            skb.consume();
        } finally {
            capture.close();
            pool.close();
        }
        diagram.write(svg);
        out.show("sequence diagram: " + svg.getFileName() + "; capture: " + pcap.getFileName());
    }

    private static void hexdump(TourOutput out, SkBuff skb) {
        for (int line = 0; line < skb.len(); line += 16) {
            StringBuilder sb = new StringBuilder(String.format("0x%04x: ", line));
            for (int i = line; i < Math.min(line + 16, skb.len()); i += 2) {
                sb.append(' ').append(String.format("%02x", skb.getByte(skb.data() + i) & 0xFF));
                if (i + 1 < skb.len()) {
                    sb.append(String.format("%02x", skb.getByte(skb.data() + i + 1) & 0xFF));
                }
            }
            out.show(sb.toString());
        }
    }
}
