package io.opensase.classifiers.capture;

import io.opensase.classifiers.parse.LinkType;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * What both capture formats share: the file mapped whole into memory, and the current packet as a place in
 * that mapping with its lengths, timestamp and link type. Subclasses find the packets; owned by one thread.
 */
abstract class MappedCaptureReader implements CaptureReader
{
    protected final Path file;
    protected final MemorySegment mapping;
    private final Arena arena;

    private long recordOffset = -1;
    private long dataOffset;
    private LinkType linkType;
    private int capturedLength;
    private int wireLength;
    private long timestampNs;

    MappedCaptureReader(final Path file, final Arena arena, final MemorySegment mapping)
    {
        this.file = file;
        this.arena = arena;
        this.mapping = mapping;
    }

    /** Makes the packet of the record at {@code record}, whose bytes start at {@code data}, the current one. */
    protected final void setPacket(
        final long record,
        final long data,
        final LinkType type,
        final long captured,
        final long original,
        final long timestamp)
    {
        recordOffset = record;
        dataOffset = data;
        linkType = type;
        capturedLength = (int)captured;
        wireLength = (int)Math.max(captured, Math.min(original, Integer.MAX_VALUE));
        timestampNs = timestamp;
    }

    /** The link type reported before the first packet. */
    protected final void setLinkType(final LinkType type)
    {
        linkType = type;
    }

    protected final CaptureFormatException corrupt(final long offset, final String reason)
    {
        return new CaptureFormatException(file, offset, reason);
    }

    @Override
    public Path file()
    {
        return file;
    }

    @Override
    public LinkType linkType()
    {
        return linkType;
    }

    @Override
    public long dataAddress()
    {
        return mapping.address() + dataOffset;
    }

    @Override
    public int capturedLength()
    {
        return capturedLength;
    }

    @Override
    public int wireLength()
    {
        return wireLength;
    }

    @Override
    public long timestampNs()
    {
        return timestampNs;
    }

    @Override
    public long recordOffset()
    {
        return recordOffset;
    }

    @Override
    public void close()
    {
        arena.close();
    }
}
