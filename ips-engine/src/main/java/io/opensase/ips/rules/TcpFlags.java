package io.opensase.ips.rules;

/**
 * {@code flags:[+*!]FSRPAUCE0[,ignore]}: the TCP flags byte, with the {@code ignore} bits cleared first.
 * Bits: F 0x01, S 0x02, R 0x04, P 0x08, A 0x10, U 0x20, E 0x40 (ECE, also {@code 2}), C 0x80 (CWR, also
 * {@code 1}); {@code 0} means no flag.
 *
 * @param flags      the flags named.
 * @param ignoreMask the flags to ignore.
 */
public record TcpFlags(Mode mode, int flags, int ignoreMask) implements Condition
{
    /** How the named flags are compared. */
    public enum Mode
    {
        /** No modifier: exactly these flags (after ignoring). */
        EXACT,
        /** {@code +}: these flags, and maybe others. */
        ALL,
        /** {@code *}: any of these flags. */
        ANY,
        /** {@code !}: not all of these flags are set. */
        NOT
    }

    /** True when the TCP flags byte {@code value} passes. */
    public boolean test(final int value)
    {
        final int v = value & ~ignoreMask & 0xFF;
        return switch (mode)
        {
            case EXACT -> v == flags;
            case ALL -> (v & flags) == flags;
            case ANY -> (v & flags) != 0;
            case NOT -> (v & flags) != flags;
        };
    }
}
