/**
 * Seeing inside: one-line packet summaries, sequence diagrams drawn as standalone SVG, and
 * {@link dev.stacksim.diag.TraceDiagram}, which draws one from a recorded event trace
 * ({@code dev.stacksim.trace}). (The {@code ss} and {@code /proc/net/tcp} views join them with the
 * TCP issues.)
 */
package dev.stacksim.diag;
