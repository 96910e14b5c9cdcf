package dev.stacksim.socket;

import static dev.stacksim.socket.SocketConstants.*;

/**
 * One entry of {@code poll()}'s array: {@code struct pollfd}. Set {@link #fd} and {@link #events};
 * poll fills {@link #revents} with the requested events that are ready, plus POLLERR and POLLHUP
 * (always reported) and POLLNVAL for a descriptor that is not open. A negative fd is skipped.
 */
public final class PollFd {
    /** The descriptor; negative to skip the entry. */
    public int fd;
    /** The events of interest: POLLIN, POLLOUT, POLLRDHUP ... */
    public int events;
    /** Filled by poll: the events that happened. */
    public int revents;

    /** An entry for {@code fd} and {@code events}. */
    public PollFd(int fd, int events) {
        this.fd = fd;
        this.events = events;
    }

    /** {@code POLLIN|POLLOUT}: the names of the bits in {@code mask}, or 0. */
    public static String eventNames(int mask) {
        StringBuilder sb = new StringBuilder();
        String[] names = {"POLLIN", "POLLPRI", "POLLOUT", "POLLERR", "POLLHUP", "POLLNVAL", "POLLRDNORM",
                "POLLRDBAND", "POLLWRNORM", "POLLWRBAND"};
        for (int i = 0; i < names.length; i++) {
            if ((mask & (1 << i)) != 0) {
                sb.append(sb.length() == 0 ? "" : "|").append(names[i]);
            }
        }
        int rest = mask & ~0x3FF;
        if ((rest & POLLRDHUP) != 0) {
            sb.append(sb.length() == 0 ? "" : "|").append("POLLRDHUP");
            rest &= ~POLLRDHUP;
        }
        if (rest != 0) {
            sb.append(sb.length() == 0 ? "" : "|").append("0x").append(Integer.toHexString(rest));
        }
        return sb.length() == 0 ? "0" : sb.toString();
    }

    @Override
    public String toString() {
        return "{fd=" + fd + ", events=" + eventNames(events) + ", revents=" + eventNames(revents) + "}";
    }
}
