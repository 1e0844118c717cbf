package io.opensase.ips.match;

import io.opensase.ips.rules.Buffer;
import io.opensase.ips.rules.BufferInspection;
import io.opensase.ips.rules.BufferMatch;
import io.opensase.ips.rules.ContentMatch;
import io.opensase.ips.rules.Rule;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The literal a rule puts into the prefilter, chosen as Suricata chooses its fast pattern:
 * <ol>
 *   <li>the content marked {@code fast_pattern} (its {@code offset,length} slice, if given);</li>
 *   <li>otherwise only non-negated contents are candidates, or the negated ones when the rule has no other;</li>
 *   <li>of those, the contents of the buffers with the best priority ({@link #priority(Buffer)}: sticky
 *       buffers 2, {@code pkt_data} 3, {@code http.method} 4, lower is better);</li>
 *   <li>of those, the longest;</li>
 *   <li>of equally long ones, the one with the highest {@link #strength(byte[]) pattern strength};</li>
 *   <li>still equal: the first in rule order (Suricata takes the buffer registered last; the model keeps
 *       no registration order).</li>
 * </ol>
 * Contents of {@code base64_data} are never candidates: that buffer is made by the rule itself.
 *
 * @param buffer     the buffer the literal must be found in.
 * @param inspection index of the content's inspection in {@link Rule#inspections()}.
 * @param match      index of the content in that inspection's matches.
 * @param negated    the content is negated: finding the literal does not make the rule a candidate, so the
 *                   rule is checked on every input instead.
 * @param explicit   chosen by {@code fast_pattern} rather than by the rules above.
 */
public record FastPattern(
    Buffer buffer,
    byte[] bytes,
    boolean nocase,
    boolean negated,
    int inspection,
    int match,
    boolean explicit)
{
    public FastPattern
    {
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes()
    {
        return bytes.clone();
    }

    /** True when the prefilter can stand in for the rule: finding the literal is necessary for a match. */
    public boolean prefilters()
    {
        return !negated;
    }

    /** The fast pattern of {@code rule}, or null when it has no content outside {@code base64_data}. */
    public static FastPattern of(final Rule rule)
    {
        final List<BufferInspection> inspections = rule.inspections();
        boolean positive = false;
        boolean any = false;
        for (int i = 0; i < inspections.size(); i++)
        {
            final BufferInspection inspection = inspections.get(i);
            if (!prefilterable(inspection.buffer()))
            {
                continue;
            }
            final List<BufferMatch> matches = inspection.matches();
            for (int m = 0; m < matches.size(); m++)
            {
                if (matches.get(m) instanceof ContentMatch c)
                {
                    if (null != c.fastPattern())
                    {
                        return of(inspection.buffer(), c, i, m, true);
                    }
                    any = true;
                    positive |= !c.negated();
                }
            }
        }
        if (!any)
        {
            return null;
        }
        int bestPriority = Integer.MAX_VALUE;
        for (final BufferInspection inspection : inspections)
        {
            if (prefilterable(inspection.buffer()) && hasCandidate(inspection, positive))
            {
                bestPriority = Math.min(bestPriority, priority(inspection.buffer()));
            }
        }
        int bestLength = 0;
        for (final BufferInspection inspection : inspections)
        {
            if (prefilterable(inspection.buffer()) && priority(inspection.buffer()) == bestPriority)
            {
                for (final BufferMatch match : inspection.matches())
                {
                    if (match instanceof ContentMatch c && c.negated() != positive)
                    {
                        bestLength = Math.max(bestLength, c.pattern().length);
                    }
                }
            }
        }
        FastPattern best = null;
        int bestStrength = -1;
        for (int i = 0; i < inspections.size(); i++)
        {
            final BufferInspection inspection = inspections.get(i);
            if (!prefilterable(inspection.buffer()) || priority(inspection.buffer()) != bestPriority)
            {
                continue;
            }
            final List<BufferMatch> matches = inspection.matches();
            for (int m = 0; m < matches.size(); m++)
            {
                if (matches.get(m) instanceof ContentMatch c && c.negated() != positive
                    && c.pattern().length == bestLength)
                {
                    final int strength = strength(c.pattern());
                    if (strength > bestStrength)
                    {
                        bestStrength = strength;
                        best = of(inspection.buffer(), c, i, m, false);
                    }
                }
            }
        }
        return best;
    }

    /**
     * Suricata's buffer priority for the choice (lower wins): application buffers and the other sticky
     * buffers 2, the packet payload / stream 3, {@code http.method} 4.
     */
    public static int priority(final Buffer buffer)
    {
        return switch (buffer)
        {
            case PAYLOAD -> 3;
            case HTTP_METHOD -> 4;
            default -> 2;
        };
    }

    /**
     * Suricata's pattern strength: each distinct byte scores 3 when it is a letter, 4 when it is another
     * printable byte or 0x00, 0x01 or 0xFF, 6 otherwise; each repeated byte scores 1.
     */
    public static int strength(final byte[] pattern)
    {
        final boolean[] seen = new boolean[256];
        int score = 0;
        for (final byte b : pattern)
        {
            final int c = b & 0xFF;
            if (seen[c])
            {
                score++;
                continue;
            }
            seen[c] = true;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
            {
                score += 3;
            }
            else if ((c >= 0x20 && c < 0x7F) || c == 0x00 || c == 0x01 || c == 0xFF)
            {
                score += 4;
            }
            else
            {
                score += 6;
            }
        }
        return score;
    }

    private static boolean prefilterable(final Buffer buffer)
    {
        return buffer != Buffer.BASE64_DATA;
    }

    private static boolean hasCandidate(final BufferInspection inspection, final boolean positive)
    {
        for (final BufferMatch match : inspection.matches())
        {
            if (match instanceof ContentMatch c && c.negated() != positive)
            {
                return true;
            }
        }
        return false;
    }

    private static FastPattern of(
        final Buffer buffer,
        final ContentMatch content,
        final int inspection,
        final int match,
        final boolean explicit)
    {
        final byte[] pattern = content.pattern();
        final ContentMatch.FastPattern slice = content.fastPattern();
        final byte[] bytes = null == slice || slice.length() < 0 ? pattern
            : Arrays.copyOfRange(pattern, slice.offset(), slice.offset() + slice.length());
        return new FastPattern(buffer, bytes, content.nocase(), content.negated(), inspection, match, explicit);
    }

    @Override
    public boolean equals(final Object o)
    {
        return o instanceof FastPattern f && buffer == f.buffer && Arrays.equals(bytes, f.bytes)
            && nocase == f.nocase && negated == f.negated && inspection == f.inspection && match == f.match
            && explicit == f.explicit;
    }

    @Override
    public int hashCode()
    {
        return Arrays.hashCode(bytes) * 31 + buffer.hashCode() + (nocase ? 1 : 0);
    }

    @Override
    public String toString()
    {
        return buffer.ruleName() + ":" + (negated ? "!" : "") + '"'
            + new String(bytes, StandardCharsets.ISO_8859_1) + '"' + (nocase ? " nocase" : "")
            + (explicit ? " (fast_pattern)" : "");
    }
}
