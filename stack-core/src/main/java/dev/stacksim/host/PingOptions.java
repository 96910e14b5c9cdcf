package dev.stacksim.host;

import dev.stacksim.sim.SimTime;

import java.time.Duration;

/**
 * How ping(8) runs: {@code ping -c count -i interval -s size -t ttl -W linger}.
 *
 * @param count         echo requests to send, at least 1 ({@code -c})
 * @param intervalNanos virtual time between requests ({@code -i}, 1 s by default)
 * @param size          data bytes per request ({@code -s}, 56: 64 bytes of ICMP, 84 of IP)
 * @param ttl           the TTL of the requests, or 0 for {@code net.ipv4.ip_default_ttl} ({@code -t})
 * @param lingerNanos   how long to wait for answers after the last request ({@code -W}, 10 s)
 */
public record PingOptions(int count, long intervalNanos, int size, int ttl, long lingerNanos) {
    /** ping(8)'s default data size. */
    public static final int DEFAULT_SIZE = 56;

    /**
     * @throws IllegalArgumentException for a count below 1, a negative interval or linger, a size
     *         outside 0..65507 or a TTL outside 0..255
     */
    public PingOptions {
        if (count < 1) {
            throw new IllegalArgumentException("ping: count=" + count + " must be >= 1");
        }
        if (intervalNanos < 0 || lingerNanos < 0) {
            throw new IllegalArgumentException("ping: interval=" + intervalNanos + " linger=" + lingerNanos
                    + " must be >= 0");
        }
        if (size < 0 || size > 65507) {
            throw new IllegalArgumentException("ping: size=" + size + " not in 0..65507");
        }
        if (ttl < 0 || ttl > 255) {
            throw new IllegalArgumentException("ping: ttl=" + ttl + " not in 0..255");
        }
    }

    /** {@code count} requests with ping(8)'s defaults: 1 s apart, 56 data bytes, default TTL, 10 s linger. */
    public static PingOptions of(int count) {
        return new PingOptions(count, SimTime.seconds(1), DEFAULT_SIZE, 0, SimTime.seconds(10));
    }

    /** These options with another interval. */
    public PingOptions withInterval(Duration interval) {
        return new PingOptions(count, interval.toNanos(), size, ttl, lingerNanos);
    }

    /** These options with another data size ({@code -s}). */
    public PingOptions withSize(int newSize) {
        return new PingOptions(count, intervalNanos, newSize, ttl, lingerNanos);
    }

    /** These options with another TTL ({@code -t}). */
    public PingOptions withTtl(int newTtl) {
        return new PingOptions(count, intervalNanos, size, newTtl, lingerNanos);
    }

    /** These options with another linger ({@code -W}). */
    public PingOptions withLinger(Duration linger) {
        return new PingOptions(count, intervalNanos, size, ttl, linger.toNanos());
    }
}
