package dev.stacksim.packetdrill;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code packetdrill} command of the simulator: runs scripts and prints, as it happens, a trace
 * of every packet injected and sent and every system call, then the verdict.
 *
 * <pre>
 *   mvn -q -pl stack-core -Ppacketdrill process-test-classes -Dpkt="path/to/script.pkt"
 *   java -cp stack-core/target/classes:... dev.stacksim.packetdrill.PacketdrillMain [options] script.pkt ...
 * </pre>
 *
 * Options: {@code --seed=N} (the simulation's seed, default 1), {@code --quiet} (no trace, only
 * failures), and any packetdrill option a script may carry ({@code --tolerance_usecs=10000},
 * {@code --bind_port=9000} ...), applied before the script's own. The exit status is 0 when every
 * script passed, 1 otherwise; a failure prints as packetdrill prints it.
 */
public final class PacketdrillMain {
    private PacketdrillMain() {
    }

    /** Runs the scripts named in {@code args}; exits with status 1 when one fails. */
    public static void main(String[] args) {
        int rc = run(args, System.out, System.err);
        if (rc != 0) {
            System.exit(rc);
        }
    }

    /**
     * Runs the scripts named in {@code args}, printing the trace on {@code out} and failures on
     * {@code err}.
     *
     * @return 0 when all passed, 1 when one failed, 2 on bad usage
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        ScriptConfig config = ScriptConfig.defaults();
        List<Script.Option> options = new ArrayList<>();
        List<Path> scripts = new ArrayList<>();
        boolean quiet = false;
        for (String a : args) {
            if (a.startsWith("--seed=")) {
                config = config.withSeed(Long.parseLong(a.substring(7)));
            } else if (a.equals("--quiet")) {
                quiet = true;
            } else if (a.startsWith("--")) {
                int eq = a.indexOf('=');
                options.add(new Script.Option(eq < 0 ? a.substring(2) : a.substring(2, eq),
                        eq < 0 ? null : a.substring(eq + 1), 0));
            } else if (!a.isBlank()) {
                scripts.add(Path.of(a));
            }
        }
        if (scripts.isEmpty()) {
            err.println("usage: packetdrill [--seed=N] [--quiet] [--tolerance_usecs=N ...] script.pkt ...");
            return 2;
        }
        int failed = 0;
        for (Path p : scripts) {
            PrintStream sink = quiet ? null : out;
            RunTrace trace = new RunTrace(sink == null ? null : sink::println);
            try {
                ScriptConfig c = config.with("command line", options);
                if (!quiet) {
                    out.println("# " + p);
                }
                ScriptRunner.run(p, c, trace);
                out.println("PASS " + p.getFileName());
            } catch (ScriptFailure | ScriptParseException e) {
                err.println(e.getMessage());
                out.println("FAIL " + p.getFileName());
                failed++;
            } catch (IOException e) {
                err.println(p + ": cannot read: " + e.getMessage());
                failed++;
            }
        }
        return failed == 0 ? 0 : 1;
    }
}
