package dev.stacksim.tcp;

import dev.stacksim.socket.Process;
import dev.stacksim.wire.TcpHeader;
import dev.stacksim.wire.TcpOptions;
import dev.stacksim.wire.TcpRepr;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static dev.stacksim.tcp.TcpLab.ext;
import static dev.stacksim.tcp.TcpLab.sock;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The request sock (NEW_SYN_RECV) meeting what a peer may send after its SYN
 * ({@code tcp_check_req}): the final ACK with data and FIN, a RST, an ACK of the wrong number, an
 * out-of-window segment, another SYN. A hand-made peer at 10.1.0.9 plays the client.
 *
 * <p>Observed on Linux 6.18 with the same segments: ACK+data made the child and was ACKed at once
 * (recv gave the data); ACK+data+FIN made a CLOSE-WAIT child with Recv-Q 4, its ACK delayed
 * 40 ms (tcp_fin enters pingpong mode, so no quick ACK); a RST at RCV.NXT dropped the request
 * (EmbryonicRsts 1, AttemptFails 1) and a far one did nothing; an ACK of
 * the wrong number got R at that number and the request stayed; an out-of-window segment got an
 * ACK, a second one within 500 ms none (TCPACKSkippedSynRecv 1); a SYN with another sequence
 * number got R. acking it and dropped the request (EmbryonicRsts 2).
 */
class TcpSynRecvTest {
    private static final long MS = 1_000_000L;
    private static final int PEER = TcpLab.ip("10.1.0.9");

    TcpLab lab;
    Process srv;
    int lfd;
    TcpSock listener;

    @BeforeEach
    void listen() {
        lab = new TcpLab(101);
        srv = lab.b.spawn("srv");
        lfd = lab.listen(srv, 80, 8);
        listener = sock(srv, lfd);
    }

    @AfterEach
    void tearDown() {
        lab.close();
    }

    /** Sends a SYN from PEER:{@code port} (ISN 100) and returns the SYN-ACK. */
    private TcpLab.Seg syn(int port) {
        lab.inject(PEER, TcpLab.B, TcpLab.linuxSyn(port, 80, 100, 5), null);
        lab.run(MS);
        List<TcpLab.Seg> s = lab.segs(x -> x.dport() == port && x.flags().equals("S."));
        return s.get(s.size() - 1);
    }

    private void send(int port, int seq, int ack, int flags, String data) {
        byte[] payload = data == null ? null : data.getBytes(StandardCharsets.US_ASCII);
        TcpOptions ts = new TcpOptions(-1, -1, false, true, 6, 0, List.of(), List.of());
        lab.inject(PEER, TcpLab.B, new TcpRepr(port, 80, seq, ack, flags, 502, 0, ts, payload == null ? 0 : payload.length),
                payload);
        lab.run(MS);
    }

    private List<TcpLab.Seg> from(int port, int skip) {
        List<TcpLab.Seg> s = lab.segs(x -> x.dport() == port && x.from().equals("b"));
        return s.subList(skip, s.size());
    }

    @Test
    void aFinalAckWithDataMakesTheChildAndTheDataIsAckedAtOnce() {
        TcpLab.Seg sa = syn(5001);
        send(5001, 101, sa.seq() + 1, TcpHeader.PSH | TcpHeader.ACK, "hello");
        List<TcpLab.Seg> out = from(5001, 1);
        assertEquals(List.of("b ."), TcpLab.flow(out));
        assertEquals(106, out.get(0).ack());
        int c = srv.accept(lfd);
        byte[] buf = new byte[10];
        assertEquals("hello", TcpLab.str(buf, srv.recv(c, buf, 0, 10, 0)));
    }

    @Test
    void aFinalAckWithDataAndFinMakesACloseWaitChild() {
        TcpLab.Seg sa = syn(5002);
        send(5002, 101, sa.seq() + 1, TcpHeader.FIN | TcpHeader.PSH | TcpHeader.ACK, "bye");
        long sent = lab.now() - MS;
        assertEquals(List.of(), from(5002, 1), "the FIN put the child in pingpong mode: no quick ACK");
        lab.run(50 * MS);
        TcpLab.Seg ack = from(5002, 1).get(0);
        assertEquals(105, ack.ack());
        assertEquals(40.0, Math.round((ack.time() - sent) / 1e5) / 10.0, 0.3, "the delayed ACK, TCP_ATO_MIN");
        TcpSock child = sock(srv, srv.accept(lfd));
        assertEquals(TcpState.CLOSE_WAIT, child.tcpState());
        assertEquals(4, child.receiveQueueBytes(), "ss Recv-Q 4: three bytes and the FIN");
    }

    /**
     * RFC 5961 3.2 in SYN-RECEIVED: a RST at exactly RCV.NXT drops the request (EmbryonicRsts); one
     * elsewhere in the window gets a challenge ACK, rate limited per request; one outside the
     * window nothing. Observed on Linux 6.18: RST at 150 (RCV.NXT 101): an ACK, TCPChallengeACK 1,
     * the request kept; RST at 160 at once: nothing, TCPACKSkippedChallenge 1; RST at 101: the
     * request gone, EmbryonicRsts 1.
     */
    @Test
    void anExactRstDropsTheRequestAnotherInWindowGetsAChallengeAck() {
        TcpLab.Seg sa = syn(5003);
        assertEquals(1, listener.synQueueLength());
        send(5003, 100_000, 0, TcpHeader.RST, null);
        assertEquals(1, listener.synQueueLength(), "outside the window: ignored");
        assertEquals(List.of(), from(5003, 1));
        send(5003, 150, 0, TcpHeader.RST, null);
        send(5003, 160, 0, TcpHeader.RST, null);
        assertEquals(1, listener.synQueueLength());
        List<TcpLab.Seg> acks = from(5003, 1);
        assertEquals(List.of("b ."), TcpLab.flow(acks));
        assertEquals(sa.seq() + 1, acks.get(0).seq());
        assertEquals(101, acks.get(0).ack());
        assertEquals(1, ext(lab.b, "TCPChallengeACK"));
        assertEquals(1, ext(lab.b, "TCPACKSkippedChallenge"));
        send(5003, 101, 0, TcpHeader.RST, null);
        assertEquals(0, listener.synQueueLength());
        assertEquals(1, ext(lab.b, "EmbryonicRsts"));
        assertEquals(1, TcpLab.mib(lab.b, "AttemptFails"));
        assertEquals(1, from(5003, 1).size(), "the exact RST is not answered");
    }

    @Test
    void anAckOfTheWrongNumberIsAnsweredWithRstAndTheRequestStays() {
        TcpLab.Seg sa = syn(5004);
        send(5004, 101, sa.seq() + 7, TcpHeader.ACK, null);
        List<TcpLab.Seg> out = from(5004, 1);
        assertEquals(List.of("b R"), TcpLab.flow(out));
        assertEquals(sa.seq() + 7, out.get(0).seq());
        assertEquals(1, listener.synQueueLength());
    }

    @Test
    void anOutOfWindowSegmentGetsAnAckRateLimited() {
        TcpLab.Seg sa = syn(5005);
        send(5005, 101 + 10_000_000, sa.seq() + 1, TcpHeader.ACK, null);
        send(5005, 101 + 10_000_000, sa.seq() + 1, TcpHeader.ACK, null);
        List<TcpLab.Seg> out = from(5005, 1);
        assertEquals(List.of("b ."), TcpLab.flow(out));
        assertEquals(sa.seq() + 1, out.get(0).seq());
        assertEquals(101, out.get(0).ack());
        assertEquals(1, ext(lab.b, "TCPACKSkippedSynRecv"));
        assertEquals(1, listener.synQueueLength());
    }

    @Test
    void aSynWithAnotherSequenceNumberResetsTheRequest() {
        syn(5006);
        lab.inject(PEER, TcpLab.B, TcpLab.linuxSyn(5006, 80, 999, 9), null);
        lab.run(MS);
        List<TcpLab.Seg> out = from(5006, 1);
        assertEquals(List.of("b R."), TcpLab.flow(out));
        assertEquals(0, out.get(0).seq());
        assertEquals(1000, out.get(0).ack());
        assertEquals(0, listener.synQueueLength());
        assertEquals(1, ext(lab.b, "EmbryonicRsts"));
    }
}
