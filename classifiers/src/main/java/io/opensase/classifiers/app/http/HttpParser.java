package io.opensase.classifiers.app.http;

import io.opensase.classifiers.app.FlowSlots;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Incremental HTTP/1.x parser over the in-order bytes of TCP streams: one per worker thread, owned by it; the
 * state of each flow sits in a preallocated slot.
 * <p>
 * <b>Use.</b> {@link #open} takes a slot when a flow is identified as HTTP, {@link #feed} passes each
 * direction's new in-order bytes as the reassembler releases them, {@link #gap} says bytes were lost,
 * {@link #end} says a direction's stream ended (FIN or RST), {@link #close} frees the slot. Callbacks on the
 * {@link HttpListener} come from inside {@code feed} and {@code end}.
 * <p>
 * <b>Framing.</b> Leading empty lines are skipped; the start line and the header block are collected (up to
 * {@link HttpLimits#headerBytes()}) until an empty line; lines end with LF, a CR before it is dropped. A
 * request line without an {@code HTTP/} version is HTTP/0.9: no headers follow. Framing headers are read with
 * their continuation lines, as libhtp joins them. A request body is chunked
 * when Transfer-Encoding names {@code chunked} anywhere in its value (which wins over Content-Length), else
 * Content-Length long, else empty. A server's answer to a waiting request that does not start with a status
 * line is an HTTP/0.9 response: no headers, its body all of the stream (counted as a malformed status line
 * too). A response has no body after HEAD, 1xx, 204 and 304; after a 2xx to CONNECT
 * and after 101 both directions are a tunnel and no longer parsed; otherwise chunked, Content-Length, or until
 * the stream ends. Pipelined requests are matched to responses in order (up to {@value #PIPELINE_DEPTH}
 * outstanding). Chunk-size lines: leading blanks skipped, the hex digits read, anything after them ignored
 * (extensions, and the junk evasions put there); a line without digits ends chunked parsing and the rest of
 * the stream is taken as the body. Trailers are skipped. A message whose head is not kept (no header block free,
 * below) is framed the same way, from its head as {@link UnkeptHead} reads it in passing.
 * <p>
 * <b>Gaps.</b> Inside a body of known extent the message goes on: an uncompressed body's offsets jump by the
 * bytes lost, a compressed body stops being decoded. Otherwise the message is abandoned (its end reported
 * at the next call if its headers were) and the direction resynchronises at the next line that starts with a
 * request method (client) or {@code HTTP/1.} (server); a start line split across two feeds at that point is
 * missed.
 * <p>
 * <b>Header blocks.</b> A message's start line and headers are collected in a block of
 * {@link HttpLimits#headerBytes()} taken from the parser's pool at the message's first byte and given back when
 * the message is over (after {@link HttpListener#onMessageEnd}, as a listener may read the message's fields in
 * any callback up to it), when it is dropped (malformed, too long, lost in a gap, cut by the end of the stream)
 * or when the flow is closed. A message that finds the pool empty is not parsed
 * ({@link HttpListener#onNoHeaderBlock} at its first byte, counted in {@link HttpCounter#NO_HEADER_BLOCK}) but
 * still framed: its head is read without being kept, for the method, status code, Content-Length and
 * Transfer-Encoding only; then its body is framed and not delivered, and it takes its place in the pairing of
 * requests and responses, so that the next message, which takes a block if one is free by then, is parsed whole.
 * Such a message has no other callback; it counts as a request or response (and in the framing counters) as a
 * kept one does. A head longer than {@link HttpLimits#headerBytes()} is not parsed either
 * ({@link HttpListener#onHeadersTooLong} when it was kept; counted in {@link HttpCounter#HEADER_TOO_LONG} either
 * way) but framed alike, a kept one read again from its block, which then goes back: else a request smuggled
 * behind a long head would be passed over by a resynchronisation looking for start lines. Past
 * {@value #FRAMED_HEAD_LIMITS} times that limit the head is dropped and the direction resynchronises.
 * <p>
 * <b>Memory.</b> Heap, fixed at construction: {@code headerBytes} per header block plus about 2.5 KiB of
 * per-flow state (a head not kept is read in the state of the start line's tokens, which it has none of: no
 * more); per worker the {@link HttpMessage} scratch (about 16 x headerBytes) and the
 * {@link ContentDecoder}'s pool (native: see there). Nothing is allocated per byte or per message, except one
 * {@link MemorySegment} slice per body callback and per segment accessor called.
 */
public final class HttpParser implements AutoCloseable, ContentDecoder.Sink
{
    /** Requests remembered per flow while they wait for their responses. */
    public static final int PIPELINE_DEPTH = 16;
    /** Bytes of a request's file name kept for its response. */
    static final int NAME_BYTES = 128;

    static final byte START = 0;
    static final byte HEADERS = 1;
    static final byte BODY_LENGTH = 2;
    static final byte CHUNK_SIZE = 3;
    static final byte CHUNK_DATA = 4;
    static final byte CHUNK_DATA_END = 5;
    static final byte TRAILERS = 6;
    static final byte BODY_CLOSE = 7;
    static final byte TUNNEL = 8;
    static final byte RESYNC = 9;
    /** The head of a message holding no header block, read by {@link UnkeptHead}. */
    static final byte UNKEPT_HEAD = 10;

    static final int CHUNKED = 1;
    static final int HAS_LENGTH = 2;
    static final int TRUNCATED = 4;
    static final int END_PENDING = 8;
    static final int DELIVERED = 16;
    static final int CONNECT_REQUEST = 32;
    /** Part of the body was not delivered: {@link #TRUNCATED} or a gap; {@link #bodyCut} says why. */
    static final int BODY_CUT = 64;
    /** {@link HttpListener#onBodyCut} is owed: the cut came from {@link #gap}, which has no listener. */
    static final int CUT_PENDING = 128;
    /** The body is left in a Content-Encoding (see {@link BodyCut#CODING}): reported at its first byte. */
    static final int UNDECODED = 256;
    /** A Content-Length that is no number, or Content-Lengths that differ (see {@link BodyCut#CONTENT_LENGTH}). */
    static final int BAD_LENGTH = 512;
    /** The listener needs no more of the body ({@link HttpMessage#declineRestOfBody}): it is framed, not decoded. */
    static final int DECLINED = 1024;
    /** The message holds no header block: framed, never delivered (the listener had onNoHeaderBlock). */
    static final int UNKEPT = 2048;
    /** The message's head passed {@link HttpLimits#headerBytes()}: counted, and read on up to {@link #headLimit}. */
    static final int HEAD_PAST_LIMIT = 4096;

    /** {@link #blockOf} of a direction holding no header block. */
    private static final int NO_BLOCK = -1;

    static final int REQ_HEAD = 1;
    static final int REQ_CONNECT = 2;

    /** A head past {@link HttpLimits#headerBytes()} is still framed up to this many times that: then resync. */
    static final int FRAMED_HEAD_LIMITS = 64;

    private static final int CHUNK_LINE_MAX = 1024;
    private static final int HEADER_STEP = 2048;
    private static final int CHUNK_DIGITS_MAX = 15;
    private static final int LENGTH_DIGITS_MAX = 18;

    private static final byte[] CONTENT_LENGTH = Ascii.bytes("content-length");
    private static final byte[] TRANSFER_ENCODING = Ascii.bytes("transfer-encoding");
    private static final byte[] CONTENT_ENCODING = Ascii.bytes("content-encoding");
    private static final byte[] CHUNKED_TOKEN = Ascii.bytes("chunked");
    private static final byte[] HTTP_SLASH = Ascii.bytes("http/");

    final HttpLimits limits;
    final int headerBytes;
    private final HttpCounters counters = new HttpCounters();
    private final ContentDecoder decoder;
    /** Set by {@link #scanFramingHeaders}: the message's Content-Encoding leaves a coding undecoded. */
    private boolean leftEncoded;
    private final HttpMessage message;
    private final UnkeptHead unkeptHead;

    // Flow slots.
    private final FlowSlots slots;

    /** The header blocks: block {@code b} is {@code raw[b * headerBytes, (b + 1) * headerBytes)}. */
    final byte[] raw;
    private final MemorySegment rawMemory;
    private final FlowSlots blocks;

    // Per flow and direction (index flow * 2 + direction).
    /** The header block the direction's message holds, or {@link #NO_BLOCK}; its bytes then number 0. */
    private final int[] blockOf;
    final int[] rawLength;
    final int[] startLineEnd;
    /**
     * Start line tokens: method/version, URI/status code, protocol/reason, each as [start, end) in the block; for a
     * message holding no block, the state of its {@link UnkeptHead} instead.
     */
    final int[] lineParts;
    final int[] flags;
    final long[] declaredLength;
    final int[] transaction;
    final int[] statusCode;
    private final byte[] state;
    private final int[] scanFrom;
    private final int[] lineStart;
    /** Body bytes left of a length or chunk; while an {@link UnkeptHead} is read, the Content-Length value. */
    private final long[] remaining;
    private final long[] delivered;
    /** Body bytes of the message as sent, de-chunked and still encoded, gaps included; see HttpMessage. */
    final long[] bodyLength;
    /** Why part of the current message's body was not delivered, while {@link #BODY_CUT} is set. */
    final BodyCut[] bodyCut;
    private final int[] chunkLine;
    private final byte[] lastByte;
    private final int[] serial;

    // Per flow.
    private final int[] requestCount;
    private final int[] responseCount;
    private final int[] pendingHead;
    private final int[] pendingCount;
    private final int[] pendingTransaction;
    private final byte[] pendingFlags;
    private final byte[] pendingName;
    private final byte[] pendingNameLength;
    final byte[] answerName;
    final int[] answerNameLength;

    // The call in progress.
    private HttpListener listener;
    private int currentFlow;
    private int currentFd;

    /** A parser with a header block for each direction of each flow: the pool is never empty. */
    public HttpParser(final HttpLimits limits, final int maxFlows)
    {
        this(limits, maxFlows, 2 * Math.max(1, maxFlows));
    }

    /**
     * @param headerBlocks header blocks in the pool: messages whose start line and headers are collected, or whose
     *                     body is being parsed, at once (both directions of all flows); more than
     *                     {@code 2 x maxFlows} are never used, so no more are made.
     */
    public HttpParser(final HttpLimits limits, final int maxFlows, final int headerBlocks)
    {
        if (maxFlows < 1)
        {
            throw new IllegalArgumentException("maxFlows must be at least 1: " + maxFlows);
        }
        if (headerBlocks < 1)
        {
            throw new IllegalArgumentException("headerBlocks must be at least 1: " + headerBlocks);
        }
        final int fds = 2 * maxFlows;
        final int blockCount = Math.min(headerBlocks, fds);
        final long rawBytes = headerBlockBytes(limits, maxFlows, headerBlocks);
        if (rawBytes > Integer.MAX_VALUE - 64)
        {
            throw new IllegalArgumentException("header blocks x headerBytes must stay under 2 GiB: " + rawBytes);
        }
        this.limits = limits;
        this.headerBytes = limits.headerBytes();
        slots = new FlowSlots(maxFlows);
        raw = new byte[(int)rawBytes];
        rawMemory = MemorySegment.ofArray(raw);
        blocks = new FlowSlots(blockCount);
        blockOf = new int[fds];
        java.util.Arrays.fill(blockOf, NO_BLOCK);
        rawLength = new int[fds];
        startLineEnd = new int[fds];
        lineParts = new int[fds * 6];
        flags = new int[fds];
        declaredLength = new long[fds];
        transaction = new int[fds];
        statusCode = new int[fds];
        state = new byte[fds];
        scanFrom = new int[fds];
        lineStart = new int[fds];
        remaining = new long[fds];
        delivered = new long[fds];
        bodyLength = new long[fds];
        bodyCut = new BodyCut[fds];
        chunkLine = new int[fds];
        lastByte = new byte[fds];
        serial = new int[fds];
        requestCount = new int[maxFlows];
        responseCount = new int[maxFlows];
        pendingHead = new int[maxFlows];
        pendingCount = new int[maxFlows];
        pendingTransaction = new int[maxFlows * PIPELINE_DEPTH];
        pendingFlags = new byte[maxFlows * PIPELINE_DEPTH];
        pendingName = new byte[maxFlows * PIPELINE_DEPTH * NAME_BYTES];
        pendingNameLength = new byte[maxFlows * PIPELINE_DEPTH];
        answerName = new byte[maxFlows * NAME_BYTES];
        answerNameLength = new int[maxFlows];
        decoder = new ContentDecoder(limits, fds, counters, this);
        message = new HttpMessage(this);
        unkeptHead = new UnkeptHead(lineParts, remaining);
    }

    /** Takes a flow slot; -1 (counted) when all {@code maxFlows} are open. */
    public int open()
    {
        final int flow = slots.take();
        if (flow < 0)
        {
            counters.add(HttpCounter.FLOWS_REFUSED);
            return -1;
        }
        requestCount[flow] = 0;
        responseCount[flow] = 0;
        pendingHead[flow] = 0;
        pendingCount[flow] = 0;
        answerNameLength[flow] = 0;
        for (int direction = 0; direction < 2; direction++)
        {
            final int fd = 2 * flow + direction;
            resetMessage(fd);
            state[fd] = START;
        }
        return flow;
    }

    /**
     * Before {@link #close}: tells {@code callbacks} of a body cut a {@link #gap} of the direction left owed
     * (gaps have no listener; the next call reports them), and nothing else, so that a flow that ends right after
     * a gap still has its cut reported.
     */
    public void reportOwedCut(final int flow, final int direction, final HttpListener callbacks)
    {
        final int fd = 2 * flow + direction;
        if (cutOwed(flow, direction))
        {
            flags[fd] &= ~CUT_PENDING;
            message.bind(fd, flow, serial[fd]);
            callbacks.onBodyCut(flow, message, bodyCut[fd]);
        }
    }

    /** True when a {@link #gap} cut the direction's body and its listener has not been told yet. */
    public boolean cutOwed(final int flow, final int direction)
    {
        return slots.isTaken(flow) && 0 != (flags[2 * flow + direction] & CUT_PENDING);
    }

    /** Frees the slot, dropping whatever message is in progress without callbacks. */
    public void close(final int flow)
    {
        if (!slots.release(flow))
        {
            return;
        }
        for (int direction = 0; direction < 2; direction++)
        {
            resetMessage(2 * flow + direction);
        }
    }

    public HttpCounters counters()
    {
        return counters;
    }

    /** Flows open now. */
    public int openFlows()
    {
        return slots.takenCount();
    }

    /**
     * Heap the header blocks of a parser built with these arguments take: what a caller checks against the heap
     * before building one (the blocks are most of a parser's memory).
     */
    public static long headerBlockBytes(final HttpLimits limits, final int maxFlows, final int headerBlocks)
    {
        return (long)Math.min(headerBlocks, 2 * maxFlows) * limits.headerBytes();
    }

    /** Header blocks in the pool. */
    public int headerBlocks()
    {
        return blocks.capacity();
    }

    /** Header blocks held now by messages in progress. */
    public int headerBlocksTaken()
    {
        return blocks.takenCount();
    }

    /** Where the header block of {@code fd}'s message starts in {@link #raw}; 0, with no bytes, for none. */
    int rawBase(final int fd)
    {
        return NO_BLOCK == blockOf[fd] ? 0 : blockOf[fd] * headerBytes;
    }

    /**
     * Parses new in-order bytes of one direction.
     *
     * @param direction 0 = client to server, 1 = server to client.
     * @param data      holds the bytes at {@code [offset, offset + length)}; read only during the call.
     * @throws IllegalStateException when the flow is not open: a caller's bug, never a reaction to the bytes.
     */
    public void feed(
        final int flow,
        final int direction,
        final MemorySegment data,
        final long offset,
        final int length,
        final HttpListener listener)
    {
        final int fd = 2 * flow + direction;
        begin(flow, fd, listener);
        long at = offset;
        final long end = offset + length;
        while (at < end)
        {
            at = switch (state[fd])
            {
                case START -> skipEmptyLines(fd, data, at, end);
                case HEADERS -> readHeaders(fd, direction, data, at, end);
                case UNKEPT_HEAD -> readUnkeptHead(fd, direction, data, at, end);
                case BODY_LENGTH, CHUNK_DATA -> readCountedBody(fd, data, at, end);
                case CHUNK_SIZE -> readChunkSize(fd, data, at, end);
                case CHUNK_DATA_END -> readChunkDataEnd(fd, data, at);
                case TRAILERS -> readTrailers(fd, data, at, end);
                case BODY_CLOSE ->
                {
                    deliverBody(fd, data, at, (int)(end - at));
                    yield end;
                }
                case TUNNEL -> end;
                default -> resync(fd, direction, data, at, end);
            };
        }
        this.listener = null;
    }

    /**
     * {@code length} bytes of the direction were lost before the next {@link #feed}: the message goes on when
     * the bytes fell inside a body of known extent, otherwise it is abandoned and the direction resynchronises.
     */
    public void gap(final int flow, final int direction, final long length)
    {
        final int fd = 2 * flow + direction;
        counters.add(HttpCounter.GAPS);
        switch (state[fd])
        {
            case BODY_LENGTH, CHUNK_DATA ->
            {
                if (length < remaining[fd])
                {
                    remaining[fd] -= length;
                    gapInBody(fd, length);
                }
                else
                {
                    final boolean exact = length == remaining[fd] && BODY_LENGTH == state[fd];
                    cut(fd, BodyCut.GAP);
                    counters.add(HttpCounter.GAP_RESYNC);
                    abandon(fd, exact ? START : RESYNC);
                }
            }
            case BODY_CLOSE -> gapInBody(fd, length);
            case TUNNEL ->
            {
            }
            case HEADERS, UNKEPT_HEAD, START, RESYNC ->
            {
                counters.add(HttpCounter.GAP_RESYNC);
                resetMessage(fd);
                toResync(fd, (byte)'\n');
            }
            default ->
            {
                counters.add(HttpCounter.GAP_RESYNC);
                abandon(fd, RESYNC);
            }
        }
    }

    /**
     * The direction's stream ended: a body delimited by the end of the stream completes, any other message in
     * progress is counted incomplete and ended; both get {@link HttpListener#onMessageEnd}.
     */
    public void end(final int flow, final int direction, final HttpListener listener)
    {
        final int fd = 2 * flow + direction;
        begin(flow, fd, listener);
        switch (state[fd])
        {
            case BODY_CLOSE -> finishMessage(fd, START);
            case BODY_LENGTH, CHUNK_SIZE, CHUNK_DATA, CHUNK_DATA_END, TRAILERS ->
            {
                counters.add(HttpCounter.INCOMPLETE_MESSAGES);
                endMessage(fd);
                state[fd] = START;
            }
            case HEADERS, UNKEPT_HEAD ->
            {
                counters.add(HttpCounter.INCOMPLETE_MESSAGES);
                resetMessage(fd);
                state[fd] = START;
            }
            default ->
            {
            }
        }
        this.listener = null;
    }

    @Override
    public void close()
    {
        decoder.close();
    }

    private void begin(final int flow, final int fd, final HttpListener callbacks)
    {
        if (!slots.isTaken(flow))
        {
            throw new IllegalStateException("flow " + flow + " is not open");
        }
        listener = callbacks;
        currentFlow = flow;
        currentFd = fd;
        if (0 != (flags[fd] & CUT_PENDING))
        {
            flags[fd] &= ~CUT_PENDING;
            message.bind(fd, flow, serial[fd]);
            listener.onBodyCut(flow, message, bodyCut[fd]);
        }
        if (0 != (flags[fd] & END_PENDING))
        {
            final byte next = state[fd];
            endMessage(fd);
            state[fd] = next;
        }
    }

    private long skipEmptyLines(final int fd, final MemorySegment data, final long from, final long end)
    {
        long at = from;
        while (at < end)
        {
            final byte b = data.get(ValueLayout.JAVA_BYTE, at);
            if ('\r' != b && '\n' != b)
            {
                return startMessage(fd, at);
            }
            at++;
        }
        return at;
    }

    /**
     * The first byte of a message, at {@code at}: takes a header block and collects the head; with the pool
     * empty, reads the head without keeping it, for its framing only (the listener is told now).
     */
    private long startMessage(final int fd, final long at)
    {
        final int block = blocks.take();
        if (block >= 0)
        {
            blockOf[fd] = block;
            state[fd] = HEADERS;
            return at;
        }
        counters.add(HttpCounter.NO_HEADER_BLOCK);
        flags[fd] |= UNKEPT;
        state[fd] = UNKEPT_HEAD;
        listener.onNoHeaderBlock(currentFlow, 0 == (fd & 1));
        return at;
    }

    /**
     * The head of a message holding no block, one byte at a time but for the lines framing does not read: framed
     * as a kept head would be, within the same {@link HttpLimits#headerBytes()}; its body is then framed and not
     * delivered. The listener heard of the message at its first byte ({@link HttpListener#onNoHeaderBlock}) and
     * is not told of it again.
     */
    private long readUnkeptHead(
        final int fd, final int direction, final MemorySegment data, final long from, final long end)
    {
        long at = from;
        while (at < end)
        {
            if (unkeptHead.passesLine(fd))
            {
                // Most of a head is header lines framing does not read: to the LF, or the byte reaching the limit.
                final long stop = Math.min(LineFeeds.next(data, at, end), at + headLimit(fd) - 1 - rawLength[fd]);
                rawLength[fd] += (int)(stop - at);
                at = stop;
                if (at == end)
                {
                    return at;
                }
            }
            final byte b = data.get(ValueLayout.JAVA_BYTE, at++);
            rawLength[fd]++;
            final int read = unkeptHead.next(fd, 0 == direction, b);
            if (0 != (read & UnkeptHead.CONTENT_LENGTH))
            {
                contentLength(fd, unkeptHead.contentLength(fd));
            }
            switch (read & ~UnkeptHead.CONTENT_LENGTH)
            {
                case UnkeptHead.HEAD_END ->
                {
                    onUnkeptHead(fd, direction);
                    return at;
                }
                case UnkeptHead.BAD_START_LINE ->
                {
                    onUnkeptStartLineMalformed(fd, direction);
                    return at;
                }
                case UnkeptHead.CHUNKED -> flags[fd] |= CHUNKED;
                case UnkeptHead.MALFORMED_HEADER_LINE -> counters.add(HttpCounter.MALFORMED_HEADER_LINE);
                default ->
                {
                }
            }
            if (headLimit(fd) == rawLength[fd])
            {
                if (0 != (flags[fd] & HEAD_PAST_LIMIT))
                {
                    resetMessage(fd);
                    toResync(fd, b);
                    return at;
                }
                // Too long, as a kept head would be: counted, and read on so that the message is still framed.
                counters.add(HttpCounter.HEADER_TOO_LONG);
                flags[fd] |= HEAD_PAST_LIMIT;
            }
        }
        return at;
    }

    /** Bytes the head of {@code fd} may reach: the header limit, then {@value #FRAMED_HEAD_LIMITS} of them. */
    private int headLimit(final int fd)
    {
        return 0 == (flags[fd] & HEAD_PAST_LIMIT) ? headerBytes : FRAMED_HEAD_LIMITS * headerBytes;
    }

    /**
     * A kept head filled its block without ending: the listener is told it is too long, and the message goes on
     * as one without a block, its head so far read again by {@link UnkeptHead} from the block before the block
     * goes back, so that it is framed and the messages after it are parsed.
     */
    private void frameTooLongHead(final int fd, final int direction, final int base, final int length)
    {
        counters.add(HttpCounter.HEADER_TOO_LONG);
        listener.onHeadersTooLong(currentFlow, 0 == direction);
        // Detached first, the block outlives the reset that starts the message again as one without a block.
        final int block = blockOf[fd];
        blockOf[fd] = NO_BLOCK;
        resetMessage(fd);
        flags[fd] = UNKEPT | HEAD_PAST_LIMIT;
        state[fd] = UNKEPT_HEAD;
        // The stored parse found neither a bad start line nor the head's end in these bytes: nor will this.
        readUnkeptHead(fd, direction, rawMemory, base, base + length);
        blocks.release(block);
    }

    /** An unkept head is complete: the message is paired and its body framed as a kept one's would be. */
    private void onUnkeptHead(final int fd, final int direction)
    {
        // The Content-Length sum is done with: a body starts from none left, as after a kept head.
        remaining[fd] = 0;
        final byte next;
        if (0 == direction)
        {
            next = onRequestHeaders(fd, currentFlow, unkeptHead.requestFlags(fd), 0, 0);
        }
        else
        {
            statusCode[fd] = unkeptHead.statusCode(fd);
            next = onResponseHeaders(fd, currentFlow);
        }
        toBody(fd, next);
    }

    /**
     * The start line of an unkept head is none: counted as a kept one's; an answer to a waiting request is an
     * HTTP/0.9 response framed to the end of the stream (see {@link #onHttp09Response}), anything else is passed
     * over up to the next start line.
     */
    private void onUnkeptStartLineMalformed(final int fd, final int direction)
    {
        counters.add(0 == direction ? HttpCounter.MALFORMED_REQUEST_LINE : HttpCounter.MALFORMED_STATUS_LINE);
        if (1 == direction && pendingCount[currentFlow] > 0)
        {
            counters.add(HttpCounter.RESPONSES);
            answer(currentFlow);
            responseCount[currentFlow]++;
            state[fd] = BODY_CLOSE;
        }
        else
        {
            resetMessage(fd);
            toResync(fd, (byte)'\n');
        }
    }

    /**
     * Collects the start line and headers, copying at most {@value #HEADER_STEP} bytes at a time so that a
     * large feed is not copied past the end of its headers; on the empty line ending them, handles the message.
     */
    private long readHeaders(final int fd, final int direction, final MemorySegment data, final long at, final long end)
    {
        final int base = blockOf[fd] * headerBytes;
        final int held = rawLength[fd];
        final int copied = (int)Math.min(Math.min(end - at, headerBytes - held), HEADER_STEP);
        MemorySegment.copy(data, ValueLayout.JAVA_BYTE, at, raw, base + held, copied);
        final int filled = held + copied;
        int line = lineStart[fd];
        final int stop = base + filled;
        for (int i = LineFeeds.next(raw, base + scanFrom[fd], stop); i < stop; i = LineFeeds.next(raw, i + 1, stop))
        {
            final int lf = i - base;
            if (startLineEnd[fd] < 0)
            {
                startLineEnd[fd] = lf;
                if (!parseStartLine(fd, direction, base, lf))
                {
                    counters.add(0 == direction
                        ? HttpCounter.MALFORMED_REQUEST_LINE : HttpCounter.MALFORMED_STATUS_LINE);
                    if (1 == direction && pendingCount[currentFlow] > 0)
                    {
                        onHttp09Response(fd, base, lf + 1);
                    }
                    else
                    {
                        resetMessage(fd);
                        toResync(fd, (byte)'\n');
                        listener.onStartLineMalformed(currentFlow, 0 == direction);
                    }
                    return at + (lf + 1 - held);
                }
                if (0 == direction && lineParts[fd * 6 + 4] == lineParts[fd * 6 + 5])
                {
                    // HTTP/0.9: the request line is the whole request.
                    rawLength[fd] = lf + 1;
                    onHeaders(fd, direction);
                    return at + (lf + 1 - held);
                }
            }
            else if (lf == line || (lf == line + 1 && '\r' == raw[i - 1]))
            {
                rawLength[fd] = lf + 1;
                onHeaders(fd, direction);
                return at + (lf + 1 - held);
            }
            line = lf + 1;
        }
        rawLength[fd] = filled;
        scanFrom[fd] = filled;
        lineStart[fd] = line;
        if (filled == headerBytes)
        {
            frameTooLongHead(fd, direction, base, filled);
        }
        return at + copied;
    }

    /**
     * A request is waiting and the server's answer does not start with a status line: as libhtp does, it is an
     * HTTP/0.9 response without headers whose body (this first line included) runs to the end of the stream,
     * so that a server cannot hide a body from inspection behind a broken status line.
     */
    private void onHttp09Response(final int fd, final int base, final int lineLength)
    {
        // The line is delivered from the block after the message's head is reset: the block goes back after.
        final int block = blockOf[fd];
        blockOf[fd] = NO_BLOCK;
        resetMessage(fd);
        serial[fd]++;
        counters.add(HttpCounter.RESPONSES);
        answer(currentFlow);
        responseCount[currentFlow]++;
        flags[fd] |= DELIVERED;
        message.bind(fd, currentFlow, serial[fd]);
        listener.onResponse(currentFlow, message);
        state[fd] = BODY_CLOSE;
        deliverBody(fd, rawMemory, base, lineLength);
        blocks.release(block);
    }

    /** Splits the start line into its three tokens; false when it is not one. */
    private boolean parseStartLine(final int fd, final int direction, final int base, final int lf)
    {
        int end = lf;
        while (end > 0 && ('\r' == raw[base + end - 1] || Ascii.isSpace(raw[base + end - 1])))
        {
            end--;
        }
        int s = 0;
        while (s < end && Ascii.isSpace(raw[base + s]))
        {
            s++;
        }
        final int firstStart = s;
        while (s < end && !Ascii.isSpace(raw[base + s]))
        {
            final int b = raw[base + s] & 0xFF;
            if (b < 0x21 || b > 0x7E)
            {
                return false;
            }
            s++;
        }
        final int firstEnd = s;
        while (s < end && Ascii.isSpace(raw[base + s]))
        {
            s++;
        }
        final int parts = fd * 6;
        lineParts[parts] = firstStart;
        lineParts[parts + 1] = firstEnd;
        if (firstEnd == firstStart)
        {
            return false;
        }
        return 0 == direction ? splitRequestLine(base, parts, s, end) : splitStatusLine(fd, base, parts, s, end);
    }

    private boolean splitRequestLine(final int base, final int parts, final int uriStart, final int end)
    {
        if (uriStart == end)
        {
            return false;
        }
        int last = end;
        while (last > uriStart && !Ascii.isSpace(raw[base + last - 1]))
        {
            last--;
        }
        int uriEnd = end;
        int protocolStart = end;
        if (last > uriStart && end - last >= HTTP_SLASH.length
            && Ascii.equalsLower(raw, base + last, HTTP_SLASH.length, HTTP_SLASH))
        {
            protocolStart = last;
            uriEnd = last;
            while (uriEnd > uriStart && Ascii.isSpace(raw[base + uriEnd - 1]))
            {
                uriEnd--;
            }
        }
        lineParts[parts + 2] = uriStart;
        lineParts[parts + 3] = uriEnd;
        lineParts[parts + 4] = protocolStart;
        lineParts[parts + 5] = end;
        return true;
    }

    private boolean splitStatusLine(final int fd, final int base, final int parts, final int codeStart, final int end)
    {
        if (lineParts[parts + 1] - lineParts[parts] < HTTP_SLASH.length
            || !Ascii.equalsLower(raw, base + lineParts[parts], HTTP_SLASH.length, HTTP_SLASH))
        {
            return false;
        }
        int s = codeStart;
        int code = 0;
        while (s < end && raw[base + s] >= '0' && raw[base + s] <= '9' && s - codeStart < 3)
        {
            code = code * 10 + raw[base + s] - '0';
            s++;
        }
        if (s - codeStart != 3 || (s < end && !Ascii.isSpace(raw[base + s])))
        {
            return false;
        }
        statusCode[fd] = code;
        lineParts[parts + 2] = codeStart;
        lineParts[parts + 3] = s;
        while (s < end && Ascii.isSpace(raw[base + s]))
        {
            s++;
        }
        lineParts[parts + 4] = s;
        lineParts[parts + 5] = end;
        return true;
    }

    /** The header block is complete: reads the framing headers, pairs the transaction, calls back, goes on. */
    private void onHeaders(final int fd, final int direction)
    {
        final int layers = scanFramingHeaders(fd);
        serial[fd]++;
        final int flow = currentFlow;
        byte next;
        if (0 == direction)
        {
            final int base = blockOf[fd] * headerBytes;
            next = onRequestHeaders(fd, flow, methodFlags(fd), base + lineParts[fd * 6 + 2],
                base + lineParts[fd * 6 + 3]);
        }
        else
        {
            next = onResponseHeaders(fd, flow);
        }
        // Without inflaters (counted) the body is delivered as it is.
        final boolean decoding = next == START || next == TUNNEL || layers == 0 || decoder.begin(fd, layers);
        flags[fd] |= DELIVERED | (leftEncoded || !decoding ? UNDECODED : 0);
        message.bind(fd, flow, serial[fd]);
        if (0 == direction)
        {
            listener.onRequest(flow, message);
            if (BAD_LENGTH == (flags[fd] & (BAD_LENGTH | CHUNKED)))
            {
                cut(fd, BodyCut.CONTENT_LENGTH);
            }
        }
        else
        {
            listener.onResponse(flow, message);
        }
        toBody(fd, next);
    }

    /** After the head: the message ends with it ({@code next} START or TUNNEL) or its body comes {@code next}. */
    private void toBody(final int fd, final byte next)
    {
        if (START == next || TUNNEL == next)
        {
            finishMessage(fd, next);
        }
        else
        {
            state[fd] = next;
            chunkLine[fd] = 0;
        }
    }

    /** {@link #REQ_HEAD} or {@link #REQ_CONNECT} for the method of the request line in the block, else 0. */
    private int methodFlags(final int fd)
    {
        final int at = blockOf[fd] * headerBytes + lineParts[fd * 6];
        final int methodLength = lineParts[fd * 6 + 1] - lineParts[fd * 6];
        if (4 == methodLength && isToken(at, "HEAD"))
        {
            return REQ_HEAD;
        }
        return 7 == methodLength && isToken(at, "CONNECT") ? REQ_CONNECT : 0;
    }

    /**
     * Pairs the request and says what follows its head; its file name is taken from {@code raw[uriStart, uriEnd)}
     * (empty for a head not kept).
     */
    private byte onRequestHeaders(
        final int fd, final int flow, final int requestFlags, final int uriStart, final int uriEnd)
    {
        counters.add(HttpCounter.REQUESTS);
        transaction[fd] = requestCount[flow]++;
        remember(flow, transaction[fd], requestFlags, uriStart, uriEnd);
        if (0 != (requestFlags & REQ_CONNECT))
        {
            flags[fd] |= CONNECT_REQUEST;
            return TUNNEL;
        }
        if (0 != (flags[fd] & CHUNKED))
        {
            return CHUNK_SIZE;
        }
        if (0 != (flags[fd] & HAS_LENGTH) && declaredLength[fd] > 0)
        {
            remaining[fd] = declaredLength[fd];
            return BODY_LENGTH;
        }
        return START;
    }

    private byte onResponseHeaders(final int fd, final int flow)
    {
        final int code = statusCode[fd];
        final int requestFd = 2 * flow;
        if (code >= 100 && code < 200 && 101 != code)
        {
            counters.add(HttpCounter.INTERIM_RESPONSES);
            transaction[fd] = pendingCount[flow] > 0 ? pendingTransaction[flow * PIPELINE_DEPTH + pendingHead[flow]]
                : responseCount[flow];
            return START;
        }
        counters.add(HttpCounter.RESPONSES);
        final int requestFlags = answer(flow);
        responseCount[flow]++;
        if (101 == code || (0 != (requestFlags & REQ_CONNECT) && code >= 200 && code < 300))
        {
            counters.add(HttpCounter.TUNNELS);
            if (HEADERS == state[requestFd] || UNKEPT_HEAD == state[requestFd])
            {
                // A next request's head in progress is never parsed now: its block goes back.
                resetMessage(requestFd);
            }
            state[requestFd] = TUNNEL;
            return TUNNEL;
        }
        if (0 != (requestFlags & REQ_CONNECT) && TUNNEL == state[requestFd])
        {
            // The proxy refused the tunnel: the client speaks HTTP again.
            state[requestFd] = START;
            resetMessage(requestFd);
        }
        if (0 != (requestFlags & REQ_HEAD) || 204 == code || 304 == code)
        {
            return START;
        }
        if (0 != (flags[fd] & CHUNKED))
        {
            return CHUNK_SIZE;
        }
        if (0 != (flags[fd] & HAS_LENGTH))
        {
            remaining[fd] = declaredLength[fd];
            return declaredLength[fd] > 0 ? BODY_LENGTH : START;
        }
        return BODY_CLOSE;
    }

    private boolean isToken(final int at, final String token)
    {
        for (int i = 0; i < token.length(); i++)
        {
            if (raw[at + i] != token.charAt(i))
            {
                return false;
            }
        }
        return true;
    }

    /** Queues the request for its response, with the last segment of its URI path as its file name. */
    private void remember(final int flow, final int tx, final int requestFlags, final int uriStart, final int uriEnd)
    {
        if (PIPELINE_DEPTH == pendingCount[flow])
        {
            counters.add(HttpCounter.PIPELINE_OVERFLOW);
            return;
        }
        final int entry = flow * PIPELINE_DEPTH + (pendingHead[flow] + pendingCount[flow]) % PIPELINE_DEPTH;
        pendingCount[flow]++;
        pendingTransaction[entry] = tx;
        pendingFlags[entry] = (byte)requestFlags;
        final int nameStart = lastPathSegment(raw, uriStart, uriEnd);
        final int pathEnd = pathEnd(raw, uriStart, uriEnd);
        final int length = Math.min(NAME_BYTES, pathEnd - nameStart);
        System.arraycopy(raw, nameStart, pendingName, entry * NAME_BYTES, length);
        pendingNameLength[entry] = (byte)length;
    }

    /** Takes the oldest waiting request for the response; returns its flags. */
    private int answer(final int flow)
    {
        final int fd = 2 * flow + 1;
        if (0 == pendingCount[flow])
        {
            counters.add(HttpCounter.RESPONSE_WITHOUT_REQUEST);
            transaction[fd] = Math.max(responseCount[flow], requestCount[flow]);
            answerNameLength[flow] = 0;
            return 0;
        }
        final int entry = flow * PIPELINE_DEPTH + pendingHead[flow];
        pendingHead[flow] = (pendingHead[flow] + 1) % PIPELINE_DEPTH;
        pendingCount[flow]--;
        transaction[fd] = pendingTransaction[entry];
        final int length = pendingNameLength[entry] & 0xFF;
        System.arraycopy(pendingName, entry * NAME_BYTES, answerName, flow * NAME_BYTES, length);
        answerNameLength[flow] = length;
        return pendingFlags[entry];
    }

    /** End of the path part of a URI: before its query or fragment. */
    static int pathEnd(final byte[] bytes, final int from, final int to)
    {
        for (int i = from; i < to; i++)
        {
            if ('?' == bytes[i] || '#' == bytes[i])
            {
                return i;
            }
        }
        return to;
    }

    /** Start of the last segment of the URI's path (after its last slash). */
    static int lastPathSegment(final byte[] bytes, final int from, final int to)
    {
        final int end = pathEnd(bytes, from, to);
        for (int i = end - 1; i >= from; i--)
        {
            if ('/' == bytes[i])
            {
                return i + 1;
            }
        }
        return from;
    }

    /**
     * Reads Content-Length, Transfer-Encoding and Content-Encoding, counting malformed header lines; returns
     * the Content-Encoding layers to decode. A header's value runs on over its continuation lines (obsolete
     * folding: lines that start with a blank), as libhtp joins them before reading it: else a folded
     * {@code Transfer-Encoding:} CRLF {@code " chunked"} showed chunked in the header buffer while the body was
     * framed by Content-Length or as empty.
     */
    private int scanFramingHeaders(final int fd)
    {
        final int base = blockOf[fd] * headerBytes;
        final int stop = base + rawLength[fd];
        int p = base + startLineEnd[fd] + 1;
        int codings = 0;
        while (p < stop)
        {
            final int lf = LineFeeds.next(raw, p, stop);
            final int lineEnd = lf > p && '\r' == raw[lf - 1] ? lf - 1 : lf;
            if (lineEnd == p)
            {
                break;
            }
            if (Ascii.isSpace(raw[p]))
            {
                // A continuation line, read with the header it continues (none: ignored, as before).
                p = lf + 1;
                continue;
            }
            final int lastLf = lastLineFeed(lf, stop);
            int colon = p;
            while (colon < lineEnd && ':' != raw[colon])
            {
                colon++;
            }
            int nameEnd = colon;
            while (nameEnd > p && Ascii.isSpace(raw[nameEnd - 1]))
            {
                nameEnd--;
            }
            if (colon == lineEnd || nameEnd == p)
            {
                counters.add(HttpCounter.MALFORMED_HEADER_LINE);
            }
            else
            {
                codings = framingHeader(fd, p, nameEnd - p, colon + 1, valueEnd(lastLf), codings);
            }
            p = lastLf + 1;
        }
        leftEncoded = ContentCodings.leftEncoded(codings, limits);
        return ContentCodings.layers(codings, limits, counters);
    }

    /**
     * One header named {@code raw[name, name+nameLength)} with its value in {@code raw[from, to)}, folded or not;
     * returns the Content-Encoding state with this header's codings added.
     */
    private int framingHeader(final int fd, final int name, final int nameLength, final int from, final int to,
        final int codings)
    {
        int valueStart = from;
        while (valueStart < to && Ascii.isSpace(raw[valueStart]))
        {
            valueStart++;
        }
        if (Ascii.equalsLower(raw, name, nameLength, CONTENT_LENGTH))
        {
            contentLength(fd, lengthValue(valueStart, to));
        }
        else if (Ascii.equalsLower(raw, name, nameLength, TRANSFER_ENCODING))
        {
            // The line ends of a folded value lie next to blanks, so no token spans them.
            if (Ascii.indexOfLower(raw, valueStart, to, CHUNKED_TOKEN) >= 0)
            {
                flags[fd] |= CHUNKED;
            }
        }
        else if (Ascii.equalsLower(raw, name, nameLength, CONTENT_ENCODING))
        {
            return ContentCodings.add(raw, valueStart, to, codings);
        }
        return codings;
    }

    /** The LF that ends the header whose first line ends at {@code lf}: its last continuation line's, or that one. */
    private int lastLineFeed(final int lf, final int stop)
    {
        int last = lf;
        while (last + 1 < stop && Ascii.isSpace(raw[last + 1]))
        {
            last = LineFeeds.next(raw, last + 1, stop);
        }
        return last;
    }

    /** Where the value of a header whose last line ends at {@code lf} ends: before that line's CR and blanks. */
    private int valueEnd(final int lf)
    {
        int end = lf > 0 && '\r' == raw[lf - 1] ? lf - 1 : lf;
        while (Ascii.isSpace(raw[end - 1]))
        {
            end--;
        }
        return end;
    }

    /**
     * The Content-Length value in {@code raw[from, to)}: 1 to 18 digits, blanks around them, the line ends of a
     * folded value (a LF and the CR before it) passed over; else -1.
     */
    private long lengthValue(final int from, final int to)
    {
        long value = 0;
        int digits = 0;
        boolean after = false;
        for (int i = from; i < to; i++)
        {
            final byte b = raw[i];
            if ('\n' == b || '\r' == b && i + 1 < to && '\n' == raw[i + 1])
            {
                continue;
            }
            if (Ascii.isSpace(b))
            {
                after = digits > 0;
            }
            else if (b < '0' || b > '9' || after || LENGTH_DIGITS_MAX == digits)
            {
                return -1;
            }
            else
            {
                value = value * 10 + b - '0';
                digits++;
            }
        }
        return digits > 0 ? value : -1;
    }

    /** A Content-Length header's {@code value} (-1 when it is no number): the first valid one counts. */
    private void contentLength(final int fd, final long value)
    {
        if (value < 0)
        {
            counters.add(HttpCounter.BAD_CONTENT_LENGTH);
            flags[fd] |= BAD_LENGTH;
            return;
        }
        if (0 != (flags[fd] & HAS_LENGTH))
        {
            if (value != declaredLength[fd])
            {
                counters.add(HttpCounter.CONFLICTING_CONTENT_LENGTH);
                flags[fd] |= BAD_LENGTH;
            }
            return;
        }
        flags[fd] |= HAS_LENGTH;
        declaredLength[fd] = value;
    }

    /** Body bytes of a Content-Length body or of a chunk. */
    private long readCountedBody(final int fd, final MemorySegment data, final long at, final long end)
    {
        final int n = (int)Math.min(end - at, remaining[fd]);
        deliverBody(fd, data, at, n);
        remaining[fd] -= n;
        if (0 == remaining[fd])
        {
            if (CHUNK_DATA == state[fd])
            {
                state[fd] = CHUNK_DATA_END;
            }
            else
            {
                finishMessage(fd, START);
            }
        }
        return at + n;
    }

    /**
     * A chunk-size line, byte by byte: chunkLine holds the line length (bits 0-15), the digits read (16-23),
     * whether the number has ended (bit 24) and whether the line holds anything but blanks (bit 25).
     */
    private long readChunkSize(final int fd, final MemorySegment data, final long from, final long end)
    {
        int line = chunkLine[fd];
        long at = from;
        while (at < end)
        {
            final byte b = data.get(ValueLayout.JAVA_BYTE, at++);
            if ('\n' == b)
            {
                chunkLine[fd] = 0;
                final int digits = (line >>> 16) & 0xFF;
                if (digits > 0)
                {
                    if (0 == remaining[fd])
                    {
                        state[fd] = TRAILERS;
                    }
                    else
                    {
                        state[fd] = CHUNK_DATA;
                    }
                    return at;
                }
                if (0 != (line & (1 << 25)))
                {
                    counters.add(HttpCounter.BAD_CHUNK_SIZE);
                    state[fd] = BODY_CLOSE;
                    return at;
                }
                line = 0;
                continue;
            }
            if ((line & 0xFFFF) == CHUNK_LINE_MAX)
            {
                counters.add(HttpCounter.BAD_CHUNK_SIZE);
                state[fd] = BODY_CLOSE;
                return at;
            }
            line++;
            if ('\r' != b && !Ascii.isSpace(b))
            {
                line |= 1 << 25;
            }
            if (0 == (line & (1 << 24)))
            {
                final int digits = (line >>> 16) & 0xFF;
                final int value = Ascii.hexValue(b);
                if (value >= 0 && digits < CHUNK_DIGITS_MAX)
                {
                    remaining[fd] = (0 == digits ? 0 : remaining[fd] << 4) | value;
                    line += 1 << 16;
                }
                else if (digits > 0 || !Ascii.isSpace(b))
                {
                    line |= 1 << 24;
                }
            }
        }
        chunkLine[fd] = line;
        return at;
    }

    private long readChunkDataEnd(final int fd, final MemorySegment data, final long at)
    {
        final byte b = data.get(ValueLayout.JAVA_BYTE, at);
        if ('\r' == b)
        {
            return at + 1;
        }
        state[fd] = CHUNK_SIZE;
        chunkLine[fd] = 0;
        if ('\n' == b)
        {
            return at + 1;
        }
        counters.add(HttpCounter.BAD_CHUNK_END);
        return at;
    }

    /** Trailer lines after the last chunk, up to the empty line: chunkLine counts the line (low 16 bits) and all. */
    private long readTrailers(final int fd, final MemorySegment data, final long from, final long end)
    {
        int line = chunkLine[fd];
        long at = from;
        while (at < end)
        {
            final byte b = data.get(ValueLayout.JAVA_BYTE, at++);
            if ('\n' == b)
            {
                if (0 == (line & 0xFFFF))
                {
                    finishMessage(fd, START);
                    return at;
                }
                line &= ~0xFFFF;
            }
            else if ('\r' != b)
            {
                line++;
                line += 1 << 16;
                if ((line >>> 16) > headerBytes)
                {
                    counters.add(HttpCounter.TRAILER_TOO_LONG);
                    finishMessage(fd, RESYNC);
                    lastByte[fd] = b;
                    return at;
                }
            }
        }
        chunkLine[fd] = line;
        return at;
    }

    private long resync(final int fd, final int direction, final MemorySegment data, final long at, final long end)
    {
        long lineStart = '\n' == lastByte[fd] ? at : LineFeeds.next(data, at, end) + 1;
        while (lineStart < end)
        {
            final int available = (int)(end - lineStart);
            if (0 == direction ? HttpDetector.looksLikeRequest(data, lineStart, available)
                : HttpDetector.looksLikeResponse(data, lineStart, available))
            {
                resetMessage(fd);
                state[fd] = START;
                return lineStart;
            }
            lineStart = LineFeeds.next(data, lineStart, end) + 1;
        }
        lastByte[fd] = data.get(ValueLayout.JAVA_BYTE, end - 1);
        return end;
    }

    private void toResync(final int fd, final byte previous)
    {
        state[fd] = RESYNC;
        lastByte[fd] = previous;
    }

    private void deliverBody(final int fd, final MemorySegment data, final long at, final int length)
    {
        bodyLength[fd] += length;
        if (0 == length || 0 != (flags[fd] & (TRUNCATED | UNKEPT)))
        {
            return;
        }
        if (0 != (flags[fd] & UNDECODED))
        {
            cut(fd, BodyCut.CODING);
        }
        if (decoder.active(fd))
        {
            if (!decoder.decode(fd, data, at, length))
            {
                decoder.end(fd);
                flags[fd] |= TRUNCATED;
                // The sink stopping at the body limit has said so already, a declined body is no cut; otherwise a
                // layer hit its cap.
                if (0 == (flags[fd] & DECLINED))
                {
                    cut(fd, BodyCut.DECOMPRESSION_LIMIT);
                }
            }
            else if (decoder.corrupt(fd))
            {
                cut(fd, BodyCut.CODING);
            }
        }
        else
        {
            onDecoded(data, at, length);
        }
    }

    @Override
    public boolean onDecoded(final MemorySegment decoded, final long offset, final int length)
    {
        final int fd = currentFd;
        final long room = limits.bodyBytes() - delivered[fd];
        final int n = (int)Math.min(length, room);
        if (n > 0)
        {
            message.bind(fd, currentFlow, serial[fd]);
            listener.onBody(currentFlow, message, decoded, offset, n, delivered[fd]);
            delivered[fd] += n;
            if (0 != (flags[fd] & DECLINED))
            {
                flags[fd] |= TRUNCATED;
                return false;
            }
        }
        if (n < length)
        {
            counters.add(HttpCounter.BODY_TRUNCATED);
            flags[fd] |= TRUNCATED;
            cut(fd, BodyCut.BODY_LIMIT);
            return false;
        }
        return true;
    }

    /**
     * Tells the listener, once per message, that part of the body of {@code fd} will not be delivered; from
     * {@link #gap}, which has no listener, at the direction's next call.
     */
    private void cut(final int fd, final BodyCut why)
    {
        // A message without its head kept was reported once, at its start (onNoHeaderBlock).
        if (0 != (flags[fd] & (BODY_CUT | UNKEPT)))
        {
            return;
        }
        flags[fd] |= BODY_CUT;
        bodyCut[fd] = why;
        if (null == listener)
        {
            flags[fd] |= CUT_PENDING;
            return;
        }
        message.bind(fd, currentFlow, serial[fd]);
        listener.onBodyCut(currentFlow, message, why);
    }

    private void gapInBody(final int fd, final long length)
    {
        counters.add(HttpCounter.GAP_IN_BODY);
        bodyLength[fd] += length;
        if (decoder.active(fd))
        {
            decoder.end(fd);
            flags[fd] |= TRUNCATED;
        }
        else
        {
            delivered[fd] += length;
        }
        cut(fd, BodyCut.GAP);
    }

    /** Gives up the message after a gap: its end is reported at the next call, then {@code next} goes on. */
    private void abandon(final int fd, final byte next)
    {
        decoder.end(fd);
        flags[fd] |= END_PENDING;
        state[fd] = next;
        lastByte[fd] = '\n';
    }

    private void finishMessage(final int fd, final byte next)
    {
        counters.add(HttpCounter.MESSAGES_COMPLETE);
        final boolean connect = 0 != (flags[fd] & CONNECT_REQUEST);
        endMessage(fd);
        state[fd] = connect && START == next ? TUNNEL : next;
    }

    private void endMessage(final int fd)
    {
        decoder.end(fd);
        if (0 != (flags[fd] & DELIVERED))
        {
            message.bind(fd, currentFlow, serial[fd]);
            listener.onMessageEnd(currentFlow, message);
        }
        resetMessage(fd);
    }

    /** Forgets the direction's message, giving its header block back: nothing reads its head after this. */
    private void resetMessage(final int fd)
    {
        decoder.end(fd);
        if (NO_BLOCK != blockOf[fd])
        {
            blocks.release(blockOf[fd]);
            blockOf[fd] = NO_BLOCK;
        }
        rawLength[fd] = 0;
        scanFrom[fd] = 0;
        lineStart[fd] = 0;
        startLineEnd[fd] = -1;
        flags[fd] = 0;
        declaredLength[fd] = -1;
        remaining[fd] = 0;
        delivered[fd] = 0;
        bodyLength[fd] = 0;
        chunkLine[fd] = 0;
        statusCode[fd] = 0;
        java.util.Arrays.fill(lineParts, fd * 6, fd * 6 + 6, 0);
    }
}
