package dev.stacksim.dev;

/**
 * A device's counters: the fields of Linux's {@code struct rtnl_link_stats64} that
 * {@code ip -s -s link} prints. Devices count with the {@code count*} methods; the host and
 * diagnostics read the getters of the same names.
 */
public final class DeviceStats {
    private long rxPackets;
    private long txPackets;
    private long rxBytes;
    private long txBytes;
    private long rxErrors;
    private long txErrors;
    private long rxDropped;
    private long txDropped;
    private long multicast;
    private long rxLengthErrors;
    private long rxCrcErrors;
    private long rxFrameErrors;
    private long rxFifoErrors;
    private long rxMissedErrors;
    private long txFifoErrors;
    private long txCarrierErrors;

    /** A frame of {@code bytes} received and handed to the stack. */
    public void countRxPacket(int bytes) {
        rxPackets++;
        rxBytes += bytes;
    }

    /** A frame of {@code bytes} transmitted. */
    public void countTxPacket(int bytes) {
        txPackets++;
        txBytes += bytes;
    }

    /** A received multicast or broadcast frame. */
    public void countMulticast() {
        multicast++;
    }

    /** A received frame dropped by the stack or driver for lack of resources ({@code rx_dropped}). */
    public void countRxDropped() {
        rxDropped++;
    }

    /** A frame dropped on transmit ({@code tx_dropped}). */
    public void countTxDropped() {
        txDropped++;
    }

    /** A received frame with a bad length ({@code rx_length_errors}, also an rx error). */
    public void countRxLengthError() {
        rxLengthErrors++;
        rxErrors++;
    }

    /** A received frame whose FCS did not verify ({@code rx_crc_errors}, also an rx error). */
    public void countRxCrcError() {
        rxCrcErrors++;
        rxErrors++;
    }

    /** A misaligned or malformed frame ({@code rx_frame_errors}, also an rx error). */
    public void countRxFrameError() {
        rxFrameErrors++;
        rxErrors++;
    }

    /** A receive FIFO overrun ({@code rx_fifo_errors}, also an rx error). */
    public void countRxFifoError() {
        rxFifoErrors++;
        rxErrors++;
    }

    /** A frame that found no free RX descriptor ({@code rx_missed_errors}: the NIC had nowhere to put it). */
    public void countRxMissed() {
        rxMissedErrors++;
    }

    /** A transmit FIFO underrun ({@code tx_fifo_errors}, also a tx error). */
    public void countTxFifoError() {
        txFifoErrors++;
        txErrors++;
    }

    /** Transmit with no carrier: the link was down ({@code tx_carrier_errors}, also a tx error). */
    public void countTxCarrierError() {
        txCarrierErrors++;
        txErrors++;
    }

    /** Frames received. */
    public long rxPackets() {
        return rxPackets;
    }

    /** Frames transmitted. */
    public long txPackets() {
        return txPackets;
    }

    /** Bytes received. */
    public long rxBytes() {
        return rxBytes;
    }

    /** Bytes transmitted. */
    public long txBytes() {
        return txBytes;
    }

    /** Receive errors of every kind. */
    public long rxErrors() {
        return rxErrors;
    }

    /** Transmit errors of every kind. */
    public long txErrors() {
        return txErrors;
    }

    /** Received frames dropped. */
    public long rxDropped() {
        return rxDropped;
    }

    /** Transmitted frames dropped. */
    public long txDropped() {
        return txDropped;
    }

    /** Multicast and broadcast frames received. */
    public long multicast() {
        return multicast;
    }

    /** Received frames with a bad length. */
    public long rxLengthErrors() {
        return rxLengthErrors;
    }

    /** Received frames with a bad FCS. */
    public long rxCrcErrors() {
        return rxCrcErrors;
    }

    /** Received frames misaligned or malformed. */
    public long rxFrameErrors() {
        return rxFrameErrors;
    }

    /** Receive FIFO overruns. */
    public long rxFifoErrors() {
        return rxFifoErrors;
    }

    /** Frames that found no free receive descriptor. */
    public long rxMissedErrors() {
        return rxMissedErrors;
    }

    /** Transmit FIFO underruns. */
    public long txFifoErrors() {
        return txFifoErrors;
    }

    /** Transmits attempted without carrier. */
    public long txCarrierErrors() {
        return txCarrierErrors;
    }

    @Override
    public String toString() {
        return "rx_packets=" + rxPackets + " rx_bytes=" + rxBytes + " rx_errors=" + rxErrors
                + " rx_dropped=" + rxDropped + " rx_missed_errors=" + rxMissedErrors
                + " tx_packets=" + txPackets + " tx_bytes=" + txBytes + " tx_errors=" + txErrors
                + " tx_dropped=" + txDropped;
    }
}
