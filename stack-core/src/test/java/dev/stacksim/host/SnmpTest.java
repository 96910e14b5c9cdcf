package dev.stacksim.host;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SnmpTest {
    private final Sysctl sysctl = new Sysctl();
    private final Snmp snmp = new Snmp(sysctl);

    /** Linux 6.18's header lines, as this machine's /proc/net/snmp and /proc/net/netstat print them. */
    private static final String IP_HEADER = "Ip: Forwarding DefaultTTL InReceives InHdrErrors InAddrErrors ForwDatagrams"
            + " InUnknownProtos InDiscards InDelivers OutRequests OutDiscards OutNoRoutes ReasmTimeout ReasmReqds"
            + " ReasmOKs ReasmFails FragOKs FragFails FragCreates OutTransmits";
    private static final String ICMP_HEADER = "Icmp: InMsgs InErrors InCsumErrors InDestUnreachs InTimeExcds"
            + " InParmProbs InSrcQuenchs InRedirects InEchos InEchoReps InTimestamps InTimestampReps InAddrMasks"
            + " InAddrMaskReps OutMsgs OutErrors OutRateLimitGlobal OutRateLimitHost OutDestUnreachs OutTimeExcds"
            + " OutParmProbs OutSrcQuenchs OutRedirects OutEchos OutEchoReps OutTimestamps OutTimestampReps"
            + " OutAddrMasks OutAddrMaskReps";
    private static final String TCP_HEADER = "Tcp: RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens PassiveOpens"
            + " AttemptFails EstabResets CurrEstab InSegs OutSegs RetransSegs InErrs OutRsts InCsumErrors";
    private static final String TCP_VALUES = "Tcp: 1 200 120000 -1 0 0 0 0 0 0 0 0 0 0 0";
    private static final String IPEXT_HEADER = "IpExt: InNoRoutes InTruncatedPkts InMcastPkts OutMcastPkts"
            + " InBcastPkts OutBcastPkts InOctets OutOctets InMcastOctets OutMcastOctets InBcastOctets OutBcastOctets"
            + " InCsumErrors InNoECTPkts InECT1Pkts InECT0Pkts InCEPkts ReasmOverlaps";

    @Test
    void freshCountersPrintAsProcNetSnmp() {
        assertEquals(IP_HEADER + "\nIp: 2 64 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n"
                + ICMP_HEADER + "\nIcmp: 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n"
                + TCP_HEADER + "\n" + TCP_VALUES + "\n",
                snmp.procNetSnmp());
        String netstat = snmp.procNetNetstat();
        assertEquals(true, netstat.endsWith(IPEXT_HEADER + "\nIpExt: 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n"), netstat);
        // TcpExt comes first, as in Linux, with 6.18's 135 counters.
        String[] tcpExt = netstat.substring(0, netstat.indexOf('\n')).split(" ");
        assertEquals("TcpExt:", tcpExt[0]);
        assertEquals(135, tcpExt.length - 1);
        assertEquals("SyncookiesSent", tcpExt[1]);
        assertEquals(true, java.util.Arrays.asList(tcpExt).containsAll(java.util.List.of(
                "ListenOverflows", "ListenDrops", "TCPReqQFullDoCookies", "TCPReqQFullDrop", "TCPAbortOnClose")));
    }

    @Test
    void gaugesFollowTheSysctls() {
        sysctl.set("net.ipv4.ip_forward", 1);
        sysctl.set("net.ipv4.ip_default_ttl", 128);
        assertEquals(1, snmp.get("IpForwarding"));
        assertEquals(128, snmp.get("IpDefaultTTL"));
        assertEquals(true, snmp.procNetSnmp().contains("\nIp: 1 128 "));
    }

    @Test
    void countersAreFoundByTheirNstatNames() {
        snmp.ip.inc(IpMib.IN_RECEIVES);
        snmp.ip.inc(IpMib.IN_RECEIVES);
        snmp.ip.add(IpMib.OUT_TRANSMITS, 5);
        snmp.ipExt.inc(IpExtMib.IN_CSUM_ERRORS);
        snmp.ipExt.add(IpExtMib.IN_OCTETS, 84);
        snmp.icmp.inc(IcmpMib.IN_MSGS);
        assertEquals(2, snmp.get("IpInReceives"));
        assertEquals(5, snmp.get("IpOutTransmits"));
        assertEquals(1, snmp.get("IpExtInCsumErrors"));
        assertEquals(84, snmp.get("IpExtInOctets"));
        assertEquals(1, snmp.get("IcmpInMsgs"));
        assertEquals(2, snmp.ip.get(IpMib.IN_RECEIVES));
        assertEquals(2, snmp.ip.get("InReceives"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> snmp.get("IpInBogus"));
        assertEquals("snmp: no counter named IpInBogus", e.getMessage());
    }

    @Test
    void icmpTypesFeedIcmpMsgAndTheIcmpColumns() {
        snmp.icmpIn(8);
        snmp.icmpIn(8);
        snmp.icmpIn(3);
        snmp.icmpOut(0);
        snmp.icmpOut(0);
        snmp.icmpIn(42);
        assertEquals(2, snmp.get("IcmpInEchos"));
        assertEquals(1, snmp.get("IcmpInDestUnreachs"));
        assertEquals(2, snmp.get("IcmpOutEchoReps"));
        assertEquals(2, snmp.get("IcmpOutMsgs"), "icmpOut counts OutMsgs too");
        assertEquals(2, snmp.get("IcmpMsgInType8"));
        assertEquals(1, snmp.get("IcmpMsgInType42"));
        assertEquals(2, snmp.get("IcmpMsgOutType0"));
        String text = snmp.procNetSnmp();
        assertEquals(true, text.contains("\nIcmpMsg: InType3 InType8 InType42 OutType0\nIcmpMsg: 1 2 1 2\nTcp: "), text);
    }

    /** A group a transport adds later, with its own enum. */
    enum UdpMib implements MibField {
        IN_DATAGRAMS("InDatagrams"), NO_PORTS("NoPorts");

        private final String n;

        UdpMib(String n) {
            this.n = n;
        }

        @Override
        public String linuxName() {
            return n;
        }
    }

    @Test
    void transportGroupsRegisterAndPrintInLinuxsOrder() {
        MibGroup<UdpMib> udp = snmp.register(new MibGroup<>("Udp", MibGroup.File.SNMP, 40, UdpMib.class));
        udp.inc(UdpMib.NO_PORTS);
        assertEquals(1, snmp.get("UdpNoPorts"));
        snmp.icmpIn(0);
        String text = snmp.procNetSnmp();
        assertEquals(true, text.endsWith("IcmpMsg: InType0\nIcmpMsg: 1\n" + TCP_HEADER + "\n" + TCP_VALUES
                + "\nUdp: InDatagrams NoPorts\nUdp: 0 1\n"), text);
        assertThrows(IllegalArgumentException.class,
                () -> snmp.register(new MibGroup<>("Udp", MibGroup.File.SNMP, 40, UdpMib.class)));
    }

    @Test
    void clearZeroesEverything() {
        snmp.ip.inc(IpMib.IN_DELIVERS);
        snmp.icmpOut(8);
        snmp.clear();
        assertEquals(0, snmp.get("IpInDelivers"));
        assertEquals(0, snmp.get("IcmpOutEchos"));
        assertEquals(0, snmp.get("IcmpMsgOutType8"));
    }
}
