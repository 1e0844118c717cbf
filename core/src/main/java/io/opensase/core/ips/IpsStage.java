package io.opensase.core.ips;

import io.opensase.classifiers.flow.FlowRemovalListener;
import io.opensase.classifiers.flow.FlowKey;
import io.opensase.classifiers.flow.FlowTable;
import io.opensase.classifiers.flow.FlowTimeouts;
import io.opensase.classifiers.flow.FullTablePolicy;
import io.opensase.classifiers.parse.FlowKeyKind;
import io.opensase.classifiers.parse.PacketMemory;
import io.opensase.classifiers.parse.ParsedPackets;
import io.opensase.core.events.EveIds;
import io.opensase.core.packet.DropReason;
import io.opensase.core.packet.PacketBurst;
import io.opensase.core.pipeline.Stage;
import io.opensase.ips.match.MatchInput;
import io.opensase.ips.match.RuleMatcher;
import io.opensase.ips.rules.Action;
import io.opensase.ips.rules.AppProtocol;
import io.opensase.ips.rules.Buffer;
import io.opensase.ips.rules.Rule;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * Inspects each packet of a worker's bursts against the IPS rules: the packet's headers and payload, and
 * writes an EVE alert for each rule that holds. In {@link IpsMode#IPS}, a {@code drop} or {@code reject} rule
 * drops the packet and every later packet of its flow; a {@code pass} rule ends inspection of its flow.
 * <p>
 * A rule alerts at most once per packet. Rules bound to an application protocol hold only on flows
 * identified as that protocol. Owned by one worker thread; per-flow state lives in arrays indexed by the flow
 * table's slot and is reset when the table removes the flow.
 */
public final class IpsStage implements Stage, FlowRemovalListener
{
    private static final int TUNNEL_FLOWS = 4096;
    private static final int EXPIRY_BUDGET = 16;
    private static final int TUNNEL_ID_SPACE = 1 << 16;
    private static final byte VERDICT_NONE = 0;
    private static final byte VERDICT_DROP = 1;
    private static final byte VERDICT_PASS = 2;

    private final IpsPolicyRef policies;
    private IpsPolicy policy;
    private final FlowTable table;
    private final int worker;
    private final int linkType;
    private final IpsEventSink sink;
    private RuleMatcher.Worker matcher;
    private final MatchInput input = new MatchInput();
    private final PacketFacts facts = new PacketFacts();
    private final JsonLine json = new JsonLine();
    private int[] alertStamps;
    private int stamp;

    private final boolean[] clientIsSecond;
    private final byte[] verdicts;
    private final boolean[] alerted;
    private final AppProtocol[] appProtocols;

    private final IpsCounters counters = new IpsCounters();
    /** Null unless the stage writes EVE flow lines itself. */
    private final FlowEvents flowEvents;
    /** The outer flows of tunnelled packets, tracked only for their flow lines; null without flow lines. */
    private final FlowTable tunnels;
    private final FlowEvents tunnelFlowEvents;
    private final boolean[] tunnelClientIsSecond;
    private final FlowKey tunnelKey = new FlowKey();

    /**
     * @param flowLines write an EVE flow line for each flow (and each tunnel's outer flow) that ends, as
     *                  {@code opensase ips} does; the engine writes flow records through its event queue.
     */
    public IpsStage(final IpsPolicyRef policies, final FlowTable table, final int worker, final int linkType,
        final IpsEventSink sink, final boolean flowLines)
    {
        this.policies = policies;
        this.policy = policies.current();
        this.table = table;
        this.worker = worker;
        this.linkType = linkType;
        this.sink = sink;
        this.matcher = policy.matcher().newWorker();
        this.alertStamps = new int[policy.rules().size()];
        final int slots = table.capacity();
        this.clientIsSecond = new boolean[slots];
        this.verdicts = new byte[slots];
        this.alerted = new boolean[slots];
        this.appProtocols = new AppProtocol[slots];
        Arrays.fill(appProtocols, AppProtocol.NONE);
        table.addRemovalListener(this);
        this.flowEvents = flowLines ? new FlowEvents(sink, worker) : null;
        // Outer flows get ids of their own: a worker number no worker has.
        final FlowEvents tunnelEvents = flowLines ? new FlowEvents(sink, worker + TUNNEL_ID_SPACE) : null;
        this.tunnels = flowLines ? new FlowTable(TUNNEL_FLOWS, FlowTimeouts.DEFAULT, FullTablePolicy.EVICT_OLDEST)
            : null;
        this.tunnelClientIsSecond = flowLines ? new boolean[TUNNEL_FLOWS] : null;
        this.tunnelFlowEvents = tunnelEvents;
        if (flowLines)
        {
            tunnels.addRemovalListener(slot -> tunnelEvents.write(tunnels, slot, tunnelClientIsSecond[slot], false,
                null, tunnels.removalCause()));
        }
    }

    public IpsCounters counters()
    {
        return counters;
    }

    @Override
    public void process(final PacketBurst burst)
    {
        if (null != tunnels && burst.size() > 0)
        {
            tunnels.expire(burst.timestampNs(burst.size() - 1), EXPIRY_BUDGET);
        }
        if (policies.current() != policy)
        {
            switchPolicy(policies.current());
        }
        for (int i = 0; i < burst.size(); i++)
        {
            if (!burst.isDropped(i))
            {
                inspect(burst, i);
            }
        }
    }

    /** A reload published new rules: match with them from this burst on; flow verdicts stay. */
    private void switchPolicy(final IpsPolicy next)
    {
        matcher.close();
        policy = next;
        matcher = next.matcher().newWorker();
        alertStamps = new int[next.rules().size()];
        stamp = 0;
    }

    private void inspect(final PacketBurst burst, final int i)
    {
        final ParsedPackets parsed = burst.parsed();
        if (parsed.isMalformed(i) || !facts.read(parsed, i, burst.data(i), burst.length(i)))
        {
            return;
        }
        counters.packets++;
        if (null != tunnels && facts.tunnelled)
        {
            trackTunnel(burst, i);
        }
        final int flow = burst.flow(i);
        final int slot = PacketBurst.NO_FLOW == flow ? -1 : flow & FlowTable.SLOT_MASK;
        final boolean fromSecond = slot >= 0 && (flow & FlowTable.REVERSE) != 0;
        if (slot >= 0)
        {
            if ((flow & FlowTable.NEW) != 0)
            {
                clientIsSecond[slot] = fromSecond;
            }
            if (VERDICT_DROP == verdicts[slot])
            {
                burst.drop(i, DropReason.IPS_DROP);
                counters.flowDrops++;
                return;
            }
            if (VERDICT_PASS == verdicts[slot])
            {
                return;
            }
        }
        if (++stamp == 0)
        {
            Arrays.fill(alertStamps, 0);
            stamp = 1;
        }

        final MemorySegment packet = PacketMemory.ALL.asSlice(burst.data(i), burst.length(i));
        input.clear();
        final boolean toServer = slot < 0 || fromSecond == clientIsSecond[slot];
        input.flow(slot < 0 ? MatchInput.Direction.NONE
            : toServer ? MatchInput.Direction.TO_SERVER : MatchInput.Direction.TO_CLIENT,
            slot >= 0 && table.packets(slot, 0) > 0 && table.packets(slot, 1) > 0, false);
        input.packetPayloadSize(facts.payloadLength);
        final MemorySegment payload = packet.asSlice(facts.payloadOffset, facts.payloadLength);
        input.set(Buffer.PAYLOAD, payload);
        if (6 == facts.ipVersion)
        {
            input.set(Buffer.IPV6_HDR, packet.asSlice(facts.ipOffset, 40));
        }
        match(burst, i, slot, packet, payload);
    }

    /** Matches {@link #input} and acts on the rules that hold for packet {@code i}. */
    private void match(final PacketBurst burst, final int i, final int slot, final MemorySegment packet,
        final MemorySegment payload)
    {
        final int matched = matcher.match(input);
        if (0 == matched)
        {
            return;
        }
        final ParsedPackets parsed = burst.parsed();
        final AppProtocol app = slot < 0 ? AppProtocol.NONE : appProtocols[slot];
        // pass rules first, as Suricata orders actions: a pass ends inspection before any alert.
        for (int m = 0; m < matched; m++)
        {
            final int r = matcher.matchedIndex(m);
            final Rule rule = policy.rules().get(r);
            if (rule.header().action() == Action.PASS && admits(r, rule, parsed, i, app))
            {
                if (slot >= 0)
                {
                    verdicts[slot] = VERDICT_PASS;
                }
                counters.passed++;
                return;
            }
        }
        for (int m = 0; m < matched; m++)
        {
            final int r = matcher.matchedIndex(m);
            final Rule rule = policy.rules().get(r);
            if (alertStamps[r] == stamp || !admits(r, rule, parsed, i, app))
            {
                continue;
            }
            alertStamps[r] = stamp;
            final Action action = rule.header().action();
            final boolean blocks = policy.settings().mode() == IpsMode.IPS
                && (action == Action.DROP || action == Action.REJECT);
            if (blocks)
            {
                burst.drop(i, DropReason.IPS_DROP);
                if (slot >= 0)
                {
                    verdicts[slot] = VERDICT_DROP;
                }
                counters.drops++;
            }
            if (!rule.noalert())
            {
                if (slot >= 0)
                {
                    alerted[slot] = true;
                }
                counters.alerts++;
                writeAlert(burst, i, slot, rule, blocks, packet, payload);
            }
        }
    }

    private void trackTunnel(final PacketBurst burst, final int i)
    {
        final byte kind = 0 == facts.outerSrcPort ? FlowKeyKind.ADDRESSES : FlowKeyKind.PORTS;
        tunnelKey.set(0, ParsedPackets.NO_VLAN, ParsedPackets.NO_VLAN, ParsedPackets.NO_TUNNEL, facts.outerIpVersion,
            kind, facts.outerProtocol, facts.outerSrcHi, facts.outerSrcLo, facts.outerDstHi, facts.outerDstLo,
            facts.outerSrcPort, facts.outerDstPort);
        final int result = tunnels.lookupOrCreate(tunnelKey, burst.timestampNs(i), burst.length(i));
        if (FlowTable.REFUSED != result && (result & FlowTable.NEW) != 0)
        {
            tunnelClientIsSecond[result & FlowTable.SLOT_MASK] = (result & FlowTable.REVERSE) != 0;
        }
    }

    private boolean admits(final int r, final Rule rule, final ParsedPackets parsed, final int i,
        final AppProtocol app)
    {
        if (rule.appProtocol() != AppProtocol.NONE && rule.appProtocol() != app)
        {
            return false;
        }
        return policy.headers().admits(r, parsed, i, facts);
    }

    private void writeAlert(final PacketBurst burst, final int i, final int slot, final Rule rule,
        final boolean blocked, final MemorySegment packet, final MemorySegment payload)
    {
        final ParsedPackets parsed = burst.parsed();
        json.begin().field("timestamp", EveText.time(burst.timestampNs(i)));
        if (slot >= 0)
        {
            json.field("flow_id", EveIds.flowId(worker, slot, table.createdNs(slot)));
        }
        json.field("event_type", "alert");
        common(parsed, i);
        json.field("pkt_src", "wire/pcap");
        if (facts.tunnelled)
        {
            json.open("tunnel")
                .field("src_ip", EveText.address(facts.outerIpVersion, facts.outerSrcHi, facts.outerSrcLo));
            if (0 != facts.outerSrcPort)
            {
                json.field("src_port", facts.outerSrcPort);
            }
            json.field("dest_ip", EveText.address(facts.outerIpVersion, facts.outerDstHi, facts.outerDstLo));
            if (0 != facts.outerDstPort)
            {
                json.field("dest_port", facts.outerDstPort);
            }
            json.field("proto", EveText.protocol(facts.outerProtocol)).field("depth", 0).close();
        }
        json.open("alert")
            .field("action", blocked ? "blocked" : "allowed")
            .field("gid", rule.gid())
            .field("signature_id", rule.sid())
            .field("rev", rule.meta().rev())
            .field("signature", null == rule.meta().msg() ? "" : rule.meta().msg())
            .field("category", policy.category(rule))
            .field("severity", rule.meta().priority())
            .close();
        if (slot >= 0 && appProtocols[slot] != AppProtocol.NONE)
        {
            json.field("app_proto", appProtocols[slot].name().toLowerCase(java.util.Locale.ROOT));
        }
        if (payload.byteSize() > 0)
        {
            json.base64("payload", payload).printable("payload_printable", payload);
        }
        json.field("stream", 0).base64("packet", packet).open("packet_info").field("linktype", linkType).close();
        sink.write(json.end());
    }

    /** The fields every event of a packet carries: VLANs, endpoints, protocol, ICMP type and code. */
    private void common(final ParsedPackets parsed, final int i)
    {
        if (facts.vlanCount > 0)
        {
            json.openArray("vlan");
            for (int v = 0; v < facts.vlanCount; v++)
            {
                json.value(facts.vlans[v]);
            }
            json.closeArray();
        }
        json.field("src_ip", EveText.address(facts.ipVersion, parsed.srcHi(i), parsed.srcLo(i)));
        if (facts.isTcp() || facts.isUdp())
        {
            json.field("src_port", parsed.srcPort(i));
        }
        json.field("dest_ip", EveText.address(facts.ipVersion, parsed.dstHi(i), parsed.dstLo(i)));
        if (facts.isTcp() || facts.isUdp())
        {
            json.field("dest_port", parsed.dstPort(i));
        }
        json.field("proto", EveText.protocol(facts.ipProtocol));
        if (facts.isIcmp())
        {
            json.field("icmp_type", facts.icmpType).field("icmp_code", facts.icmpCode);
        }
    }

    /** After the last packet: ends every flow still open at {@code endNs}, as a shutdown does. */
    public void finish(final long endNs)
    {
        table.visitFlows((slot, key, packets0, packets1, bytes0, bytes1, createdNs, lastSeenNs) -> endFlow(slot, 0));
        if (null != tunnels)
        {
            tunnels.visitFlows((slot, key, packets0, packets1, bytes0, bytes1, createdNs, lastSeenNs) ->
                tunnelFlowEvents.write(tunnels, slot, tunnelClientIsSecond[slot], false, null, 0));
        }
    }

    @Override
    public void onFlowRemoved(final int slot)
    {
        endFlow(slot, table.removalCause());
    }

    private void endFlow(final int slot, final int cause)
    {
        if (null != flowEvents)
        {
            final AppProtocol app = appProtocols[slot];
            flowEvents.write(table, slot, clientIsSecond[slot], alerted[slot],
                app == AppProtocol.NONE ? null : app.name().toLowerCase(java.util.Locale.ROOT), cause);
        }
        verdicts[slot] = VERDICT_NONE;
        alerted[slot] = false;
        appProtocols[slot] = AppProtocol.NONE;
    }
}
