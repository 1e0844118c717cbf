package io.opensase.ips.rules;

/**
 * A test of a rule on the packet, flow or application state rather than on a buffer's bytes. Sealed, so
 * that the matcher's exhaustive switch cannot leave a kind out.
 */
public sealed interface Condition
    permits HeaderInt, TcpFlags, IpProtocol, VlanId, StreamSize, AppLayerProtocol, SslState, SslVersion,
    TlsVersion
{
}
