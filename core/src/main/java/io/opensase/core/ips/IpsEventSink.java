package io.opensase.core.ips;

/** Where an IPS stage's EVE lines go: one JSON object per call, without its line feed. */
@FunctionalInterface
public interface IpsEventSink
{
    void write(CharSequence line);
}
