package io.opensase.ips.rules;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Every rule option the engine accepts: the one table of the rule language subset.
 * <p>
 * A rule loads only if each of its options is listed here, and an option listed here is a promise that the
 * engine enforces it: nothing is accepted and then ignored. The parser dispatches on this enum with an
 * exhaustive {@code switch}, so a keyword added here without a parser fails to compile; the model it
 * produces is a set of sealed types, so a matcher that switches over them exhaustively cannot skip one
 * either. {@code ips-engine/README.md} documents each entry, and a test checks that the README and this
 * table name the same keywords.
 */
public enum Keyword
{
    // Meta: carried into alerts, no test.
    MSG("msg", Kind.META, null, "alert text"),
    SID("sid", Kind.META, null, "signature id, required, 1 to 2^32-1"),
    REV("rev", Kind.META, null, "revision"),
    GID("gid", Kind.META, null, "generator id (default 1); (gid, sid) is unique in a rule set"),
    CLASSTYPE("classtype", Kind.META, null, "class from classification.config; gives the default priority"),
    PRIORITY("priority", Kind.META, null, "1 (highest) to 255; overrides the class's priority"),
    REFERENCE("reference", Kind.META, null, "type,id pairs, repeatable"),
    METADATA("metadata", Kind.META, null, "key value pairs, comma-separated, repeatable"),
    TARGET("target", Kind.META, null, "src_ip or dest_ip: which side the alert names as the target"),

    // Output: what a match does besides alerting.
    NOALERT("noalert", Kind.OUTPUT, null, "a match raises no alert (its flowbits and xbits still act)"),
    TAG("tag", Kind.OUTPUT, null, "log further packets of the session or host after a match"),

    // Payload keywords: tested in the current buffer.
    CONTENT("content", Kind.PAYLOAD, null, "byte pattern, with |hex| and ! negation"),
    PCRE("pcre", Kind.PAYLOAD, null, "regular expression /re/flags in the supported subset"),
    ISDATAAT("isdataat", Kind.PAYLOAD, null, "data present at an offset (or absent, with !)"),
    BSIZE("bsize", Kind.PAYLOAD, null, "size of the current sticky buffer"),
    BYTE_TEST("byte_test", Kind.PAYLOAD, null, "compare bytes read as a number"),
    BYTE_JUMP("byte_jump", Kind.PAYLOAD, null, "move the detection position by a number read from the data"),
    BYTE_EXTRACT("byte_extract", Kind.PAYLOAD, null, "read a number into a rule variable"),
    BASE64_DECODE("base64_decode", Kind.PAYLOAD, null, "decode base64 from the current buffer"),
    DATASET("dataset", Kind.PAYLOAD, null, "test or update a named string set with the buffer's value"),

    // Content modifiers: change the last content.
    NOCASE("nocase", Kind.CONTENT_MODIFIER, null, "ASCII case-insensitive"),
    OFFSET("offset", Kind.CONTENT_MODIFIER, null, "start searching this many bytes into the buffer"),
    DEPTH("depth", Kind.CONTENT_MODIFIER, null, "search only the first N bytes (from offset)"),
    DISTANCE("distance", Kind.CONTENT_MODIFIER, null, "start N bytes after the previous match (may be negative)"),
    WITHIN("within", Kind.CONTENT_MODIFIER, null, "end at most N bytes after the previous match"),
    STARTSWITH("startswith", Kind.CONTENT_MODIFIER, null, "match at the start of the buffer"),
    ENDSWITH("endswith", Kind.CONTENT_MODIFIER, null, "match at the end of the buffer"),
    FAST_PATTERN("fast_pattern", Kind.CONTENT_MODIFIER, null, "use this content (or a slice) as the prefilter"),
    RAWBYTES("rawbytes", Kind.CONTENT_MODIFIER, null, "accepted for Snort compatibility; no effect, as in Suricata"),
    PREFILTER("prefilter", Kind.CONTENT_MODIFIER, null,
        "asks Suricata to prefilter on the previous keyword; no effect on what matches, as in Suricata"),

    // Sticky buffers: the payload keywords after them inspect the buffer.
    HTTP_URI("http.uri", Kind.STICKY_BUFFER, Buffer.HTTP_URI, "normalised request URI"),
    HTTP_URI_RAW("http.uri.raw", Kind.STICKY_BUFFER, Buffer.HTTP_URI_RAW, "request URI as sent"),
    HTTP_HOST("http.host", Kind.STICKY_BUFFER, Buffer.HTTP_HOST, "lower-cased host"),
    HTTP_HOST_RAW("http.host.raw", Kind.STICKY_BUFFER, Buffer.HTTP_HOST_RAW, "host as sent"),
    HTTP_METHOD("http.method", Kind.STICKY_BUFFER, Buffer.HTTP_METHOD, "request method"),
    HTTP_HEADER("http.header", Kind.STICKY_BUFFER, Buffer.HTTP_HEADER, "header lines but cookies"),
    HTTP_HEADER_NAMES("http.header_names", Kind.STICKY_BUFFER, Buffer.HTTP_HEADER_NAMES, "header names"),
    HTTP_HEADER_RAW("http.header.raw", Kind.STICKY_BUFFER, Buffer.HTTP_HEADER_RAW, "header block as sent"),
    HTTP_REQUEST_HEADER(
        "http.request_header", Kind.STICKY_BUFFER, Buffer.HTTP_REQUEST_HEADER, "one request header line"),
    HTTP_RESPONSE_HEADER(
        "http.response_header", Kind.STICKY_BUFFER, Buffer.HTTP_RESPONSE_HEADER, "one response header line"),
    HTTP_USER_AGENT("http.user_agent", Kind.STICKY_BUFFER, Buffer.HTTP_USER_AGENT, "User-Agent value"),
    HTTP_COOKIE("http.cookie", Kind.STICKY_BUFFER, Buffer.HTTP_COOKIE, "Cookie / Set-Cookie values"),
    HTTP_CONTENT_TYPE("http.content_type", Kind.STICKY_BUFFER, Buffer.HTTP_CONTENT_TYPE, "Content-Type value"),
    HTTP_CONTENT_LEN("http.content_len", Kind.STICKY_BUFFER, Buffer.HTTP_CONTENT_LEN, "Content-Length value"),
    HTTP_REFERER("http.referer", Kind.STICKY_BUFFER, Buffer.HTTP_REFERER, "Referer value"),
    HTTP_ACCEPT("http.accept", Kind.STICKY_BUFFER, Buffer.HTTP_ACCEPT, "Accept value"),
    HTTP_ACCEPT_ENC("http.accept_enc", Kind.STICKY_BUFFER, Buffer.HTTP_ACCEPT_ENC, "Accept-Encoding value"),
    HTTP_ACCEPT_LANG("http.accept_lang", Kind.STICKY_BUFFER, Buffer.HTTP_ACCEPT_LANG, "Accept-Language value"),
    HTTP_REQUEST_LINE("http.request_line", Kind.STICKY_BUFFER, Buffer.HTTP_REQUEST_LINE, "request line"),
    HTTP_REQUEST_BODY("http.request_body", Kind.STICKY_BUFFER, Buffer.HTTP_REQUEST_BODY, "request body"),
    HTTP_RESPONSE_BODY(
        "http.response_body", Kind.STICKY_BUFFER, Buffer.HTTP_RESPONSE_BODY, "response body, decoded"),
    HTTP_STAT_CODE("http.stat_code", Kind.STICKY_BUFFER, Buffer.HTTP_STAT_CODE, "status code"),
    HTTP_STAT_MSG("http.stat_msg", Kind.STICKY_BUFFER, Buffer.HTTP_STAT_MSG, "status message"),
    HTTP_RESPONSE_LINE("http.response_line", Kind.STICKY_BUFFER, Buffer.HTTP_RESPONSE_LINE, "status line"),
    HTTP_SERVER("http.server", Kind.STICKY_BUFFER, Buffer.HTTP_SERVER, "Server value"),
    HTTP_LOCATION("http.location", Kind.STICKY_BUFFER, Buffer.HTTP_LOCATION, "Location value"),
    FILE_DATA("file.data", Kind.STICKY_BUFFER, Buffer.FILE_DATA, "HTTP message body"),
    TLS_SNI("tls.sni", Kind.STICKY_BUFFER, Buffer.TLS_SNI, "ClientHello server name"),
    TLS_CERT_SUBJECT("tls.cert_subject", Kind.STICKY_BUFFER, Buffer.TLS_CERT_SUBJECT, "certificate subject"),
    TLS_CERT_ISSUER("tls.cert_issuer", Kind.STICKY_BUFFER, Buffer.TLS_CERT_ISSUER, "certificate issuer"),
    TLS_CERT_SERIAL("tls.cert_serial", Kind.STICKY_BUFFER, Buffer.TLS_CERT_SERIAL, "certificate serial"),
    TLS_CERT_FINGERPRINT(
        "tls.cert_fingerprint", Kind.STICKY_BUFFER, Buffer.TLS_CERT_FINGERPRINT, "certificate SHA-1"),
    TLS_SUBJECTALTNAME(
        "tls.subjectaltname", Kind.STICKY_BUFFER, Buffer.TLS_CERT_SAN, "one subjectAltName DNS name (multi-buffer)"),
    TLS_RANDOM_TIME("tls.random_time", Kind.STICKY_BUFFER, Buffer.TLS_RANDOM_TIME, "first 4 bytes of the random"),
    TLS_RANDOM_BYTES("tls.random_bytes", Kind.STICKY_BUFFER, Buffer.TLS_RANDOM_BYTES, "last 28 bytes of the random"),
    TLS_ALPN("tls.alpn", Kind.STICKY_BUFFER, Buffer.TLS_ALPN, "one ALPN name"),
    TLS_RANDOM("tls.random", Kind.STICKY_BUFFER, Buffer.TLS_RANDOM, "hello random"),
    JA3_HASH("ja3.hash", Kind.STICKY_BUFFER, Buffer.JA3_HASH, "JA3 MD5"),
    JA3S_HASH("ja3s.hash", Kind.STICKY_BUFFER, Buffer.JA3S_HASH, "JA3S MD5"),
    DNS_QUERY("dns.query", Kind.STICKY_BUFFER, Buffer.DNS_QUERY, "one query name"),
    IPV6_HDR("ipv6.hdr", Kind.STICKY_BUFFER, Buffer.IPV6_HDR, "IPv6 fixed header"),
    BASE64_DATA("base64_data", Kind.STICKY_BUFFER, Buffer.BASE64_DATA, "what base64_decode decoded"),

    // Legacy names that are sticky buffers.
    FILE_DATA_LEGACY("file_data", Kind.STICKY_BUFFER, Buffer.FILE_DATA, "legacy name of file.data"),
    HTTP_REQUEST_LINE_LEGACY(
        "http_request_line", Kind.STICKY_BUFFER, Buffer.HTTP_REQUEST_LINE, "legacy name of http.request_line"),
    HTTP_RESPONSE_LINE_LEGACY(
        "http_response_line", Kind.STICKY_BUFFER, Buffer.HTTP_RESPONSE_LINE, "legacy name of http.response_line"),
    HTTP_ACCEPT_LEGACY("http_accept", Kind.STICKY_BUFFER, Buffer.HTTP_ACCEPT, "legacy name of http.accept"),
    HTTP_ACCEPT_ENC_LEGACY(
        "http_accept_enc", Kind.STICKY_BUFFER, Buffer.HTTP_ACCEPT_ENC, "legacy name of http.accept_enc"),
    HTTP_ACCEPT_LANG_LEGACY(
        "http_accept_lang", Kind.STICKY_BUFFER, Buffer.HTTP_ACCEPT_LANG, "legacy name of http.accept_lang"),
    HTTP_REFERER_LEGACY("http_referer", Kind.STICKY_BUFFER, Buffer.HTTP_REFERER, "legacy name of http.referer"),
    HTTP_CONTENT_TYPE_LEGACY(
        "http_content_type", Kind.STICKY_BUFFER, Buffer.HTTP_CONTENT_TYPE, "legacy name of http.content_type"),
    HTTP_CONTENT_LEN_LEGACY(
        "http_content_len", Kind.STICKY_BUFFER, Buffer.HTTP_CONTENT_LEN, "legacy name of http.content_len"),
    HTTP_HEADER_NAMES_LEGACY(
        "http_header_names", Kind.STICKY_BUFFER, Buffer.HTTP_HEADER_NAMES, "legacy name of http.header_names"),
    TLS_SNI_LEGACY("tls_sni", Kind.STICKY_BUFFER, Buffer.TLS_SNI, "legacy name of tls.sni"),
    TLS_CERT_SUBJECT_LEGACY(
        "tls_cert_subject", Kind.STICKY_BUFFER, Buffer.TLS_CERT_SUBJECT, "legacy name of tls.cert_subject"),
    TLS_CERT_ISSUER_LEGACY(
        "tls_cert_issuer", Kind.STICKY_BUFFER, Buffer.TLS_CERT_ISSUER, "legacy name of tls.cert_issuer"),
    TLS_CERT_SERIAL_LEGACY(
        "tls_cert_serial", Kind.STICKY_BUFFER, Buffer.TLS_CERT_SERIAL, "legacy name of tls.cert_serial"),
    TLS_CERT_FINGERPRINT_LEGACY(
        "tls_cert_fingerprint", Kind.STICKY_BUFFER, Buffer.TLS_CERT_FINGERPRINT,
        "legacy name of tls.cert_fingerprint"),
    JA3_HASH_LEGACY("ja3_hash", Kind.STICKY_BUFFER, Buffer.JA3_HASH, "legacy name of ja3.hash"),
    JA3S_HASH_LEGACY("ja3s_hash", Kind.STICKY_BUFFER, Buffer.JA3S_HASH, "legacy name of ja3s.hash"),
    DNS_QUERY_LEGACY("dns_query", Kind.STICKY_BUFFER, Buffer.DNS_QUERY, "legacy name of dns.query"),

    // Legacy content modifiers: move the last content into the buffer.
    HTTP_URI_MODIFIER("http_uri", Kind.LEGACY_MODIFIER, Buffer.HTTP_URI, "content modifier for http.uri"),
    HTTP_RAW_URI_MODIFIER(
        "http_raw_uri", Kind.LEGACY_MODIFIER, Buffer.HTTP_URI_RAW, "content modifier for http.uri.raw"),
    HTTP_HOST_MODIFIER("http_host", Kind.LEGACY_MODIFIER, Buffer.HTTP_HOST, "content modifier for http.host"),
    HTTP_RAW_HOST_MODIFIER(
        "http_raw_host", Kind.LEGACY_MODIFIER, Buffer.HTTP_HOST_RAW, "content modifier for http.host.raw"),
    HTTP_METHOD_MODIFIER(
        "http_method", Kind.LEGACY_MODIFIER, Buffer.HTTP_METHOD, "content modifier for http.method"),
    HTTP_HEADER_MODIFIER(
        "http_header", Kind.LEGACY_MODIFIER, Buffer.HTTP_HEADER, "content modifier for http.header"),
    HTTP_USER_AGENT_MODIFIER(
        "http_user_agent", Kind.LEGACY_MODIFIER, Buffer.HTTP_USER_AGENT, "content modifier for http.user_agent"),
    HTTP_COOKIE_MODIFIER(
        "http_cookie", Kind.LEGACY_MODIFIER, Buffer.HTTP_COOKIE, "content modifier for http.cookie"),
    HTTP_CLIENT_BODY_MODIFIER(
        "http_client_body", Kind.LEGACY_MODIFIER, Buffer.HTTP_REQUEST_BODY,
        "content modifier for http.request_body"),
    HTTP_STAT_CODE_MODIFIER(
        "http_stat_code", Kind.LEGACY_MODIFIER, Buffer.HTTP_STAT_CODE, "content modifier for http.stat_code"),
    HTTP_STAT_MSG_MODIFIER(
        "http_stat_msg", Kind.LEGACY_MODIFIER, Buffer.HTTP_STAT_MSG, "content modifier for http.stat_msg"),

    // Packet keywords: tested on the packet's headers.
    DSIZE("dsize", Kind.PACKET, null, "payload size of the packet"),
    FLAGS("flags", Kind.PACKET, null, "TCP flags, with a mask of flags to ignore"),
    TCP_FLAGS("tcp.flags", Kind.PACKET, null, "Suricata 8's name of flags"),
    ACK("ack", Kind.PACKET, null, "TCP acknowledgement number"),
    SEQ("seq", Kind.PACKET, null, "TCP sequence number"),
    WINDOW("window", Kind.PACKET, null, "TCP window (unscaled)"),
    ID("id", Kind.PACKET, null, "IPv4 identification"),
    TTL("ttl", Kind.PACKET, null, "IPv4 TTL or IPv6 hop limit"),
    ITYPE("itype", Kind.PACKET, null, "ICMP type"),
    ICODE("icode", Kind.PACKET, null, "ICMP code"),
    IP_PROTO("ip_proto", Kind.PACKET, null, "IP protocol number (the transport after extension headers)"),
    VLAN_ID("vlan.id", Kind.PACKET, null, "802.1Q/802.1ad VLAN id at a layer, any layer or all layers"),

    // Flow keywords: tested on flow and stream state.
    FLOW("flow", Kind.FLOW, null, "established / not_established / stateless, direction, stream or packet"),
    STREAM_SIZE("stream_size", Kind.FLOW, null, "bytes seen in the stream so far"),
    APP_LAYER_PROTOCOL("app-layer-protocol", Kind.FLOW, null, "application protocol identified for the flow"),

    // Application keywords that are not buffers.
    URILEN("urilen", Kind.APP_LAYER, null, "length of the normalised (or raw) request URI"),
    SSL_STATE("ssl_state", Kind.APP_LAYER, null, "handshake messages seen"),
    SSL_VERSION("ssl_version", Kind.APP_LAYER, null, "record-layer version"),
    TLS_VERSION("tls.version", Kind.APP_LAYER, null, "negotiated version"),

    // State shared between rules.
    FLOWBITS("flowbits", Kind.STATE, null, "named bits per flow: set, unset, toggle, isset, isnotset"),
    XBITS("xbits", Kind.STATE, null, "named bits per host or host pair, with expiry"),

    // Rate: decide whether a match alerts.
    THRESHOLD("threshold", Kind.RATE, null, "limit, threshold or both, per source, destination, rule, pair"),
    DETECTION_FILTER("detection_filter", Kind.RATE, null, "alert only after count matches in seconds");

    /** What sort of option a keyword is, which says which part of the engine enforces it. */
    public enum Kind
    {
        /** Copied into the alert; nothing to test. */
        META,
        /** Changes what a match outputs. */
        OUTPUT,
        /** Tested on the current buffer by the matcher (prefilter and verification). */
        PAYLOAD,
        /** Changes how the last {@code content} matches. */
        CONTENT_MODIFIER,
        /** Selects the buffer the payload keywords after it inspect. */
        STICKY_BUFFER,
        /** Moves the last {@code content} into a buffer. */
        LEGACY_MODIFIER,
        /** Tested on the packet's headers. */
        PACKET,
        /** Tested on flow or stream state. */
        FLOW,
        /** Tested on application parser state. */
        APP_LAYER,
        /** Tests or updates bits shared between rules. */
        STATE,
        /** Decides whether a match alerts, by counting matches. */
        RATE
    }

    private static final Map<String, Keyword> BY_NAME = new HashMap<>();

    static
    {
        for (final Keyword keyword : values())
        {
            if (null != BY_NAME.put(keyword.ruleName, keyword))
            {
                throw new IllegalStateException("keyword listed twice: " + keyword.ruleName);
            }
        }
    }

    private final String ruleName;
    private final Kind kind;
    private final Buffer buffer;
    private final String summary;

    Keyword(final String ruleName, final Kind kind, final Buffer buffer, final String summary)
    {
        this.ruleName = ruleName;
        this.kind = kind;
        this.buffer = buffer;
        this.summary = summary;
    }

    /** The keyword as written in a rule. */
    public String ruleName()
    {
        return ruleName;
    }

    public Kind kind()
    {
        return kind;
    }

    /** The buffer a sticky buffer selects or a legacy modifier moves to; null for other kinds. */
    public Buffer buffer()
    {
        return buffer;
    }

    /** One line on what the keyword tests. */
    public String summary()
    {
        return summary;
    }

    /**
     * Which part of the engine enforces the keyword today. A rule counts as enforced only when none of its
     * keywords is {@link Enforcer#NOT_YET}; the matcher reports the others as loaded but not enforced, with these
     * keywords as the reason. The switch has no default, so a keyword added to the table does not compile until
     * someone decides who enforces it.
     */
    public Enforcer enforcedBy()
    {
        return switch (this)
        {
            case MSG, SID, REV, GID, CLASSTYPE, PRIORITY, REFERENCE, METADATA, TARGET, RAWBYTES, PREFILTER ->
                Enforcer.NOTHING_TO_TEST;
            case CONTENT, PCRE, ISDATAAT, BSIZE, URILEN, DSIZE, FLOW,
                NOALERT, FLOWBITS, XBITS, THRESHOLD, DETECTION_FILTER,
                FLAGS, TCP_FLAGS, ACK, SEQ, WINDOW, ID, TTL, ITYPE, ICODE, IP_PROTO, VLAN_ID,
                STREAM_SIZE, APP_LAYER_PROTOCOL, SSL_STATE, SSL_VERSION, TLS_VERSION,
                BYTE_TEST, BYTE_JUMP, BYTE_EXTRACT, BASE64_DECODE, BASE64_DATA, DATASET,
                NOCASE, OFFSET, DEPTH, DISTANCE, WITHIN, STARTSWITH, ENDSWITH, FAST_PATTERN,
                HTTP_URI, HTTP_URI_RAW, HTTP_HOST, HTTP_HOST_RAW, HTTP_METHOD, HTTP_HEADER, HTTP_HEADER_NAMES,
                HTTP_HEADER_RAW, HTTP_REQUEST_HEADER, HTTP_RESPONSE_HEADER, HTTP_RESPONSE_BODY,
                HTTP_USER_AGENT, HTTP_COOKIE, HTTP_CONTENT_TYPE, HTTP_CONTENT_LEN, HTTP_REFERER, HTTP_ACCEPT,
                HTTP_ACCEPT_ENC, HTTP_ACCEPT_LANG, HTTP_REQUEST_LINE, HTTP_REQUEST_BODY, HTTP_STAT_CODE,
                HTTP_STAT_MSG, HTTP_RESPONSE_LINE, HTTP_SERVER, HTTP_LOCATION, FILE_DATA, TLS_SNI,
                TLS_CERT_SUBJECT, TLS_CERT_ISSUER, TLS_CERT_SERIAL, TLS_CERT_FINGERPRINT, TLS_ALPN, TLS_RANDOM,
                TLS_SUBJECTALTNAME, TLS_RANDOM_TIME, TLS_RANDOM_BYTES,
                JA3_HASH, JA3S_HASH, DNS_QUERY, IPV6_HDR,
                FILE_DATA_LEGACY, HTTP_REQUEST_LINE_LEGACY, HTTP_RESPONSE_LINE_LEGACY, HTTP_ACCEPT_LEGACY,
                HTTP_ACCEPT_ENC_LEGACY, HTTP_ACCEPT_LANG_LEGACY, HTTP_REFERER_LEGACY, HTTP_CONTENT_TYPE_LEGACY,
                HTTP_CONTENT_LEN_LEGACY, HTTP_HEADER_NAMES_LEGACY, TLS_SNI_LEGACY, TLS_CERT_SUBJECT_LEGACY,
                TLS_CERT_ISSUER_LEGACY, TLS_CERT_SERIAL_LEGACY, TLS_CERT_FINGERPRINT_LEGACY, JA3_HASH_LEGACY,
                JA3S_HASH_LEGACY, DNS_QUERY_LEGACY,
                HTTP_URI_MODIFIER, HTTP_RAW_URI_MODIFIER, HTTP_HOST_MODIFIER, HTTP_RAW_HOST_MODIFIER,
                HTTP_METHOD_MODIFIER, HTTP_HEADER_MODIFIER, HTTP_USER_AGENT_MODIFIER, HTTP_COOKIE_MODIFIER,
                HTTP_CLIENT_BODY_MODIFIER, HTTP_STAT_CODE_MODIFIER, HTTP_STAT_MSG_MODIFIER ->
                Enforcer.RULE_MATCHER;
            case TAG -> Enforcer.IPS_STAGE;
        };
    }

    /** Who enforces a keyword (see {@link #enforcedBy()}). */
    public enum Enforcer
    {
        /** Meta data carried into the alert, or accepted without effect as in Suricata: nothing to test. */
        NOTHING_TO_TEST,
        /**
         * {@code io.opensase.ips.match.RuleMatcher}: payload keywords on the buffers it is handed (the byte
         * keywords, {@code base64_decode} with {@code base64_data}, and {@code dataset} through the shared sets
         * of {@code io.opensase.ips.dataset.Datasets} included), sticky buffers (the application parsers fill
         * them), and the packet, flow and application keywords ({@code dsize}, {@code flow}, {@code flags},
         * {@code vlan.id}, {@code stream_size}, {@code ssl_state}, ...) from the facts it is handed in its
         * {@code MatchInput}; after them, flow and host state ({@code flowbits}, {@code xbits}) and what decides
         * whether a match alerts ({@code noalert}, {@code threshold}, {@code detection_filter}).
         */
        RULE_MATCHER,
        /**
         * The IPS stage in {@code core}, after the matcher reports the alert: {@code tag} (the later packets of
         * the flow, or from or to the host, logged as EVE {@code packet} lines).
         */
        IPS_STAGE,
        /** Accepted by the rule language, but no part of the engine enforces it yet. */
        NOT_YET
    }

    /** @return the keyword named {@code name} (ignoring case, as Suricata), or null if not in the subset. */
    public static Keyword byName(final String name)
    {
        return BY_NAME.get(name.toLowerCase(Locale.ROOT));
    }
}
