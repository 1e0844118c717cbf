package io.opensase.classifiers.app.ssh;

import io.opensase.classifiers.app.FlowSlots;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Reads the identification string each side of an SSH connection sends first (RFC 4253 §4.2) from the
 * direction's in-order stream: protocol version, software version, comments. Lines before it that do not
 * start with "SSH-" are skipped (servers may send them); the line may arrive in any number of pieces and end
 * in CR LF or LF alone. Past the banner, the binary packet protocol is not read. One per worker, owned by
 * its thread; each direction keeps up to 255 bytes of an unfinished line; nothing is allocated after
 * construction.
 */
public final class SshParser
{
    /** RFC 4253: the identification line is at most 255 bytes with its CR LF. */
    public static final int MAX_LINE = 255;

    private static final byte LINE = 0;
    private static final byte DONE = 1;
    private static final byte STOPPED = 2;

    private final long[] counts = new long[SshCounter.count()];
    private final byte[] lines;
    private final SshBanner banner;
    private final FlowSlots slots;
    private final byte[] state;
    private final int[] fill;

    public SshParser(final int maxFlows)
    {
        if (maxFlows < 1 || maxFlows > 1 << 22)
        {
            throw new IllegalArgumentException("maxFlows must be in 1.." + (1 << 22) + ": " + maxFlows);
        }
        this.lines = new byte[2 * maxFlows * MAX_LINE];
        this.banner = new SshBanner(MemorySegment.ofArray(lines));
        this.slots = new FlowSlots(maxFlows);
        this.state = new byte[2 * maxFlows];
        this.fill = new int[2 * maxFlows];
    }

    /** A flow slot, or -1 (counted as {@link SshCounter#NO_FLOW}) when all are open. */
    public int open()
    {
        final int flow = slots.take();
        if (flow < 0)
        {
            counts[SshCounter.NO_FLOW.ordinal()]++;
            return -1;
        }
        for (int d = flow << 1; d <= (flow << 1 | 1); d++)
        {
            state[d] = LINE;
            fill[d] = 0;
        }
        return flow;
    }

    public void close(final int flow)
    {
        slots.release(flow);
    }

    public void gap(final int flow, final int direction)
    {
        final int d = flow << 1 | direction & 1;
        if (LINE == state[d])
        {
            counts[SshCounter.GAPS.ordinal()]++;
            state[d] = STOPPED;
        }
    }

    /** True once the direction's banner has been read. */
    public boolean bannerSeen(final int flow, final int direction)
    {
        return DONE == state[flow << 1 | direction & 1];
    }

    public long count(final SshCounter counter)
    {
        return counts[counter.ordinal()];
    }

    public void feed(
        final int flow,
        final int direction,
        final MemorySegment data,
        final long offset,
        final int length,
        final SshListener listener)
    {
        final int d = flow << 1 | direction & 1;
        final int base = d * MAX_LINE;
        for (long p = offset, end = offset + length; p < end && LINE == state[d]; p++)
        {
            final byte b = data.get(ValueLayout.JAVA_BYTE, p);
            if ('\n' == b)
            {
                line(flow, direction, d, base, listener);
            }
            else if (fill[d] == MAX_LINE - 1)
            {
                counts[SshCounter.LONG_LINE.ordinal()]++;
                state[d] = STOPPED;
            }
            else
            {
                lines[base + fill[d]++] = b;
            }
        }
    }

    private void line(final int flow, final int direction, final int d, final int base, final SshListener listener)
    {
        int length = fill[d];
        fill[d] = 0;
        if (length > 0 && '\r' == lines[base + length - 1])
        {
            length--;
        }
        if (length < 4 || 'S' != lines[base] || 'S' != lines[base + 1] || 'H' != lines[base + 2]
            || '-' != lines[base + 3])
        {
            counts[SshCounter.OTHER_LINES.ordinal()]++;
            return;
        }
        state[d] = DONE;
        int dash = 4;
        while (dash < length && '-' != lines[base + dash])
        {
            dash++;
        }
        if (dash >= length - 1)
        {
            counts[SshCounter.MALFORMED_BANNER.ordinal()]++;
            return;
        }
        int space = dash + 1;
        while (space < length && ' ' != lines[base + space])
        {
            space++;
        }
        final int commentsAt = Math.min(space + 1, length);
        banner.set(base, 4, dash - 4, dash + 1, space - dash - 1, commentsAt, length - commentsAt);
        counts[SshCounter.BANNERS.ordinal()]++;
        listener.onBanner(flow, direction, banner);
    }
}
