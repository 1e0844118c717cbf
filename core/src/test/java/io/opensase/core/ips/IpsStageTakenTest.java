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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * What the engine relies on to release a replaced policy's memory during a run: a stage reports the policy it
 * matches with, and moves to a newly published one only at its next burst (until then the old one is still
 * in use and must not be closed). Capture: suricata-verify's alert-testmyids-midstream, one packet per burst.
 */
class IpsStageTakenTest
{
    private static final Path DATA = Path.of(System.getProperty("opensase.data", "../shared/data"));

    @TempDir
    Path dir;

    @Test
    void stageReportsTheNewPolicyOnlyFromItsNextBurst() throws Exception
    {
        try (IpsPolicy first = policy("first.rules", "alert tcp any any -> any any (sid:1;)\n");
            IpsPolicy later = policy("later.rules", "alert tcp any any -> any any (sid:2;)\n");
            CaptureReader reader = Captures.open(DATA.resolve("ids-verify/alert-testmyids-midstream/input.pcap"));
            JavaPacketPool pool = new JavaPacketPool(4))
        {
            final IpsPolicyRef ref = new IpsPolicyRef(first);
            final WorkerCounters counters = new WorkerCounters();
            final CaptureSource source = new CaptureSource(reader, pool, counters, 1, new StopFlag());
            final PacketBurst burst = new PacketBurst(1);
            final ParseStage parse = new ParseStage(new PacketParser(), reader.linkType(), counters);
            final FlowStage flows = new FlowStage(new FlowTable(64, FlowTimeouts.DEFAULT, FullTablePolicy.EVICT_OLDEST));
            final IpsStage stage = new IpsStage(ref, flows.table(), 0, reader.linkType().number(), line -> { }, false);
            assertSame(first, stage.taken(), "before any burst");

            stage.prepare(later);
            ref.publish(later);
            assertSame(first, stage.taken(), "published, but no burst has run since");

            source.receive(burst);
            parse.process(burst);
            flows.process(burst);
            stage.process(burst);
            pool.free(burst.mbufs(), 1);
            assertSame(later, stage.taken(), "after the next burst");
        }
    }

    private IpsPolicy policy(final String name, final String rules) throws Exception
    {
        final Path file = dir.resolve(name);
        Files.writeString(file, rules);
        return IpsPolicy.load(new IpsSettings(List.of(file), Map.of(), Map.of(), IpsMode.IDS, true, null, null,
            null));
    }
}
