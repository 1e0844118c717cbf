package io.opensase.classifiers.app.http;

/** Why part of a message's body was not delivered to the listener (see {@link HttpListener#onBodyCut}). */
public enum BodyCut
{
    /** More decoded body than {@link HttpLimits#bodyBytes()}: the rest is not delivered. */
    BODY_LIMIT("body_limit"),
    /** A decompression layer passed its ratio or size cap: its output stops there. */
    DECOMPRESSION_LIMIT("decompression_limit"),
    /** Bytes of the body were lost in a stream gap (in a compressed body, decoding stops there). */
    GAP("gap"),
    /**
     * The body is in a Content-Encoding left undecoded: a coding the parser does not decode (br, zstd, compress,
     * an unknown name), more layers than {@link HttpLimits#decompressionLayers()}, no inflater free, or
     * compressed data that turned out corrupt. What follows is delivered as it stands, still encoded.
     */
    CODING("content_coding"),
    /**
     * A request without Transfer-Encoding whose Content-Length is no number (too long, signed, overflowing) or
     * whose Content-Lengths differ: where its body ends is a guess (the first valid length, else none), and the
     * bytes a server may take as body can be passed over as the start of the next request. Said once its
     * headers are parsed, before its body.
     */
    CONTENT_LENGTH("content_length");

    private final String reportName;

    BodyCut(final String reportName)
    {
        this.reportName = reportName;
    }

    /** The name EVE lines and reports use. */
    public String reportName()
    {
        return reportName;
    }
}
