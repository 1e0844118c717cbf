package io.opensase.ips.match;

import java.lang.foreign.MemorySegment;

/**
 * Where each content of the inspection in progress was found so far, so that the retries of an inspection
 * (an earlier content or pcre moved on, and a later content is searched again from a new position) do not
 * search the same bytes again: on a JavaScript body, {@code content:"<"; content:".length"; distance:0;}
 * followed by a relative pcre searched the rest of a 16 KiB body for ".length" once per "<" (BENCHMARKS §19).
 * <p>
 * Per content (by its position in the inspection) it keeps the starts found in one range of the buffer,
 * [{@code from}, {@code scanned}): every occurrence starting there is in the list, in order. A search from a
 * position in that range answers from the list, or carries the scan on from where it stopped; a search from
 * elsewhere starts a new range. The answers are those of {@link Inspector#search}, only cheaper. Owned by one
 * worker's {@link Inspector}; {@link #start} forgets everything at the start of each inspection.
 */
final class ContentOccurrences
{
    /** Starts kept per content; a content found more often starts its range again at the next one found. */
    static final int CAPACITY = 256;

    private final int[] stamps;
    private final int[] from;
    private final int[] scanned;
    private final int[] counts;
    private final int[][] starts;
    private int stamp;

    /** @param contents the most keywords an inspection has (positions 0 to contents - 1). */
    ContentOccurrences(final int contents)
    {
        stamps = new int[contents];
        from = new int[contents];
        scanned = new int[contents];
        counts = new int[contents];
        starts = new int[contents][CAPACITY];
    }

    /** A new inspection (another buffer or rule): nothing found so far. */
    void start()
    {
        if (++stamp == 0)
        {
            java.util.Arrays.fill(stamps, 0);
            stamp = 1;
        }
    }

    /**
     * {@link Inspector#search}{@code (data, origin, at, to, pattern, nocase)} for the content at position
     * {@code k} of the inspection, which always searches {@code pattern} in the same buffer.
     */
    int find(
        final int k,
        final MemorySegment data,
        final long origin,
        final int at,
        final int to,
        final byte[] pattern,
        final boolean nocase)
    {
        if (stamps[k] != stamp || at < from[k] || at > scanned[k])
        {
            stamps[k] = stamp;
            from[k] = at;
            scanned[k] = at;
            counts[k] = 0;
        }
        final int last = to - pattern.length;
        final int[] found = starts[k];
        final int n = counts[k];
        int lo = 0;
        int hi = n;
        while (lo < hi)
        {
            final int mid = (lo + hi) >>> 1;
            if (found[mid] < at)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        if (lo < n)
        {
            return found[lo] <= last ? found[lo] : -1;
        }
        // Nothing found from `at` up to where the scan stopped: carry it on from there.
        final int resume = scanned[k];
        if (resume > last)
        {
            return -1;
        }
        final int next = Inspector.search(data, origin, resume, to, pattern, nocase);
        if (next < 0)
        {
            scanned[k] = last + 1;
            return -1;
        }
        if (n == CAPACITY)
        {
            from[k] = next;
            counts[k] = 0;
        }
        found[counts[k]++] = next;
        scanned[k] = next + 1;
        return next;
    }
}
