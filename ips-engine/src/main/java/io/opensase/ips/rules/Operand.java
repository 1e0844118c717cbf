package io.opensase.ips.rules;

/**
 * A number in a rule that is either written in it or read at match time by an earlier
 * {@code byte_extract} of the same rule (by variable name).
 *
 * @param constant the value when {@code variable} is null; else 0.
 * @param variable the {@code byte_extract} variable's name, or null.
 * @param slot     the variable's index among the rule's {@code byte_extract} variables (0-based, in rule
 *                 order), or -1 for a constant. The compiled matcher keeps a small per-rule array of
 *                 extracted values indexed by it.
 */
public record Operand(long constant, String variable, int slot)
{
    public static Operand of(final long constant)
    {
        return new Operand(constant, null, -1);
    }

    public boolean isVariable()
    {
        return null != variable;
    }

    @Override
    public String toString()
    {
        return null == variable ? Long.toString(constant) : variable;
    }
}
