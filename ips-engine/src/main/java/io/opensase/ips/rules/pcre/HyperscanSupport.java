package io.opensase.ips.rules.pcre;

/**
 * How far Hyperscan (block mode, the expression as written, flags {@code i}/{@code s}/{@code m} mapped to
 * its own) can run a pcre. Checked against the library by {@code HyperscanExactnessTest}.
 */
public enum HyperscanSupport
{
    /** Hyperscan decides match / no match exactly as PCRE2 does. */
    EXACT,
    /**
     * Hyperscan compiles it only with {@code HS_FLAG_PREFILTER}: it may report matches PCRE2 would not (never
     * the other way round), so a Java verification must follow (back-references, lookaround, atomic groups,
     * possessive quantifiers).
     */
    PREFILTER,
    /** Hyperscan refuses it even as a prefilter ({@code \R}, {@code \N}, inline {@code (?U)}): Java only. */
    NONE
}
