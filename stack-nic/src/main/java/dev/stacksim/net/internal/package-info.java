/**
 * Data structures behind {@code dev.stacksim.net}, not API: the egress FIFO and the in-flight
 * queue of a link direction, and the bridge's MAC table. Each is a ring or an array heap sized by
 * doubling, so that a link or switch in steady state allocates nothing per frame.
 */
package dev.stacksim.net.internal;
