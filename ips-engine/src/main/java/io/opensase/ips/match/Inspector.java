package io.opensase.ips.match;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.regex.Matcher;

/**
 * One worker's verification of buffer inspections, following Suricata's content inspection engine step by
 * step: each keyword either fails (0), fails so that no earlier keyword needs to be searched again (-1), or
 * holds and hands the position of its match to the next keyword (a relative keyword counts from there). A
 * content or pcre that a later relative keyword is anchored to ({@link CompiledRule.Step#retry}) is searched
 * again from one past the start of its previous match when the rest fails; at most
 * {@value #RECURSION_LIMIT} keyword evaluations per inspection, as Suricata's default limit, and then the
 * inspection fails.
 * <p>
 * Pcre runs on at most {@code subjectLimit} bytes of its subject; a {@link StackOverflowError} in
 * {@code java.util.regex} counts as no match (as a PCRE2 match-limit error does in Suricata) and is counted.
 * Owned by one thread.
 */
final class Inspector
{
    static final int RECURSION_LIMIT = 3000;

    private static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;
    private static final byte[] FOLD = new byte[256];

    static
    {
        for (int b = 0; b < 256; b++)
        {
            FOLD[b] = (byte)AhoCorasick.fold(b);
        }
    }

    private final Matcher[] matchers;
    private final ByteChars[] subjects;
    private final int subjectLimit;
    private int recursion;
    private long pcreErrors;
    private long recursionLimitHits;

    Inspector(final List<CompiledRule> rules, final int pcreSlots, final int subjectLimit)
    {
        this.matchers = new Matcher[pcreSlots];
        this.subjects = new ByteChars[pcreSlots];
        this.subjectLimit = subjectLimit;
        for (final CompiledRule rule : rules)
        {
            for (final CompiledRule.Inspection inspection : rule.inspections)
            {
                for (final CompiledRule.Step step : inspection.steps)
                {
                    if (step.kind == CompiledRule.Step.PCRE)
                    {
                        subjects[step.slot] = new ByteChars();
                        matchers[step.slot] = step.regex.matcher(subjects[step.slot]);
                        matchers[step.slot].useTransparentBounds(true);
                        matchers[step.slot].useAnchoringBounds(false);
                    }
                }
            }
        }
    }

    /** True when every keyword of {@code steps} holds on {@code data}. */
    boolean inspect(final CompiledRule.Step[] steps, final MemorySegment data)
    {
        if (0 == steps.length)
        {
            return true;
        }
        recursion = 0;
        final int r = step(steps, 0, data, (int)data.byteSize(), 0);
        if (recursion >= RECURSION_LIMIT)
        {
            recursionLimitHits++;
        }
        return 1 == r;
    }

    long pcreErrors()
    {
        return pcreErrors;
    }

    long recursionLimitHits()
    {
        return recursionLimitHits;
    }

    private int step(
        final CompiledRule.Step[] steps,
        final int k,
        final MemorySegment data,
        final int length,
        final int position)
    {
        if (++recursion == RECURSION_LIMIT)
        {
            return -1;
        }
        final CompiledRule.Step s = steps[k];
        return switch (s.kind)
        {
            case CompiledRule.Step.CONTENT -> content(steps, k, data, length, position);
            case CompiledRule.Step.PCRE -> pcre(steps, k, data, length, position);
            case CompiledRule.Step.ISDATAAT -> isDataAt(steps, k, data, length, position);
            default -> s.size.test(length) ? next(steps, k, data, length, position) : -1;
        };
    }

    /** The keyword at {@code k} held: the rest decides, or the inspection holds when it was the last. */
    private int next(
        final CompiledRule.Step[] steps,
        final int k,
        final MemorySegment data,
        final int length,
        final int position)
    {
        return k + 1 == steps.length ? 1 : step(steps, k + 1, data, length, position);
    }

    private int content(
        final CompiledRule.Step[] steps,
        final int k,
        final MemorySegment data,
        final int length,
        final int position)
    {
        final CompiledRule.Step s = steps[k];
        final int patternLength = s.pattern.length;
        int retryFrom = 0;
        while (true)
        {
            // The window, computed as Suricata does in unsigned 32-bit arithmetic.
            int depth = length;
            int offset;
            if (s.relative)
            {
                offset = position;
                final int distance = s.distance;
                if (s.hasDistance)
                {
                    offset = distance < 0 && -distance > offset ? 0 : offset + distance;
                }
                if (s.hasWithin && depth > position + s.within + distance)
                {
                    depth = position + s.within + distance;
                }
            }
            else
            {
                if (0 != s.depth)
                {
                    depth = s.depth;
                }
                offset = s.offset;
            }
            if (0 != retryFrom)
            {
                offset = retryFrom;
            }
            if (Integer.compareUnsigned(depth, length) > 0)
            {
                depth = length;
            }
            if (Integer.compareUnsigned(offset, depth) > 0 || 0 == depth)
            {
                return s.negated ? next(steps, k, data, length, position) : 0;
            }
            final int window = depth - offset;
            final int found;
            if ((s.endsWith && depth < length) || patternLength > window)
            {
                found = -1;
            }
            else
            {
                found = search(data, offset, depth, s.pattern, s.nocase);
            }

            if (found < 0)
            {
                if (s.negated)
                {
                    return next(steps, k, data, length, position);
                }
                return s.relative ? 0 : -1;
            }
            final int end = found + patternLength;
            if (s.negated)
            {
                // Suricata compares the window's length with the absolute end here; kept as it is.
                if (s.endsWith && window != end)
                {
                    return next(steps, k, data, length, position);
                }
                return s.single ? -1 : 0;
            }
            if (!s.endsWith || end == length)
            {
                if (k + 1 == steps.length)
                {
                    return 1;
                }
                final int r = step(steps, k + 1, data, length, end);
                if (r != 0)
                {
                    return r;
                }
                if (!s.retry)
                {
                    return -1;
                }
            }
            retryFrom = end - (patternLength - 1);
        }
    }

    private int pcre(
        final CompiledRule.Step[] steps,
        final int k,
        final MemorySegment data,
        final int length,
        final int position)
    {
        final CompiledRule.Step s = steps[k];
        final Matcher matcher = matchers[s.slot];
        final ByteChars subject = subjects[s.slot];
        final int base = s.relative ? position : 0;
        final int subjectLength = Math.min(length - base, subjectLimit);
        int startAt = 0;
        while (true)
        {
            final int from = 0 == startAt ? 0 : startAt - base;
            boolean error = from > subjectLength;
            boolean found = false;
            if (!error)
            {
                matcher.reset(subject.point(data, base, subjectLength));
                if (0 != from)
                {
                    matcher.region(from, subjectLength);
                }
                try
                {
                    found = matcher.find();
                }
                catch (final StackOverflowError ex)
                {
                    pcreErrors++;
                    error = true;
                }
            }
            if (error || found == s.negated)
            {
                return 0;
            }
            final int end = s.negated ? position : base + matcher.end();
            final int nextStart = s.negated ? 0 : base + matcher.start() + 1;
            if (!s.retry)
            {
                return next(steps, k, data, length, end);
            }
            final int r = k + 1 == steps.length ? 1 : step(steps, k + 1, data, length, end);
            if (r != 0)
            {
                return r;
            }
            if (0 == nextStart)
            {
                return 0;
            }
            startAt = nextStart;
        }
    }

    private int isDataAt(
        final CompiledRule.Step[] steps,
        final int k,
        final MemorySegment data,
        final int length,
        final int position)
    {
        final CompiledRule.Step s = steps[k];
        final boolean present = s.relative ? position + s.dataAt <= length : s.dataAt < length;
        if (present != s.negated)
        {
            return next(steps, k, data, length, position);
        }
        return s.relative && s.negated ? 0 : -1;
    }

    /** First index in [from, to - pattern.length] where {@code pattern} occurs, or -1. */
    static int search(
        final MemorySegment data,
        final int from,
        final int to,
        final byte[] pattern,
        final boolean nocase)
    {
        final int last = to - pattern.length;
        final byte first = pattern[0];
        for (int i = from; i <= last; i++)
        {
            final byte b = data.get(BYTE, i);
            if ((nocase ? FOLD[b & 0xFF] : b) != first)
            {
                continue;
            }
            int j = 1;
            while (j < pattern.length)
            {
                final byte c = data.get(BYTE, (long)i + j);
                if ((nocase ? FOLD[c & 0xFF] : c) != pattern[j])
                {
                    break;
                }
                j++;
            }
            if (j == pattern.length)
            {
                return i;
            }
        }
        return -1;
    }
}
