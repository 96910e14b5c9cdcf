package dev.stacksim.tcp;

import dev.stacksim.inet.InetBindTable;
import dev.stacksim.sim.Timer;
import dev.stacksim.wire.Ipv4Address;

/**
 * A connection in TIME_WAIT ({@code struct tcp_timewait_sock}): what is left of a socket after
 * both FINs, kept for 2MSL (Linux: 60 s, {@code TCP_TIMEWAIT_LEN}) so that a late segment of the
 * old connection is answered (its FIN re-ACKed) instead of being taken for a new one. Linux does
 * not keep the full socket for that: a few dozen bytes per connection suffice, and the socket the
 * process holds is already CLOSE. An orphaned socket whose FIN was acknowledged waits here for the
 * peer's FIN too, in substate FIN_WAIT2 ({@code tcp_fin_timeout}).
 *
 * <p>It holds the port (a bind() without SO_REUSEADDR gets EADDRINUSE) and sits in the established
 * table, where {@link TcpInput} finds it.
 */
final class TcpTimewaitSock implements TcpEhashEntry, InetBindTable.Binder {
    private final Tcp tcp;
    private final int localAddr;
    private final int localPort;
    private final int remoteAddr;
    private final int remotePort;
    private final int boundAddr;
    private final boolean reuseAddr;
    private final boolean reusePort;
    private final int uid;
    /** TIME_WAIT, or FIN_WAIT2 for an orphan waiting for the peer's FIN ({@code tw_substate}). */
    TcpState substate;
    int rcvNxt;
    int sndNxt;
    /** The window last offered ({@code tw_rcv_wnd}). */
    int rcvWnd;
    int rcvWscale;
    boolean tstampOk;
    int tsRecent;
    long tsRecentStamp;
    int tsOff;
    /** When an out-of-window segment was last answered, plus one; 0 for never ({@code tw_last_oow_ack_time}). */
    long lastOowAckTime;
    private final Timer timer;
    private TcpEhashEntry ehashNext;
    private boolean dead;

    TcpTimewaitSock(Tcp tcp, TcpSock tp, TcpState substate) {
        this.tcp = tcp;
        this.localAddr = tp.localAddr();
        this.localPort = tp.localPort();
        this.remoteAddr = tp.remoteAddr();
        this.remotePort = tp.remotePort();
        this.boundAddr = tp.rcvSaddr();
        this.reuseAddr = tp.reuseAddr();
        this.reusePort = tp.reusePort();
        this.uid = tp.uid();
        this.substate = substate;
        this.rcvNxt = tp.rcvNxt;
        this.sndNxt = tp.sndNxt;
        this.rcvWnd = TcpWindow.receiveWindow(tp);
        this.rcvWscale = tp.rcvWscale;
        this.tstampOk = tp.tstampOk;
        this.tsRecent = tp.tsRecent;
        this.tsRecentStamp = tp.tsRecentStamp;
        this.tsOff = tp.tsOff;
        this.timer = new Timer(tcp.host().loop(), "tcp-tw", this::expire);
    }

    /** (Re)arms the end of the wait ({@code inet_twsk_reschedule}). */
    void schedule(long timeo) {
        timer.arm(timeo);
    }

    private void expire() {
        if (!dead) {
            if (tcp.traceStates()) {
                tcp.traceState(name(), substate.name(), "CLOSE");
            }
            tcp.ext().inc(TcpExtMib.TW);
            kill();
        }
    }

    /** Ends it now ({@code inet_twsk_deschedule_put}): out of both tables. */
    void kill() {
        if (!dead) {
            dead = true;
            timer.cancel();
            tcp.twUnhash(this);
        }
    }

    /** When the wait ends, virtual nanoseconds. */
    long expires() {
        return timer.expires();
    }

    String name() {
        return Ipv4Address.toString(localAddr) + ":" + localPort + " -> " + Ipv4Address.toString(remoteAddr) + ":"
                + remotePort;
    }

    @Override
    public int localAddr() {
        return localAddr;
    }

    @Override
    public int localPort() {
        return localPort;
    }

    @Override
    public int remoteAddr() {
        return remoteAddr;
    }

    @Override
    public int remotePort() {
        return remotePort;
    }

    @Override
    public TcpEhashEntry ehashNext() {
        return ehashNext;
    }

    @Override
    public void setEhashNext(TcpEhashEntry next) {
        this.ehashNext = next;
    }

    @Override
    public int rcvSaddr() {
        return boundAddr;
    }

    @Override
    public int port() {
        return localPort;
    }

    @Override
    public boolean reuseAddr() {
        return reuseAddr;
    }

    @Override
    public boolean reusePort() {
        return reusePort;
    }

    @Override
    public int uid() {
        return uid;
    }

    @Override
    public boolean isListening() {
        return false;
    }

    @Override
    public boolean isTimeWait() {
        return true;
    }

    @Override
    public boolean boundByConnect() {
        return true;
    }

    @Override
    public String toString() {
        return "TcpTimewaitSock[" + name() + " " + substate + "]";
    }
}
