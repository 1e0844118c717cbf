package io.opensase.classifiers.app.dns;

import io.opensase.classifiers.app.AssemblyBuffers;
import io.opensase.classifiers.app.FlowSlots;

import java.lang.foreign.MemorySegment;

import static io.opensase.classifiers.parse.PacketMemory.u16;
import static io.opensase.classifiers.parse.PacketMemory.u8;

/**
 * DNS over TCP (RFC 1035 §4.2.2, RFC 7766): splits each direction's in-order stream into messages by their
 * two-byte length prefix and decodes each with a {@link DnsParser}. One per worker, owned by its thread. A
 * message inside one fed segment is decoded in place; one cut by segment boundaries is gathered in a buffer
 * from a pool of 64 KiB buffers, held only while that message is incomplete. A malformed message is counted
 * and skipped (the length prefix still frames the next); a gap stops the direction.
 */
public final class DnsTcpFramer implements AutoCloseable
{
    public static final int DEFAULT_ASSEMBLY_BUFFERS = 16;
    private static final int MAX_MESSAGE_BYTES = 65_535;

    private static final byte LENGTH = 0;
    private static final byte BODY = 1;
    private static final byte SKIP = 2;
    private static final byte STOPPED = 3;

    private final DnsCounters counters = new DnsCounters();
    private final DnsParser parser = new DnsParser(counters);
    private final DnsMessage message = new DnsMessage();
    private final AssemblyBuffers buffers;

    private final FlowSlots slots;
    private final byte[] state;
    private final int[] lengthFill;
    private final int[] messageLength;
    private final int[] remaining;
    private final int[] buffer;

    public DnsTcpFramer(final int maxFlows)
    {
        this(maxFlows, Math.min(2 * maxFlows, DEFAULT_ASSEMBLY_BUFFERS));
    }

    public DnsTcpFramer(final int maxFlows, final int assemblyBuffers)
    {
        if (maxFlows < 1 || maxFlows > 1 << 29)
        {
            throw new IllegalArgumentException("maxFlows must be in 1.." + (1 << 29) + ": " + maxFlows);
        }
        this.buffers = new AssemblyBuffers(assemblyBuffers, MAX_MESSAGE_BYTES);
        this.slots = new FlowSlots(maxFlows);
        this.state = new byte[2 * maxFlows];
        this.lengthFill = new int[2 * maxFlows];
        this.messageLength = new int[2 * maxFlows];
        this.remaining = new int[2 * maxFlows];
        this.buffer = new int[2 * maxFlows];
    }

    /** A flow slot, or -1 (counted as {@link DnsCounter#NO_FLOW}) when all are open. */
    public int open()
    {
        final int flow = slots.take();
        if (flow < 0)
        {
            counters.increment(DnsCounter.NO_FLOW);
            return -1;
        }
        for (int d = flow << 1; d <= (flow << 1 | 1); d++)
        {
            state[d] = LENGTH;
            lengthFill[d] = 0;
            messageLength[d] = 0;
            buffer[d] = -1;
        }
        return flow;
    }

    public void close(final int flow)
    {
        if (slots.release(flow))
        {
            release(flow << 1);
            release(flow << 1 | 1);
        }
    }

    public void gap(final int flow, final int direction)
    {
        final int d = flow << 1 | direction & 1;
        counters.increment(DnsCounter.GAPS);
        state[d] = STOPPED;
        release(d);
    }

    public DnsCounters counters()
    {
        return counters;
    }

    public void feed(
        final int flow,
        final int direction,
        final MemorySegment data,
        final long offset,
        final int length,
        final DnsListener listener)
    {
        final int d = flow << 1 | direction & 1;
        long p = offset;
        final long end = offset + length;
        while (p < end && STOPPED != state[d])
        {
            if (LENGTH == state[d])
            {
                if (0 == lengthFill[d] && end - p >= 2)
                {
                    messageLength[d] = u16(data, p);
                    p += 2;
                }
                else
                {
                    messageLength[d] = messageLength[d] << 8 | u8(data, p++);
                    if (++lengthFill[d] < 2)
                    {
                        continue;
                    }
                    lengthFill[d] = 0;
                }
                final int n = messageLength[d];
                messageLength[d] = 0;
                remaining[d] = n;
                if (end - p >= n)
                {
                    decode(flow, direction, data, p, n, listener);
                    p += n;
                    continue;
                }
                final int b = buffers.take();
                if (b < 0)
                {
                    counters.increment(DnsCounter.NO_BUFFER);
                    state[d] = SKIP;
                    continue;
                }
                buffer[d] = b;
                messageLength[d] = n;
                state[d] = BODY;
            }
            else
            {
                final int m = (int)Math.min(remaining[d], end - p);
                if (BODY == state[d])
                {
                    final int fill = messageLength[d] - remaining[d];
                    MemorySegment.copy(data, p, buffers.memory(), buffers.offset(buffer[d]) + fill, m);
                }
                p += m;
                remaining[d] -= m;
                if (0 == remaining[d])
                {
                    if (BODY == state[d])
                    {
                        decode(flow, direction, buffers.memory(), buffers.offset(buffer[d]), messageLength[d],
                            listener);
                        release(d);
                    }
                    messageLength[d] = 0;
                    state[d] = LENGTH;
                }
            }
        }
    }

    private void decode(
        final int flow,
        final int direction,
        final MemorySegment data,
        final long at,
        final int length,
        final DnsListener listener)
    {
        if (parser.parse(data, at, length, message))
        {
            listener.onMessage(flow, direction, message);
        }
    }

    private void release(final int d)
    {
        if (buffer[d] >= 0)
        {
            buffers.release(buffer[d]);
            buffer[d] = -1;
        }
    }

    @Override
    public void close()
    {
        buffers.close();
    }
}
