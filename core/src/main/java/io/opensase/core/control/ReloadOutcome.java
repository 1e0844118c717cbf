package io.opensase.core.control;

import java.util.List;

/**
 * What a reload or a configuration put did.
 *
 * @param status          what happened.
 * @param generation      the policy generation running afterwards.
 * @param error           for {@link Status#INVALID}: {@code file:line: field: reason}; otherwise null.
 * @param needsRestart    settings that differ from the running ones but cannot change live (ports,
 *                        workers, ...): they are not applied, and the rest is.
 * @param digest          SHA-256 of the configuration text that was validated, hex.
 * @param ipsLoad         when the IPS rules were loaded for it: the load report as start-up prints it (loaded N
 *                        of M rules, skipped by reason with the first file:line of each, the matcher, DLP), one
 *                        line each; null when the IPS rules were not loaded (none configured, or unchanged).
 */
public record ReloadOutcome(Status status, long generation, String error, List<String> needsRestart, String digest,
    String ipsLoad)
{
    public ReloadOutcome
    {
        needsRestart = List.copyOf(needsRestart);
    }

    /** An outcome without an IPS load. */
    public ReloadOutcome(final Status status, final long generation, final String error,
        final List<String> needsRestart, final String digest)
    {
        this(status, generation, error, needsRestart, digest, null);
    }

    /**
     * For an operator: one line saying what happened and what waits for a restart, then with an IPS load
     * its report as start-up prints it.
     */
    public String summary()
    {
        final String what = switch (status)
        {
            case APPLIED -> "applied: policy generation " + generation;
            case UNCHANGED -> "nothing to change: policy generation " + generation + " stays";
            case VALID -> "valid (not applied)";
            case INVALID -> "rejected, the running configuration stays: " + error;
            case FAILED -> "failed, the running configuration stays: " + error;
        };
        final String line = needsRestart.isEmpty() ? what
            : what + "; not applied, needs a restart: " + String.join(", ", needsRestart);
        return null == ipsLoad ? line : line + "\n" + ipsLoad.strip();
    }

    public enum Status
    {
        /** Applied: workers run the new generation. */
        APPLIED,
        /** Valid, and identical to the running configuration (or validate-only): nothing changed. */
        UNCHANGED,
        /** Valid, validate-only: nothing applied. */
        VALID,
        /** Rejected; the running configuration stays. */
        INVALID,
        /** The configuration file could not be read or written. */
        FAILED
    }
}
