package io.opensase.classifiers.flow;

/**
 * Deletion from an open-addressing index with linear probing whose buckets hold a hash in their high 32 bits
 * and a non-zero value in their low 32 (0 is an empty bucket), as the flow table and the fragment reassembler
 * keep theirs. Stateless.
 */
public final class ProbedBuckets
{
    private ProbedBuckets()
    {
    }

    /**
     * Empties bucket {@code hole} by backward-shift deletion: later entries of its probe run move up, so that
     * lookups never stop early at the hole and no tombstone is needed.
     *
     * @param mask the bucket count minus one (a power of two minus one).
     */
    public static void deleteAt(final long[] buckets, final int mask, final int hole)
    {
        int empty = hole;
        int b = hole;
        while (true)
        {
            b = (b + 1) & mask;
            final long bucket = buckets[b];
            if (0 == bucket)
            {
                break;
            }
            final int home = (int)(bucket >>> 32) & mask;
            final boolean stays = empty <= b ? empty < home && home <= b : empty < home || home <= b;
            if (!stays)
            {
                buckets[empty] = bucket;
                empty = b;
            }
        }
        buckets[empty] = 0;
    }
}
