package io.opensase.classifiers.app.tls;

import io.opensase.classifiers.app.AssemblyBuffers;
import io.opensase.classifiers.app.FlowSlots;
import io.opensase.classifiers.app.StreamDirection;

import java.lang.foreign.MemorySegment;

import static io.opensase.classifiers.parse.PacketMemory.u32;
import static io.opensase.classifiers.parse.PacketMemory.u8;

/**
 * TLS handshake parser over reassembled TCP streams: one per worker, owned by that worker's thread.
 * <p>
 * <b>Use.</b> {@link #open()} a flow slot when a flow is identified as TLS, {@link #feed} each direction's
 * in-order stream bytes as they come ({@link StreamDirection}), {@link #gap} when the reassembler skipped
 * bytes of a direction, and {@link #close} the slot with the flow. The listener hears each ClientHello,
 * ServerHello and the server's first certificate as soon as the last byte of the message has been fed.
 * Between calls, {@link #sslState}, {@link #sslStateOfLastFeed}, {@link #recordVersion} and
 * {@link #negotiatedVersion} describe the flow.
 * <p>
 * <b>Framing.</b> Each direction is read as a sequence of records (RFC 8446 §5.1: type, version, length)
 * carrying a sequence of handshake messages (type, 24-bit length); a record may be cut anywhere by segment
 * boundaries and a handshake message may span records. A message that lies whole inside one fed segment and
 * one record is decoded in place; one that does not is gathered in a buffer taken from a shared pool of
 * {@link #MAX_MESSAGE_BYTES}-byte buffers for as long as it is incomplete (a Certificate message keeps its
 * first {@code MAX_MESSAGE_BYTES}, enough for the first certificate; a longer hello is skipped and counted).
 * After a direction sends ChangeCipherSpec its handshake records are encrypted and skipped; TLS 1.3 sends
 * everything after the ServerHello as application data, which is skipped too.
 * <p>
 * <b>Malformed input</b> is counted ({@link TlsCounter}) and never thrown: a record header that is not TLS, a
 * gap, or an SSLv2 record stops the direction (its framing cannot be found again); a message whose fields
 * contradict its length is skipped and the direction goes on. Nothing is allocated after construction.
 */
public final class TlsParser implements AutoCloseable
{
    /** The largest handshake message gathered from pieces; 16 KiB is the largest record plaintext. */
    public static final int MAX_MESSAGE_BYTES = 16_384;
    public static final int DEFAULT_ASSEMBLY_BUFFERS = 256;

    private static final int CHANGE_CIPHER_SPEC = 20;
    private static final int HANDSHAKE = 22;
    private static final int HEARTBEAT = 24;
    /** Plaintext limit plus the 2,048 bytes of expansion TLS 1.2 allows a protected record. */
    private static final int MAX_RECORD_BYTES = 16_384 + 2_048;

    private static final byte RECORD_HEADER = 0;
    private static final byte RECORD_BODY = 1;
    private static final byte STOPPED = 2;

    private static final byte MESSAGE_HEADER = 0;
    private static final byte MESSAGE_SKIP = 1;
    private static final byte MESSAGE_GATHER = 2;

    private static final int CLIENT_KEY_EXCHANGE = 16;
    private static final int SERVER_KEY_EXCHANGE = 12;

    private final AssemblyBuffers buffers;
    private final TlsHandshake view;
    private final HandshakeDecoder decoder;
    private final TlsCounters counters = new TlsCounters();

    private final FlowSlots slots;
    private final int[] stateBits;
    private final int[] feedStateBits;
    private final int[] negotiatedVersion;

    // Per flow and direction, at flow * 2 + direction.
    private final byte[] state;
    private final int[] headerFill;
    private final long[] header;
    private final int[] recordType;
    private final int[] recordVersion;
    private final int[] recordRemaining;
    private final boolean[] encrypted;
    private final byte[] messageMode;
    private final int[] messageHeaderFill;
    private final int[] messageHeader;
    private final int[] messageType;
    private final int[] messageLength;
    private final int[] messageRemaining;
    private final int[] messageRecordVersion;
    private final int[] buffer;
    private final int[] bufferFill;

    public TlsParser(final int maxFlows)
    {
        this(maxFlows, Math.min(2 * maxFlows, DEFAULT_ASSEMBLY_BUFFERS));
    }

    /**
     * @param maxFlows         flows open at once.
     * @param assemblyBuffers  messages being gathered from pieces at once (each buffer holds
     *                         {@link #MAX_MESSAGE_BYTES} off-heap bytes).
     */
    public TlsParser(final int maxFlows, final int assemblyBuffers)
    {
        if (maxFlows < 1 || maxFlows > 1 << 29)
        {
            throw new IllegalArgumentException("maxFlows must be in 1.." + (1 << 29) + ": " + maxFlows);
        }
        this.buffers = new AssemblyBuffers(assemblyBuffers, MAX_MESSAGE_BYTES);
        // Text: JA3 strings and names, at most four characters per message byte (see the decoders).
        this.view = new TlsHandshake(8 * MAX_MESSAGE_BYTES + 1024);
        this.decoder = new HandshakeDecoder(view, MAX_MESSAGE_BYTES);
        this.slots = new FlowSlots(maxFlows);
        this.stateBits = new int[maxFlows];
        this.feedStateBits = new int[maxFlows];
        this.negotiatedVersion = new int[maxFlows];
        final int directions = 2 * maxFlows;
        this.state = new byte[directions];
        this.headerFill = new int[directions];
        this.header = new long[directions];
        this.recordType = new int[directions];
        this.recordVersion = new int[directions];
        this.recordRemaining = new int[directions];
        this.encrypted = new boolean[directions];
        this.messageMode = new byte[directions];
        this.messageHeaderFill = new int[directions];
        this.messageHeader = new int[directions];
        this.messageType = new int[directions];
        this.messageLength = new int[directions];
        this.messageRemaining = new int[directions];
        this.messageRecordVersion = new int[directions];
        this.buffer = new int[directions];
        this.bufferFill = new int[directions];
    }

    /** A flow slot, or -1 (counted as {@link TlsCounter#NO_FLOW}) when all are open. */
    public int open()
    {
        final int flow = slots.take();
        if (flow < 0)
        {
            counters.increment(TlsCounter.NO_FLOW);
            return -1;
        }
        stateBits[flow] = 0;
        feedStateBits[flow] = 0;
        negotiatedVersion[flow] = 0;
        for (int d = flow << 1; d <= (flow << 1 | 1); d++)
        {
            state[d] = RECORD_HEADER;
            headerFill[d] = 0;
            header[d] = 0;
            recordVersion[d] = 0;
            recordRemaining[d] = 0;
            encrypted[d] = false;
            messageMode[d] = MESSAGE_HEADER;
            messageHeaderFill[d] = 0;
            messageHeader[d] = 0;
            buffer[d] = -1;
        }
        return flow;
    }

    public void close(final int flow)
    {
        if (slots.release(flow))
        {
            releaseBuffer(flow << 1);
            releaseBuffer(flow << 1 | 1);
        }
    }

    /** The reassembler skipped bytes of this direction: its record framing is lost, so it is not parsed further. */
    public void gap(final int flow, final int direction)
    {
        final int d = flow << 1 | direction & 1;
        counters.increment(TlsCounter.GAPS);
        stop(d);
    }

    /** The ssl_state bits of the handshake messages seen in either direction of the flow. */
    public int sslState(final int flow)
    {
        return stateBits[flow];
    }

    /**
     * The ssl_state bits of the handshake messages whose headers the last {@link #feed} of the flow read
     * (Suricata's ssl_state looks at the messages parsed with the current packet, not at the flow's history).
     */
    public int sslStateOfLastFeed(final int flow)
    {
        return feedStateBits[flow];
    }

    /** The version the ServerHello chose (supported_versions, else its legacy version); 0 before it. */
    public int negotiatedVersion(final int flow)
    {
        return negotiatedVersion[flow];
    }

    /** The version in the last record header of a direction, 0 before the first. */
    public int recordVersion(final int flow, final int direction)
    {
        return recordVersion[flow << 1 | direction & 1];
    }

    public TlsCounters counters()
    {
        return counters;
    }

    /** Bytes {@code data[offset, offset + length)}, the next of the direction's stream. */
    public void feed(
        final int flow,
        final int direction,
        final MemorySegment data,
        final long offset,
        final int length,
        final TlsListener listener)
    {
        final int d = flow << 1 | direction & 1;
        feedStateBits[flow] = 0;
        long p = offset;
        final long end = offset + length;
        while (p < end && STOPPED != state[d])
        {
            if (RECORD_HEADER == state[d])
            {
                final long h;
                if (0 == headerFill[d] && end - p >= 5)
                {
                    h = (long)u8(data, p) << 32 | u32(data, p + 1);
                    p += 5;
                }
                else
                {
                    header[d] = header[d] << 8 | u8(data, p++);
                    if (++headerFill[d] < 5)
                    {
                        continue;
                    }
                    h = header[d];
                    headerFill[d] = 0;
                    header[d] = 0;
                }
                startRecord(d, h);
            }
            else
            {
                final int n = (int)Math.min(recordRemaining[d], end - p);
                if (HANDSHAKE == recordType[d] && !encrypted[d])
                {
                    messageBytes(flow, d, data, p, n, listener);
                }
                p += n;
                recordRemaining[d] -= n;
                if (0 == recordRemaining[d])
                {
                    state[d] = RECORD_HEADER;
                }
            }
        }
    }

    private void startRecord(final int d, final long h)
    {
        final int type = (int)(h >>> 32);
        final int version = (int)(h >>> 16) & 0xFFFF;
        final int length = (int)h & 0xFFFF;
        if (0 != (type & 0x80))
        {
            counters.increment(TlsCounter.SSLV2_RECORDS); // SSLv2 header: 2-byte length with the top bit set
            stop(d);
            return;
        }
        if (type < CHANGE_CIPHER_SPEC || type > HEARTBEAT || 3 != version >>> 8 || (version & 0xFF) > 4
            || length > MAX_RECORD_BYTES)
        {
            counters.increment(TlsCounter.MALFORMED_RECORD);
            stop(d);
            return;
        }
        counters.increment(TlsCounter.RECORDS);
        recordType[d] = type;
        recordVersion[d] = version;
        recordRemaining[d] = length;
        state[d] = 0 == length ? RECORD_HEADER : RECORD_BODY;
        if (CHANGE_CIPHER_SPEC == type && !encrypted[d])
        {
            encrypted[d] = true;
            releaseBuffer(d);
            messageMode[d] = MESSAGE_HEADER;
            messageHeaderFill[d] = 0;
        }
        else if (HANDSHAKE == type && encrypted[d])
        {
            counters.increment(TlsCounter.ENCRYPTED_HANDSHAKES);
        }
    }

    /** {@code n} bytes of a handshake record at {@code p}: message headers and bodies. */
    private void messageBytes(
        final int flow,
        final int d,
        final MemorySegment data,
        final long at,
        final int n,
        final TlsListener listener)
    {
        long p = at;
        final long end = at + n;
        while (p < end)
        {
            if (MESSAGE_HEADER == messageMode[d])
            {
                final int h;
                if (0 == messageHeaderFill[d] && end - p >= 4)
                {
                    h = (int)u32(data, p);
                    p += 4;
                }
                else
                {
                    messageHeader[d] = messageHeader[d] << 8 | u8(data, p++);
                    if (++messageHeaderFill[d] < 4)
                    {
                        continue;
                    }
                    h = messageHeader[d];
                    messageHeaderFill[d] = 0;
                    messageHeader[d] = 0;
                }
                final int type = h >>> 24;
                final int length = h & 0xFF_FFFF;
                noteState(flow, type);
                messageType[d] = type;
                messageLength[d] = length;
                messageRemaining[d] = length;
                messageRecordVersion[d] = recordVersion[d];
                if (!decoded(type, d))
                {
                    messageMode[d] = 0 == length ? MESSAGE_HEADER : MESSAGE_SKIP;
                }
                else if (end - p >= length)
                {
                    decode(flow, d, data, p, length, length, listener);
                    p += length;
                }
                else if (length > MAX_MESSAGE_BYTES && TlsHandshake.CERTIFICATE != type)
                {
                    counters.increment(TlsCounter.OVERSIZE_MESSAGE);
                    messageMode[d] = MESSAGE_SKIP;
                }
                else
                {
                    final int b = buffers.take();
                    if (b < 0)
                    {
                        counters.increment(TlsCounter.NO_BUFFER);
                        messageMode[d] = MESSAGE_SKIP;
                    }
                    else
                    {
                        buffer[d] = b;
                        bufferFill[d] = 0;
                        messageMode[d] = MESSAGE_GATHER;
                    }
                }
            }
            else
            {
                final int m = (int)Math.min(messageRemaining[d], end - p);
                if (MESSAGE_GATHER == messageMode[d])
                {
                    final int keep = Math.min(m, MAX_MESSAGE_BYTES - bufferFill[d]);
                    MemorySegment.copy(data, p, buffers.memory(), buffers.offset(buffer[d]) + bufferFill[d], keep);
                    bufferFill[d] += keep;
                }
                p += m;
                messageRemaining[d] -= m;
                if (0 == messageRemaining[d])
                {
                    if (MESSAGE_GATHER == messageMode[d])
                    {
                        decode(flow, d, buffers.memory(), buffers.offset(buffer[d]), bufferFill[d], messageLength[d],
                            listener);
                        releaseBuffer(d);
                    }
                    messageMode[d] = MESSAGE_HEADER;
                }
            }
        }
    }

    /** Messages decoded: hellos either way, and Certificate from the server (the client's is not a rule field). */
    private static boolean decoded(final int type, final int d)
    {
        return TlsHandshake.CLIENT_HELLO == type || TlsHandshake.SERVER_HELLO == type
            || TlsHandshake.CERTIFICATE == type && StreamDirection.TO_CLIENT == (d & 1);
    }

    private void decode(
        final int flow,
        final int d,
        final MemorySegment m,
        final long at,
        final int have,
        final int length,
        final TlsListener listener)
    {
        final int type = messageType[d];
        view.reset(m, type, messageRecordVersion[d], stateBits[flow]);
        switch (type)
        {
            case TlsHandshake.CLIENT_HELLO ->
            {
                if (HandshakeDecoder.OK == decoder.clientHello(m, at, have))
                {
                    counters.increment(TlsCounter.CLIENT_HELLOS);
                    listener.onClientHello(flow, view);
                }
                else
                {
                    counters.increment(TlsCounter.MALFORMED_HANDSHAKE);
                }
            }
            case TlsHandshake.SERVER_HELLO ->
            {
                if (HandshakeDecoder.OK == decoder.serverHello(m, at, have))
                {
                    counters.increment(TlsCounter.SERVER_HELLOS);
                    negotiatedVersion[flow] = view.selectedVersion;
                    listener.onServerHello(flow, view);
                }
                else
                {
                    counters.increment(TlsCounter.MALFORMED_HANDSHAKE);
                }
            }
            default ->
            {
                switch (decoder.certificate(m, at, have, have < length))
                {
                    case HandshakeDecoder.OK ->
                    {
                        counters.increment(TlsCounter.CERTIFICATES);
                        listener.onCertificate(flow, view);
                    }
                    case HandshakeDecoder.MALFORMED -> counters.increment(TlsCounter.MALFORMED_HANDSHAKE);
                    case HandshakeDecoder.MALFORMED_CERTIFICATE -> counters.increment(TlsCounter.MALFORMED_CERTIFICATE);
                    case HandshakeDecoder.CERTIFICATE_TOO_LONG -> counters.increment(TlsCounter.CERTIFICATE_TOO_LONG);
                    default ->
                    {
                    }
                }
            }
        }
    }

    /** ssl_state bits: the four messages the keyword names, and "unknown" for types outside the registry. */
    private void noteState(final int flow, final int type)
    {
        final int bit = switch (type)
        {
            case TlsHandshake.CLIENT_HELLO -> 1;
            case TlsHandshake.SERVER_HELLO -> 2;
            case CLIENT_KEY_EXCHANGE -> 4;
            case SERVER_KEY_EXCHANGE -> 8;
            // hello_request, new_session_ticket, end_of_early_data, encrypted_extensions, certificate,
            // certificate_request, server_hello_done, certificate_verify, finished, certificate_url,
            // certificate_status, key_update, compressed_certificate, message_hash
            case 0, 4, 5, 8, 11, 13, 14, 15, 20, 21, 22, 24, 25, 254 -> 0;
            default -> 16;
        };
        stateBits[flow] |= bit;
        feedStateBits[flow] |= bit;
    }

    private void stop(final int d)
    {
        state[d] = STOPPED;
        releaseBuffer(d);
    }

    private void releaseBuffer(final int d)
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
