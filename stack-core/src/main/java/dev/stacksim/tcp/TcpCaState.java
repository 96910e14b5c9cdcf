package dev.stacksim.tcp;

/**
 * The congestion-avoidance state of a sender ({@code enum tcp_ca_state}, {@code icsk_ca_state}),
 * the "Linux NewReno/SACK/ECN state machine" of {@code tcp_input.c}. {@code ss -i} and
 * {@code tcp_info.tcpi_ca_state} show its number.
 *
 * <pre>
 *   Open ──dupACK/SACK──▶ Disorder ──loss detected──▶ Recovery ──snd_una ≥ high_seq──▶ Open
 *     │                                                  │
 *     └───────────── retransmission timeout ──────────▶ Loss ──snd_una ≥ high_seq──▶ Open
 * </pre>
 */
public enum TcpCaState {
    /** Nothing dubious: the fast path ({@code TCP_CA_Open}). */
    OPEN,
    /** SACKs or duplicate ACKs seen, no loss proven yet ({@code TCP_CA_Disorder}). */
    DISORDER,
    /** The window was cut for an ECN echo or a local congestion signal ({@code TCP_CA_CWR}). */
    CWR,
    /** Fast retransmit and recovery (RFC 6675 / RFC 6582 with PRR, RFC 6937) ({@code TCP_CA_Recovery}). */
    RECOVERY,
    /** After a retransmission timeout: everything in flight taken as lost ({@code TCP_CA_Loss}). */
    LOSS;

    /** The number Linux gives the state (0 Open .. 4 Loss). */
    public int number() {
        return ordinal();
    }
}
