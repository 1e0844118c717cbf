package io.opensase.ips.match;

import java.util.Arrays;

/**
 * The {@code flowbits} of every flow a worker owns: one row of {@code words} longs per flow handle in one
 * array, bit {@code b} of a flow at word {@code b / 64} of its row. Names become bit numbers when the matcher
 * is compiled ({@link RuleMatcher#flowbitCount()} of them), so a test or update is one load or store. Owned by one
 * worker thread: flows are pinned to a worker, so nothing here is shared.
 */
final class FlowBits
{
    private final long[] bits;
    private final int words;
    private final int flows;

    /**
     * @param flows    flow handles 0..flows-1.
     * @param bitCount distinct names; 0 keeps no memory.
     */
    FlowBits(final int flows, final int bitCount)
    {
        this.flows = flows;
        this.words = (bitCount + 63) >>> 6;
        this.bits = new long[Math.multiplyExact(flows, words)];
    }

    /** True when {@code flow} is a handle of this pool. */
    boolean has(final int flow)
    {
        return flow >= 0 && flow < flows;
    }

    boolean isSet(final int flow, final int bit)
    {
        return 0 != (bits[flow * words + (bit >>> 6)] & (1L << bit));
    }

    void set(final int flow, final int bit)
    {
        bits[flow * words + (bit >>> 6)] |= 1L << bit;
    }

    void unset(final int flow, final int bit)
    {
        bits[flow * words + (bit >>> 6)] &= ~(1L << bit);
    }

    void toggle(final int flow, final int bit)
    {
        bits[flow * words + (bit >>> 6)] ^= 1L << bit;
    }

    /** Forgets every bit of {@code flow}: a new flow in that slot. */
    void clear(final int flow)
    {
        if (has(flow))
        {
            Arrays.fill(bits, flow * words, (flow + 1) * words, 0L);
        }
    }

    /** Bytes of bit memory. */
    long bytes()
    {
        return 8L * bits.length;
    }
}
