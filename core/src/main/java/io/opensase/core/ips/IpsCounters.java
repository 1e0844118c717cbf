package io.opensase.core.ips;

import java.util.List;
import java.util.Locale;

/**
 * What one worker's IPS stage did; written by that worker only, read by the control thread (stats, metrics)
 * and after the run (report), as the firewall's counts are.
 */
public final class IpsCounters
{
    long packets;
    long alerts;
    long drops;
    long flowDrops;
    long passed;
    long pcreAborted;
    long dlpUnscanned;
    long appFlowsUninspected;
    long streamEarly;
    long httpHeadersTooLong;
    long taggedPackets;
    long tagsRefused;
    long httpNoHeaderBlock;

    /** The counts' names in the run report's {@code ips} object and as {@code ips.*} stats, by index. */
    public static final List<String> NAMES =
        List.of("packets", "alerts", "drops", "flow_drops", "passed", "pcre_aborted", "dlp_unscanned",
            "app_flows_uninspected", "stream_early", "http_headers_too_long", "tagged_packets", "tags_refused",
            "http_no_header_block");
    /** What each count counts, by index (the metrics' help text). */
    public static final List<String> HELP = List.of(
        "Packets the IPS stage inspected.",
        "EVE alert lines the IPS rules raised.",
        "Packets dropped because a drop or reject rule matched them or DLP blocked them.",
        "Packets dropped because their flow was dropped.",
        "Packets on which a pass rule ended their flow's inspection.",
        "Pcre matches aborted past the step budget or out of stack; the rule did not hold.",
        "HTTP requests DLP could not scan whole (body, decompression or header limit, gap, content coding).",
        "TCP flows given no stream, so no reassembly or application inspection: the worker's streams were taken.",
        "Times IDS stream bytes were inspected before their acknowledgement, for want of room to hold them.",
        "HTTP messages whose start line and headers passed the parser's limit: not parsed.",
        "EVE packet lines written for packets a session or host tag follows.",
        "Session or host tags not kept: the worker's entries of the kind were all taken, or the flow or host held 50.",
        "HTTP messages that found every header block of the worker held: framed but not parsed or inspected.");

    /** Adds {@code other}'s counts to these. */
    public void add(final IpsCounters other)
    {
        packets += other.packets;
        alerts += other.alerts;
        drops += other.drops;
        flowDrops += other.flowDrops;
        passed += other.passed;
        pcreAborted += other.pcreAborted;
        dlpUnscanned += other.dlpUnscanned;
        appFlowsUninspected += other.appFlowsUninspected;
        streamEarly += other.streamEarly;
        httpHeadersTooLong += other.httpHeadersTooLong;
        taggedPackets += other.taggedPackets;
        tagsRefused += other.tagsRefused;
        httpNoHeaderBlock += other.httpNoHeaderBlock;
    }

    /** The count named {@code NAMES.get(index)}. */
    public long get(final int index)
    {
        return switch (index)
        {
            case 0 -> packets;
            case 1 -> alerts;
            case 2 -> drops;
            case 3 -> flowDrops;
            case 4 -> passed;
            case 5 -> pcreAborted;
            case 6 -> dlpUnscanned;
            case 7 -> appFlowsUninspected;
            case 8 -> streamEarly;
            case 9 -> httpHeadersTooLong;
            case 10 -> taggedPackets;
            case 11 -> tagsRefused;
            case 12 -> httpNoHeaderBlock;
            default -> throw new IndexOutOfBoundsException(index);
        };
    }

    /** One line for the end of a run. */
    public String summary()
    {
        return String.format(Locale.ROOT, "ips: %d packets inspected, %d alerts, %d dropped by rules or DLP, %d in "
            + "dropped flows, %d pcre matches aborted, %d requests DLP could not scan whole, %d TCP flows "
            + "without application inspection (no stream free), %d early stream inspections (no room to wait for "
            + "the acknowledgement), %d HTTP messages with headers past the parser's limit (not parsed), %d HTTP "
            + "messages without a header block free (not parsed), %d tagged packets logged, %d tags refused", packets,
            alerts, drops, flowDrops, pcreAborted, dlpUnscanned, appFlowsUninspected, streamEarly, httpHeadersTooLong,
            httpNoHeaderBlock, taggedPackets, tagsRefused);
    }

    public long packets()
    {
        return packets;
    }

    public long alerts()
    {
        return alerts;
    }

    /** Packets dropped because a drop or reject rule matched them or DLP blocked them. */
    public long drops()
    {
        return drops;
    }

    /** Later packets dropped because their flow was dropped. */
    public long flowDrops()
    {
        return flowDrops;
    }

    /**
     * Times stream bytes were inspected in IDS mode before the other side acknowledged them, because no room
     * was left to hold them (see the README, IPS stage).
     */
    public long streamEarly()
    {
        return streamEarly;
    }

    /** Packets on which a pass rule ended their flow's inspection. */
    public long passed()
    {
        return passed;
    }

    /**
     * Pcre matches aborted, the rule taken as not holding: past the step budget
     * ({@link io.opensase.ips.match.RuleMatcher#PCRE_STEP_BUDGET}) or out of stack.
     */
    public long pcreAborted()
    {
        return pcreAborted;
    }

    /** HTTP requests DLP could not scan whole (see {@code unscanned_body} of a DLP profile). */
    public long dlpUnscanned()
    {
        return dlpUnscanned;
    }

    /**
     * HTTP messages (requests and responses) whose start line and headers passed the parser's limit
     * ({@link io.opensase.classifiers.app.http.HttpLimits#DEFAULT_HEADER_BYTES}): not parsed, no {@code http.*}
     * buffers or line; with DLP a request is also counted in {@link #dlpUnscanned()}.
     */
    public long httpHeadersTooLong()
    {
        return httpHeadersTooLong;
    }

    /**
     * HTTP messages (requests and responses) that started while every header block of the worker's HTTP parser
     * was held by messages in progress ({@code ips.http_header_blocks}): framed, so that the messages after them
     * are parsed, but not parsed themselves (no {@code http.*} buffers or line); with DLP a request is also counted
     * in {@link #dlpUnscanned()}. Counted here only, even when the head then passes the parser's limit.
     */
    public long httpNoHeaderBlock()
    {
        return httpNoHeaderBlock;
    }

    /** EVE {@code packet} lines written for packets a session or host tag follows. */
    public long taggedPackets()
    {
        return taggedPackets;
    }

    /**
     * Session or host tags not kept: the worker's {@value SessionTags#ENTRIES} session or
     * {@value HostTags#ENTRIES} host tag entries were all taken, or the flow or host held 50.
     */
    public long tagsRefused()
    {
        return tagsRefused;
    }

    /**
     * TCP flows the stage gave no stream because the worker's streams (4,096) were all taken: no reassembly, no
     * application identification or parsing, packet rules only. Counted once per flow.
     */
    public long appFlowsUninspected()
    {
        return appFlowsUninspected;
    }
}
