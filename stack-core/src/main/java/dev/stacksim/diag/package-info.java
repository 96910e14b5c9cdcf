/**
 * Seeing inside: one-line packet summaries and sequence diagrams drawn as standalone SVG. (The
 * {@code ss}, {@code /proc/net/tcp} and event-trace views join them with the TCP issues.)
 */
package dev.stacksim.diag;
