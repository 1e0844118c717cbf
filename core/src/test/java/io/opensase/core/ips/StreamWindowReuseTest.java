package io.opensase.core.ips;

import io.opensase.classifiers.capture.CaptureReader;
import io.opensase.classifiers.capture.Captures;
import io.opensase.classifiers.flow.FlowTable;
import io.opensase.classifiers.flow.FlowTimeouts;
import io.opensase.classifiers.flow.FullTablePolicy;
import io.opensase.classifiers.parse.PacketParser;
import io.opensase.core.engine.CaptureSource;
import io.opensase.core.engine.StopFlag;
import io.opensase.core.packet.JavaPacketPool;
import io.opensase.core.packet.PacketBurst;
import io.opensase.core.pipeline.FlowStage;
import io.opensase.core.pipeline.ParseStage;
import io.opensase.core.pipeline.WorkerCounters;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The stage hands the matcher its stream windows with their offsets, so that the payload prefilter skips the
 * bytes a window repeats from the one before: on the seven HTTP downloads of zeek-bro.org.pcap (about 470 KB
 * from the server), in IDS mode (windows of acknowledged bytes) and IPS mode (a window per segment). That the
 * rules which hold stay the same is checked by the ips-engine's StreamLiteralsTest and, through this stage, by
 * every suricata-verify case.
 */
class StreamWindowReuseTest
{
    private static final Path DATA = Path.of(System.getProperty("opensase.data", "../shared/data"));

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(IpsMode.class)
    void windowsAfterTheFirstAreScannedFromTheirNewBytes(final IpsMode mode) throws Exception
    {
        final Path rules = dir.resolve("stream.rules");
        Files.writeString(rules, "alert tcp any any -> any any (msg:\"never\"; content:\"opensase-not-there\"; sid:1;)\n");
        try (IpsPolicy policy = IpsPolicy.load(new IpsSettings(List.of(rules), Map.of(), Map.of(), mode, true, null,
                null, null));
            CaptureReader reader = Captures.open(DATA.resolve("pcap/web-http/zeek-bro.org.pcap"));
            JavaPacketPool pool = new JavaPacketPool(64))
        {
            final WorkerCounters counters = new WorkerCounters();
            final CaptureSource source = new CaptureSource(reader, pool, counters, 32, new StopFlag());
            final PacketBurst burst = new PacketBurst(32);
            final ParseStage parse = new ParseStage(new PacketParser(), reader.linkType(), counters);
            final FlowStage flows = new FlowStage(new FlowTable(1024, FlowTimeouts.DEFAULT, FullTablePolicy.EVICT_OLDEST));
            final IpsStage stage = new IpsStage(new IpsPolicyRef(policy), flows.table(), 0,
                reader.linkType().number(), line -> { }, false);
            int n;
            while ((n = source.receive(burst)) > 0)
            {
                parse.process(burst);
                flows.process(burst);
                stage.process(burst);
                pool.free(burst.mbufs(), n);
            }
            final long reused = stage.prefilterBytesReused();
            System.out.printf("stream window reuse, %s: %d bytes not scanned again%n", mode, reused);
            assertTrue(reused > 100_000, mode + ": " + reused);
        }
    }
}
