package io.opensase.core.config;

/**
 * One port of the engine: a capture file ({@link CapturePortConfig}) or a DPDK device
 * ({@link DpdkPortConfig}).
 */
public sealed interface PortConfig permits CapturePortConfig, DpdkPortConfig
{
    /** Unique port name. */
    String name();

    /** What the port receives from, as the report names it. */
    String input();

    /** Where the port's traffic is transmitted, as the report names it; null when discarded. */
    String output();
}
