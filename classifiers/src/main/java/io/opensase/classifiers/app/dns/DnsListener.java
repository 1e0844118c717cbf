package io.opensase.classifiers.app.dns;

/** Hears each DNS message {@link DnsTcpFramer} decodes; the message is reused after the call returns. */
@FunctionalInterface
public interface DnsListener
{
    void onMessage(int flow, int direction, DnsMessage message);
}
