package dev.stacksim.dev;

/** What {@link NetDevice#startXmit} answers, as {@code ndo_start_xmit} does. */
public enum TxResult {
    /** {@code NETDEV_TX_OK}: the device took the skb; it will consume or free it. */
    OK,
    /**
     * {@code NETDEV_TX_BUSY}: no room (a full TX ring). The skb stays the caller's; the host keeps
     * it in the device's queue discipline and stops the queue until the device calls
     * {@link DeviceContext#wakeQueue()} ({@code netif_wake_queue}).
     */
    BUSY
}
