/**
 * The event trace: what happens inside the hosts (state changes, queue moves, drops with their
 * reasons, timers, skb trips through the layers, ring descriptors) as {@link
 * dev.stacksim.trace.TraceEvent} records handed to {@link dev.stacksim.trace.TraceListener}s. The
 * equivalent of Linux's tracepoints, for tests, logs, files and sequence diagrams.
 */
package dev.stacksim.trace;
