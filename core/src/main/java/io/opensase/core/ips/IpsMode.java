package io.opensase.core.ips;

/** What a matched {@code drop} or {@code reject} rule does. */
public enum IpsMode
{
    /** Detection only: every matched rule alerts, nothing is dropped. */
    IDS,
    /** Prevention: {@code drop} and {@code reject} rules drop the packet and the rest of its flow. */
    IPS
}
