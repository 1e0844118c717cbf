package io.opensase.core.ips;

import io.opensase.classifiers.flow.FlowTable;
import io.opensase.classifiers.flow.FlowTimeouts;
import io.opensase.classifiers.flow.FullTablePolicy;
import io.opensase.classifiers.parse.LinkType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The heap one worker's IPS stage keeps, measured as the README's figures are: the heap in use after full
 * collections, before and after constructing the stage over a flow table of 65,536 slots (as a capture run's),
 * the policy loaded before. With one header block per flow direction (the parser before its pool) the stage
 * kept about 175 MiB at 4,096 streams.
 * <p>
 * The figures for the README: {@code -Dopensase.heapFigures=true} prints them at 4,096, 16,384 and 65,535
 * streams, with the default blocks and with two per stream.
 */
class IpsStageHeapTest
{
    private static final double MIB = 1024.0 * 1024.0;

    @TempDir
    Path dir;

    @Test
    void theStageAtTheDefaultStreamsKeepsFarLessThanTwoBlocksPerStream() throws Exception
    {
        final long pooled = retained(4_096, IpsSettings.defaultHeaderBlocks(4_096));
        final long perDirection = retained(4_096, 2 * 4_096);

        // Two blocks per stream take 8,192 x 16 KiB = 128 MiB; the default 1,024 blocks 16 MiB.
        assertTrue(perDirection - pooled > 100 * MIB, (perDirection - pooled) / MIB + " MiB saved");
        assertTrue(pooled < 64 * MIB, pooled / MIB + " MiB");
    }

    @Test
    @EnabledIfSystemProperty(named = "opensase.heapFigures", matches = "true")
    void printTheFigures() throws Exception
    {
        for (final int streams : new int[] {4_096, 16_384, 65_535})
        {
            final int blocks = IpsSettings.defaultHeaderBlocks(streams);
            final long pooled = retained(streams, blocks);
            final long perDirection = retained(streams, 2 * streams);
            System.out.printf(Locale.ROOT, "heap: %,d streams: %,d header blocks %.1f MiB (%.1f KiB per stream); "
                + "%,d blocks (two per stream) %.1f MiB (%.1f KiB per stream)%n", streams, blocks, pooled / MIB,
                pooled / 1024.0 / streams, 2 * streams, perDirection / MIB, perDirection / 1024.0 / streams);
        }
    }

    /** Heap kept by a stage with {@code streams} streams and {@code blocks} header blocks. */
    private long retained(final int streams, final int blocks) throws Exception
    {
        final Path rules = dir.resolve("none.rules");
        Files.writeString(rules, "");
        try (IpsPolicy policy = IpsPolicy.load(new IpsSettings(List.of(rules), Map.of(), Map.of(), IpsMode.IDS,
            false, null, null, null, streams, blocks)))
        {
            final FlowTable table = new FlowTable(IpsCaptureRun.FLOWS, FlowTimeouts.DEFAULT,
                FullTablePolicy.EVICT_OLDEST);
            final IpsPolicyRef ref = new IpsPolicyRef(policy);
            final long before = heapInUse();
            final IpsStage stage = new IpsStage(ref, table, 0, LinkType.ETHERNET.number(), line -> { }, false);
            final long after = heapInUse();
            Reference.reachabilityFence(stage);
            Reference.reachabilityFence(table);
            return after - before;
        }
    }

    private static long heapInUse()
    {
        for (int i = 0; i < 3; i++)
        {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
