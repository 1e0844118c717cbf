package io.opensase.core.ips;

import io.opensase.classifiers.flow.FlowKey;
import io.opensase.classifiers.flow.FlowRemovalListener;
import io.opensase.classifiers.flow.FlowTable;
import io.opensase.classifiers.flow.FlowTimeouts;
import io.opensase.classifiers.flow.FullTablePolicy;
import io.opensase.classifiers.frag.FragmentReassembler;
import io.opensase.classifiers.frag.ReassemblyConfig;
import io.opensase.classifiers.parse.FlowKeyKind;
import io.opensase.classifiers.parse.LayerType;
import io.opensase.classifiers.parse.LinkType;
import io.opensase.classifiers.parse.PacketMemory;
import io.opensase.classifiers.parse.PacketParser;
import io.opensase.classifiers.parse.ParsedPackets;
import io.opensase.core.packet.DropReason;
import io.opensase.core.packet.PacketBurst;
import io.opensase.core.pipeline.FlowStage;
import io.opensase.core.pipeline.Stage;
import io.opensase.ips.match.MatchInput;
import io.opensase.ips.match.RuleFilter;
import io.opensase.ips.match.RuleMatcher;
import io.opensase.ips.rules.Action;
import io.opensase.ips.rules.AppProtocol;
import io.opensase.ips.rules.Buffer;
import io.opensase.ips.rules.Rule;
import io.opensase.ips.rules.Tag;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Inspects each packet of a worker's bursts against the IPS rules and writes an EVE alert for each rule that
 * holds. IP fragments are also rebuilt into their datagram with the project's reassembler, and the datagram is
 * inspected as a packet of its own. In {@link IpsMode#IPS}, a {@code drop} or {@code reject} rule drops the
 * packet and every later packet of its flow; a {@code pass} rule ends inspection of its flow.
 * <p>
 * A rule alerts at most once per packet. A rule with {@code tag:session} that alerts makes the flow's next
 * packets (either way) EVE {@code packet} lines, as {@link SessionTags} counts them; one with {@code tag:host}
 * the next packets from or to the tagged address in any of this worker's flows, as {@link HostTags} counts them.
 * Rules bound to an application protocol hold only on flows identified as that protocol. In IDS mode stream
 * rules see a flow's bytes when Suricata would (see {@link StreamHold}); what is left when a flow ends is
 * inspected on a pseudo packet ({@link PseudoPacket}). Owned by one worker thread; per-flow state lives in arrays
 * indexed by the flow table's slot and is reset when the table removes the flow.
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
    /** The policy this stage has taken up, for the control thread: written only when it switches. */
    private volatile IpsPolicy taken;
    private RuleMatcher.Worker matcher;
    private int[] alertStamps;
    /** Set by the control thread for the policy it is about to publish; taken by the worker with it. */
    private volatile Prepared prepared;
    private int stamp;
    private final RuleFilter inspectsFilter = this::inspects;
    /** Of the current match: which rules it is for (see {@link RuleHeaders}) and the flow's application. */
    private RuleHeaders matchHeaders;
    private int matchExcluded;
    private int matchKind;
    private AppProtocol matchFlowApp = AppProtocol.NONE;

    private final FlowTable table;
    private final LinkType linkType;
    private final MatchInput input = new MatchInput();
    private final PacketFacts innerFacts = new PacketFacts();
    private final PacketFacts outerFacts = new PacketFacts();
    /** The headers being inspected: {@link #innerFacts}, or {@link #outerFacts} for a tunnel's own headers. */
    private PacketFacts facts = innerFacts;
    private final CurrentPacket cur = new CurrentPacket();
    private final AppInspection apps;
    /** Per current match: bytes of the stream chunk already inspected before (0: none, or not a stream). */
    private int matchOldBytes;
    /** True while the current TCP packet's payload went into its flow's stream, where stream rules see it. */
    private boolean payloadInStream;
    private static final int HTTP_NONE = 0;
    private static final int HTTP_HEADERS = 1;
    private static final int HTTP_BODY = 2;
    /** Which rules an HTTP message's match is for (see {@link #matchHttp}). */
    private int httpPhase = HTTP_NONE;
    /** True while a passed flow's packet goes through the application layer only. */
    private boolean detectionOff;
    private MemorySegment matchChunk = MemorySegment.NULL;
    private final AlertWriter alerts;
    /** Masks what the DLP profiles match in every line this stage writes. */
    private final DlpValueMask valueMask = new DlpValueMask();
    private final IpsCounters counters = new IpsCounters();
    /** Pcre aborts counted by the matchers of earlier policies. */
    private long pcreAbortedBefore;

    private final boolean[] clientIsSecond;
    /**
     * Per flow slot, as the stage inspects its packets (not as the flow stage counted the whole burst before):
     * the ways packets went, and whether its TCP session is established, for {@code flow:established}.
     */
    private final byte[] flowProgress;
    private static final int SEEN_TO_SERVER = 1;
    private static final int SEEN_TO_CLIENT = 2;
    private static final int SEEN_BOTH_WAYS = SEEN_TO_SERVER | SEEN_TO_CLIENT;
    private static final int SESSION_ESTABLISHED = 4;
    private static final int TCP_SYN = 0x02;
    private final byte[] verdicts;
    private final boolean[] alerted;
    private final AppProtocol[] appProtocols;
    /** Per flow slot: the session tags its alerts set, which log its later packets. */
    private final SessionTags sessionTags;
    /** Per address: the host tags alerts set, which log the later packets from or to it in any flow. */
    private final HostTags hostTags = new HostTags();

    /** Fragments in, datagrams out; a rebuilt datagram is parsed into {@link #rebuiltParsed}. */
    private final FragmentReassembler defrag = new FragmentReassembler(ReassemblyConfig.defaults());
    private final MemorySegment rebuilt =
        Arena.ofAuto().allocate(FragmentReassembler.MAX_DATAGRAM_BYTES + 256, 64);
    private final ParsedPackets rebuiltParsed = new ParsedPackets(1);
    private PacketParser rebuiltParser = new PacketParser();
    private final FlowKey rebuiltKey = new FlowKey();

    /**
     * The pseudo packet an ending flow's last stream bytes are inspected on, parsed on its own: a flow can end
     * while a rebuilt datagram's lookup evicts it.
     */
    private final MemorySegment pseudo = Arena.ofAuto().allocate(PseudoPacket.MAX_BYTES, 8);
    private final ParsedPackets pseudoParsed = new ParsedPackets(1);
    private final long[] pseudoKey = new long[FlowKey.WORDS];
    /** Latest packet time seen: a pseudo packet's time, as Suricata stamps it with its current time. */
    private long lastNs;

    /** Null unless the stage writes EVE flow lines itself. */
    private final FlowEvents flowEvents;
    /** The outer flows of tunnelled packets, tracked only for their flow lines; null without flow lines. */
    private final FlowTable tunnels;
    private final FlowEvents tunnelFlowEvents;
    private final boolean[] tunnelClientIsSecond;
    private final FlowKey tunnelKey = new FlowKey();

    /**
     * The stage that tracks each burst's flows before this one inspects it, or null: a flow it removes (idle,
     * evicted) can have packets in that burst, which are inspected before the flow ends (see
     * {@link #onFlowRemoved}), with every packet tracked before them. Of the burst: how many of its first packets
     * were inspected so, ahead of the burst.
     */
    private FlowStage tracker;
    private long burstsInspected;
    private int inspectedAhead;
    private boolean inBurst;

    /**
     * @param flowLines write an EVE flow line for each flow (and each tunnel's outer flow) that ends, as
     *                  {@code opensase ips} does; the engine writes flow records through its event queue.
     */
    public IpsStage(final IpsPolicyRef policies, final FlowTable table, final int worker, final int linkType,
        final IpsEventSink eventSink, final boolean flowLines)
    {
        final IpsEventSink sink = valueMask.over(eventSink);
        this.policies = policies;
        this.policy = policies.current();
        this.taken = policy;
        this.matcher = policy.matcher().newWorker(table.capacity());
        this.alertStamps = new int[policy.rules().size()];
        this.table = table;
        this.linkType = LinkType.fromNumber(linkType);
        this.alerts = new AlertWriter(sink, table, worker, linkType);
        final int slots = table.capacity();
        this.clientIsSecond = new boolean[slots];
        this.flowProgress = new byte[slots];
        this.verdicts = new byte[slots];
        this.alerted = new boolean[slots];
        this.appProtocols = new AppProtocol[slots];
        Arrays.fill(appProtocols, AppProtocol.NONE);
        this.sessionTags = new SessionTags(slots);
        table.addRemovalListener(this);
        this.apps = new AppInspection(this, new AppEvents(sink, table, worker), slots,
            policy.settings().maxStreams(), policy.settings().httpHeaderBlocks(), policy.settings().midstream(),
            AppInspection.inspectOverlap(policy.headers().longestStreamContent()));
        apps.useDlp(policy.dlp());
        valueMask.use(policy.dlp());
        if (flowLines)
        {
            flowEvents = new FlowEvents(sink, worker);
            // Outer flows get ids of their own: a worker number no worker has.
            tunnelFlowEvents = new FlowEvents(sink, worker + TUNNEL_ID_SPACE);
            tunnels = new FlowTable(TUNNEL_FLOWS, FlowTimeouts.DEFAULT, FullTablePolicy.EVICT_OLDEST);
            tunnelClientIsSecond = new boolean[TUNNEL_FLOWS];
            tunnels.addRemovalListener(slot -> tunnelFlowEvents.write(tunnels, slot, tunnelClientIsSecond[slot],
                false, null, tunnels.removalCause()));
        }
        else
        {
            flowEvents = null;
            tunnelFlowEvents = null;
            tunnels = null;
            tunnelClientIsSecond = null;
        }
    }

    /**
     * Setup: {@code flows} tracks every burst's flows in the table this stage shares before the stage inspects
     * the burst; a flow that tracking removes has its packets of that burst inspected before it ends, so that
     * its held stream bytes and its pseudo packet are its own and not those of a flow that reuses its slot.
     */
    public void followTracking(final FlowStage flows)
    {
        tracker = flows;
    }

    /**
     * Setup: rebuilt datagrams and pseudo packets are parsed with {@code parser}, which must be this stage's own
     * and parse as the worker's parse stage does (its limits and Teredo ports); by default, a parser with the
     * default settings.
     */
    public void parseRebuiltWith(final PacketParser parser)
    {
        rebuiltParser = parser;
    }

    public IpsCounters counters()
    {
        return counters;
    }

    /** True when a rule of the policy in use inspects {@code buffer}. */
    boolean inspects(final Buffer buffer)
    {
        return policy.matcher().inspects(buffer);
    }

    /**
     * Stream bytes the payload prefilter did not scan again since the current policy was taken, the windows
     * before having scanned them (a window repeats up to 2 KiB before its new bytes; see {@code StreamLiterals}).
     */
    public long prefilterBytesReused()
    {
        return matcher.streamBytesReused();
    }

    @Override
    public void process(final PacketBurst burst)
    {
        if (policies.current() != policy)
        {
            switchPolicy(policies.current());
        }
        final int size = burst.size();
        inBurst = true;
        for (int i = Math.min(inspectedAhead, size); i < size; i++)
        {
            if (!burst.isDropped(i))
            {
                inspectBurstPacket(burst, i);
            }
        }
        inspectedAhead = 0;
        inBurst = false;
        if (null != tracker)
        {
            burstsInspected = tracker.burstsTracked();
        }
        countPcreAborts();
        if (size > 0)
        {
            final long nowNs = burst.timestampNs(size - 1);
            defrag.expire(nowNs, EXPIRY_BUDGET);
            if (null != tunnels)
            {
                tunnels.expire(nowNs, EXPIRY_BUDGET);
            }
        }
    }

    /**
     * Control thread, before a new policy is published: builds this stage's matching state for it (per-flow
     * bit pools, scanner scratch, pcre matchers: megabytes for a large rule set), so that the worker only
     * swaps references when it takes the policy up.
     */
    public void prepare(final IpsPolicy next)
    {
        prepared = new Prepared(next, next.matcher().newWorker(table.capacity()), new int[next.rules().size()]);
    }

    /** A reload published new rules: match with them from this burst on; flow verdicts stay. */
    private void switchPolicy(final IpsPolicy next)
    {
        final Prepared ready = prepared;
        prepared = null;
        countPcreAborts();
        pcreAbortedBefore = counters.pcreAborted;
        matcher.close();
        policy = next;
        if (null != ready && ready.policy() == next)
        {
            matcher = ready.matcher();
            alertStamps = ready.alertStamps();
        }
        else
        {
            matcher = next.matcher().newWorker(table.capacity());
            alertStamps = new int[next.rules().size()];
        }
        stamp = 0;
        apps.useDlp(next.dlp());
        valueMask.use(next.dlp());
        taken = next;
    }

    /**
     * Any thread: the policy this stage matches with (it takes up a newly published one at its next burst, so
     * an idle worker keeps the one before); the stage no longer touches any other.
     */
    public IpsPolicy taken()
    {
        return taken;
    }

    private void countPcreAborts()
    {
        counters.pcreAborted = pcreAbortedBefore + matcher.pcreBudgetSpent() + matcher.pcreErrors();
    }

    /** Matching state built for a policy off the packet path. */
    private record Prepared(IpsPolicy policy, RuleMatcher.Worker matcher, int[] alertStamps)
    {
    }

    private void inspectBurstPacket(final PacketBurst burst, final int i)
    {
        lastNs = Math.max(lastNs, burst.timestampNs(i));
        final ParsedPackets parsed = burst.parsed();
        // A first fragment too short for its transport header is malformed as a packet, yet part of a datagram.
        if (!parsed.isMalformed(i))
        {
            cur.set(parsed, i, burst.data(i), burst.length(i), burst.timestampNs(i), burst.flow(i), burst, i);
            inspect();
        }
        final int status = defrag.offer(parsed, i, PacketMemory.ALL, burst.data(i), burst.length(i),
            burst.tenant(i), burst.timestampNs(i));
        if (FragmentReassembler.COMPLETE == status && !burst.isDropped(i))
        {
            inspectRebuilt(burst, i);
        }
    }

    /**
     * The datagram the fragment {@code i} completed: given the link headers of that fragment, parsed, tracked
     * in the flow table and inspected like a packet.
     */
    private void inspectRebuilt(final PacketBurst burst, final int i)
    {
        final ParsedPackets parsed = burst.parsed();
        long ipOffset = -1;
        for (int l = 0; l < parsed.layerCount(i); l++)
        {
            final int type = parsed.layerType(i, l);
            if (LayerType.isQuoted(type))
            {
                break;
            }
            final LayerType layer = LayerType.of(type);
            if (layer == LayerType.IPV4 || layer == LayerType.IPV6)
            {
                ipOffset = parsed.layerOffset(i, l);
            }
        }
        if (ipOffset < 0)
        {
            return;
        }
        final int length = (int)ipOffset + defrag.datagramLength();
        MemorySegment.copy(PacketMemory.ALL, burst.data(i), rebuilt, 0, ipOffset);
        MemorySegment.copy(defrag.datagram(), 0, rebuilt, ipOffset, defrag.datagramLength());
        rebuiltParser.parse(rebuilt, 0, length, length, linkType, rebuiltParsed, 0);
        if (rebuiltParsed.isMalformed(0))
        {
            return;
        }
        int flow = PacketBurst.NO_FLOW;
        if (rebuiltKey.set(rebuiltParsed, 0, burst.tenant(i)))
        {
            final int result = table.lookupOrCreate(rebuiltKey, burst.timestampNs(i), length);
            flow = FlowTable.REFUSED == result ? PacketBurst.NO_FLOW : result;
        }
        cur.set(rebuiltParsed, 0, rebuilt.address(), length, burst.timestampNs(i), flow, burst, i);
        cur.rebuilt = true;
        inspect();
    }

    /** Inspects {@link #cur}. */
    private void inspect()
    {
        if (!innerFacts.read(cur.parsed, cur.index, cur.address, cur.length, false))
        {
            return;
        }
        counters.packets++;
        boolean passed = false;
        if (innerFacts.tunnelled && !cur.rebuilt)
        {
            if (null != tunnels)
            {
                trackTunnel();
            }
            passed = inspectTunnel();
        }
        facts = innerFacts;
        final int slot = cur.slot;
        if (slot >= 0)
        {
            if ((cur.flow & FlowTable.NEW) != 0)
            {
                clientIsSecond[slot] = cur.fromSecond;
                flowProgress[slot] = 0;
                matcher.newFlow(slot);
            }
            if (VERDICT_DROP == verdicts[slot])
            {
                cur.burst.drop(cur.burstIndex, DropReason.IPS_DROP);
                counters.flowDrops++;
                return;
            }
        }
        cur.toServer = slot < 0 || cur.fromSecond == clientIsSecond[slot];
        if (passed || slot >= 0 && VERDICT_PASS == verdicts[slot])
        {
            // A passed flow is not inspected any more; its application events are still written.
            if (slot >= 0)
            {
                detectionOff = true;
                feedApplication(slot);
                detectionOff = false;
                apps.afterPacket(slot, false);
            }
            return;
        }
        nextStamp();
        detect(slot);
        if (slot >= 0 && VERDICT_DROP == verdicts[slot])
        {
            // Dropped on this packet (a packet of a dropped flow returns above): nothing more of the flow is
            // inspected, so its HTTP messages in progress end now, their body rules run on what came.
            apps.flowDropped(slot);
        }
        // As Suricata, after the packet's own alerts: a tag set by one of them counts this packet first.
        if (tagged(slot))
        {
            counters.taggedPackets++;
            alerts.writeTagged(cur, facts);
        }
        if (slot >= 0)
        {
            apps.afterPacket(slot, VERDICT_DROP == verdicts[slot]);
        }
    }

    /**
     * Counts the current packet against every tag that follows it, each once: its flow's session tags, then the
     * host tags of its source and of its destination, and of a tunnelled packet those of its outer addresses too
     * (Suricata counts the tunnel's own packet against them). True when it is logged as tagged.
     */
    private boolean tagged(final int slot)
    {
        final PacketFacts f = innerFacts;
        final int length = cur.length;
        final long timeNs = cur.timeNs;
        boolean tagged = slot >= 0 && sessionTags.tagged(slot, length, timeNs);
        tagged |= hostTags.tagged(f.ipVersion, f.srcHi, f.srcLo, length, timeNs);
        tagged |= hostTags.tagged(f.ipVersion, f.dstHi, f.dstLo, length, timeNs);
        if (f.tunnelled && !cur.rebuilt)
        {
            tagged |= hostTags.tagged(f.outerIpVersion, f.outerSrcHi, f.outerSrcLo, length, timeNs);
            tagged |= hostTags.tagged(f.outerIpVersion, f.outerDstHi, f.outerDstLo, length, timeNs);
        }
        return tagged;
    }

    /** Runs the current packet through its flow's stream and application layers and the rules. */
    private void detect(final int slot)
    {
        // Stream and application first: a TCP flow's payload rules hold on its stream, not on its packets.
        payloadInStream = false;
        if (slot >= 0)
        {
            payloadInStream = feedApplication(slot);
            if (VERDICT_NONE != verdicts[slot])
            {
                return;
            }
        }
        input.clear();
        input.flow(slot < 0 ? MatchInput.Direction.NONE
            : cur.toServer ? MatchInput.Direction.TO_SERVER : MatchInput.Direction.TO_CLIENT,
            slot >= 0 && established(slot), false);
        input.packetPayloadSize(facts.payloadLength);
        packetFacts(slot);
        final long payloadAt = cur.address + facts.payloadOffset;
        input.set(Buffer.PAYLOAD, PacketMemory.ALL, payloadAt, facts.payloadLength);
        if (payloadInStream)
        {
            input.payloadInStream();
        }
        if (6 == facts.ipVersion)
        {
            input.set(Buffer.IPV6_HDR, PacketMemory.ALL, cur.address + facts.ipOffset, 40);
        }
        match(PacketMemory.ALL, payloadAt, facts.payloadLength, false, true, null);
    }

    /**
     * Gives the packet to its flow's stream and application parsers; true when its TCP payload went into the
     * stream, where stream rules see it.
     */
    private boolean feedApplication(final int slot)
    {
        if (facts.isTcp())
        {
            return apps.tcp(slot, cur.toServer, facts, PacketMemory.ALL, cur.address);
        }
        if (facts.isUdp())
        {
            apps.udp(slot, cur.toServer, facts, PacketMemory.ALL, cur.address);
        }
        return false;
    }

    // ------------------------------------------------------------------------------------------------------
    // What the application layer calls while the current packet is being inspected

    CurrentPacket current()
    {
        return cur;
    }

    PacketFacts facts()
    {
        return facts;
    }

    /** True when blocking findings and rules drop traffic (IPS mode). */
    boolean blocks()
    {
        return policy.settings().mode() == IpsMode.IPS;
    }

    /**
     * True when stream bytes wait for the other side's acknowledgement before stream rules inspect them: in IDS
     * mode, as Suricata's raw stream inspection does; inline (IPS mode) they are inspected with the packet that
     * brought them, so that a drop stops that packet. A passed flow's bytes are not inspected at all.
     */
    boolean holdsStream()
    {
        return policy.settings().mode() == IpsMode.IDS && !detectionOff;
    }

    /** Stream bytes inspected before their acknowledgement, for want of room to hold them. */
    void countEarlyStream()
    {
        counters.streamEarly++;
    }

    /**
     * Makes the pseudo packet of the ending flow in {@code slot} the current packet: from the sender of
     * {@code direction} (0: the flow's client) to the other side, carrying {@code seq} and {@code ack}, with the
     * flow's VLAN ids. False when the flow is not inspected any more (passed or dropped).
     */
    boolean pseudoPacket(final int slot, final int direction, final long seq, final long ack)
    {
        if (VERDICT_NONE != verdicts[slot])
        {
            return false;
        }
        table.copyKey(slot, pseudoKey, 0);
        final int client = clientIsSecond[slot] ? 1 : 0;
        final int length = PseudoPacket.write(pseudo, pseudoKey, 0 == direction ? client : 1 - client, seq, ack);
        rebuiltParser.parse(pseudo, 0, length, length, LinkType.RAW, pseudoParsed, 0);
        cur.setPseudo(pseudoParsed, pseudo.address(), length, Math.max(lastNs, table.lastSeenNs(slot)), slot,
            0 == direction);
        innerFacts.read(pseudoParsed, 0, pseudo.address(), length, false);
        innerFacts.vlanCount = 0;
        addVlan(FlowKey.vlanOuterOf(pseudoKey));
        addVlan(FlowKey.vlanInnerOf(pseudoKey));
        facts = innerFacts;
        payloadInStream = false;
        nextStamp();
        return true;
    }

    private void addVlan(final int vlan)
    {
        if (ParsedPackets.NO_VLAN != vlan)
        {
            innerFacts.vlans[innerFacts.vlanCount++] = vlan;
        }
    }

    /** Drops the current packet and the rest of its flow. */
    void dropFlow()
    {
        cur.burst.drop(cur.burstIndex, DropReason.IPS_DROP);
        if (cur.slot >= 0)
        {
            verdicts[cur.slot] = VERDICT_DROP;
        }
        counters.drops++;
    }

    void setApp(final int slot, final AppProtocol app)
    {
        appProtocols[slot] = app;
    }

    /**
     * The input, cleared and holding the current packet's facts, for an application message going to the
     * server ({@code toServer}) or to the client; the caller adds the buffers and calls {@link #matchApp}.
     */
    MatchInput appInput(final boolean toServer, final boolean stream)
    {
        input.clear();
        input.flow(toServer ? MatchInput.Direction.TO_SERVER : MatchInput.Direction.TO_CLIENT, true, stream);
        packetFacts(cur.slot);
        return input;
    }

    /** Matches what {@link #appInput} prepared; {@code app} writes the alert's application object. */
    void matchApp(final AlertWriter.AppFields app)
    {
        nextStamp();
        match(MemorySegment.NULL, 0, 0, false, false, app);
    }

    /**
     * Matches an HTTP message's buffers: when its headers are complete ({@code body} false) only rules that
     * inspect no body, when it ends ({@code body} true) only rules that inspect its body, so that each rule
     * is tried once per message, with everything it needs.
     */
    void matchHttp(final boolean body, final AlertWriter.AppFields app)
    {
        httpPhase = body ? HTTP_BODY : HTTP_HEADERS;
        nextStamp();
        match(MemorySegment.NULL, 0, 0, false, false, app);
        httpPhase = HTTP_NONE;
    }

    /**
     * Matches new stream bytes: {@code chunk[newFrom..]} are new, what comes before them was inspected with
     * earlier bytes. A rule that holds already on those earlier bytes alone is not reported again.
     *
     * @param fromClient the bytes go from the flow's first sender to the other side.
     * @param half       the stream direction ({@code stream * 2 + direction}).
     * @param newAt      stream offset of {@code chunk[newFrom]}.
     */
    void matchStream(final MemorySegment chunk, final int newFrom, final boolean fromClient, final int half,
        final long newAt)
    {
        if (chunk.byteSize() == newFrom)
        {
            return;
        }
        input.clear();
        final boolean toServer = fromClient;
        input.flow(toServer ? MatchInput.Direction.TO_SERVER : MatchInput.Direction.TO_CLIENT, true, true);
        packetFacts(cur.slot);
        input.set(Buffer.PAYLOAD, chunk);
        input.streamWindow(apps.windowLiterals(), half, newAt, newFrom);
        matchOldBytes = newFrom;
        matchChunk = chunk;
        match(chunk, newFrom, (int)chunk.byteSize() - newFrom, true, false, null);
        matchOldBytes = 0;
        matchChunk = MemorySegment.NULL;
    }

    /**
     * Inspects a tunnelled packet's own outer headers, as Suricata inspects the tunnel packet before the packet
     * it carries: by its headers only, without its payload (Suricata sets no-payload-inspection on it), since
     * what follows them is inspected as the inner packet. Returns true when a pass rule matched: then the inner
     * packet is not inspected.
     */
    private boolean inspectTunnel()
    {
        outerFacts.read(cur.parsed, cur.index, cur.address, cur.length, true);
        facts = outerFacts;
        final int slot = cur.slot;
        cur.slot = -1;
        nextStamp();
        input.clear();
        input.flow(MatchInput.Direction.NONE, false, false);
        // Suricata's tunnel packet has a payload only where a transport header comes before the tunnel (VXLAN,
        // Geneve, Teredo: the UDP payload); its GRE and IP-in-IP decoders set none, so there dsize sees 0.
        final int payloadLength = facts.l4Offset < 0 ? 0 : facts.payloadLength;
        input.packetPayloadSize(payloadLength);
        packetFacts(-1);
        final long payloadAt = cur.address + facts.payloadOffset;
        payloadInStream = false;
        final boolean passed = match(PacketMemory.ALL, payloadAt, payloadLength, false, true, null);
        cur.slot = slot;
        return passed;
    }

    /** The header facts packet keywords test, the time and addresses host state uses, the flow handle. */
    private void packetFacts(final int slot)
    {
        if (4 == facts.ipVersion)
        {
            input.ipv4(facts.ipId, facts.ttl, facts.ipProtocol);
            input.ipv4Addresses((int)facts.srcLo, (int)facts.dstLo);
        }
        else
        {
            input.ipv6(facts.ttl, facts.ipProtocol);
            input.addresses(facts.srcHi, facts.srcLo, facts.dstHi, facts.dstLo);
        }
        if (facts.isTcp())
        {
            input.tcp(facts.tcpFlags, facts.seq, facts.ack, facts.window);
        }
        if (facts.isIcmp())
        {
            input.icmp(facts.icmpType, facts.icmpCode);
        }
        if (facts.isTcp() || facts.isUdp() || 132 == facts.ipProtocol)
        {
            input.ports(facts.srcPort, facts.dstPort);
        }
        for (int v = 0; v < facts.vlanCount; v++)
        {
            input.vlan(facts.vlans[v]);
        }
        input.time(cur.timeNs);
        if (slot >= 0)
        {
            input.flowHandle(slot);
            input.appProtocol(AppInspection.layerName(apps.protocol(slot)));
            if (facts.isTcp())
            {
                input.streamSize(apps.streamBytes(slot, true), apps.streamBytes(slot, false));
            }
        }
    }

    private void nextStamp()
    {
        if (++stamp == 0)
        {
            Arrays.fill(alertStamps, 0);
            stamp = 1;
        }
    }

    /**
     * Matches {@link #input} and acts on the rules that hold for {@link #cur}; true when a pass rule held.
     *
     * @param inspected       where the bytes the payload keywords looked at are, for the alert's {@code payload}
     *                        (copied into the alert's record, never sliced).
     * @param inspectedAt     their offset in {@code inspected}.
     * @param inspectedLength their length.
     * @param fromStream      true when they are reassembled stream bytes.
     * @param ofPacket        true for the packet's own match, false for a stream chunk's or an application
     *                        message's.
     * @param app             the application object alerts carry, or null.
     */
    private boolean match(final MemorySegment inspected, final long inspectedAt, final int inspectedLength,
        final boolean fromStream, final boolean ofPacket, final AlertWriter.AppFields app)
    {
        if (detectionOff)
        {
            return false;
        }
        final int slot = cur.slot;
        matchHeaders = policy.headers();
        matchExcluded = RuleHeaders.excluded(ofPacket, fromStream, payloadInStream, HTTP_HEADERS == httpPhase,
            HTTP_BODY == httpPhase);
        matchKind = RuleHeaders.kindOf(facts);
        matchFlowApp = slot < 0 ? AppProtocol.NONE : appProtocols[slot];
        final int matched = matcher.match(input, inspectsFilter);
        // In Suricata's evaluation order: pass rules first, so a pass ends inspection before any alert.
        for (int m = 0; m < matched; m++)
        {
            final int r = matcher.matchedIndex(m);
            final Rule rule = policy.rules().get(r);
            final Action action = rule.header().action();
            if (action == Action.PASS)
            {
                if (slot >= 0)
                {
                    verdicts[slot] = VERDICT_PASS;
                }
                counters.passed++;
                return true;
            }
            if (alertStamps[r] == stamp || matchedBefore(r))
            {
                continue;
            }
            alertStamps[r] = stamp;
            final boolean blocks = policy.settings().mode() == IpsMode.IPS
                && (action == Action.DROP || action == Action.REJECT);
            if (blocks && null != cur.burst)
            {
                cur.burst.drop(cur.burstIndex, DropReason.IPS_DROP);
                if (slot >= 0)
                {
                    verdicts[slot] = VERDICT_DROP;
                }
                counters.drops++;
            }
            if (matcher.alerts(m))
            {
                if (slot >= 0)
                {
                    alerted[slot] = true;
                }
                tag(slot, rule);
                counters.alerts++;
                alerts.write(cur, facts, rule, policy.category(rule), blocks, appName(matchFlowApp), inspected,
                    inspectedAt, inspectedLength, fromStream, app);
            }
        }
        return false;
    }

    /**
     * Rule {@code rule} alerted on the current packet: its session tags follow the flow in {@code slot} (none
     * without a flow, as in Suricata), its host tags the source or destination address of the headers it alerted
     * on, from now on.
     */
    private void tag(final int slot, final Rule rule)
    {
        final List<Tag> tags = rule.tags();
        for (int t = 0; t < tags.size(); t++)
        {
            final Tag tag = tags.get(t);
            final boolean kept = switch (tag.scope())
            {
                case SESSION -> slot < 0 || sessionTags.add(slot, rule.gid(), rule.sid(), tag, cur.timeNs);
                case HOST -> tag.hostSide() == Tag.HostSide.SRC
                    ? hostTags.add(facts.ipVersion, facts.srcHi, facts.srcLo, rule.gid(), rule.sid(), tag, cur.timeNs)
                    : hostTags.add(facts.ipVersion, facts.dstHi, facts.dstLo, rule.gid(), rule.sid(), tag, cur.timeNs);
            };
            if (!kept)
            {
                counters.tagsRefused++;
            }
        }
    }

    /** True when rule {@code r} matched a stream chunk whose already inspected part alone holds it. */
    private boolean matchedBefore(final int r)
    {
        if (0 == matchOldBytes)
        {
            return false;
        }
        input.set(Buffer.PAYLOAD, matchChunk, 0, matchOldBytes);
        final boolean before = matcher.holds(r, input);
        input.set(Buffer.PAYLOAD, matchChunk);
        return before;
    }

    /** Each application's name in EVE's spelling, made once: an alert names its flow's without a new string. */
    private static final String[] APP_NAMES = Arrays.stream(AppProtocol.values())
        .map(app -> app == AppProtocol.NONE ? null : app.name().toLowerCase(Locale.ROOT)).toArray(String[]::new);

    private static String appName(final AppProtocol app)
    {
        return APP_NAMES[app.ordinal()];
    }

    /**
     * The matcher asks this before it verifies a candidate: whether the rule is for what this match inspects
     * at all and whether its header admits the packet (see {@link RuleHeaders#inspects}), so that the others
     * cost no verification and their keywords' side effects ({@code dataset:set}) do not happen.
     */
    private boolean inspects(final int r)
    {
        return matchHeaders.inspects(r, matchExcluded, matchKind, matchFlowApp, facts);
    }

    /**
     * Whether the current packet's flow is established, as Suricata sets it for the packet: a TCP session from
     * the packet that completes the handshake (a packet without SYN once both sides have sent), or from its first
     * packet when it is picked up midstream; another flow once packets went both ways, this one included.
     */
    private boolean established(final int slot)
    {
        final int before = flowProgress[slot];
        int progress = before | (cur.toServer ? SEEN_TO_SERVER : SEEN_TO_CLIENT);
        if (facts.isTcp() && (progress & SESSION_ESTABLISHED) == 0 && (facts.tcpFlags & TCP_SYN) == 0
            && ((progress & SEEN_BOTH_WAYS) == SEEN_BOTH_WAYS || 0 == before && policy.settings().midstream()))
        {
            progress |= SESSION_ESTABLISHED;
        }
        flowProgress[slot] = (byte)progress;
        return facts.isTcp() ? (progress & SESSION_ESTABLISHED) != 0
            : (progress & SEEN_BOTH_WAYS) == SEEN_BOTH_WAYS;
    }

    private void trackTunnel()
    {
        final byte kind = 0 == facts.outerSrcPort ? FlowKeyKind.ADDRESSES : FlowKeyKind.PORTS;
        tunnelKey.set(0, ParsedPackets.NO_VLAN, ParsedPackets.NO_VLAN, ParsedPackets.NO_TUNNEL, facts.outerIpVersion,
            kind, facts.outerProtocol, facts.outerSrcHi, facts.outerSrcLo, facts.outerDstHi, facts.outerDstLo,
            facts.outerSrcPort, facts.outerDstPort);
        final int result = tunnels.lookupOrCreate(tunnelKey, cur.timeNs, cur.length);
        if (FlowTable.REFUSED != result && (result & FlowTable.NEW) != 0)
        {
            tunnelClientIsSecond[result & FlowTable.SLOT_MASK] = (result & FlowTable.REVERSE) != 0;
        }
    }

    /** After the last packet: ends every flow still open, as a shutdown does. */
    public void finish()
    {
        table.visitFlows((slot, key, packets0, packets1, bytes0, bytes1, createdNs, lastSeenNs) -> endFlow(slot, 0));
        if (null != tunnels)
        {
            tunnels.visitFlows((slot, key, packets0, packets1, bytes0, bytes1, createdNs, lastSeenNs) ->
                tunnelFlowEvents.write(tunnels, slot, tunnelClientIsSecond[slot], false, null, 0));
        }
        defrag.close();
        apps.close();
        countPcreAborts();
    }

    @Override
    public void onFlowRemoved(final int slot)
    {
        final int cause = table.removalCause();
        if (!inBurst && null != tracker && tracker.burstsTracked() != burstsInspected)
        {
            inspectAhead(tracker.trackingBurst(), tracker.trackedPackets());
            // The pseudo packet is stamped with the time tracking reached, as Suricata stamps it when it ends.
            lastNs = Math.max(lastNs, tracker.nowNs());
        }
        endFlow(slot, cause);
    }

    /**
     * A flow goes while its burst is being tracked, before this stage inspected the burst: the first
     * {@code tracked} packets of the burst, which hold the flow's, are inspected now, in their order, while the
     * table still holds the flow's key and times, and skipped when the stage goes through the burst. Packets of
     * other flows go too, so that state kept across flows (host tags, xbits, thresholds) sees the packets in the
     * order they came.
     */
    private void inspectAhead(final PacketBurst burst, final int tracked)
    {
        if (policies.current() != policy)
        {
            switchPolicy(policies.current());
        }
        inBurst = true;
        for (int i = inspectedAhead; i < tracked; i++)
        {
            if (!burst.isDropped(i))
            {
                inspectBurstPacket(burst, i);
            }
        }
        inspectedAhead = Math.max(inspectedAhead, tracked);
        inBurst = false;
    }

    private void endFlow(final int slot, final int cause)
    {
        apps.end(slot);
        if (null != flowEvents)
        {
            flowEvents.write(table, slot, clientIsSecond[slot], alerted[slot], appName(appProtocols[slot]), cause);
        }
        verdicts[slot] = VERDICT_NONE;
        alerted[slot] = false;
        sessionTags.clear(slot);
        appProtocols[slot] = AppProtocol.NONE;
    }
}
