package io.opensase.classifiers.app.tls;

/**
 * The byte fields of a {@link TlsHandshake}, for reading them without a slice object:
 * {@link TlsHandshake#segment}, {@link TlsHandshake#offset} and {@link TlsHandshake#length}.
 */
public enum TlsField
{
    RANDOM,
    SNI,
    JA3_STRING,
    JA3_HASH,
    JA3S_STRING,
    JA3S_HASH,
    CERT_SUBJECT,
    CERT_ISSUER,
    CERT_SERIAL,
    CERT_FINGERPRINT
}
