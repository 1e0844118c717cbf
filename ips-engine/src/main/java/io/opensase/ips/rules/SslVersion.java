package io.opensase.ips.rules;

/**
 * {@code ssl_version:v[,v...]} (each optionally {@code !}): the record-layer version of the flow; holds when
 * it is among the versions named without {@code !} (when there are any) and among none named with it.
 */
public record SslVersion(int versions, int negated) implements Condition
{
    public static final int SSLV2 = 1;
    public static final int SSLV3 = 2;
    public static final int TLS1_0 = 4;
    public static final int TLS1_1 = 8;
    public static final int TLS1_2 = 16;
    public static final int TLS1_3 = 32;
}
