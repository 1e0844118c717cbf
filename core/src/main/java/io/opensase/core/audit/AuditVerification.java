package io.opensase.core.audit;

/**
 * What {@link AuditVerifier} found: intact, or the first bad entry and what is wrong with it. Immutable.
 *
 * @param problem null when the log is intact; otherwise the kind of the first problem.
 * @param entries the entries whose mac and place in the chain verified before the first problem; all of them
 *                when intact, or when the problem is found against the anchor at the end.
 * @param line    the 1-based line of the first bad entry (for a missing entry, the line where it should
 *                be); 0 when intact.
 * @param seq     the seq written on that line, or the one expected there when the entry is missing; 0 when
 *                intact, or when the line cannot be read as an entry or is cut short.
 * @param reason  what is wrong and what usually causes it; when intact, a summary.
 * @param lastMac the mac of the last entry that verified ({@link AuditEntry#ZERO} when none did).
 */
public record AuditVerification(Problem problem, long entries, long line, long seq, String reason, String lastMac)
{
    /** Kinds of problem, each with the tampering (or accident) it usually means. */
    public enum Problem
    {
        /** A line that is not an entry: not JSON, a member missing or out of order, not UTF-8, too long. */
        MALFORMED,
        /** The mac does not verify: the entry was edited or made up, or the whole log rewritten, without the key. */
        BAD_MAC,
        /** A genuine entry in the wrong place: its seq or prev does not follow the line before (removed,
         * inserted, duplicated or reordered entries). */
        MISPLACED,
        /** Fewer entries than the anchor says: the end of the log was cut off. */
        TRUNCATED,
        /** The entry the anchor names has another mac: the end of the log was replaced. */
        ANCHOR_MISMATCH,
        /** Entries after the one the anchor names: a crash between an append and its anchor, or an old anchor
         * put back. */
        NOT_ANCHORED,
        /** The last line has no newline: a write interrupted by a crash; everything before it is intact. */
        CUT_SHORT
    }

    public boolean intact()
    {
        return null == problem;
    }

    /** One line for an operator: {@code LOG: intact: ...} or {@code LOG:LINE: seq N: reason}. */
    public String describe(final String log)
    {
        if (intact())
        {
            return log + ": " + reason;
        }
        return log + ":" + line + ": " + (seq > 0 ? "seq " + seq + ": " : "") + reason;
    }
}
