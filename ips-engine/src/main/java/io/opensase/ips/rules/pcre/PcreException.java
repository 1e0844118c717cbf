package io.opensase.ips.rules.pcre;

/**
 * A pcre the translator does not accept: either PCRE2 itself would reject it ({@link #invalid()}), or it uses
 * a feature outside the supported subset ({@link #feature()} names it, for grouping in load reports).
 */
public final class PcreException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final String feature;
    private final boolean invalid;

    private PcreException(final String feature, final boolean invalid, final String detail)
    {
        super(detail, null, false, false);
        this.feature = feature;
        this.invalid = invalid;
    }

    static PcreException unsupported(final String feature, final String detail)
    {
        return new PcreException(feature, false, detail);
    }

    static PcreException invalid(final String detail)
    {
        return new PcreException("invalid expression", true, detail);
    }

    /** Short name of the unsupported feature, or "invalid expression". */
    public String feature()
    {
        return feature;
    }

    /** True when PCRE2 would reject the expression too. */
    public boolean invalid()
    {
        return invalid;
    }
}
