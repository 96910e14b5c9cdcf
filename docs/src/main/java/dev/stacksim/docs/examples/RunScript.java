package dev.stacksim.docs.examples;

import dev.stacksim.packetdrill.RunTrace;
import dev.stacksim.packetdrill.Script;
import dev.stacksim.packetdrill.ScriptConfig;
import dev.stacksim.packetdrill.ScriptFailure;
import dev.stacksim.packetdrill.ScriptRunner;

/**
 * The packetdrill chapter's example: a script written in a Java test, run against a simulated
 * host, its trace printed; then the same script with a wrong expectation, and the report.
 */
public final class RunScript {
    private RunScript() {
    }

    /** Runs the example and prints what it returns. */
    public static void main(String[] args) {
        System.out.println(run());
    }

    /** The example: the passing run's trace, then the failing run's report. */
    public static String run() {
        // tag::run[]
        String text = """
                0     socket(..., SOCK_DGRAM, IPPROTO_UDP) = 3
                +0    bind(3, ..., ...) = 0
                +0    connect(3, ..., ...) = 0
                +0    write(3, ..., 20) = 20
                +0    > udp (20)
                +.1   < udp (100)
                +0    read(3, ..., 1000) = 100
                """;
        RunTrace trace = ScriptRunner.run(Script.parse("echo.pkt", text), ScriptConfig.defaults(), new RunTrace());
        String report;
        try {
            ScriptRunner.run(Script.parse("echo.pkt", text.replace("> udp (20)", "> udp (10)")),
                    ScriptConfig.defaults(), new RunTrace());
            report = "passed?";
        } catch (ScriptFailure f) {
            report = f.getMessage();        // echo.pkt:5: error handling packet: ...
        }
        // end::run[]
        return trace + "\n\n" + report;
    }
}
