package dev.stacksim.docs.tour;

import dev.stacksim.buf.SkBuff;
import dev.stacksim.buf.SkBuffPool;
import dev.stacksim.wire.Inet;
import dev.stacksim.wire.TcpHeader;
import dev.stacksim.wire.TcpOptions;
import dev.stacksim.wire.TcpRepr;

import static dev.stacksim.wire.Inet.htons;
import static dev.stacksim.wire.Inet.inet_addr;

/**
 * Byte order: why the seeds' C code writes {@code sin_port = 0x1d25} for port 9501, what
 * {@code htons} and {@code inet_addr} do, and how {@code /proc/net/tcp} prints both.
 */
public final class ByteOrderChapter implements Chapter {
    @Override
    public String id() {
        return "byteorder";
    }

    @Override
    public String title() {
        return "Byte order: htons, inet_addr and port 9501 on the wire";
    }

    @Override
    public String guidePage() {
        return "guide/byte-order.md";
    }

    @Override
    public void run(TourOutput out) {
        out.para("A port is a 16-bit number; the wire carries it most significant byte first "
                + "(network byte order, big-endian). An x86 host keeps numbers least significant "
                + "byte first, so the bytes a C program must store in sin_port are the number "
                + "byte-swapped: that is what htons() returns.");
        int port = 9501;
        // tag::port[]
        int hostOrder = port;                    // 0x251D: the number itself
        int stored = htons(port);                // 0x1D25: bytes 25 1D read back on a little-endian host
        int addr = inet_addr("127.0.0.1");       // 0x0100007F: bytes 7F 00 00 01 read the same way
        int any = inet_addr("0.0.0.0");          // INADDR_ANY
        // end::port[]
        out.show(String.format("port %d = binary %s = 0x%04X (host order, the number)", port,
                binary16(hostOrder), hostOrder));
        out.show(String.format("htons(%d) = 0x%04X   the value the seed's C code puts in sin_port",
                port, stored));
        out.show(String.format("inet_addr(\"127.0.0.1\") = 0x%08X   inet_addr(\"0.0.0.0\") = %d = INADDR_ANY",
                addr, any));
        out.show(String.format("ntohs(0x%04X) = %d   inet_ntoa(0x%08X) = %s", stored, Inet.ntohs(stored), addr,
                Inet.inet_ntoa(addr)));
        out.blank();

        out.para("On the wire the port is two bytes, 25 1D. Here is a TCP header from port 9501 "
                + "to port 80 as the stack emits it, first eight bytes:");
        SkBuffPool pool = SkBuffPool.create();
        SkBuff skb = pool.alloc(0, TcpHeader.MIN_HEADER_LEN);
        try {
            skb.put(TcpHeader.MIN_HEADER_LEN);
            TcpRepr syn = new TcpRepr(port, 80, 1000, 0, TcpHeader.SYN, 65535, 0, TcpOptions.NONE, 0);
            TcpHeader view = new TcpHeader().wrap(skb.buf(), skb.data(), skb.len());
            syn.emit(view, 0x7F000001, 0x7F000001);
            StringBuilder hex = new StringBuilder();
            for (int i = 0; i < 8; i++) {
                hex.append(String.format("%02x ", skb.getByte(skb.data() + i) & 0xFF));
            }
            out.show(hex.toString().trim() + "   (src port, dst port, sequence number)");
            out.show("tcpdump: " + view);
        } finally {
            skb.consume();
            pool.close();
        }
        out.blank();

        out.para("/proc/net/tcp prints an address as the in_addr_t a little-endian host sees and a "
                + "port as the plain number, which is why a listener on 127.0.0.1:9501 shows as:");
        out.show(String.format("local_address %08X:%04X", addr, port));
    }

    private static String binary16(int v) {
        String bits = String.format("%16s", Integer.toBinaryString(v & 0xFFFF)).replace(' ', '0');
        return bits.substring(0, 8) + " " + bits.substring(8);
    }
}
