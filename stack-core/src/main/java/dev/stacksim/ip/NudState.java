package dev.stacksim.ip;

/**
 * The state of a neighbour entry: Linux's {@code NUD_*} (Neighbour Unreachability Detection,
 * RFC 4861 section 7.3.2, which Linux applies to ARP as well), as {@code ip neigh} prints them.
 *
 * <pre>
 *            packet to send                       ARP reply
 *   (none) ──────────────► INCOMPLETE ─────────────────────────► REACHABLE
 *                           │ 3 broadcast requests, 1 s apart        │ reachable time (15..45 s) ends
 *                           ▼ unanswered                             ▼
 *                         FAILED ◄──── 3 unicast probes ──── PROBE ◄─ DELAY ◄── packet ── STALE
 *                      (queued packets:              unanswered      5 s       to send
 *                       ICMP host unreachable)        └──── ARP reply ──► REACHABLE
 * </pre>
 */
public enum NudState {
    /** {@code NUD_NONE}: just created, nothing known. */
    NONE,
    /** {@code NUD_INCOMPLETE}: resolving: broadcast requests sent, packets queued. */
    INCOMPLETE,
    /** {@code NUD_REACHABLE}: confirmed recently (an ARP reply to us). */
    REACHABLE,
    /** {@code NUD_STALE}: address known but unconfirmed; used as is, and confirmed when next used. */
    STALE,
    /** {@code NUD_DELAY}: used while stale; waiting {@code delay_first_probe_time} for a confirmation before probing. */
    DELAY,
    /** {@code NUD_PROBE}: sending unicast requests to the known address. */
    PROBE,
    /** {@code NUD_FAILED}: resolution failed; the next packet starts it again. */
    FAILED,
    /** {@code NUD_NOARP}: a device without ARP. */
    NOARP,
    /** {@code NUD_PERMANENT}: set by hand ({@code ip neigh add ... nud permanent}); never changes. */
    PERMANENT;

    /** {@code NUD_VALID}: the link-layer address may be used. */
    public boolean isValid() {
        return this == REACHABLE || this == STALE || this == DELAY || this == PROBE || this == NOARP
                || this == PERMANENT;
    }

    /** {@code NUD_CONNECTED}: usable without any check. */
    public boolean isConnected() {
        return this == REACHABLE || this == NOARP || this == PERMANENT;
    }

    /** {@code NUD_IN_TIMER}: the entry's timer runs in this state. */
    public boolean inTimer() {
        return this == INCOMPLETE || this == REACHABLE || this == DELAY || this == PROBE;
    }
}
