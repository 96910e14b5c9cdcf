/**
 * A packetdrill conformance runner: scripts in packetdrill's language (system calls, packets
 * injected with {@code <} and expected with {@code >}, a timeline with tolerances) run against a
 * simulated host, as google/packetdrill runs them against Linux through a tun device.
 *
 * <pre>
 *   script text ─ {@link dev.stacksim.packetdrill.ScriptLexer} ─ {@link dev.stacksim.packetdrill.ScriptParser}
 *        ─► {@link dev.stacksim.packetdrill.Script} (events: packets, system calls, commands)
 *        ─► {@link dev.stacksim.packetdrill.ScriptRunner}: a host with tun0 on a virtual clock
 *             Interpreter (main thread, events on the loop) ── PacketMapper ─► tun0.write (inbound)
 *             SyscallThread (the driver: blocking calls)   ── Process calls
 *             tun0 transmits ─► LivePacket ─► PacketMapper ─► PacketMatcher (outbound)
 *        ─► {@link dev.stacksim.packetdrill.RunTrace}, or a {@link dev.stacksim.packetdrill.ScriptFailure}
 *           reported as packetdrill reports it
 * </pre>
 *
 * <p>Every {@code *.pkt} under {@code stack-core/src/test/resources/packetdrill/} is a JUnit test;
 * {@link dev.stacksim.packetdrill.PacketdrillMain} runs scripts from the command line. The guide's
 * chapter {@code docs/guide/packetdrill.md} describes the language, the setup and the reports.
 */
package dev.stacksim.packetdrill;
