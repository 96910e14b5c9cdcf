package dev.stacksim.packetdrill;

import dev.stacksim.host.Host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Runs a packetdrill script against a simulated host, the way packetdrill runs one against the
 * Linux kernel through a tun device:
 *
 * <pre>{@code
 * RunTrace trace = ScriptRunner.run(Path.of("listen-basic.pkt"));   // throws ScriptFailure on a mismatch
 * System.out.println(trace);
 * }</pre>
 *
 * <p>Each run builds a fresh world: a virtual-time loop seeded from {@link ScriptConfig#seed()}, a
 * host called {@code packetdrill} with {@code tun0} (local address 192.168.0.1/16, remote
 * 192.0.2.0/24 routed through it, MTU 1500) and one process for the script's calls. The script's
 * {@code --options} are applied over the configuration given. At the end, whatever happened, the
 * host is shut down and every buffer released.
 *
 * <p>A failure is reported as packetdrill reports it ({@link ScriptFailure}): the script's name and
 * the line, then {@code error handling packet: ...}, {@code timing error: ...} or
 * {@code runtime error in accept call: ...}, with the script and actual packets for a packet
 * mismatch. An exception the simulator itself throws while the script runs is reported at the line
 * being run, as {@code simulator error}, with the exception as the cause.
 */
public final class ScriptRunner {
    private ScriptRunner() {
    }

    /**
     * Parses and runs the script at {@code path} with packetdrill's defaults.
     *
     * @return what happened
     * @throws ScriptParseException when it does not parse
     * @throws ScriptFailure        when it fails
     * @throws IOException          when it cannot be read
     */
    public static RunTrace run(Path path) throws IOException {
        return run(path, ScriptConfig.defaults(), new RunTrace());
    }

    /** Parses and runs the script at {@code path}; see {@link #run(Script, ScriptConfig, RunTrace)}. */
    public static RunTrace run(Path path, ScriptConfig config, RunTrace trace) throws IOException {
        String text = Files.readString(path, StandardCharsets.UTF_8);
        return run(Script.parse(path.getFileName().toString(), text), config, trace);
    }

    /**
     * Runs a parsed script.
     *
     * @param script the script
     * @param config the settings; the script's own options are applied over them
     * @param trace  where to record what happens (also returned)
     * @return {@code trace}
     * @throws ScriptFailure        when the script fails
     * @throws ScriptParseException when one of its options is unknown or bad
     */
    public static RunTrace run(Script script, ScriptConfig config, RunTrace trace) {
        return run(script, config, trace, null);
    }

    /**
     * Runs a parsed script after {@code setup} has prepared the host (sysctls, routes, a protocol
     * registered for a test), before the first event.
     *
     * @see #run(Script, ScriptConfig, RunTrace)
     */
    public static RunTrace run(Script script, ScriptConfig config, RunTrace trace, Consumer<Host> setup) {
        ScriptConfig c = config.with(script.name(), script.options());
        ScriptNetdev net = new ScriptNetdev(c, trace, setup);
        Interpreter interp = null;
        try {
            ScriptSockets sockets = new ScriptSockets(c, net.host.random().fork("packetdrill:ports"));
            interp = new Interpreter(script, c, net, sockets, trace);
            SyscallExecutor executor = new SyscallExecutor(c, net.process, sockets);
            SyscallThread thread = new SyscallThread(interp, executor, net.loop, trace, c);
            interp.setSyscallThread(thread);
            interp.start();
            thread.drive();
            return trace;
        } catch (ScriptFailure | ScriptParseException e) {
            throw e;
        } catch (RuntimeException e) {
            int line = interp == null ? 0 : interp.currentLine();
            ScriptFailure f = new ScriptFailure(script.name(), line, "simulator error: " + e);
            f.initCause(e);
            throw f;
        } finally {
            net.close();
        }
    }
}
