package dev.stacksim.host;

import dev.stacksim.buf.SkBuff;
import dev.stacksim.ip.Icmp;
import dev.stacksim.sim.SimTime;
import dev.stacksim.sim.Timer;
import dev.stacksim.wire.Ipv4Address;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One run of ping(8) on a host, in the kernel's terms an ICMP socket bound to an echo identifier
 * ({@code net/ipv4/ping.c}): sends the requests on a re-armed timer, matches replies and errors by
 * sequence, and completes its future when every request is answered or the linger after the last
 * one has passed. Runs on the loop.
 */
final class Ping implements Icmp.EchoListener {
    private static final Logger LOG = LoggerFactory.getLogger(Ping.class);

    private final Host host;
    private final Ipv4Address dst;
    private final PingOptions options;
    private final int identifier;
    private final CompletableFuture<PingResult> future;
    private final Timer sendTimer;
    private final Timer lingerTimer;
    private final long[] sentAt;
    private final PingResult.Reply[] replies;
    private int sent;
    private int answered;
    private long firstSend;

    Ping(Host host, Ipv4Address dst, PingOptions options, int identifier, CompletableFuture<PingResult> future) {
        this.host = host;
        this.dst = dst;
        this.options = options;
        this.identifier = identifier;
        this.future = future;
        this.sendTimer = new Timer(host.loop(), "ping-send", this::sendNext);
        this.lingerTimer = new Timer(host.loop(), "ping-linger", this::finish);
        this.sentAt = new long[options.count()];
        this.replies = new PingResult.Reply[options.count()];
    }

    void start() {
        host.icmp().registerEcho(identifier, this);
        firstSend = host.loop().now();
        sendNext();
    }

    private void sendNext() {
        if (future.isDone()) {
            return;
        }
        int seq = ++sent;
        sentAt[seq - 1] = host.loop().now();
        if (LOG.isDebugEnabled()) {
            LOG.debug("[{}] ping {} icmp_seq={} id={} at {}", host.name(), dst, seq, identifier,
                    SimTime.format(host.loop().now()));
        }
        host.icmp().sendEcho(dst.toInt(), identifier, seq, options.size(), options.ttl());
        if (future.isDone()) {
            return; // answered synchronously: nothing here does, but a device could
        }
        if (sent < options.count()) {
            sendTimer.arm(options.intervalNanos());
        } else {
            lingerTimer.arm(options.lingerNanos());
        }
    }

    @Override
    public void echoReply(SkBuff skb, int saddr, int sequence, int ttl) {
        if (sequence < 1 || sequence > sent || replies[sequence - 1] != null) {
            return; // a duplicate or a stranger's (DUP! in ping(8)): ignored
        }
        replies[sequence - 1] = new PingResult.Reply(sequence, PingResult.Outcome.REPLY,
                host.loop().now() - sentAt[sequence - 1], ttl, Ipv4Address.of(saddr), -1, -1, 0);
        answer();
    }

    @Override
    public void echoError(int from, int sequence, int type, int code, int info) {
        if (sequence < 1 || sequence > sent || replies[sequence - 1] != null) {
            return;
        }
        replies[sequence - 1] = new PingResult.Reply(sequence, PingResult.Outcome.ERROR, -1, -1, Ipv4Address.of(from),
                type, code, info);
        answer();
    }

    private void answer() {
        answered++;
        if (answered == options.count()) {
            finish();
        }
    }

    private void finish() {
        if (future.isDone()) {
            return;
        }
        sendTimer.cancel();
        lingerTimer.cancel();
        host.icmp().unregisterEcho(identifier);
        List<PingResult.Reply> out = new ArrayList<>(sent);
        for (int i = 0; i < sent; i++) {
            out.add(replies[i] != null ? replies[i]
                    : new PingResult.Reply(i + 1, PingResult.Outcome.LOST, -1, -1, null, -1, -1, 0));
        }
        long elapsed = sent == 0 ? 0 : sentAt[sent - 1] - firstSend;
        future.complete(new PingResult(dst, options.size(), List.copyOf(out), elapsed));
    }

    void abort(Throwable why) {
        sendTimer.cancel();
        lingerTimer.cancel();
        host.icmp().unregisterEcho(identifier);
        future.completeExceptionally(why);
    }
}
