package dev.stacksim.wire;

/**
 * ICMP message types (RFC 792, IANA), the first byte of an ICMP header. The names are those of
 * {@code include/uapi/linux/icmp.h} without the {@code ICMP_} prefix, so {@code ICMP_DEST_UNREACH}
 * is {@link #DEST_UNREACH}. The codes under each type are in {@link IcmpCode}.
 *
 * <p>{@link IcmpRepr} parses the types this stack answers or acts on: echo request and reply,
 * destination unreachable and time exceeded. The others are named here for printing and counting.
 */
public final class IcmpType {
    /** Echo reply, the answer to {@link #ECHO} ({@code ICMP_ECHOREPLY}). */
    public static final int ECHOREPLY = 0;
    /** Destination unreachable: an error quoting the datagram that could not be delivered ({@code ICMP_DEST_UNREACH}). */
    public static final int DEST_UNREACH = 3;
    /** Source quench, deprecated by RFC 6633; Linux ignores it ({@code ICMP_SOURCE_QUENCH}). */
    public static final int SOURCE_QUENCH = 4;
    /** Redirect: a better first hop ({@code ICMP_REDIRECT}). */
    public static final int REDIRECT = 5;
    /** Echo request, what {@code ping} sends ({@code ICMP_ECHO}). */
    public static final int ECHO = 8;
    /** Time exceeded: TTL reached zero in transit, or reassembly timed out ({@code ICMP_TIME_EXCEEDED}). */
    public static final int TIME_EXCEEDED = 11;
    /** Parameter problem: a bad header field, pointed at ({@code ICMP_PARAMETERPROB}). */
    public static final int PARAMETERPROB = 12;
    /** Timestamp request ({@code ICMP_TIMESTAMP}). */
    public static final int TIMESTAMP = 13;
    /** Timestamp reply ({@code ICMP_TIMESTAMPREPLY}). */
    public static final int TIMESTAMPREPLY = 14;
    /** Information request, obsolete ({@code ICMP_INFO_REQUEST}). */
    public static final int INFO_REQUEST = 15;
    /** Information reply, obsolete ({@code ICMP_INFO_REPLY}). */
    public static final int INFO_REPLY = 16;
    /** Address mask request, obsolete ({@code ICMP_ADDRESS}). */
    public static final int ADDRESS = 17;
    /** Address mask reply, obsolete ({@code ICMP_ADDRESSREPLY}). */
    public static final int ADDRESSREPLY = 18;

    private IcmpType() {
    }

    /**
     * True for the error types, which quote the offending datagram and must never be answered
     * with another error (RFC 1122 3.2.2; {@code icmp_is_err}).
     */
    public static boolean isError(int type) {
        return type == DEST_UNREACH || type == SOURCE_QUENCH || type == REDIRECT
                || type == TIME_EXCEEDED || type == PARAMETERPROB;
    }

    /** The type's name as tcpdump prints it ({@code echo request}), or {@code type-#N}. */
    public static String name(int type) {
        switch (type) {
            case ECHOREPLY: return "echo reply";
            case DEST_UNREACH: return "unreachable";
            case SOURCE_QUENCH: return "source quench";
            case REDIRECT: return "redirect";
            case ECHO: return "echo request";
            case TIME_EXCEEDED: return "time exceeded";
            case PARAMETERPROB: return "parameter problem";
            case TIMESTAMP: return "time stamp request";
            case TIMESTAMPREPLY: return "time stamp reply";
            case INFO_REQUEST: return "information request";
            case INFO_REPLY: return "information reply";
            case ADDRESS: return "address mask request";
            case ADDRESSREPLY: return "address mask reply";
            default: return "type-#" + type;
        }
    }
}
