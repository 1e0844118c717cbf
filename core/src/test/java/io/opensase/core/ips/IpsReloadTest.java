package io.opensase.core.ips;

import io.opensase.classifiers.capture.CaptureReader;
import io.opensase.classifiers.capture.Captures;
import io.opensase.classifiers.flow.FlowTable;
import io.opensase.classifiers.flow.FlowTimeouts;
import io.opensase.classifiers.flow.FullTablePolicy;
import io.opensase.classifiers.parse.PacketParser;
import io.opensase.core.engine.CaptureSource;
import io.opensase.core.engine.StopFlag;
import io.opensase.core.events.EveRenderer;
import io.opensase.core.packet.DropReason;
import io.opensase.core.packet.JavaPacketPool;
import io.opensase.core.packet.PacketBurst;
import io.opensase.core.pipeline.FlowStage;
import io.opensase.core.pipeline.ParseStage;
import io.opensase.core.pipeline.WorkerCounters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A new rule set published while a worker runs, as a reload does: the worker takes it at its next burst, and a
 * flow a drop rule dropped stays dropped under the new rules. Capture: suricata-verify's
 * alert-testmyids-midstream, one TCP flow of five packets (tshark: frame 1 holds "uid=0(root)"), one packet per
 * burst.
 */
class IpsReloadTest
{
    private static final Path DATA = Path.of(System.getProperty("opensase.data", "../shared/data"));

    @TempDir
    Path dir;

    @Test
    void droppedFlowStaysDroppedUnderRulesPublishedLater() throws Exception
    {
        final List<String> eve = new ArrayList<>();
        final List<DropReason> verdicts = run(
            "drop tcp any any -> any any (content:\"uid=0|28|root|29|\"; sid:1;)\n",
            "alert tcp any any -> any any (sid:2;)\n", eve);
        assertEquals(List.of(DropReason.IPS_DROP, DropReason.IPS_DROP, DropReason.IPS_DROP, DropReason.IPS_DROP,
            DropReason.IPS_DROP), verdicts);
        assertEquals(List.of("\"signature_id\":1,"), sids(eve),
            "only the drop rule's alert: the flow is not inspected once dropped");
    }

    @Test
    void rulesPublishedBetweenBurstsHoldFromTheNextBurst() throws Exception
    {
        final List<String> eve = new ArrayList<>();
        final List<DropReason> verdicts = run("alert udp any any -> any any (sid:3;)\n",
            "alert tcp any any -> any any (sid:2;)\n", eve);
        assertEquals(5, verdicts.stream().filter(v -> v == DropReason.NONE).count());
        assertEquals(List.of("\"signature_id\":2,", "\"signature_id\":2,", "\"signature_id\":2,",
            "\"signature_id\":2,"), sids(eve), "packets 2 to 5 under the new rules, packet 1 under none");
    }

    private static List<String> sids(final List<String> eve)
    {
        return eve.stream().filter(l -> l.contains("\"event_type\":\"alert\""))
            .map(l -> l.replaceAll(".*(\"signature_id\":[0-9]+,).*", "$1")).toList();
    }

    /** Runs the capture one packet per burst, publishing {@code later} after the first packet. */
    private List<DropReason> run(final String first, final String later, final List<String> eve) throws Exception
    {
        final IpsPolicy firstRules = policy("first.rules", first);
        final IpsPolicy laterRules = policy("later.rules", later);
        final IpsPolicyRef ref = new IpsPolicyRef(firstRules);
        final List<DropReason> verdicts = new ArrayList<>();
        try (CaptureReader reader = Captures.open(DATA.resolve("ids-verify/alert-testmyids-midstream/input.pcap"));
            JavaPacketPool pool = new JavaPacketPool(4))
        {
            final WorkerCounters counters = new WorkerCounters();
            final CaptureSource source = new CaptureSource(reader, pool, counters, 1, new StopFlag());
            final PacketBurst burst = new PacketBurst(1);
            final ParseStage parse = new ParseStage(new PacketParser(), reader.linkType(), counters);
            final FlowStage flows = new FlowStage(new FlowTable(64, FlowTimeouts.DEFAULT, FullTablePolicy.EVICT_OLDEST));
            final EveRenderer renderer = new EveRenderer();
            final IpsStage stage = new IpsStage(ref, flows.table(), 0, reader.linkType().number(), record ->
            {
                renderer.render(record);
                eve.add(renderer.text());
            }, false);
            while (source.receive(burst) > 0)
            {
                parse.process(burst);
                flows.process(burst);
                stage.process(burst);
                verdicts.add(burst.verdict(0));
                pool.free(burst.mbufs(), 1);
                if (1 == verdicts.size())
                {
                    // The control thread's part of a reload, between two bursts.
                    stage.prepare(laterRules);
                    ref.publish(laterRules);
                }
            }
        }
        finally
        {
            firstRules.close();
            laterRules.close();
        }
        return verdicts;
    }

    private IpsPolicy policy(final String name, final String rules) throws Exception
    {
        final Path file = dir.resolve(name);
        Files.writeString(file, rules);
        return IpsPolicy.load(new IpsSettings(List.of(file), Map.of(), Map.of(), IpsMode.IPS, true, null, null,
            null));
    }
}
