package io.opensase.ips.match;

import io.opensase.ips.rules.Buffer;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * What one call of {@link RuleMatcher.Worker#match} inspects: the buffers, by kind, that the packet, the
 * reassembled stream and the application parsers produced, and the packet and flow facts {@code flow} and
 * {@code dsize} test. Owned by one thread and reused: {@link #clear()} it, fill it, match it. It keeps the
 * segments it is given (no copy), so they must stay valid until the match returns.
 * <p>
 * A buffer that was not set is absent, and every inspection of it fails. Multi-buffers ({@link Buffer#multi()}:
 * {@code dns.query}, {@code tls.alpn}) take up to {@value #MAX_VALUES} values each through {@link #add}.
 */
public final class MatchInput
{
    /** Values kept per multi-buffer; further ones are dropped and counted in {@link #droppedValues()}. */
    public static final int MAX_VALUES = 16;

    /** Which way the packet goes in its flow. */
    public enum Direction
    {
        /** The packet belongs to no tracked flow. */
        NONE,
        TO_SERVER,
        TO_CLIENT
    }

    private static final Buffer[] BUFFERS = Buffer.values();

    final MemorySegment[][] values = new MemorySegment[BUFFERS.length][];
    final int[] counts = new int[BUFFERS.length];
    Direction direction = Direction.NONE;
    boolean established;
    boolean stream;
    int packetPayloadSize = -1;
    private int dropped;

    public MatchInput()
    {
        for (final Buffer buffer : BUFFERS)
        {
            values[buffer.ordinal()] = new MemorySegment[buffer.multi() ? MAX_VALUES : 1];
        }
    }

    /** Forgets every buffer and fact. */
    public MatchInput clear()
    {
        Arrays.fill(counts, 0);
        direction = Direction.NONE;
        established = false;
        stream = false;
        packetPayloadSize = -1;
        return this;
    }

    /**
     * Sets the one value of {@code buffer} (for a multi-buffer: replaces all values with this one).
     *
     * @param data the buffer's bytes, native or heap memory.
     */
    public MatchInput set(final Buffer buffer, final MemorySegment data)
    {
        values[buffer.ordinal()][0] = data;
        counts[buffer.ordinal()] = 1;
        return this;
    }

    /** Adds a value to {@code buffer}; for a buffer that is not a multi-buffer, the same as {@link #set}. */
    public MatchInput add(final Buffer buffer, final MemorySegment data)
    {
        final int b = buffer.ordinal();
        if (!buffer.multi())
        {
            return set(buffer, data);
        }
        if (counts[b] == MAX_VALUES)
        {
            dropped++;
            return this;
        }
        values[b][counts[b]++] = data;
        return this;
    }

    /**
     * The flow facts {@code flow:} tests.
     *
     * @param stream true when {@link Buffer#PAYLOAD} holds reassembled stream data, false when it holds one
     *               packet's payload ({@code only_stream} / {@code no_stream}).
     */
    public MatchInput flow(final Direction direction, final boolean established, final boolean stream)
    {
        this.direction = direction;
        this.established = established;
        this.stream = stream;
        return this;
    }

    /**
     * The packet's own payload size, for {@code dsize}; leave it unset (-1) when {@link Buffer#PAYLOAD} is not
     * a single packet's payload, and rules with {@code dsize} do not match, as in Suricata.
     */
    public MatchInput packetPayloadSize(final int size)
    {
        packetPayloadSize = size;
        return this;
    }

    /** Values of {@code buffer} set so far. */
    public int count(final Buffer buffer)
    {
        return counts[buffer.ordinal()];
    }

    /** Multi-buffer values dropped because a buffer already held {@value #MAX_VALUES}, since construction. */
    public int droppedValues()
    {
        return dropped;
    }
}
