package io.opensase.classifiers.app;

/** The application protocol of a flow, as {@link AppDetector} identified it from content. */
public enum AppProto
{
    /** Not decided yet: more bytes are needed. */
    UNKNOWN,
    HTTP,
    TLS,
    DNS,
    SSH,
    /** Identification gave up: the bytes seen fit none of the protocols above. */
    FAILED
}
