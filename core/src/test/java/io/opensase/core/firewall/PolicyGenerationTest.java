package io.opensase.core.firewall;

import io.opensase.classifiers.capture.CaptureReader;
import io.opensase.classifiers.capture.Captures;
import io.opensase.classifiers.flow.FlowTable;
import io.opensase.classifiers.flow.FlowTimeouts;
import io.opensase.classifiers.flow.FullTablePolicy;
import io.opensase.classifiers.parse.LinkType;
import io.opensase.classifiers.parse.PacketParser;
import io.opensase.core.config.EngineConfig;
import io.opensase.core.engine.CaptureSource;
import io.opensase.core.engine.StopFlag;
import io.opensase.core.packet.DropReason;
import io.opensase.core.packet.JavaPacketPool;
import io.opensase.core.packet.PacketBurst;
import io.opensase.core.pipeline.FlowStage;
import io.opensase.core.pipeline.ParseStage;
import io.opensase.core.pipeline.WorkerCounters;
import io.opensase.core.testing.Scenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * A new policy generation published between bursts, as a reload does: the next packet of an existing flow is
 * judged by it, and the flow, its connection state and its tenant id stay. Packets are fed one per burst
 * through the parse, tenant and firewall stages, with a snapshot published where the test says.
 */
class PolicyGenerationTest
{
    private static final String OUT = Scenario.ETHER;
    private static final String IN = "Ether(src='02:00:00:00:00:02', dst='02:00:00:00:00:01')";
    private static final String ALLOW_WEB = """
        firewall:
          tenants:
            - name: %s
              select: [{prefix: 10.0.0.0/8}]
              inside: [10.0.0.0/8]
              rules:
                - {name: web, action: allow, direction: outbound, protocol: tcp, destination_ports: 80}
        """;
    private static final String DENY_ALL = """
        firewall:
          tenants:
            - name: other
              select: [{prefix: 172.16.0.0/12}]
            - name: acme
              select: [{prefix: 10.0.0.0/8}]
              inside: [10.0.0.0/8]
              default: deny
        """;

    @TempDir
    Path temp;

    @Test
    void shouldJudgeExistingFlowsByTheNewGenerationAndKeepTheirState() throws Exception
    {
        final Path in = Scenario.pcap(temp.resolve("in.pcap"), String.join(",\n",
            OUT + "/IP(src='10.0.0.1', dst='192.0.2.1')/TCP(sport=1000, dport=80, flags='S', seq=100)",
            IN + "/IP(src='192.0.2.1', dst='10.0.0.1')/TCP(sport=80, dport=1000, flags='SA', seq=500, ack=101)",
            OUT + "/IP(src='10.0.0.1', dst='192.0.2.1')/TCP(sport=1000, dport=80, flags='A', seq=101, ack=501)",
            OUT + "/IP(src='10.0.0.1', dst='192.0.2.1')/TCP(sport=1000, dport=80, flags='PA', seq=101, ack=501)"
                + "/Raw(b'GET')",
            OUT + "/IP(src='10.0.0.1', dst='192.0.2.1')/TCP(sport=1000, dport=80, flags='PA', seq=104, ack=501)"
                + "/Raw(b'more')",
            IN + "/IP(src='192.0.2.1', dst='10.0.0.1')/TCP(sport=80, dport=1000, flags='PA', seq=501, ack=108)"
                + "/Raw(b'ok')"));
        final EngineConfig allow = Scenario.config(temp, in, temp.resolve("out.pcap"), ALLOW_WEB.formatted("acme"));
        final EngineConfig deny = Scenario.config(temp, in, temp.resolve("out.pcap"), DENY_ALL);
        final TenantIds ids = new TenantIds();
        final PolicySnapshot first = new PolicySnapshot(1, ids.assign(allow.firewall()), "branch", 1, null);
        final PolicyRef policy = new PolicyRef(first);

        final List<DropReason> verdicts = new ArrayList<>();
        final Pipeline pipeline = new Pipeline(policy, in);
        verdicts.add(pipeline.next());
        verdicts.add(pipeline.next());
        verdicts.add(pipeline.next());
        final PolicySnapshot second = new PolicySnapshot(2, ids.assign(deny.firewall()), "branch", 1, first);
        policy.publish(second);
        verdicts.add(pipeline.next());
        final PolicySnapshot third = new PolicySnapshot(3, ids.assign(allow.firewall()), "branch", 1, second);
        policy.publish(third);
        verdicts.add(pipeline.next());
        verdicts.add(pipeline.next());

        assertEquals(List.of(DropReason.NONE, DropReason.NONE, DropReason.NONE, DropReason.FIREWALL_DENY,
            DropReason.NONE, DropReason.NONE), verdicts, "the data after the handshake is denied only under gen 2");
        assertEquals(1, pipeline.table.created(), "one flow all along: the tenant kept its id through the reloads");
        assertEquals(0, pipeline.counters.outcome(FirewallCounters.INVALID), "the connection's state survived");
        assertEquals(1, third.tenant(1).config().id());
        assertEquals("acme", third.tenant(1).config().name());
        assertEquals(2, second.tenant(2).config().id(), "the new tenant took the next id");
        assertEquals(3, first.ruleTotals().packets(1, 0), "web under generation 1: the handshake");
        assertEquals(1, second.ruleTotals().packets(1, -1), "the default under generation 2");
        assertEquals(2, third.ruleTotals().packets(1, 0), "web under generation 3");
    }

    @Test
    void shouldReuseTheCompiledPolicyOfAnUnchangedTenant() throws Exception
    {
        final Path in = temp.resolve("unused.pcap");
        final EngineConfig one = Scenario.config(temp, in, null, ALLOW_WEB.formatted("acme"));
        final TenantIds ids = new TenantIds();
        final PolicySnapshot first = new PolicySnapshot(1, ids.assign(one.firewall()), "branch", 2, null);
        final PolicySnapshot second = new PolicySnapshot(2, ids.assign(one.firewall()), "branch", 2, first);
        assertSame(first.tenant(1), second.tenant(1));
    }

    /** Parse, tenant and firewall stages over a capture, one packet per burst. */
    private static final class Pipeline
    {
        final FlowTable table;
        final FirewallCounters counters = new FirewallCounters();
        private final WorkerCounters worker = new WorkerCounters();
        private final JavaPacketPool pool = new JavaPacketPool(16);
        private final CaptureSource source;
        private final PacketBurst burst = new PacketBurst(1);
        private final ParseStage parse = new ParseStage(new PacketParser(), LinkType.ETHERNET, worker);
        private final TenantStage tenants;
        private final FirewallStage firewall;

        Pipeline(final PolicyRef policy, final Path capture) throws Exception
        {
            final CaptureReader reader = Captures.open(capture);
            source = new CaptureSource(reader, pool, worker, 1, new StopFlag());
            tenants = new TenantStage(policy);
            final long[] timeouts = FirewallStage.classTimeouts(FlowTimeouts.DEFAULT, policy.current().config());
            table = new FlowTable(1024, timeouts, FullTablePolicy.EVICT_OLDEST);
            firewall = new FirewallStage(policy, new FlowStage(table), counters, 0, worker, JavaPacketPool.DATA_ROOM);
        }

        DropReason next()
        {
            burst.clear();
            assertEquals(1, source.receive(burst));
            parse.process(burst);
            tenants.process(burst);
            firewall.process(burst);
            final DropReason verdict = burst.verdict(0);
            pool.free(burst.mbufs(), 1);
            return verdict;
        }
    }
}
