package io.opensase.ips.match;

import java.lang.foreign.MemorySegment;

/**
 * One thread's scanning state for a {@link Prefilter} (Hyperscan scratch space, duplicate suppression).
 * Owned by one thread; {@link #scan} allocates nothing.
 */
public interface PrefilterScanner extends AutoCloseable
{
    /**
     * Reports every literal of {@code group} found in {@code data} to {@code sink}: each end offset, or with
     * {@link Prefilter#singleMatch()} one end offset of each literal only (not necessarily its first).
     *
     * @param data native or heap memory; its whole size is scanned (at most 2^31-1 bytes).
     * @return the number of matches reported.
     */
    default int scan(final int group, final MemorySegment data, final MatchSink sink)
    {
        if (data.byteSize() > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException("cannot scan " + data.byteSize() + " bytes at once");
        }
        return scan(group, data, 0, (int)data.byteSize(), sink);
    }

    /**
     * As {@link #scan(int, MemorySegment, MatchSink)}, over the {@code length} bytes of {@code data} from
     * {@code offset}; end offsets count from {@code offset}.
     */
    int scan(int group, MemorySegment data, long offset, int length, MatchSink sink);

    /** Scans so far on this scanner that reached the engine (empty data and empty groups are not counted). */
    long scans();

    @Override
    void close();
}
