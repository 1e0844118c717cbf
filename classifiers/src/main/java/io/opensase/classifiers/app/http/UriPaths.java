package io.opensase.classifiers.app.http;

/** Path normalisation for {@link HttpMessage#uriNormalized()}; stateless. */
final class UriPaths
{
    private UriPaths()
    {
    }

    /**
     * Writes {@code bytes[from, to)} with its "." and ".." segments resolved (RFC 3986 section 5.2.4) at
     * {@code out} (after {@code to}: the ranges must not overlap) and returns the end. A ".." at the root
     * stays at the root; a path that does not start with "/" is copied as it is.
     */
    static int removeDotSegments(final byte[] bytes, final int from, final int to, final int out)
    {
        if (from == to || '/' != bytes[from])
        {
            System.arraycopy(bytes, from, bytes, out, to - from);
            return out + to - from;
        }
        int w = out;
        bytes[w++] = '/';
        int i = from + 1;
        // Invariant: the output ends with '/' before each segment.
        while (i <= to)
        {
            final int segment = i;
            while (i < to && '/' != bytes[i])
            {
                i++;
            }
            final int length = i - segment;
            final boolean last = i >= to;
            i++;
            if (1 == length && '.' == bytes[segment])
            {
                continue;
            }
            if (2 == length && '.' == bytes[segment] && '.' == bytes[segment + 1])
            {
                if (w > out + 1)
                {
                    w--;
                    while (w > out + 1 && '/' != bytes[w - 1])
                    {
                        w--;
                    }
                }
                continue;
            }
            System.arraycopy(bytes, segment, bytes, w, length);
            w += length;
            if (!last)
            {
                bytes[w++] = '/';
            }
        }
        return w;
    }
}
