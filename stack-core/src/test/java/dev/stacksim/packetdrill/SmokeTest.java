package dev.stacksim.packetdrill;

import org.junit.jupiter.api.Test;

class SmokeTest {
    static RunTrace run(String text) {
        RunTrace t = new RunTrace(System.out::println);
        try {
            ScriptRunner.run(Script.parse("smoke.pkt", text), ScriptConfig.defaults(), t);
        } catch (ScriptFailure f) {
            System.out.println("FAILURE: " + f.getMessage());
            throw f;
        }
        return t;
    }

    @Test
    void udp() {
        run("""
            0     socket(..., SOCK_DGRAM, IPPROTO_UDP) = 3
            +0    bind(3, ..., ...) = 0
            +.1   < udp (100)
            +0    recvfrom(3, ..., 1000, 0, ..., ...) = 100
            +0    sendto(3, ..., 20, 0, ..., ...) = 20
            +0    > udp (20)
            +.1...0.2 read(3, ..., 1000) = 50
            +.1   < udp (50)
            +.1   close(3) = 0
            +0    < udp (10)
            +0    > icmp unreachable port_unreachable
            """);
    }
}
