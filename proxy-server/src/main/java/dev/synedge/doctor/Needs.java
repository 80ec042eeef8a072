package dev.synedge.doctor;

/**
 * Which host features a configuration relies on; without a configuration, synedge's reason
 * to exist: Fast Open on both legs.
 */
public record Needs(boolean serverFastOpen, boolean clientFastOpen, boolean mptcp, boolean zeroCopy) {

    public static final Needs DEFAULT = new Needs(true, true, false, false);
}
