package dev.stacksim.packetdrill;

/**
 * The ICMPv4 type and code names a script uses ({@code icmp_packet.c}'s tables):
 * {@code unreachable port_unreachable}, {@code unreachable frag_needed}, {@code echo_request}.
 */
final class IcmpNames {
    private static final String[] TYPES = new String[19];
    private static final String[] UNREACH_CODES = {
        "net_unreachable", "host_unreachable", "protocol_unreachable", "port_unreachable", "frag_needed",
        "source_route_failed", "net_unknown", "host_unknown", "source_host_isolated", "net_prohibited",
        "host_prohibited", "net_unreachable_for_tos", "host_unreachable_for_tos", "packet_filtered",
        "precedence_violation", "precedence_cutoff"};

    static {
        TYPES[0] = "echo_reply";
        TYPES[3] = "unreachable";
        TYPES[4] = "source_quench";
        TYPES[5] = "redirect";
        TYPES[8] = "echo_request";
        TYPES[11] = "time_exceeded";
        TYPES[12] = "parameter_problem";
        TYPES[13] = "timestamp_request";
        TYPES[14] = "timestamp_reply";
        TYPES[15] = "information_request";
        TYPES[16] = "information_reply";
        TYPES[17] = "address_mask_request";
        TYPES[18] = "address_mask_reply";
    }

    private IcmpNames() {
    }

    /** The type for {@code name} (or a number written as text), or -1. */
    static int type(String name) {
        for (int i = 0; i < TYPES.length; i++) {
            if (name.equals(TYPES[i])) {
                return i;
            }
        }
        return number(name);
    }

    /** The code for {@code name} under {@code type} (or a number written as text), or -1. */
    static int code(int type, String name) {
        if (name == null) {
            return 0;
        }
        if (type == 3) {
            for (int i = 0; i < UNREACH_CODES.length; i++) {
                if (name.equals(UNREACH_CODES[i])) {
                    return i;
                }
            }
        }
        return number(name);
    }

    static String typeName(int type) {
        return type >= 0 && type < TYPES.length && TYPES[type] != null ? TYPES[type] : Integer.toString(type);
    }

    static String codeName(int type, int code) {
        return type == 3 && code < UNREACH_CODES.length ? UNREACH_CODES[code] : Integer.toString(code);
    }

    private static int number(String s) {
        try {
            int v = Integer.parseInt(s);
            return v >= 0 && v <= 255 ? v : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
