package io.opensase.classifiers.app.http;

/**
 * The values an {@link HttpMessage} exposes, for the allocation-free accessors
 * {@link HttpMessage#offset(HttpField)} and {@link HttpMessage#length(HttpField)} over
 * {@link HttpMessage#buffer()}. The meaning of each is that of the accessor of the same name.
 */
public enum HttpField
{
    METHOD,
    URI_RAW,
    URI_NORMALIZED,
    HOST,
    HOST_RAW,
    REQUEST_LINE,
    HEADER,
    HEADER_RAW,
    HEADER_NAMES,
    USER_AGENT,
    COOKIE,
    CONTENT_TYPE,
    CONTENT_LENGTH,
    REFERER,
    ACCEPT,
    ACCEPT_ENCODING,
    ACCEPT_LANGUAGE,
    STATUS_CODE,
    STATUS_MESSAGE,
    RESPONSE_LINE,
    SERVER,
    LOCATION,
    FILE_NAME,
    CONTENT_DISPOSITION,
    CONTENT_ENCODING,
    TRANSFER_ENCODING;

    static final HttpField[] VALUES = values();
}
