package io.opensase.classifiers.capture;

import io.opensase.classifiers.parse.LinkType;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Reads the packets of one capture file in order, without copying them: the current packet's bytes stay in
 * the reader's mapping of the file until the next call to {@link #next()}. Owned by one thread.
 */
public interface CaptureReader extends AutoCloseable
{
    Path file();

    /**
     * Moves to the next packet.
     *
     * @return false at the clean end of the file.
     * @throws CaptureFormatException when the file is cut short or corrupt; every packet before the bad
     *                                offset has been returned already.
     */
    boolean next() throws CaptureFormatException;

    /**
     * Link type of the current packet (pcapng may carry several interfaces); before the first packet, that
     * of the file (pcap) or of its first interface (pcapng).
     */
    LinkType linkType();

    /** Native address of the current packet's first byte. */
    long dataAddress();

    /** Bytes of the current packet present in the file. */
    int capturedLength();

    /** Length of the current packet on the wire; at least {@link #capturedLength()}. */
    int wireLength();

    /** Capture timestamp of the current packet, nanoseconds since the epoch. */
    long timestampNs();

    /** File offset of the current packet's record header. */
    long recordOffset();

    @Override
    void close() throws IOException;
}
