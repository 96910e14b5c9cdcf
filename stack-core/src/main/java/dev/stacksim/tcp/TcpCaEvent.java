package dev.stacksim.tcp;

/** What a congestion controller is told about ({@code enum tcp_ca_event}). */
public enum TcpCaEvent {
    /** The first transmission after the connection was idle ({@code CA_EVENT_TX_START}). */
    TX_START,
    /** The window restarts after idleness ({@code CA_EVENT_CWND_RESTART}). */
    CWND_RESTART,
    /** The end of a window reduction: Recovery or CWR done ({@code CA_EVENT_COMPLETE_CWR}). */
    COMPLETE_CWR,
    /** A retransmission timeout: Loss state entered ({@code CA_EVENT_LOSS}). */
    LOSS
}
