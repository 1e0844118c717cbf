package io.opensase.ips.rules;

import io.opensase.ips.rules.pcre.HyperscanSupport;

import java.util.regex.Pattern;

/**
 * {@code pcre:"/re/flags"}, translated to a {@code java.util.regex} pattern with the same matches over
 * bytes (each byte one ISO-8859-1 char). Suricata runs the expression on the buffer from its start, or for
 * {@code /R} from the end of the previous match (so {@code ^} anchors there); the Java pattern is meant for a
 * {@code Matcher} over that region with the default opaque, anchoring bounds.
 *
 * @param source         the expression between the slashes, as written.
 * @param modifiers      the letters after the last slash, as written.
 * @param negated        {@code pcre:!"..."}: holds when the expression does not match.
 * @param relative       {@code R}.
 * @param javaRegex      the translated expression.
 * @param javaFlags      {@link Pattern} flags to compile it with.
 * @param hyperscan      how far Hyperscan can run the expression as written: exactly, as a prefilter
 *                       ({@code HS_FLAG_PREFILTER}, then Java verifies), or not at all.
 * @param hyperscanNote  the constructs that keep it from exact, or null.
 */
public record PcreMatch(
    String source,
    String modifiers,
    boolean negated,
    boolean relative,
    String javaRegex,
    int javaFlags,
    HyperscanSupport hyperscan,
    String hyperscanNote) implements BufferMatch
{
    /** Compiles the translated expression (thread-safe result; compile once per rule set). */
    public Pattern compile()
    {
        return Pattern.compile(javaRegex, javaFlags);
    }

    @Override
    public String toString()
    {
        return "pcre:" + (negated ? "!" : "") + "\"/" + source + "/" + modifiers + "\"";
    }
}
