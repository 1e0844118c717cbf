package io.opensase.classifiers.stream;

import java.lang.foreign.MemorySegment;

/**
 * Receives a TCP stream's bytes in order from {@link TcpReassembler}, on the reassembler's thread, during the
 * call that made them deliverable. Must not call back into the reassembler, and must not throw: the bytes of a
 * call count as delivered once it is made.
 */
public interface StreamSink
{
    /**
     * In-order bytes. {@code chunk} is valid only during the call; {@code chunk[0, newFrom)} are the last
     * (at most {@link StreamConfig#inspectOverlap()}) bytes already delivered before, so that a pattern split
     * across segments lies wholly inside one chunk; {@code chunk[newFrom, chunk.byteSize())} are new.
     * The bytes kept in front never reach back across a gap.
     *
     * @param chunkOffset stream offset (bytes since the first payload byte of this direction, gaps included)
     *                    of {@code chunk[0]}.
     */
    void onData(int stream, int direction, MemorySegment chunk, int newFrom, long chunkOffset);

    /** Bytes that will never arrive (given up at a gap): the stream continues after them. */
    void onGap(int stream, int direction, long offset, long length);
}
