package io.opensase.ips.rules;

/**
 * {@code tls.version:1.0|1.1|1.2|1.3|0xNNNN}: the negotiated version as its 16-bit wire value
 * (1.0 = 0x0301 ... 1.3 = 0x0304).
 */
public record TlsVersion(int version) implements Condition
{
}
