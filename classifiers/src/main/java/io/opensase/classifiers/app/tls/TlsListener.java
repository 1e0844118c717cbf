package io.opensase.classifiers.app.tls;

/**
 * Receives the handshake messages {@link TlsParser} decodes. The {@link TlsHandshake} is one reused view,
 * valid only during the call: copy out what must outlive it.
 */
public interface TlsListener
{
    void onClientHello(int flow, TlsHandshake h);

    void onServerHello(int flow, TlsHandshake h);

    /** The server's Certificate message (TLS 1.2 and older; TLS 1.3 sends it encrypted): its first certificate. */
    void onCertificate(int flow, TlsHandshake h);
}
