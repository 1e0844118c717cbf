package io.opensase.classifiers.stream;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/** Offers hand-built segments to a reassembler, payloads in heap segments. */
final class Segments
{
    static final int FIN = 0x01;
    static final int SYN = 0x02;
    static final int RST = 0x04;
    static final int ACK = 0x10;

    private final TcpReassembler reassembler;
    private final StreamSink sink;

    Segments(final TcpReassembler reassembler, final StreamSink sink)
    {
        this.reassembler = reassembler;
        this.sink = sink;
    }

    int send(final int stream, final int direction, final int flags, final long seq, final byte[] payload)
    {
        return reassembler.segment(stream, direction, flags, seq & 0xFFFF_FFFFL, 0, MemorySegment.ofArray(payload),
            0, payload.length, sink);
    }

    int send(final int stream, final int direction, final int flags, final long seq, final long ack,
        final String payload)
    {
        final byte[] bytes = payload.getBytes(StandardCharsets.ISO_8859_1);
        return reassembler.segment(stream, direction, flags, seq & 0xFFFF_FFFFL, ack & 0xFFFF_FFFFL,
            MemorySegment.ofArray(bytes), 0, bytes.length, sink);
    }

    int send(final int stream, final int direction, final int flags, final long seq, final String payload)
    {
        return send(stream, direction, flags, seq, payload.getBytes(StandardCharsets.ISO_8859_1));
    }

    int data(final int stream, final int direction, final long seq, final String payload)
    {
        return send(stream, direction, ACK, seq, payload);
    }

    /** SYN from the client with {@code clientIsn}, SYN-ACK from the server with {@code serverIsn}, ACK. */
    void handshake(final int stream, final long clientIsn, final long serverIsn)
    {
        send(stream, 0, SYN, clientIsn, new byte[0]);
        send(stream, 1, SYN | ACK, serverIsn, new byte[0]);
        send(stream, 0, ACK, clientIsn + 1, new byte[0]);
    }
}
