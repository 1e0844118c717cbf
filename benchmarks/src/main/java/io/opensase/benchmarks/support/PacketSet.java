package io.opensase.benchmarks.support;

import io.opensase.classifiers.capture.CaptureReader;
import io.opensase.classifiers.capture.Captures;
import io.opensase.classifiers.parse.LinkType;
import io.opensase.classifiers.parse.PacketMemory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;

/**
 * Packets of some captures copied into one off-heap segment, each starting on a 64-byte boundary as mbuf
 * data does, with their lengths, link types and timestamps in parallel arrays. Built during setup, read by
 * one benchmark thread.
 */
public final class PacketSet implements AutoCloseable
{
    private static final int ALIGNMENT = 64;

    private final Arena arena;
    private final long[] address;
    private final int[] captured;
    private final int[] wire;
    private final LinkType[] link;
    private final long[] timestampNs;
    private final int captureCount;
    private final int skipped;
    private final long bytes;

    private PacketSet(
        final Arena arena,
        final int count,
        final int captureCount,
        final int skipped,
        final long bytes)
    {
        this.arena = arena;
        this.address = new long[count];
        this.captured = new int[count];
        this.wire = new int[count];
        this.link = new LinkType[count];
        this.timestampNs = new long[count];
        this.captureCount = captureCount;
        this.skipped = skipped;
        this.bytes = bytes;
    }

    /**
     * Loads every packet of {@code captures} whose link type {@code accept} takes; packets of link types the
     * parser does not support are always skipped.
     */
    public static PacketSet load(final List<Path> captures, final Predicate<LinkType> accept)
    {
        int count = 0;
        int skipped = 0;
        long room = 0;
        long bytes = 0;
        for (final Path file : captures)
        {
            try (CaptureReader reader = Captures.open(file))
            {
                while (reader.next())
                {
                    if (null == reader.linkType() || !accept.test(reader.linkType()))
                    {
                        skipped++;
                        continue;
                    }
                    count++;
                    bytes += reader.capturedLength();
                    room += align(reader.capturedLength());
                }
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }
        if (0 == count)
        {
            throw new IllegalStateException("no packets to benchmark in " + captures);
        }

        final Arena arena = Arena.ofShared();
        final PacketSet set = new PacketSet(arena, count, captures.size(), skipped, bytes);
        final MemorySegment memory = arena.allocate(room, ALIGNMENT);
        long at = memory.address();
        int i = 0;
        for (final Path file : captures)
        {
            try (CaptureReader reader = Captures.open(file))
            {
                while (reader.next())
                {
                    if (null == reader.linkType() || !accept.test(reader.linkType()))
                    {
                        continue;
                    }
                    final int length = reader.capturedLength();
                    MemorySegment.copy(PacketMemory.ALL, reader.dataAddress(), PacketMemory.ALL, at, length);
                    set.address[i] = at;
                    set.captured[i] = length;
                    set.wire[i] = reader.wireLength();
                    set.link[i] = reader.linkType();
                    set.timestampNs[i] = reader.timestampNs();
                    at += align(length);
                    i++;
                }
            }
            catch (final IOException ex)
            {
                arena.close();
                throw new UncheckedIOException(ex);
            }
        }
        return set;
    }

    public int count()
    {
        return address.length;
    }

    public long address(final int i)
    {
        return address[i];
    }

    public int captured(final int i)
    {
        return captured[i];
    }

    public int wire(final int i)
    {
        return wire[i];
    }

    public LinkType link(final int i)
    {
        return link[i];
    }

    public long timestampNs(final int i)
    {
        return timestampNs[i];
    }

    /** One line for the benchmark log: what was loaded. */
    public String describe()
    {
        return count() + " packets (" + bytes + " captured bytes) from " + captureCount + " captures; "
            + skipped + " packets skipped for their link type";
    }

    @Override
    public void close()
    {
        arena.close();
    }

    private static long align(final int length)
    {
        return (length + ALIGNMENT - 1L) & -ALIGNMENT;
    }
}
