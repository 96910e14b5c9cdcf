package dev.stacksim.net;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Karn's rule for cumulative ACKs (RFC 6298 section 3; {@code tcp_clean_rtx_queue}: no sequence
 * RTT sample when the ACK covers any retransmitted segment, {@code FLAG_RETRANS_DATA_ACKED}; the
 * timestamp echo of the retransmission gives the sample instead). After a timeout the ACK that
 * fills the hole also covers segments sent before the timeout; a sample from those (an RTO old)
 * would grow the srtt and every later RTO with each loss (this once took 100 MB at 5 % loss to 70
 * hours of virtual time). 15 % loss makes timeouts frequent; the srtt must stay near the path's.
 */
class TcpRttSampleTest {
    @Test
    void timeoutsDoNotInflateTheSmoothedRtt() {
        BulkTransfer.Result r = BulkTransfer.run(BulkTransfer.Config.of(6, 2_000_000L, 100_000_000L, Duration.ofMillis(5))
                .buffers(4 << 20, 0).impairments(Impairments.builder().lossRate(0.15).build()));
        assertEquals(r.sentSha(), r.receivedSha());
        assertTrue(r.timeouts() > 10, "timeouts " + r.timeouts());
        // the path's RTT is 10 ms; Linux's srtt stays within a few ms of it whatever the loss
        assertTrue(r.srttMicros() < 50_000, "srtt " + r.srttMicros() + " us on a 10 ms path: " + r);
    }
}
