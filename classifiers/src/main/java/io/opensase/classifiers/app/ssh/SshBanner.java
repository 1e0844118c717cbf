package io.opensase.classifiers.app.ssh;

import java.lang.foreign.MemorySegment;

/**
 * One direction's identification string (RFC 4253 §4.2, "SSH-protoversion-softwareversion SP comments"),
 * a view reused for every banner and valid only during the {@link SshListener} call.
 */
public final class SshBanner
{
    private final MemorySegment line;
    private int protoAt;
    private int protoLength;
    private int softwareAt;
    private int softwareLength;
    private int commentsAt;
    private int commentsLength;

    SshBanner(final MemorySegment line)
    {
        this.line = line;
    }

    void set(
        final long base,
        final int protoAt,
        final int protoLength,
        final int softwareAt,
        final int softwareLength,
        final int commentsAt,
        final int commentsLength)
    {
        this.protoAt = (int)base + protoAt;
        this.protoLength = protoLength;
        this.softwareAt = (int)base + softwareAt;
        this.softwareLength = softwareLength;
        this.commentsAt = (int)base + commentsAt;
        this.commentsLength = commentsLength;
    }

    /**
     * The memory the banner lies in, where {@link #protoOffset()} and {@link #softwareOffset()} point: for
     * reading the fields without the slice object each segment accessor makes.
     */
    public MemorySegment line()
    {
        return line;
    }

    public long protoOffset()
    {
        return protoAt;
    }

    public int protoLength()
    {
        return protoLength;
    }

    public long softwareOffset()
    {
        return softwareAt;
    }

    public int softwareLength()
    {
        return softwareLength;
    }

    /** "2.0", or "1.99" for a server that also speaks version 1. */
    public MemorySegment protoVersion()
    {
        return line.asSlice(protoAt, protoLength);
    }

    /** The software version, "OpenSSH_9.2p1" say. */
    public MemorySegment softwareVersion()
    {
        return line.asSlice(softwareAt, softwareLength);
    }

    /** What follows the software version and a space; empty when absent. */
    public MemorySegment comments()
    {
        return line.asSlice(commentsAt, commentsLength);
    }
}
