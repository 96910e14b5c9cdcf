package dev.stacksim.inet;

import dev.stacksim.socket.Errno;
import dev.stacksim.wire.IcmpCode;

/**
 * What an ICMP destination-unreachable code means to a socket ({@code icmp_err_convert[]} in
 * {@code net/ipv4/icmp.c}): the errno it reports, and whether it is fatal ("hard"). Without
 * IP_RECVERR a UDP socket reports only hard errors, and only when connected (RFC 1122 4.1.3.3
 * leaves the choice to the application); TCP aborts a connection attempt on a hard one.
 *
 * <pre>
 *   code  name            errno         fatal
 *    0    NET_UNREACH     ENETUNREACH   no
 *    1    HOST_UNREACH    EHOSTUNREACH  no
 *    2    PROT_UNREACH    ENOPROTOOPT   yes
 *    3    PORT_UNREACH    ECONNREFUSED  yes
 *    4    FRAG_NEEDED     EMSGSIZE      no
 *    5    SR_FAILED       EOPNOTSUPP    no
 *    6    NET_UNKNOWN     ENETUNREACH   yes
 *    7    HOST_UNKNOWN    EHOSTDOWN     yes
 *    8    HOST_ISOLATED   ENONET        yes
 *    9    NET_ANO         ENETUNREACH   yes
 *   10    HOST_ANO        EHOSTUNREACH  yes
 *   11    NET_UNR_TOS     ENETUNREACH   no
 *   12    HOST_UNR_TOS    EHOSTUNREACH  no
 *   13    PKT_FILTERED    EHOSTUNREACH  yes
 *   14    PREC_VIOLATION  EHOSTUNREACH  yes
 *   15    PREC_CUTOFF     EHOSTUNREACH  yes
 * </pre>
 */
public final class IcmpErrConvert {
    private static final Errno[] ERRNO = {
        Errno.ENETUNREACH, Errno.EHOSTUNREACH, Errno.ENOPROTOOPT, Errno.ECONNREFUSED, Errno.EMSGSIZE,
        Errno.EOPNOTSUPP, Errno.ENETUNREACH, Errno.EHOSTDOWN, Errno.ENONET, Errno.ENETUNREACH,
        Errno.EHOSTUNREACH, Errno.ENETUNREACH, Errno.EHOSTUNREACH, Errno.EHOSTUNREACH, Errno.EHOSTUNREACH,
        Errno.EHOSTUNREACH,
    };
    private static final boolean[] FATAL = {
        false, false, true, true, false, false, true, true, true, true, true, false, false, true, true, true,
    };

    private IcmpErrConvert() {
    }

    /** The errno for destination-unreachable {@code code}; EHOSTUNREACH beyond the table, as Linux. */
    public static Errno errno(int code) {
        return code >= 0 && code <= IcmpCode.MAX_UNREACH ? ERRNO[code] : Errno.EHOSTUNREACH;
    }

    /** Whether destination-unreachable {@code code} is a hard error; false beyond the table. */
    public static boolean fatal(int code) {
        return code >= 0 && code <= IcmpCode.MAX_UNREACH && FATAL[code];
    }
}
