package io.opensase.classifiers.app.http;

/**
 * What an {@link HttpParser} counts, one counter each, with a stable id and report name; a constant, for any
 * thread. Names follow {@code http.<what>}.
 */
public enum HttpCounter
{
    /** Request line and headers complete, kept or not ({@link #NO_HEADER_BLOCK}). */
    REQUESTS(0, "http.requests"),
    /** Final status line (2xx..5xx, and 101) and headers complete, kept or not ({@link #NO_HEADER_BLOCK}). */
    RESPONSES(1, "http.responses"),
    /** 1xx responses other than 101: the transaction's final response follows. */
    INTERIM_RESPONSES(2, "http.responses_interim"),
    /** Messages over: without a body, or with one ended by its length, its last chunk or the end of the stream. */
    MESSAGES_COMPLETE(3, "http.messages_complete"),
    /** A request line that is not a method token, whitespace and a URI; the direction resynchronises. */
    MALFORMED_REQUEST_LINE(4, "http.malformed.request_line"),
    /** A response that does not start with {@code HTTP/} and a status code; the direction resynchronises. */
    MALFORMED_STATUS_LINE(5, "http.malformed.status_line"),
    /** A header line without a colon or with an empty name; the line is ignored. */
    MALFORMED_HEADER_LINE(6, "http.malformed.header_line"),
    /**
     * A start line and headers longer than {@link HttpLimits#headerBytes()}: the message is not parsed, only framed
     * (see {@link HttpParser}, header blocks).
     */
    HEADER_TOO_LONG(7, "http.malformed.header_too_long"),
    /** A Content-Length that is not a decimal number; the message has no length (see the README). */
    BAD_CONTENT_LENGTH(8, "http.malformed.content_length"),
    /** Several Content-Length values that differ; the first is used. */
    CONFLICTING_CONTENT_LENGTH(9, "http.malformed.content_length_conflict"),
    /** A chunk-size line without hex digits; the rest of the stream is taken as the body. */
    BAD_CHUNK_SIZE(10, "http.malformed.chunk_size"),
    /** Chunk data not followed by a line end; the byte is taken as the next chunk-size line. */
    BAD_CHUNK_END(11, "http.malformed.chunk_end"),
    /** A trailer longer than {@link HttpLimits#headerBytes()}; the message ends and the direction resynchronises. */
    TRAILER_TOO_LONG(12, "http.malformed.trailer_too_long"),
    /** Corrupt compressed data: the layer passes the rest of its input through as it is. */
    DECOMPRESSION_ERROR(13, "http.decompress.error"),
    /** A layer passed the ratio or size cap: its output stops there. */
    DECOMPRESSION_BOMB(14, "http.decompress.bomb"),
    /** A Content-Encoding other than gzip, x-gzip, deflate or identity; it and the layers under it stay encoded. */
    UNSUPPORTED_ENCODING(15, "http.decompress.unsupported"),
    /** More Content-Encoding layers than {@link HttpLimits#decompressionLayers()}; the inner ones stay encoded. */
    TOO_MANY_ENCODINGS(16, "http.decompress.too_many_layers"),
    /** No free inflater in the pool: the body is delivered compressed. */
    NO_INFLATER(17, "http.decompress.no_inflater"),
    /** Messages whose decoded body passed {@link HttpLimits#bodyBytes()}. */
    BODY_TRUNCATED(18, "http.body_truncated"),
    /** Calls to {@link HttpParser#gap}. */
    GAPS(19, "http.gap"),
    /** Gaps inside a body of known extent: the message continues, decompression stops. */
    GAP_IN_BODY(20, "http.gap.in_body"),
    /** Gaps that lost a message's framing: the direction resynchronises on the next start line. */
    GAP_RESYNC(21, "http.gap.resync"),
    /** {@link HttpParser#open} found every slot taken. */
    FLOWS_REFUSED(22, "http.flows_refused"),
    /** A request beyond the pipelining depth the parser remembers; its response gets defaults. */
    PIPELINE_OVERFLOW(23, "http.pipeline_overflow"),
    /** A response with no request waiting for it (midstream pickup, or a request lost in a gap). */
    RESPONSE_WITHOUT_REQUEST(24, "http.response_without_request"),
    /** CONNECT answered with 2xx, or 101 Switching Protocols: the flow's remaining bytes are not HTTP. */
    TUNNELS(25, "http.tunnels"),
    /** Messages cut by the end of the stream before their body completed. */
    INCOMPLETE_MESSAGES(26, "http.incomplete"),
    /**
     * A message that found every header block of the pool held: not parsed but framed (its head read without
     * being kept); also counted as a request or response once its head is complete.
     */
    NO_HEADER_BLOCK(27, "http.no_header_block");

    private static final HttpCounter[] VALUES = values();

    private final int id;
    private final String reportName;

    HttpCounter(final int id, final String reportName)
    {
        this.id = id;
        this.reportName = reportName;
    }

    public int id()
    {
        return id;
    }

    public String reportName()
    {
        return reportName;
    }

    public static HttpCounter of(final int id)
    {
        return VALUES[id];
    }

    public static int count()
    {
        return VALUES.length;
    }
}
