package io.opensase.benchmarks.ring;

/**
 * A Disruptor ring slot carrying one {@code long}: preallocated by the ring, overwritten in place.
 */
public final class LongEvent
{
    long value;
}
