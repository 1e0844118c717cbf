package io.opensase.classifiers.app.http;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Decodes the Content-Encoding layers of the bodies of one worker's flows, incrementally; owned by the
 * {@link HttpParser} of that worker.
 * <p>
 * A message with layers takes one {@link Inflater} per layer from the worker's pool for as long as its body
 * lasts ({@link #begin}, {@link #end}). Layer 0 is the last coding listed (the one applied last); its output
 * feeds layer 1, and the last layer's output goes to the {@link Sink}. Whatever the header says, each layer
 * looks at its first two bytes: {@code 1f 8b} is a gzip member (header parsed here, trailer skipped, further
 * members decoded in turn), a valid zlib header (RFC 1950) is skipped, anything else is taken as raw deflate
 * (RFC 1951), which is what servers sending "deflate" often send. Every inflater runs with {@code nowrap}.
 * Whatever follows the end of a gzip member, a zlib stream or a raw deflate stream is looked at afresh in the
 * same way: another stream is decoded; other bytes are tried as raw deflate, and most fail as corrupt data
 * (below).
 * Corrupt data turns the layer into a pass-through for the rest of its input (counted); a layer passing the
 * ratio or size cap stops (counted).
 * <p>
 * Memory: per layer slot a 16 KiB input and a 32 KiB output direct buffer, per pooled inflater zlib's native
 * state (about 7 KiB) and, once it has inflated, its 32 KiB window.
 */
final class ContentDecoder implements AutoCloseable
{
    static final int GZIP = 1;
    static final int DEFLATE = 2;

    /** Receives decoded bytes; answers false to stop decoding the message. */
    interface Sink
    {
        boolean onDecoded(MemorySegment decoded, long offset, int length);
    }

    private static final int IN_BYTES = 16 * 1024;
    private static final int OUT_BYTES = 32 * 1024;

    private static final byte SNIFF_FIRST = 0;
    private static final byte SNIFF_SECOND = 1;
    private static final byte GZIP_FIXED = 2;
    private static final byte GZIP_EXTRA_LENGTH = 3;
    private static final byte GZIP_SKIP = 4;
    private static final byte GZIP_NAME = 5;
    private static final byte GZIP_COMMENT = 6;
    private static final byte GZIP_HEADER_CRC = 7;
    private static final byte INFLATE = 8;
    private static final byte TRAILER = 9;
    private static final byte PASS = 10;
    private static final byte STOPPED = 11;

    private static final byte RAW = 0;
    private static final byte ZLIB = 1;
    private static final byte GZIP_MEMBER = 2;

    private static final int FHCRC = 2;
    private static final int FEXTRA = 4;
    private static final int FNAME = 8;
    private static final int FCOMMENT = 16;

    private final HttpLimits limits;
    private final HttpCounters counters;
    private final Sink sink;
    private final int maxLayers;

    private final Inflater[] pool;
    private final int[] free;
    private int freeCount;

    // Per flow-direction.
    private final byte[] layers;
    /** Per flow direction: a layer of the current body met corrupt data. */
    private final boolean[] corrupt;

    // Per flow-direction and layer.
    private final int[] inflaterOf;
    private final byte[] phase;
    private final byte[] kind;
    private final int[] headerFlags;
    private final int[] counter;
    private final long[] inTotal;
    private final long[] outTotal;
    private final byte[] firstByte;

    // Per layer depth, shared by the flows (a layer runs to completion before feed returns).
    private final ByteBuffer[] in;
    private final ByteBuffer[] out;
    private final MemorySegment[] inMemory;
    private final MemorySegment[] outMemory;
    private final byte[] sniffed;
    private final MemorySegment sniffedMemory;

    ContentDecoder(final HttpLimits limits, final int flowDirections, final HttpCounters counters, final Sink sink)
    {
        this.limits = limits;
        this.counters = counters;
        this.sink = sink;
        this.maxLayers = limits.decompressionLayers();
        pool = new Inflater[limits.inflaters()];
        free = new int[pool.length];
        for (int i = 0; i < pool.length; i++)
        {
            pool[i] = new Inflater(true);
            free[i] = pool.length - 1 - i;
        }
        freeCount = pool.length;
        layers = new byte[flowDirections];
        corrupt = new boolean[flowDirections];
        final int slots = flowDirections * maxLayers;
        inflaterOf = new int[slots];
        phase = new byte[slots];
        kind = new byte[slots];
        headerFlags = new int[slots];
        counter = new int[slots];
        inTotal = new long[slots];
        outTotal = new long[slots];
        firstByte = new byte[slots];
        sniffed = new byte[2 * maxLayers];
        sniffedMemory = MemorySegment.ofArray(sniffed);
        in = new ByteBuffer[maxLayers];
        out = new ByteBuffer[maxLayers];
        inMemory = new MemorySegment[maxLayers];
        outMemory = new MemorySegment[maxLayers];
        for (int layer = 0; layer < maxLayers; layer++)
        {
            in[layer] = ByteBuffer.allocateDirect(IN_BYTES);
            out[layer] = ByteBuffer.allocateDirect(OUT_BYTES);
            inMemory[layer] = MemorySegment.ofBuffer(in[layer]);
            outMemory[layer] = MemorySegment.ofBuffer(out[layer]);
        }
    }

    /**
     * Starts decoding a body with {@code count} layers; when the pool has too few inflaters (counted) the body
     * goes undecoded and this returns false.
     */
    boolean begin(final int fd, final int count)
    {
        if (count > freeCount)
        {
            counters.add(HttpCounter.NO_INFLATER);
            return false;
        }
        layers[fd] = (byte)count;
        corrupt[fd] = false;
        for (int layer = 0; layer < count; layer++)
        {
            final int slot = fd * maxLayers + layer;
            inflaterOf[slot] = free[--freeCount];
            phase[slot] = SNIFF_FIRST;
            kind[slot] = RAW;
            inTotal[slot] = 0;
            outTotal[slot] = 0;
        }
        return true;
    }

    /** True once a layer of the body met data it could not inflate: the rest passes through as it stands. */
    boolean corrupt(final int fd)
    {
        return corrupt[fd];
    }

    boolean active(final int fd)
    {
        return layers[fd] > 0;
    }

    /** Returns the message's inflaters to the pool. */
    void end(final int fd)
    {
        final int count = layers[fd];
        for (int layer = 0; layer < count; layer++)
        {
            final int index = inflaterOf[fd * maxLayers + layer];
            pool[index].reset();
            free[freeCount++] = index;
        }
        layers[fd] = 0;
    }

    /** Decodes body bytes; false when the sink or a cap stopped the message. */
    boolean decode(final int fd, final MemorySegment data, final long offset, final int length)
    {
        return layer(fd, 0, data, offset, length);
    }

    private boolean layer(final int fd, final int layer, final MemorySegment data, final long offset, final int length)
    {
        final int slot = fd * maxLayers + layer;
        long at = offset;
        final long end = offset + length;
        while (at < end)
        {
            switch (phase[slot])
            {
                case INFLATE ->
                {
                    final int piece = (int)Math.min(end - at, IN_BYTES);
                    final int consumed = runInflater(fd, layer, slot, data, at, piece);
                    if (consumed < 0)
                    {
                        return false;
                    }
                    at += consumed;
                }
                case PASS ->
                {
                    final int piece = (int)(end - at);
                    if (!forward(fd, layer, data, at, piece))
                    {
                        return false;
                    }
                    at = end;
                }
                case STOPPED ->
                {
                    return false;
                }
                default ->
                {
                    if (!header(fd, layer, slot, data.get(ValueLayout.JAVA_BYTE, at)))
                    {
                        return false;
                    }
                    at++;
                }
            }
        }
        return true;
    }

    /** One byte of what precedes or follows the deflate data; false when the sink stopped the message. */
    private boolean header(final int fd, final int layer, final int slot, final byte b)
    {
        switch (phase[slot])
        {
            case SNIFF_FIRST ->
            {
                firstByte[slot] = b;
                phase[slot] = SNIFF_SECOND;
            }
            case SNIFF_SECOND ->
            {
                return sniff(fd, layer, slot, b);
            }
            case GZIP_FIXED ->
            {
                // Bytes 2..9 of the member header: CM, FLG, MTIME, XFL, OS.
                if (3 == counter[slot])
                {
                    headerFlags[slot] = b & 0xFF;
                }
                if (++counter[slot] == 10)
                {
                    counter[slot] = 0;
                    nextGzipField(slot);
                }
            }
            case GZIP_EXTRA_LENGTH ->
            {
                headerFlags[slot] |= (b & 0xFF) << (8 + 8 * counter[slot]);
                if (++counter[slot] == 2)
                {
                    counter[slot] = headerFlags[slot] >>> 8;
                    headerFlags[slot] &= 0xFF & ~FEXTRA;
                    phase[slot] = GZIP_SKIP;
                    if (0 == counter[slot])
                    {
                        nextGzipField(slot);
                    }
                }
            }
            case GZIP_SKIP ->
            {
                if (--counter[slot] == 0)
                {
                    nextGzipField(slot);
                }
            }
            case GZIP_NAME, GZIP_COMMENT ->
            {
                if (0 == b)
                {
                    nextGzipField(slot);
                }
            }
            case GZIP_HEADER_CRC ->
            {
                if (++counter[slot] == 2)
                {
                    headerFlags[slot] &= ~FHCRC;
                    nextGzipField(slot);
                }
            }
            case TRAILER ->
            {
                if (--counter[slot] == 0)
                {
                    streamEnded(slot);
                }
            }
            default -> throw new IllegalStateException("phase " + phase[slot]);
        }
        return true;
    }

    /** Decides the layer's format from its first two bytes; false when the sink stopped the message. */
    private boolean sniff(final int fd, final int layer, final int slot, final byte second)
    {
        final int b0 = firstByte[slot] & 0xFF;
        final int b1 = second & 0xFF;
        if (0x1F == b0 && 0x8B == b1)
        {
            kind[slot] = GZIP_MEMBER;
            phase[slot] = GZIP_FIXED;
            counter[slot] = 2;
            headerFlags[slot] = 0;
            return true;
        }
        phase[slot] = INFLATE;
        if (8 == (b0 & 0x0F) && (b0 >> 4) <= 7 && 0 == ((b0 << 8) | b1) % 31 && 0 == (b1 & 0x20))
        {
            kind[slot] = ZLIB;
            return true;
        }
        // Raw deflate: the two bytes are data.
        kind[slot] = RAW;
        sniffed[2 * layer] = firstByte[slot];
        sniffed[2 * layer + 1] = second;
        return runInflater(fd, layer, slot, sniffedMemory, 2L * layer, 2) >= 0;
    }

    /**
     * A stream ended (after its trailer, if any): what follows is sniffed as a layer's first bytes are, for
     * every format, as it always was after a gzip member (a tester found the bytes after a zlib or raw deflate
     * stream dropped unseen, where gzip's were passed through as corrupt data, counted and reported).
     */
    private void streamEnded(final int slot)
    {
        phase[slot] = SNIFF_FIRST;
        pool[inflaterOf[slot]].reset();
    }

    private void nextGzipField(final int slot)
    {
        final int flags = headerFlags[slot];
        counter[slot] = 0;
        if (0 != (flags & FEXTRA))
        {
            phase[slot] = GZIP_EXTRA_LENGTH;
        }
        else if (0 != (flags & FNAME))
        {
            headerFlags[slot] = flags & ~FNAME;
            phase[slot] = GZIP_NAME;
        }
        else if (0 != (flags & FCOMMENT))
        {
            headerFlags[slot] = flags & ~FCOMMENT;
            phase[slot] = GZIP_COMMENT;
        }
        else if (0 != (flags & FHCRC))
        {
            phase[slot] = GZIP_HEADER_CRC;
        }
        else
        {
            phase[slot] = INFLATE;
        }
    }

    /**
     * Inflates {@code length} bytes (at most one input buffer); returns how many it consumed, or -1 when the
     * message stopped.
     */
    private int runInflater(
        final int fd, final int layer, final int slot, final MemorySegment data, final long offset, final int length)
    {
        final Inflater inflater = pool[inflaterOf[slot]];
        final ByteBuffer input = in[layer];
        MemorySegment.copy(data, offset, inMemory[layer], 0, length);
        input.clear().limit(length);
        inflater.setInput(input);
        final ByteBuffer output = out[layer];
        try
        {
            while (true)
            {
                output.clear();
                final int produced = inflater.inflate(output);
                if (produced > 0)
                {
                    outTotal[slot] += produced;
                    if (overCap(slot, length - input.remaining()))
                    {
                        counters.add(HttpCounter.DECOMPRESSION_BOMB);
                        phase[slot] = STOPPED;
                        return -1;
                    }
                    if (!forward(fd, layer, outMemory[layer], 0, produced))
                    {
                        return -1;
                    }
                }
                if (inflater.finished())
                {
                    // gzip: CRC-32 and size; zlib: Adler-32; raw deflate: nothing after the last block.
                    phase[slot] = TRAILER;
                    counter[slot] = GZIP_MEMBER == kind[slot] ? 8 : ZLIB == kind[slot] ? 4 : 0;
                    break;
                }
                if (inflater.needsDictionary())
                {
                    throw new DataFormatException("preset dictionary");
                }
                if (0 == produced && inflater.needsInput())
                {
                    break;
                }
            }
        }
        catch (final DataFormatException ex)
        {
            counters.add(HttpCounter.DECOMPRESSION_ERROR);
            phase[slot] = PASS;
            corrupt[fd] = true;
        }
        final int consumed = length - input.remaining();
        inTotal[slot] += consumed;
        if (TRAILER == phase[slot] && 0 == counter[slot])
        {
            streamEnded(slot);
        }
        if (PASS == phase[slot] && consumed < length)
        {
            // The corrupt rest of this piece passes through; later pieces go through the PASS phase.
            if (!forward(fd, layer, data, offset + consumed, length - consumed))
            {
                return -1;
            }
            return length;
        }
        return consumed;
    }

    private boolean overCap(final int slot, final int pendingIn)
    {
        final long produced = outTotal[slot];
        if (produced > limits.decompressedBytes())
        {
            return true;
        }
        return produced > HttpLimits.RATIO_FLOOR
            && produced > (inTotal[slot] + pendingIn) * (long)limits.decompressionRatio();
    }

    private boolean forward(final int fd, final int layer, final MemorySegment data, final long offset, final int length)
    {
        return layer + 1 < layers[fd] ? layer(fd, layer + 1, data, offset, length)
            : sink.onDecoded(data, offset, length);
    }

    @Override
    public void close()
    {
        for (final Inflater inflater : pool)
        {
            inflater.end();
        }
    }
}
