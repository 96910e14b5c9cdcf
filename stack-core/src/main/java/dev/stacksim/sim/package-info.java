/**
 * Simulation time and randomness: the {@link dev.stacksim.sim.EventLoop} with its clock, the
 * {@link dev.stacksim.sim.Timer}s protocols arm on it, and the seeded
 * {@link dev.stacksim.sim.SimRandom} streams every random choice is drawn from.
 *
 * <h2>Virtual time: the clock jumps</h2>
 * A kernel spends almost all its time waiting: for a packet, for a retransmission timeout, for
 * TIME_WAIT to end. A simulation need not wait at all. Everything that will happen is an event in
 * one queue, ordered by time; the loop takes the earliest, sets the clock to its time and runs it.
 * Nothing happens between events, so there is nothing to wait for: the clock jumps.
 * <pre>
 *   queue:  0.000s SYN ─► 0.005s SYN-ACK ─► 0.010s ACK ─► ... ─► 60.010s TIME_WAIT ends
 *   clock:  0.000 ───────► 0.005 ──────────► 0.010 ─────────────► 60.010   (one step each)
 * </pre>
 * So <b>a 60 s TIME_WAIT costs nothing</b>: it is one timer, and running it is one jump of the
 * clock, taking microseconds of real time. A test of SYN retransmission that "waits" 127 seconds
 * for {@code connect()} to fail with ETIMEDOUT runs in a millisecond, and a test can pause the
 * world with {@code runFor(Duration.ofMinutes(2))} to see what two idle minutes do to a connection.
 *
 * <p>Two rules make the order exact. Events at the same nanosecond run in the order they were
 * queued (re-arming a timer counts as queueing it again), and the clock stands still while an event
 * runs, so every timestamp one event takes agrees. Virtual time is nanoseconds in a {@code long}:
 * where Linux counts {@code jiffies} and rounds timers to its tick, a timer here runs at exactly the
 * nanosecond it was armed for.
 *
 * <h2>Determinism: the same seed gives the same run, to the byte</h2>
 * A run depends on nothing but its inputs: the seed and the calls the test makes. That holds
 * because the stack obeys three rules, and code added to it must too:
 * <ol>
 *   <li>Time comes only from the loop ({@link dev.stacksim.sim.EventLoop#now()}): never from
 *       {@code System.nanoTime()} or {@code currentTimeMillis()}.</li>
 *   <li>Randomness comes only from a {@link dev.stacksim.sim.SimRandom} forked from the loop's root
 *       stream by a stable name ({@code "host:client"}, then {@code "tcp-isn"}): never from
 *       {@code Math.random()}, {@code ThreadLocalRandom} or {@code new Random()}. Because a fork
 *       depends only on its parent's seed and its name, adding a host or a link does not change the
 *       numbers any other host or link draws.</li>
 *   <li>Order comes only from the queue: the stack runs on the loop's one thread, and never
 *       iterates a collection whose order depends on identity hash codes.</li>
 * </ol>
 * Then two loops with the same seed produce the same events at the same nanoseconds, the same
 * initial sequence numbers and the same losses: the same pcap, byte for byte. A failing test prints
 * its seed, and the seed reproduces the failure.
 *
 * <h2>Waiting in virtual time</h2>
 * With no threads of its own, a virtual loop runs when a caller drives it. A blocking socket call
 * does exactly that: {@code accept()} runs the loop with
 * {@link dev.stacksim.sim.EventLoop#runUntil(java.util.function.BooleanSupplier) runUntil}
 * until a connection is queued. This is how one test thread plays both client and server: while the
 * client's {@code connect()} runs the loop, the server's kernel answers the SYN without the server
 * program doing anything, as a real kernel would. If the loop runs dry first
 * ({@link dev.stacksim.sim.RunOutcome#NO_MORE_EVENTS}), nothing could ever complete the call, and it
 * fails at once with an error that names it instead of hanging. The loop never runs inside itself:
 * driving it from an event callback throws, since it would mean kernel code is blocking.
 *
 * <h2>Real time</h2>
 * A real-time loop ({@link dev.stacksim.sim.EventLoop#realTime(long)}) runs on its own thread and
 * paces the same queue by the wall clock: an event armed for 40 ms runs 40 ms later, and
 * {@code now()} is the time since the loop started. It is for code that has threads of its own
 * (a server with a thread per client, an NIO selector, a real peer on a real socket). Application
 * threads never touch kernel state: they hand work to the loop with
 * {@link dev.stacksim.sim.EventLoop#execute(Runnable) execute} or
 * {@link dev.stacksim.sim.EventLoop#submit(java.util.concurrent.Callable) submit} and wait on the
 * result; a call from the wrong thread throws. The kernel code is the same in both modes; only
 * determinism is lost, since the wall clock and the threads now decide the interleaving.
 *
 * <h2>Linux names</h2>
 * <table>
 *   <caption>Where the kernel's timekeeping shows up here</caption>
 *   <tr><th>Linux</th><th>stacksim</th></tr>
 *   <tr><td>{@code jiffies}, {@code ktime_get_ns()}, {@code tcp_clock_ns()}</td>
 *       <td>{@link dev.stacksim.sim.EventLoop#now()} (exact nanoseconds, no tick)</td></tr>
 *   <tr><td>{@code msecs_to_jiffies()}, {@code HZ}</td><td>{@link dev.stacksim.sim.SimTime#millis(long)}</td></tr>
 *   <tr><td>{@code struct timer_list}, {@code timer_setup()}</td><td>{@link dev.stacksim.sim.Timer}</td></tr>
 *   <tr><td>{@code mod_timer()}, {@code timer_reduce()}, {@code del_timer()}, {@code timer_pending()}</td>
 *       <td>{@link dev.stacksim.sim.Timer#mod mod}, {@link dev.stacksim.sim.Timer#reduce reduce},
 *       {@link dev.stacksim.sim.Timer#cancel cancel}, {@link dev.stacksim.sim.Timer#isPending isPending}</td></tr>
 *   <tr><td>softirq, {@code queue_work()}</td><td>{@link dev.stacksim.sim.EventLoop#execute(Runnable)}</td></tr>
 *   <tr><td>{@code get_random_u32()}, {@code prandom}</td><td>{@link dev.stacksim.sim.SimRandom}</td></tr>
 * </table>
 *
 * <h2>In use</h2>
 * <pre>{@code
 * EventLoop loop = EventLoop.virtual(7);
 * Timer timeWait = new Timer(loop, "tcp-timewait", () -> System.out.println("closed at " + SimTime.format(loop.now())));
 * timeWait.arm(SimTime.seconds(60));
 * loop.runUntilIdle();                       // prints "closed at 60.000000000s", instantly
 *
 * SimRandom isn = loop.random().fork("host:client").fork("tcp-isn");
 * int iss = isn.nextInt();                    // the same number for seed 7, every run, every JDK
 * }</pre>
 */
package dev.stacksim.sim;
