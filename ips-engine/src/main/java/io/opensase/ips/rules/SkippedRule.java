package io.opensase.ips.rules;

/** A rule the loader did not load: where it is, its text, and why. */
public record SkippedRule(RuleSource origin, String text, SkipReason reason)
{
    @Override
    public String toString()
    {
        return origin + ": " + Printable.escape(reason.toString());
    }
}
