package dev.stacksim.host;

import dev.stacksim.wire.IcmpCode;
import dev.stacksim.wire.IcmpType;
import dev.stacksim.wire.Ipv4Address;

import java.util.List;
import java.util.Locale;

/**
 * What ping(8) saw: one {@link Reply} per request sent, in sequence order, and the summary it
 * prints. Times are virtual nanoseconds.
 *
 * @param destination the address pinged
 * @param size        data bytes per request
 * @param replies     one entry per request, {@code replies.get(i).sequence() == i + 1}
 * @param elapsedNanos virtual time from the first request to the last
 */
public record PingResult(Ipv4Address destination, int size, List<Reply> replies, long elapsedNanos) {

    /** How a request ended. */
    public enum Outcome {
        /** An echo reply came back. */
        REPLY,
        /** An ICMP error about the request came back (unreachable, time exceeded). */
        ERROR,
        /** Nothing came back before ping gave up. */
        LOST
    }

    /**
     * The fate of one request, with the line ping(8) prints for it.
     *
     * @param sequence the ICMP sequence number, from 1
     * @param outcome  reply, error or lost
     * @param rttNanos round-trip time of a reply; -1 otherwise
     * @param ttl      the reply's TTL; -1 otherwise
     * @param from     who answered (the destination, or the router or host reporting the error); null when lost
     * @param icmpType the error's ICMP type; -1 otherwise
     * @param icmpCode the error's ICMP code; -1 otherwise
     * @param info     the error's extra value (the MTU of fragmentation needed); 0 otherwise
     */
    public record Reply(int sequence, Outcome outcome, long rttNanos, int ttl, Ipv4Address from, int icmpType,
                        int icmpCode, int info) {
        /**
         * The line ping(8) prints: {@code 64 bytes from 10.0.0.2: icmp_seq=1 ttl=64 time=0.000 ms},
         * {@code From 10.0.0.1 icmp_seq=1 Destination Host Unreachable}, or {@code icmp_seq=1 lost}.
         */
        public String text(int size) {
            switch (outcome) {
                case REPLY:
                    return (size + 8) + " bytes from " + from + ": icmp_seq=" + sequence + " ttl=" + ttl + " time="
                            + millis(rttNanos) + " ms";
                case ERROR:
                    return "From " + from + " icmp_seq=" + sequence + " " + describe(icmpType, icmpCode, info);
                default:
                    return "icmp_seq=" + sequence + " lost";
            }
        }
    }

    /** Requests sent. */
    public int transmitted() {
        return replies.size();
    }

    /** Echo replies received. */
    public int received() {
        return count(Outcome.REPLY);
    }

    /** ICMP errors received. */
    public int errors() {
        return count(Outcome.ERROR);
    }

    /** Requests with neither reply nor error. */
    public int lost() {
        return count(Outcome.LOST);
    }

    /** The reply to request {@code sequence} (from 1). */
    public Reply reply(int sequence) {
        return replies.get(sequence - 1);
    }

    /** Round-trip times by sequence (index 0 is sequence 1), -1 where no reply came. */
    public long[] rtts() {
        long[] out = new long[replies.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = replies.get(i).rttNanos();
        }
        return out;
    }

    /** Percentage of requests without a reply, as ping(8) rounds it down. */
    public int packetLossPercent() {
        int n = transmitted();
        return n == 0 ? 0 : (int) ((long) (n - received()) * 100 / n);
    }

    /**
     * The output of ping(8): a line per request, then the statistics
     * ({@code 3 packets transmitted, 3 received, 0% packet loss, time 2000ms} and
     * {@code rtt min/avg/max/mdev = ...}).
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(256);
        sb.append("PING ").append(destination).append(" (").append(destination).append(") ").append(size)
                .append('(').append(size + 28).append(") bytes of data.\n");
        for (Reply r : replies) {
            if (r.outcome() != Outcome.LOST) {
                sb.append(r.text(size)).append('\n');
            }
        }
        sb.append("\n--- ").append(destination).append(" ping statistics ---\n")
                .append(transmitted()).append(" packets transmitted, ").append(received()).append(" received, ");
        if (errors() > 0) {
            sb.append('+').append(errors()).append(" errors, ");
        }
        sb.append(packetLossPercent()).append("% packet loss, time ").append(elapsedNanos / 1_000_000).append("ms\n");
        if (received() > 0) {
            long min = Long.MAX_VALUE;
            long max = 0;
            double sum = 0;
            double sum2 = 0;
            for (Reply r : replies) {
                if (r.outcome() == Outcome.REPLY) {
                    min = Math.min(min, r.rttNanos());
                    max = Math.max(max, r.rttNanos());
                    sum += r.rttNanos();
                    sum2 += (double) r.rttNanos() * r.rttNanos();
                }
            }
            double avg = sum / received();
            double mdev = Math.sqrt(Math.max(0, sum2 / received() - avg * avg));
            sb.append("rtt min/avg/max/mdev = ").append(millis(min)).append('/').append(millis((long) avg))
                    .append('/').append(millis(max)).append('/').append(millis((long) mdev)).append(" ms\n");
        }
        return sb.toString();
    }

    private int count(Outcome o) {
        int n = 0;
        for (Reply r : replies) {
            if (r.outcome() == o) {
                n++;
            }
        }
        return n;
    }

    private static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.3f", nanos / 1e6);
    }

    /** The words iputils' ping prints for an ICMP error ({@code pr_icmph}). */
    static String describe(int type, int code, int info) {
        if (type == IcmpType.DEST_UNREACH) {
            switch (code) {
                case IcmpCode.NET_UNREACH: return "Destination Net Unreachable";
                case IcmpCode.HOST_UNREACH: return "Destination Host Unreachable";
                case IcmpCode.PROT_UNREACH: return "Destination Protocol Unreachable";
                case IcmpCode.PORT_UNREACH: return "Destination Port Unreachable";
                case IcmpCode.FRAG_NEEDED: return "Frag needed and DF set (mtu = " + info + ")";
                case IcmpCode.SR_FAILED: return "Source Route Failed";
                case IcmpCode.PKT_FILTERED: return "Packet filtered";
                default: return "Dest Unreachable, Bad Code: " + code;
            }
        }
        if (type == IcmpType.TIME_EXCEEDED) {
            return code == IcmpCode.EXC_TTL ? "Time to live exceeded"
                    : code == IcmpCode.EXC_FRAGTIME ? "Frag reassembly time exceeded"
                    : "Time exceeded, Bad Code: " + code;
        }
        if (type == IcmpType.PARAMETERPROB) {
            return "Parameter problem: pointer = " + (info >>> 24);
        }
        if (type == IcmpType.SOURCE_QUENCH) {
            return "Source Quench";
        }
        return "Bad ICMP type: " + type;
    }
}
