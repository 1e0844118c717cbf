package io.opensase.core.firewall;

import io.opensase.classifiers.conntrack.TcpTracker;
import io.opensase.classifiers.flow.FlowKey;
import io.opensase.classifiers.flow.FlowTable;
import io.opensase.classifiers.flow.FlowTimeouts;
import io.opensase.classifiers.parse.FlowKeyKind;
import io.opensase.classifiers.parse.LayerType;
import io.opensase.classifiers.parse.Malformed;
import io.opensase.classifiers.parse.PacketMemory;
import io.opensase.classifiers.parse.ParsedPackets;
import io.opensase.classifiers.parse.QuotedFlow;
import io.opensase.core.packet.DropReason;
import io.opensase.core.packet.PacketBurst;
import io.opensase.core.pipeline.FlowStage;
import io.opensase.core.pipeline.Stage;
import io.opensase.core.pipeline.WorkerCounters;

import java.lang.foreign.MemorySegment;

import static io.opensase.classifiers.parse.PacketMemory.u16;
import static io.opensase.classifiers.parse.PacketMemory.u32;
import static io.opensase.classifiers.parse.PacketMemory.u8;

/**
 * The stateful firewall, after the tenant and flow stages: connection tracking for each packet, and the
 * tenant's policy applied once per flow, its verdict cached in the flow's slot with the policy generation it
 * was decided under, so that a new policy reaches existing flows on their next packet. Return traffic shares
 * its flow, so it takes the verdict of the packet that opened the flow; an ICMP error quoting a flow this
 * worker tracks takes that flow's verdict (path MTU discovery works through a deny-by-default policy). A
 * later fragment takes its datagram's first fragment's verdict. Owned by one worker.
 * <p>
 * It runs the flow stage itself, packet by packet, because it keeps state per flow slot: a packet is judged
 * right after its flow is found, before a later packet of the burst can evict that flow and reuse its slot.
 */
public final class FirewallStage implements Stage
{
    /** Timeout classes of the flow table beyond its four protocol ones. */
    public static final int CLASS_TCP_OPENING = FlowTable.BASE_CLASSES;
    public static final int CLASS_TCP_CLOSING = FlowTable.BASE_CLASSES + 1;
    public static final int CLASS_TCP_CLOSED = FlowTable.BASE_CLASSES + 2;
    public static final int CLASSES = FlowTable.BASE_CLASSES + 3;

    private static final MemorySegment ALL = PacketMemory.ALL;
    private static final long NEVER = Long.MIN_VALUE;
    private static final RuleAction[] ACTIONS = RuleAction.values();
    /** Flows expired at most when a tenant at its connection limit opens another. */
    private static final int LIMIT_EXPIRY_BUDGET = 16;

    private final PolicyRef policy;
    private final FlowStage flows;
    private final FlowTable table;
    private final TcpTracker tcp;
    private final FirewallCounters counters;
    private final int workerIndex;
    /** The rule counters of the snapshot the current burst runs under. */
    private RuleCounters rules;
    private final WorkerCounters worker;
    private final RejectWriter rejects = new RejectWriter();
    private final QuotedFlow quoted = new QuotedFlow();
    private final FragmentInfo fragment = new FragmentInfo();
    private final FragmentVerdicts fragmentVerdicts;
    private final FlowKey relatedKey = new FlowKey();
    private final int bufferRoom;

    /** Per flow slot: the cached verdict, its generation, the tenant it counts against, its opening direction. */
    private final byte[] verdictAction;
    private final int[] verdictRule;
    private final long[] verdictGeneration;
    private final int[] slotTenant;
    private final byte[] openingDirection;
    private final int[] connections;
    /** The log rule the last {@link #match} found, or {@link CompiledRules#NO_MATCH}. */
    private int matchedLogRule;

    /**
     * @param workerIndex which of each snapshot's rule counters this stage's worker writes.
     * @param bufferRoom  bytes a packet's buffer holds from its first byte: room for an answer.
     */
    public FirewallStage(
        final PolicyRef policy,
        final FlowStage flows,
        final FirewallCounters counters,
        final int workerIndex,
        final WorkerCounters worker,
        final int bufferRoom)
    {
        final PolicySnapshot snapshot = policy.current();
        this.policy = policy;
        this.flows = flows;
        this.table = flows.table();
        this.tcp = new TcpTracker(flows.table().capacity(), snapshot.config().midstreamPickup());
        this.counters = counters;
        this.workerIndex = workerIndex;
        this.worker = worker;
        this.bufferRoom = bufferRoom;
        this.fragmentVerdicts = new FragmentVerdicts(snapshot.config().fragmentTimeoutNs());
        final int slots = flows.table().capacity();
        verdictAction = new byte[slots];
        verdictRule = new int[slots];
        verdictGeneration = new long[slots];
        slotTenant = new int[slots];
        openingDirection = new byte[slots];
        connections = new int[PolicySnapshot.MAX_TENANT_ID + 1];
        flows.table().setRemovalListener(this::onFlowRemoved);
    }

    /** The flow table's timeouts with the connection-tracking classes this stage moves TCP flows into. */
    public static long[] classTimeouts(final FlowTimeouts base, final FirewallConfig config)
    {
        final long[] all = new long[CLASSES];
        all[FlowTable.CLASS_TCP] = base.tcpNs();
        all[FlowTable.CLASS_UDP] = base.udpNs();
        all[FlowTable.CLASS_ICMP] = base.icmpNs();
        all[FlowTable.CLASS_OTHER] = base.otherNs();
        all[CLASS_TCP_OPENING] = config.tcpOpeningNs();
        all[CLASS_TCP_CLOSING] = config.tcpClosingNs();
        all[CLASS_TCP_CLOSED] = config.tcpClosedNs();
        return all;
    }

    @Override
    public void process(final PacketBurst burst)
    {
        final PolicySnapshot snapshot = policy.current();
        rules = snapshot.ruleCounters(workerIndex);
        tcp.setMidstreamPickup(snapshot.config().midstreamPickup());
        final ParsedPackets parsed = burst.parsed();
        for (int i = 0; i < burst.size(); i++)
        {
            burst.setRule(i, PacketBurst.NO_RULE);
            flows.track(burst, i);
            // Frames without IP (ARP, LLDP) are not the firewall's to judge; malformed ones are.
            if (!burst.isDropped(i) && (0 != parsed.ipVersion(i) || parsed.isMalformed(i)))
            {
                inspect(burst, parsed, i, snapshot);
            }
        }
        flows.endBurst();
    }

    private void inspect(final PacketBurst burst, final ParsedPackets parsed, final int i, final PolicySnapshot snapshot)
    {
        if (parsed.isMalformed(i))
        {
            if (Malformed.FRAGMENT_L4_TRUNCATED == parsed.malformed(i))
            {
                burst.drop(i, DropReason.TINY_FRAGMENT);
                counters.count(FirewallCounters.DENIED);
                return;
            }
            counters.invalid(FirewallCounters.INVALID_MALFORMED);
            if (RuleAction.ALLOW == snapshot.config().invalid())
            {
                counters.count(FirewallCounters.ALLOWED);
            }
            else
            {
                burst.drop(i, DropReason.FIREWALL_INVALID);
            }
            return;
        }
        final int flow = burst.flow(i);
        final int slot = flow & FlowTable.SLOT_MASK;
        final boolean created = PacketBurst.NO_FLOW != flow && (flow & FlowTable.NEW) != 0;
        if (created)
        {
            slotTenant[slot] = 0;
            openingDirection[slot] = (byte)((flow & FlowTable.REVERSE) != 0 ? 1 : 0);
            verdictGeneration[slot] = NEVER;
        }
        judge(burst, parsed, i, snapshot, flow);
        // Only allowed connections hold a place in the table: denied traffic must not evict or crowd them out.
        if (created && (burst.isDropped(i) || 0 == slotTenant[slot]))
        {
            table.release(slot);
        }
    }

    private void judge(final PacketBurst burst, final ParsedPackets parsed, final int i, final PolicySnapshot snapshot,
        final int flow)
    {
        final int tenant = burst.tenant(i);
        final TenantPolicy tenantPolicy = snapshot.tenant(tenant);
        if (null == tenantPolicy)
        {
            decide(burst, i, snapshot.config().unmatched(), DropReason.NO_TENANT);
            return;
        }
        final boolean fragmented = fragment.read(ALL, burst.data(i), parsed, i);
        if (fragmented && !fragment.isFirst())
        {
            laterFragment(burst, i, tenant, snapshot.generation());
            return;
        }
        if (PacketBurst.NO_FLOW == flow)
        {
            decide(burst, i, snapshot.config().failOpen() ? RuleAction.ALLOW : RuleAction.DENY,
                DropReason.FLOW_TABLE_FULL);
            return;
        }
        final int slot = flow & FlowTable.SLOT_MASK;
        final boolean created = (flow & FlowTable.NEW) != 0;
        final int direction = (flow & FlowTable.REVERSE) != 0 ? 1 : 0;
        if (6 == parsed.ipProtocol(i) && !trackTcp(burst, parsed, i, slot, created, direction)
            && RuleAction.ALLOW != snapshot.config().invalid())
        {
            burst.drop(i, DropReason.FIREWALL_INVALID);
            return;
        }
        if (verdictGeneration[slot] != snapshot.generation())
        {
            classify(burst, parsed, i, slot, direction, tenantPolicy, snapshot.generation());
        }
        RuleAction action = ACTIONS[verdictAction[slot]];
        int rule = verdictRule[slot];
        if (!created && ownIcmpVerdict(burst, parsed, i, direction != openingDirection[slot]))
        {
            rule = match(burst, parsed, i, false, tenantPolicy);
            action = CompiledRules.NO_MATCH == rule ? tenantPolicy.defaultAction() : tenantPolicy.action(rule);
        }
        if (RuleAction.ALLOW != action && relatedToAllowedFlow(burst, parsed, i, tenant))
        {
            // Allowed for the connection it is about, not by a rule of its own: counted as related only, and
            // holding no place in the table.
            counters.count(FirewallCounters.RELATED);
            counters.count(FirewallCounters.ALLOWED);
            return;
        }
        rules.hit(tenant, rule, burst.length(i), burst.timestampNs(i));
        burst.setRule(i, rule);
        if (fragmented)
        {
            fragmentVerdicts.record(tenant, fragment, action, rule, snapshot.generation(), burst.timestampNs(i));
        }
        if (created && (RuleAction.ALLOW == action || RuleAction.LOG == action)
            && !admit(slot, tenant, tenantPolicy))
        {
            burst.drop(i, DropReason.CONNECTION_LIMIT);
            counters.connectionRefused(tenant);
            return;
        }
        apply(burst, parsed, i, action);
    }

    /**
     * ICMP flows are keyed by addresses (and the echo identifier), so one flow carries many kinds of message:
     * each is judged by its own type and code, except an echo reply coming back the other way, which takes the
     * verdict of the request that opened the flow.
     */
    private static boolean ownIcmpVerdict(final PacketBurst burst, final ParsedPackets parsed, final int i,
        final boolean reverse)
    {
        final int protocol = parsed.ipProtocol(i);
        if (1 != protocol && 58 != protocol)
        {
            return false;
        }
        final int layer = lastOwnLayer(parsed, i, 1 == protocol ? LayerType.ICMP : LayerType.ICMPV6);
        if (layer < 0)
        {
            return true;
        }
        final int type = u8(ALL, burst.data(i) + parsed.layerOffset(i, layer));
        return !(reverse && (1 == protocol ? 0 == type : 129 == type));
    }

    /** An allowed new flow: counted against its tenant's connection limit, or refused when the tenant is full. */
    private boolean admit(final int slot, final int tenant, final TenantPolicy tenantPolicy)
    {
        final int limit = tenantPolicy.maxConnections();
        if (limit > 0 && connections[tenant] >= limit)
        {
            // Idle flows would otherwise hold the tenant's places until the end of the burst.
            table.expire(flows.nowNs(), LIMIT_EXPIRY_BUDGET);
        }
        if (limit > 0 && connections[tenant] >= limit)
        {
            return false;
        }
        connections[tenant]++;
        slotTenant[slot] = tenant;
        return true;
    }

    private void onFlowRemoved(final int slot)
    {
        final int tenant = slotTenant[slot];
        if (0 != tenant)
        {
            connections[tenant]--;
            slotTenant[slot] = 0;
        }
    }

    /**
     * @return false when the segment is invalid (counted by reason).
     */
    private boolean trackTcp(final PacketBurst burst, final ParsedPackets parsed, final int i, final int slot,
        final boolean created, final int direction)
    {
        final int layer = lastOwnLayer(parsed, i, LayerType.TCP);
        if (layer < 0)
        {
            return true;
        }
        final long base = burst.data(i);
        final int offset = parsed.layerOffset(i, layer);
        final long at = base + offset;
        final int dataOffset = (u8(ALL, at + 12) >>> 4) * 4;
        final int flags = u8(ALL, at + 13);
        final int payload = Math.max(0, ipEnd(base, parsed, i, layer) - offset - dataOffset);
        final int result = tcp.track(slot, created, direction, flags, (int)u32(ALL, at + 4), (int)u32(ALL, at + 8),
            u16(ALL, at + 14), (flags & TcpTracker.SYN) != 0 ? windowScale(at, dataOffset, burst.length(i) - offset) : -1,
            payload);
        if (TcpTracker.VALID != result)
        {
            counters.invalid(result);
            return false;
        }
        table.setTimeoutClass(slot, timeoutClass(tcp.state(slot)));
        return true;
    }

    private static int timeoutClass(final byte state)
    {
        return switch (state)
        {
            case TcpTracker.ESTABLISHED -> FlowTable.CLASS_TCP;
            case TcpTracker.FIN_WAIT, TcpTracker.CLOSING -> CLASS_TCP_CLOSING;
            case TcpTracker.TIME_WAIT, TcpTracker.CLOSE -> CLASS_TCP_CLOSED;
            default -> CLASS_TCP_OPENING;
        };
    }

    /** The window-scale option of a SYN (RFC 7323), or -1. */
    private static int windowScale(final long tcp, final int dataOffset, final int captured)
    {
        int option = 20;
        final int end = Math.min(dataOffset, captured);
        while (option < end)
        {
            final int kind = u8(ALL, tcp + option);
            if (0 == kind)
            {
                break;
            }
            if (1 == kind)
            {
                option++;
                continue;
            }
            if (option + 1 >= end)
            {
                break;
            }
            final int length = u8(ALL, tcp + option + 1);
            if (3 == kind && 3 == length && option + 2 < end)
            {
                return u8(ALL, tcp + option + 2);
            }
            option += Math.max(2, length);
        }
        return -1;
    }

    /** Where the IP datagram carrying layer {@code transport} ends, by its length field. */
    private static int ipEnd(final long base, final ParsedPackets parsed, final int i, final int transport)
    {
        for (int layer = transport - 1; layer >= 0; layer--)
        {
            final LayerType type = LayerType.of(parsed.layerType(i, layer));
            final int offset = parsed.layerOffset(i, layer);
            if (LayerType.IPV4 == type)
            {
                return offset + u16(ALL, base + offset + 2);
            }
            if (LayerType.IPV6 == type)
            {
                return offset + 40 + u16(ALL, base + offset + 4);
            }
        }
        return 0;
    }

    /** Decides a flow's verdict under the current generation from this packet, and caches it in the slot. */
    private void classify(final PacketBurst burst, final ParsedPackets parsed, final int i, final int slot,
        final int direction, final TenantPolicy tenantPolicy, final long generation)
    {
        // The policy speaks of the flow as it was opened: a reply re-classifying after a policy change is
        // turned round first.
        final int rule = match(burst, parsed, i, direction != openingDirection[slot], tenantPolicy);
        if (CompiledRules.NO_MATCH != matchedLogRule)
        {
            counters.count(FirewallCounters.LOGGED);
            rules.hit(tenantPolicy.id(), matchedLogRule, burst.length(i), burst.timestampNs(i));
        }
        verdictRule[slot] = rule;
        verdictAction[slot] = (byte)(CompiledRules.NO_MATCH == rule ? tenantPolicy.defaultAction()
            : tenantPolicy.action(rule)).ordinal();
        verdictGeneration[slot] = generation;
    }

    /**
     * The first terminal rule matching packet {@code i} (addresses and ports swapped when {@code turned}), or
     * {@link CompiledRules#NO_MATCH}; the first matching log rule is left in {@link #matchedLogRule}.
     */
    private int match(final PacketBurst burst, final ParsedPackets parsed, final int i, final boolean turned,
        final TenantPolicy tenantPolicy)
    {
        final boolean ipv6 = 6 == parsed.ipVersion(i);
        final long srcHi = turned ? parsed.dstHi(i) : parsed.srcHi(i);
        final long srcLo = turned ? parsed.dstLo(i) : parsed.srcLo(i);
        final long dstHi = turned ? parsed.srcHi(i) : parsed.dstHi(i);
        final long dstLo = turned ? parsed.srcLo(i) : parsed.dstLo(i);
        final boolean ports = FlowKeyKind.PORTS == parsed.keyKind(i);
        final int srcPort = !ports ? 0 : turned ? parsed.dstPort(i) : parsed.srcPort(i);
        final int dstPort = !ports ? 0 : turned ? parsed.srcPort(i) : parsed.dstPort(i);
        final int protocol = parsed.ipProtocol(i);
        final int tcpLayer = 6 == protocol ? lastOwnLayer(parsed, i, LayerType.TCP) : -1;
        final int tcpFlags = tcpLayer < 0 ? 0 : u8(ALL, burst.data(i) + parsed.layerOffset(i, tcpLayer) + 13);
        int icmpType = -1;
        int icmpCode = -1;
        if (1 == protocol || 58 == protocol)
        {
            final int icmpLayer = lastOwnLayer(parsed, i, 1 == protocol ? LayerType.ICMP : LayerType.ICMPV6);
            if (icmpLayer >= 0)
            {
                final long at = burst.data(i) + parsed.layerOffset(i, icmpLayer);
                icmpType = u8(ALL, at);
                icmpCode = u8(ALL, at + 1);
            }
        }
        final int packetDirection = tenantPolicy.direction(ipv6, srcHi, srcLo).code();
        matchedLogRule = tenantPolicy.log().match(ipv6, srcHi, srcLo, dstHi, dstLo, srcPort, dstPort, protocol,
            tcpFlags, icmpType, icmpCode, packetDirection);
        return tenantPolicy.terminal().match(ipv6, srcHi, srcLo, dstHi, dstLo, srcPort, dstPort, protocol, tcpFlags,
            icmpType, icmpCode, packetDirection);
    }

    /** An ICMP error whose quoted connection is a flow of this tenant, tracked here and allowed. */
    private boolean relatedToAllowedFlow(final PacketBurst burst, final ParsedPackets parsed, final int i,
        final int tenant)
    {
        final int protocol = parsed.ipProtocol(i);
        if ((1 != protocol && 58 != protocol) || !quoted.read(ALL, burst.data(i), parsed, i))
        {
            return false;
        }
        relatedKey.set(tenant, parsed.vlanOuter(i), parsed.vlanInner(i), parsed.tunnelId(i), quoted.version(),
            quoted.hasPorts() ? FlowKeyKind.PORTS : FlowKeyKind.ADDRESSES, quoted.protocol(), quoted.srcHi(),
            quoted.srcLo(), quoted.dstHi(), quoted.dstLo(), quoted.hasPorts() ? quoted.srcPort() : 0,
            quoted.hasPorts() ? quoted.dstPort() : 0);
        final int slot = table.find(relatedKey, burst.timestampNs(i));
        return FlowTable.NOT_FOUND != slot && verdictGeneration[slot] != NEVER
            && RuleAction.ALLOW.ordinal() == verdictAction[slot];
    }

    private void laterFragment(final PacketBurst burst, final int i, final int tenant, final long generation)
    {
        final int action = fragmentVerdicts.action(tenant, fragment, burst.timestampNs(i));
        if (FragmentVerdicts.NONE == action)
        {
            burst.drop(i, DropReason.FRAGMENT_WITHOUT_FIRST);
            counters.count(FirewallCounters.DENIED);
            return;
        }
        // A verdict from an older policy keeps its action, but its rule index means nothing in this one.
        if (fragmentVerdicts.generation(tenant, fragment) == generation)
        {
            rules.hit(tenant, fragmentVerdicts.rule(tenant, fragment), burst.length(i), burst.timestampNs(i));
            burst.setRule(i, fragmentVerdicts.rule(tenant, fragment));
        }
        if (RuleAction.ALLOW.ordinal() == action)
        {
            counters.count(FirewallCounters.ALLOWED);
        }
        else
        {
            burst.drop(i, RuleAction.REJECT.ordinal() == action ? DropReason.FIREWALL_REJECT : DropReason.FIREWALL_DENY);
            counters.count(RuleAction.REJECT.ordinal() == action ? FirewallCounters.REJECTED : FirewallCounters.DENIED);
        }
    }

    /** A packet decided without a rule: the unmatched or invalid policy, or a full flow table. */
    private void decide(final PacketBurst burst, final int i, final RuleAction action, final DropReason reason)
    {
        if (RuleAction.ALLOW == action)
        {
            counters.count(FirewallCounters.ALLOWED);
        }
        else
        {
            burst.drop(i, reason);
            counters.count(FirewallCounters.DENIED);
        }
    }

    private void apply(final PacketBurst burst, final ParsedPackets parsed, final int i, final RuleAction action)
    {
        switch (action)
        {
            case ALLOW, LOG -> counters.count(FirewallCounters.ALLOWED);
            case DENY ->
            {
                burst.drop(i, DropReason.FIREWALL_DENY);
                counters.count(FirewallCounters.DENIED);
            }
            case REJECT -> reject(burst, parsed, i);
        }
    }

    /**
     * The packet is dropped and answered in its own buffer: it is counted as dropped, its answer as generated,
     * and the answer leaves through the port the packet came in on.
     */
    private void reject(final PacketBurst burst, final ParsedPackets parsed, final int i)
    {
        counters.count(FirewallCounters.REJECTED);
        final int answer = rejects.write(burst.data(i), burst.length(i), bufferRoom, parsed, i);
        if (RejectWriter.NO_ANSWER == answer)
        {
            burst.drop(i, DropReason.FIREWALL_REJECT);
            return;
        }
        worker.addDrop(DropReason.FIREWALL_REJECT, 1);
        worker.add(WorkerCounters.GENERATED, 1);
        counters.count(FirewallCounters.GENERATED);
        burst.setLength(i, answer);
    }

    /** Index of the last layer of {@code type} in the packet's own stack, or -1. */
    private static int lastOwnLayer(final ParsedPackets parsed, final int i, final LayerType type)
    {
        int found = -1;
        for (int layer = 0; layer < parsed.layerCount(i); layer++)
        {
            final int stored = parsed.layerType(i, layer);
            if (LayerType.isQuoted(stored))
            {
                break;
            }
            if (LayerType.of(stored) == type)
            {
                found = layer;
            }
        }
        return found;
    }
}
