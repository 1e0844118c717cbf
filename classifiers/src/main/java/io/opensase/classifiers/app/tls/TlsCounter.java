package io.opensase.classifiers.app.tls;

/** What {@link TlsParser} counts, one counter each. The ids are stable: they may be stored and reported. */
public enum TlsCounter
{
    /** Record headers read. */
    RECORDS(0, "records"),
    CLIENT_HELLOS(1, "client_hellos"),
    SERVER_HELLOS(2, "server_hellos"),
    /** Certificate messages whose first certificate was decoded. */
    CERTIFICATES(3, "certificates"),
    /** A record header that is not TLS (content type, version, length): the direction is no longer parsed. */
    MALFORMED_RECORD(4, "malformed_record"),
    /** A hello or Certificate message whose fields run past its length or contradict each other. */
    MALFORMED_HANDSHAKE(5, "malformed_handshake"),
    /** A first certificate whose DER does not decode. */
    MALFORMED_CERTIFICATE(6, "malformed_certificate"),
    /** A hello longer than {@link TlsParser#MAX_MESSAGE_BYTES}, skipped. */
    OVERSIZE_MESSAGE(7, "oversize_message"),
    /** A first certificate reaching past the {@link TlsParser#MAX_MESSAGE_BYTES} kept of its message. */
    CERTIFICATE_TOO_LONG(8, "certificate_too_long"),
    /** A message arrived in pieces while every assembly buffer was taken: skipped. */
    NO_BUFFER(9, "no_buffer"),
    /** {@link TlsParser#open()} found every flow slot taken. */
    NO_FLOW(10, "no_flow"),
    /** A gap in a direction's stream: its record framing is lost and it is no longer parsed. */
    GAPS(11, "gaps"),
    /** An SSLv2 record (not parsed; the direction is no longer parsed). */
    SSLV2_RECORDS(12, "sslv2_records"),
    /** Handshake messages skipped because their direction had switched to encryption (after ChangeCipherSpec). */
    ENCRYPTED_HANDSHAKES(13, "encrypted_handshakes");

    private static final TlsCounter[] VALUES = values();

    private final int id;
    private final String label;

    TlsCounter(final int id, final String label)
    {
        this.id = id;
        this.label = label;
    }

    public int id()
    {
        return id;
    }

    public String label()
    {
        return label;
    }

    public static int count()
    {
        return VALUES.length;
    }
}
