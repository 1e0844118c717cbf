package io.opensase.core.config;

import java.util.List;

/**
 * How the engine brings up DPDK for its DPDK ports.
 *
 * @param ealArgs       EAL arguments; the engine adds {@code -l 0-N} (every CPU) unless they name lcores. The
 *                      default has {@code --no-pci}: NICs are named with an allow-list ({@code -a BDF}) instead.
 * @param mbufs         packet buffers in the mempool.
 * @param frameCapacity data room of each buffer after the headroom: 9,216 holds jumbo frames whole; a larger
 *                      frame arrives as a chain and is dropped as oversize.
 * @param mbufCache     buffers each lcore keeps in its mempool cache.
 * @param rxDescriptors descriptors per RX queue.
 * @param txDescriptors descriptors per TX queue.
 */
public record DpdkConfig(List<String> ealArgs, int mbufs, int frameCapacity, int mbufCache, int rxDescriptors,
    int txDescriptors)
{
    public static final DpdkConfig DEFAULT = new DpdkConfig(List.of("--in-memory", "--no-pci", "--no-telemetry"), 16_384,
        9216, 256, 1024, 1024);

    public DpdkConfig
    {
        ealArgs = List.copyOf(ealArgs);
    }

    public DpdkConfig withEalArgs(final List<String> args)
    {
        return new DpdkConfig(args, mbufs, frameCapacity, mbufCache, rxDescriptors, txDescriptors);
    }

    public DpdkConfig withFrameCapacity(final int bytes)
    {
        return new DpdkConfig(ealArgs, mbufs, bytes, mbufCache, rxDescriptors, txDescriptors);
    }
}
