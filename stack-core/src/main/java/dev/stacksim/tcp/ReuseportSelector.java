package dev.stacksim.tcp;

/**
 * Chooses the member of a SO_REUSEPORT group an incoming connection goes to, standing in for a
 * reuseport BPF program ({@code SO_ATTACH_REUSEPORT_CBPF}/{@code EBPF}, whose answer is an index
 * into the group). Attach one with {@link Tcp#attachReuseportSelector}; without one Linux hashes
 * the 4-tuple.
 */
@FunctionalInterface
public interface ReuseportSelector {
    /**
     * The index (0 .. {@code groupSize - 1}, in the order the listeners joined, with the last one
     * moved into a leaver's place) of the listener for a SYN from {@code saddr:sport} to
     * {@code daddr:dport}; any other value falls back to the hash, as a BPF program's out-of-range
     * answer does.
     */
    int select(int saddr, int sport, int daddr, int dport, int groupSize);
}
