/**
 * The control board: what the compacted control topic (kill switches, budget alerts) says a loop may do now. Pure and
 * thread-safe; agent-service and gate-service fill it from the topic, a poller can fill it from state-service's
 * snapshot.
 */
package dev.loopline.core.control;
