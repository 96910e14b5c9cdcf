package dev.stacksim.buf;

/**
 * The socket an skb is charged to: Linux's {@code skb->sk} together with its destructor
 * ({@code sock_wfree} for the send side, {@code sock_rfree} for the receive side).
 *
 * <p>{@link SkBuff#setOwner} calls {@link #charge} with the skb's {@link SkBuff#truesize()} (as
 * {@code skb_set_owner_w} adds it to {@code sk_wmem_alloc}); when the skb's last reference goes,
 * {@link #uncharge} gives it back. That is how a socket's buffer limits (SO_SNDBUF, SO_RCVBUF)
 * count real memory, headers and overhead included, and not just payload bytes.
 */
public interface SkbOwner {
    /** Adds {@code truesize} bytes to this owner's account. */
    void charge(SkBuff skb, int truesize);

    /** Returns {@code truesize} bytes: the skb is gone or was handed to another owner. */
    void uncharge(SkBuff skb, int truesize);
}
