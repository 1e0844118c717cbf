package io.opensase.ips.rules;

/**
 * The data a payload keyword ({@code content}, {@code pcre}, {@code isdataat}, {@code byte_*},
 * {@code bsize}, {@code dataset}) inspects. {@link #PAYLOAD} unless a sticky buffer or a legacy content
 * modifier chose another. The compiled matcher indexes its per-buffer tables by {@link #ordinal()}.
 */
public enum Buffer
{
    /** The packet payload and, for TCP, the reassembled stream (Suricata's {@code pkt_data}). */
    PAYLOAD("pkt_data", AppProtocol.NONE, Side.EITHER, false, false),
    /** Normalised request URI (percent-decoding, path normalisation). */
    HTTP_URI("http.uri", AppProtocol.HTTP, Side.TO_SERVER, false, false),
    /** Request URI as sent. */
    HTTP_URI_RAW("http.uri.raw", AppProtocol.HTTP, Side.TO_SERVER, false, false),
    /** Host, from an absolute URI or else the Host header, lower-cased, without port. */
    HTTP_HOST("http.host", AppProtocol.HTTP, Side.TO_SERVER, false, true),
    /** Host as sent. */
    HTTP_HOST_RAW("http.host.raw", AppProtocol.HTTP, Side.TO_SERVER, false, false),
    HTTP_METHOD("http.method", AppProtocol.HTTP, Side.TO_SERVER, false, false),
    /** Header lines (name, colon, space, value, CRLF) except Cookie/Set-Cookie, trailing blanks removed. */
    HTTP_HEADER("http.header", AppProtocol.HTTP, Side.EITHER, false, false),
    /** CRLF, then each header name followed by CRLF, then CRLF. */
    HTTP_HEADER_NAMES("http.header_names", AppProtocol.HTTP, Side.EITHER, false, false),
    /** The header block as sent (every line, Cookie included, with its line ends). */
    HTTP_HEADER_RAW("http.header.raw", AppProtocol.HTTP, Side.EITHER, false, false),
    /** One request header line, name and value, without its line end; a multi-buffer. */
    HTTP_REQUEST_HEADER("http.request_header", AppProtocol.HTTP, Side.TO_SERVER, true, false),
    /** One response header line, name and value, without its line end; a multi-buffer. */
    HTTP_RESPONSE_HEADER("http.response_header", AppProtocol.HTTP, Side.TO_CLIENT, true, false),
    HTTP_USER_AGENT("http.user_agent", AppProtocol.HTTP, Side.TO_SERVER, false, false),
    /** Cookie (requests) or Set-Cookie (responses) values. */
    HTTP_COOKIE("http.cookie", AppProtocol.HTTP, Side.EITHER, false, false),
    HTTP_CONTENT_TYPE("http.content_type", AppProtocol.HTTP, Side.EITHER, false, false),
    HTTP_CONTENT_LEN("http.content_len", AppProtocol.HTTP, Side.EITHER, false, false),
    HTTP_REFERER("http.referer", AppProtocol.HTTP, Side.TO_SERVER, false, false),
    HTTP_ACCEPT("http.accept", AppProtocol.HTTP, Side.TO_SERVER, false, false),
    HTTP_ACCEPT_ENC("http.accept_enc", AppProtocol.HTTP, Side.TO_SERVER, false, false),
    HTTP_ACCEPT_LANG("http.accept_lang", AppProtocol.HTTP, Side.TO_SERVER, false, false),
    /** The request line without its CRLF. */
    HTTP_REQUEST_LINE("http.request_line", AppProtocol.HTTP, Side.TO_SERVER, false, false),
    /** Request body, de-chunked and decompressed. */
    HTTP_REQUEST_BODY("http.request_body", AppProtocol.HTTP, Side.TO_SERVER, false, false),
    /** Response body, de-chunked and decompressed. */
    HTTP_RESPONSE_BODY("http.response_body", AppProtocol.HTTP, Side.TO_CLIENT, false, false),
    HTTP_STAT_CODE("http.stat_code", AppProtocol.HTTP, Side.TO_CLIENT, false, false),
    HTTP_STAT_MSG("http.stat_msg", AppProtocol.HTTP, Side.TO_CLIENT, false, false),
    /** The status line without its CRLF. */
    HTTP_RESPONSE_LINE("http.response_line", AppProtocol.HTTP, Side.TO_CLIENT, false, false),
    HTTP_SERVER("http.server", AppProtocol.HTTP, Side.TO_CLIENT, false, false),
    HTTP_LOCATION("http.location", AppProtocol.HTTP, Side.TO_CLIENT, false, false),
    /** HTTP message bodies (either direction), de-chunked and decompressed. */
    FILE_DATA("file.data", AppProtocol.HTTP, Side.EITHER, false, false),
    /** Server name of the ClientHello. */
    TLS_SNI("tls.sni", AppProtocol.TLS, Side.TO_SERVER, false, false),
    /** Subject of the server's first certificate, as an RFC 4514-style string. */
    TLS_CERT_SUBJECT("tls.cert_subject", AppProtocol.TLS, Side.TO_CLIENT, false, false),
    TLS_CERT_ISSUER("tls.cert_issuer", AppProtocol.TLS, Side.TO_CLIENT, false, false),
    /** Serial number as upper-case hex bytes joined by colons. */
    TLS_CERT_SERIAL("tls.cert_serial", AppProtocol.TLS, Side.TO_CLIENT, false, false),
    /** SHA-1 of the certificate as lower-case hex bytes joined by colons. */
    TLS_CERT_FINGERPRINT("tls.cert_fingerprint", AppProtocol.TLS, Side.TO_CLIENT, false, true),
    /** One DNS name of the server certificate's subjectAltName; a multi-buffer. */
    TLS_CERT_SAN("tls.subjectaltname", AppProtocol.TLS, Side.TO_CLIENT, true, false),
    /** One ALPN protocol name; a multi-buffer (one instance per offered or selected name). */
    TLS_ALPN("tls.alpn", AppProtocol.TLS, Side.EITHER, true, false),
    /** The 32-byte random of the ClientHello (to server) or ServerHello (to client). */
    TLS_RANDOM("tls.random", AppProtocol.TLS, Side.EITHER, false, false),
    /** The first 4 bytes of that random (the time field of TLS 1.2 and older). */
    TLS_RANDOM_TIME("tls.random_time", AppProtocol.TLS, Side.EITHER, false, false),
    /** The last 28 bytes of that random. */
    TLS_RANDOM_BYTES("tls.random_bytes", AppProtocol.TLS, Side.EITHER, false, false),
    /** JA3 of the ClientHello: MD5 as 32 lower-case hex digits. */
    JA3_HASH("ja3.hash", AppProtocol.TLS, Side.TO_SERVER, false, true),
    /** JA3S of the ServerHello: MD5 as 32 lower-case hex digits. */
    JA3S_HASH("ja3s.hash", AppProtocol.TLS, Side.TO_CLIENT, false, true),
    /** A query name in dotted form; a multi-buffer (one instance per question). */
    DNS_QUERY("dns.query", AppProtocol.DNS, Side.TO_SERVER, true, false),
    /** The fixed 40-byte IPv6 header of the packet (empty for IPv4). */
    IPV6_HDR("ipv6.hdr", AppProtocol.NONE, Side.EITHER, false, false),
    /** What the rule's {@code base64_decode} decoded. */
    BASE64_DATA("base64_data", AppProtocol.NONE, Side.EITHER, false, false);

    /** Which way of a flow a buffer's data travels. */
    public enum Side
    {
        TO_SERVER,
        TO_CLIENT,
        EITHER
    }

    private final String ruleName;
    private final AppProtocol appProtocol;
    private final Side side;
    private final boolean multi;
    private final boolean lowerCase;

    Buffer(
        final String ruleName,
        final AppProtocol appProtocol,
        final Side side,
        final boolean multi,
        final boolean lowerCase)
    {
        this.ruleName = ruleName;
        this.appProtocol = appProtocol;
        this.side = side;
        this.multi = multi;
        this.lowerCase = lowerCase;
    }

    /** The current keyword for the buffer. */
    public String ruleName()
    {
        return ruleName;
    }

    /** The application protocol whose parser fills the buffer ({@link AppProtocol#NONE}: packet data). */
    public AppProtocol appProtocol()
    {
        return appProtocol;
    }

    public Side side()
    {
        return side;
    }

    /**
     * True for buffers holding several values per transaction. Each time a rule names such a buffer it opens
     * a new {@link BufferInspection}, and all keywords of one inspection must hold on the same value.
     */
    public boolean multi()
    {
        return multi;
    }

    /** True when the engine fills the buffer in lower case only, so an upper-case pattern never matches. */
    public boolean lowerCase()
    {
        return lowerCase;
    }
}
