package io.opensase.ips.rules;

/** A rule cannot be loaded; carries the {@link SkipReason}. Thrown only while parsing, off the packet path. */
public final class RuleException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final transient SkipReason reason;

    public RuleException(final SkipReason.Category category, final String key, final String detail)
    {
        super(category.label() + ": " + key + " (" + detail + ")", null, false, false);
        this.reason = new SkipReason(category, key, detail);
    }

    public SkipReason reason()
    {
        return reason;
    }

    static RuleException badValue(final String keyword, final String detail)
    {
        return new RuleException(SkipReason.Category.BAD_VALUE, keyword, detail);
    }

    static RuleException unsupported(final String keyword, final String detail)
    {
        return new RuleException(SkipReason.Category.UNSUPPORTED_SETTING, keyword, detail);
    }

    static RuleException conflict(final String key, final String detail)
    {
        return new RuleException(SkipReason.Category.CONFLICT, key, detail);
    }
}
